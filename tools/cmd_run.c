/*
 * cmd_run.c - `ferret run`: runs saved inputs through the target, through
 * the same executor the fuzzer uses (so a crash reproduces exactly as it
 * was found), and prints how each ended. Exit status 0 when every input ran
 * cleanly, 1 when any crashed or timed out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "config.h"
#include "errors.h"
#include "log.h"
#include "store.h"
#include "target.h"
#include "banned.h"

static const struct usage_opt run_opts[] = {
	REPLAY_OPT_T("timeout per input", ""),
	REPLAY_OPT_M,
	{0},
};

static const char *const run_synopsis[] = {
	"ferret run [-t MS] [-m MB] FILE... -- PROGRAM [ARGS...]",
	"ferret run [-t MS] [-m MB] -- PROGRAM [ARGS with @@] FILE...",
	"ferret run [-t MS] [-m MB] -- PROGRAM [ARGS...] -- FILE...",
	NULL,
};

const struct usage run_usage = {
	.page = "ferret-run",
	.synopsis = run_synopsis,
	.description = "Runs each FILE once through PROGRAM (built with ferret-cc) and prints\n"
		       "how it ended: exit code, crash signal, or timeout. PROGRAM's output is\n"
		       "shown. A libFuzzer-style harness gets each FILE as its argument and\n"
		       "its non-zero exit (77: a deadly signal or sanitizer report) is a crash.\n"
		       "Exit status: 0 if none crashed or hung, 1 otherwise.",
	.opts = run_opts,
	.see_also = "ferret(1), ferret-fuzz(1), ferret-showmap(1), ferret-tmin(1)",
};

/* Sets up a target for replaying: temp input file, flags, started. */
int replay_start(struct target *t, const struct replay_args *a, int quiet, char *tmpl)
{
	int fd = mkstemp(tmpl);
	if (fd < 0)
		die_errno("cannot create a temporary file");
	close(fd);
	int err = target_init(t, a->prog, tmpl);
	if (err)
		die("cannot execute target '%s'", a->prog[0]);
	t->timeout_ms = a->timeout_ms;
	t->mem_limit_mb = a->mem_limit_mb;
	if (quiet)
		t->flags |= TARGET_QUIET;
	if ((err = target_start(t))) {
		unlink(tmpl);
		char why[256];
		die("cannot start target '%s': %s", a->prog[0],
		    target_start_error(t, err, why, sizeof(why)));
	}
	return 0;
}

char **replay_harness_argv(char **prog, int *harness)
{
	size_t n = 0;
	int at = 0;
	for (; prog[n]; n++)
		at |= strstr(prog[n], "@@") != NULL;
	char **p = calloc(n + 2, sizeof(*p));
	if (!p)
		die("out of memory");
	memcpy(p, prog, n * sizeof(*p));
	/* a harness takes its input as a file (on stdin it would fuzz) */
	*harness = !access(prog[0], R_OK) && replay_is_libfuzzer(prog[0]);
	if (*harness && !at)
		p[n] = "@@";
	return p;
}

int cmd_run(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage_print(stdout, &run_usage);
			return 0;
		}
	struct replay_args a;
	replay_parse(argc, argv, &run_usage, &a);
	int harness;
	a.prog = replay_harness_argv(a.prog, &harness);
	struct target t;
	char tmpl[] = "/tmp/ferret-run-XXXXXX";
	replay_start(&t, &a, 0, tmpl);
	int bad = 0;
	for (char **f = a.files; *f; f++) {
		uint8_t *data;
		size_t len;
		if (store_read(*f, CFG_MAX_INPUT_BYTES, &data, &len, NULL)) {
			bad = 1;
			continue;
		}
		struct run_result res;
		int err = target_run(&t, data, len, &res);
		free(data);
		if (err)
			die("cannot run target '%s': %s", a.prog[0], ferret_strerror(err));
		char how[64];
		if (harness && res.kind == RUN_OK && res.exit_code) {
			/* the driver's report (signal, sanitizer) is above */
			printf("%s: crash: exit %d (libFuzzer-style harness)\n", *f, res.exit_code);
			fflush(stdout);
			bad = 1;
			continue;
		}
		const char *kind = res.kind == RUN_CRASH  ? "crash"
				   : res.kind == RUN_HANG ? "hang"
							  : "ok";
		if (res.kind == RUN_HANG)
			printf("%s: hang: no result within %u ms\n", *f, a.timeout_ms);
		else
			printf("%s: %s: %s\n", *f, kind, target_describe(&res, how, sizeof(how)));
		fflush(stdout);
		bad |= res.kind != RUN_OK;
	}
	target_release(&t);
	unlink(tmpl);
	return bad;
}
