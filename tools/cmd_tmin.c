/*
 * cmd_tmin.c - `ferret tmin`: shrinks one input while the program keeps
 * behaving the same, with afl-tmin's command line and progress lines; the
 * minimiser and its rule of "the same" are tools/tmin.c's. Runs the program
 * through the fuzzer's executor (target.h, started as `ferret run` starts
 * it), so a ferret-cc program keeps its fork server; a libFuzzer-style
 * harness (ferret-cc -fsanitize=fuzzer) is given the input as a file
 * argument and its crash exit code counts as a crash.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "config.h"
#include "cov.h"
#include "errors.h"
#include "log.h"
#include "store.h"
#include "target.h"
#include "tmin.h"
#include "banned.h"

/* The driver's -error_exitcode default (driver/lf_flags.def): what a
 * libFuzzer-style harness exits with after a deadly signal. */
#define TMIN_LF_CRASH_EXIT 77

static const struct usage_opt tmin_opts[] = {
	{'i', NULL, "IN", "the input to shrink"},
	{'o', NULL, "OUT", "where to write the result (written atomically)"},
	REPLAY_OPT_T("timeout per run", "; a timeout never counts as the same"),
	REPLAY_OPT_M,
	{'e', NULL, "", "non-crash mode: keep only the edges, ignore hit counts"},
	{'x', NULL, "", "treat a non-zero exit code as a crash"},
	{0},
};

static const char *const tmin_synopsis[] = {
	"ferret tmin -i IN -o OUT [-t MS] [-m MB] [-e] [-x] -- PROGRAM [ARGS with @@]",
	NULL,
};

const struct usage tmin_usage = {
	.page = "ferret-tmin",
	.synopsis = tmin_synopsis,
	.description = "Shrinks the input IN into OUT while PROGRAM (built with ferret-cc) keeps\n"
		       "behaving the same: when IN crashes, OUT crashes the same way (same\n"
		       "signature as `ferret triage` states it: the error type or signal and\n"
		       "the top frames in the program's code); otherwise OUT hits exactly the\n"
		       "same coverage map (counts bucketed as the fuzzer sees them).\n"
		       "afl-tmin's phases: block deletion, alphabet then character\n"
		       "minimisation to '0', repeated while they help. The input goes to stdin, or "
		       "to the file @@ names; a\n"
		       "libFuzzer-style harness (ferret-cc -fsanitize=fuzzer) gets it as a file.",
	.opts = tmin_opts,
	.see_also = "ferret(1), ferret-cmin(1), ferret-run(1), ferret-fuzz(1)",
};

/* OUT is written at the end: a directory that cannot hold it is reported
 * now, not after the minimisation. */
static void check_out_dir(const char *out)
{
	const char *slash = strrchr(out, '/');
	char dir[4096];
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", slash == out ? 1 : (int)(slash - out), out);
	if (access(dir, W_OK | X_OK))
		die_errno("cannot write '%s'", out);
}

int cmd_tmin(int argc, char **argv)
{
	const char *in = NULL, *out = NULL;
	struct replay_args a;
	memset(&a, 0, sizeof(a));
	a.timeout_ms = CFG_DEFAULT_TIMEOUT_MS;
	struct tmin m;
	memset(&m, 0, sizeof(m));
	m.log = stdout;
	int i = 1;
	for (; i < argc && strcmp(argv[i], "--"); i++) {
		const char *s = argv[i];
		const struct usage_opt *o = usage_find(&tmin_usage, s);
		if (!strcmp(s, "--help") || !strcmp(s, "-h")) {
			usage_print(stdout, &tmin_usage);
			return 0;
		}
		if (!o)
			die("unknown argument '%s' (see 'ferret tmin --help')", s);
		switch (o->short_name) {
		case 'i':
		case 'o':
			if (!argv[i + 1])
				die("option '%s' needs a file", s);
			*(o->short_name == 'i' ? &in : &out) = argv[++i];
			break;
		case 't':
		case 'm':
			replay_limit(o->short_name, s, argv[i + 1], &a.timeout_ms, &a.mem_limit_mb);
			i++;
			break;
		case 'e':
			m.edges_only = 1;
			break;
		case 'x':
			m.exit_is_crash = 1;
			break;
		}
	}
	if (!in)
		die("no input given (usage: ferret tmin -i IN -o OUT -- PROGRAM [ARGS])");
	if (!out)
		die("no output given (usage: ferret tmin -i IN -o OUT -- PROGRAM [ARGS])");
	if (i + 1 >= argc)
		die("no target program given (usage: ferret tmin -i IN -o OUT -- PROGRAM [ARGS])");
	check_out_dir(out);
	struct stat st;
	if (stat(in, &st))
		die_errno("cannot read input '%s'", in);
	if (S_ISDIR(st.st_mode))
		die("cannot read input '%s': is a directory", in);
	uint8_t *buf;
	size_t len;
	if (store_read(in, CFG_MAX_INPUT_BYTES, &buf, &len, NULL))
		die("cannot read input '%s'", in);

	/* A harness reads no stdin and fuzzes when given no file: it gets
	 * the input as its argument, and its crash exit code is a crash. */
	int harness;
	char **args = replay_harness_argv(argv + i + 1, &harness);
	if (harness) {
		m.exit_is_crash = 1;
		printf("[*] libFuzzer-style harness: the input is a file argument, exit %d a "
		       "crash.\n",
		       TMIN_LF_CRASH_EXIT);
	}
	a.prog = args;

	char tmpl[] = "/tmp/ferret-tmin-XXXXXX";
	printf("[*] Starting the target...\n");
	fflush(stdout);
	replay_start(&m.t, &a, 1, tmpl);
	printf("[*] Read %zu bytes from '%s'; dry run (timeout %u ms)...\n", len, in, a.timeout_ms);
	if (tmin_dry_run(&m, buf, len) < 0)
		die("the input '%s' times out (%u ms); -t may help", in, m.t.timeout_ms);
	size_t orig = len;
	tmin_minimize(&m, buf, &len);

	int err = store_write_path(out, buf, len);
	if (err)
		die("cannot write '%s': %s", out, ferret_strerror(err));
	printf("[+] File size reduction: %.2f%% (%zu -> %zu bytes)\n",
	       orig ? 100.0 - 100.0 * (double)len / (double)orig : 0.0, orig, len);
	printf("[+] Fruitless executions: map=%llu crash=%llu hang=%llu\n",
	       (unsigned long long)m.fruitless_map, (unsigned long long)m.fruitless_crash,
	       (unsigned long long)m.fruitless_hang);
	printf("tmin: %zu -> %zu bytes, %llu executions\n", orig, len, (unsigned long long)m.execs);
	target_release(&m.t);
	unlink(tmpl);
	tmin_release(&m);
	free(args);
	free(buf);
	return 0;
}
