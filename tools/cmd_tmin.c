/*
 * cmd_tmin.c - `ferret tmin`: shrinks one input while the program keeps
 * behaving the same, with afl-tmin's command line and phases. When the input
 * crashes it must keep crashing the same way (same_crash()); otherwise the
 * classified coverage map must stay identical (-e: the set of edges). Runs
 * the program through the fuzzer's executor (target.h, started as `ferret
 * run` starts it), so a ferret-cc program keeps its fork server; a
 * libFuzzer-style harness (ferret-cc -fsanitize=fuzzer) is given the input
 * as a file argument and its crash exit code counts as a crash. It owns the
 * minimisation loop only; it keeps no state between runs besides the best
 * input so far, and is deterministic: the same program and input always
 * take the same steps.
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
#include "banned.h"

/* afl-tmin's constants (AFL config.h): blocks deleted start at len/16
 * rounded up to a power of two; every replaced byte becomes '0'. */
#define TMIN_DEL_STEPS 16
#define TMIN_FILL '0'

/* The driver's -error_exitcode default (driver/lf_flags.def): what a
 * libFuzzer-style harness exits with after a deadly signal. */
#define TMIN_LF_CRASH_EXIT 77

struct tmin {
	struct target t;
	int crash_mode;         /* the input crashed: keep it crashing the same way */
	int edges_only;         /* -e: compare edges, not hit-count buckets */
	int exit_is_crash;      /* -x, or a libFuzzer harness: non-zero exits crash */
	struct run_result want; /* crash mode: how the input crashed */
	uint8_t *want_map;      /* otherwise: its classified map */
	uint64_t execs;
	uint64_t fruitless_map, fruitless_crash, fruitless_hang;
};

_Static_assert(CFG_DEFAULT_TIMEOUT_MS == 1000, "the -t help below");

static const struct usage_opt tmin_opts[] = {
	{'i', NULL, "IN", "the input to shrink"},
	{'o', NULL, "OUT", "where to write the result (written atomically)"},
	{'t', NULL, "MS",
	 "timeout per run in milliseconds (default 1000); a timeout never counts "
	 "as the same"},
	{'m', NULL, "MB", "address-space limit of PROGRAM in MiB, or none (default none)"},
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
		       "signal or exit code); otherwise OUT hits exactly the same coverage map\n"
		       "(counts bucketed as the fuzzer sees them). afl-tmin's phases: block\n"
		       "deletion, alphabet then character minimisation to '0', repeated while\n"
		       "they help. The input goes to stdin, or to the file @@ names; a\n"
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

static int crashed(const struct tmin *m, const struct run_result *r)
{
	return r->kind == RUN_CRASH || (r->kind == RUN_OK && m->exit_is_crash && r->exit_code);
}

/*
 * Whether candidate crashed "the same way" as the input: the same kind of
 * end and the same signal, or the same (sanitizer or -x) exit code. A
 * deliberately coarse rule: issue 12's triage signature (the crash site)
 * will replace it, and this function is the only place to change.
 */
static int same_crash(const struct run_result *want, const struct run_result *got)
{
	return want->kind == got->kind && want->signal == got->signal &&
	       want->exit_code == got->exit_code;
}

/* Keeps only whether each edge was hit (-e). */
static void to_edges(uint8_t *map, size_t n)
{
	for (size_t i = 0; i < n; i++)
		map[i] = map[i] != 0;
}

/*
 * Runs one candidate and says whether it behaves as the input did. Costs
 * one run plus, in non-crash mode, one classify pass and one compare over
 * the map. A timeout is never the same (afl-tmin), nor is a crash in
 * non-crash mode.
 */
static int same(struct tmin *m, const uint8_t *buf, size_t len)
{
	struct run_result r;
	int err = target_run(&m->t, buf, len, &r);
	if (err)
		die("cannot run target '%s': %s", m->t.argv[0], ferret_strerror(err));
	m->execs++;
	if (r.kind == RUN_HANG) {
		m->fruitless_hang++;
		return 0;
	}
	if (m->crash_mode) {
		if (crashed(m, &r) && same_crash(&m->want, &r))
			return 1;
		m->fruitless_crash++;
		return 0;
	}
	if (crashed(m, &r)) {
		m->fruitless_crash++;
		return 0;
	}
	cov_classify(m->t.map, m->t.map_bytes);
	if (m->edges_only)
		to_edges(m->t.map, m->t.map_bytes);
	if (!memcmp(m->t.map, m->want_map, m->t.map_bytes))
		return 1;
	m->fruitless_map++;
	return 0;
}

static size_t next_pow2(size_t n)
{
	size_t p = 1;
	while (p < n)
		p <<= 1;
	return p;
}

/*
 * Stage 1: deletes blocks, from len/16 (a power of two) down to one byte.
 * A block equal to the one just before it, which could not be deleted,
 * is skipped (afl-tmin's shortcut for runs of one byte). Returns whether
 * anything was deleted; tmp has room for *len bytes.
 */
static int delete_blocks(struct tmin *m, uint8_t *buf, size_t *len, uint8_t *tmp)
{
	int changed = 0;
	size_t before = *len;
	printf("[*] Stage #1: removing blocks of data...\n");
	for (size_t del = next_pow2(*len / TMIN_DEL_STEPS); del >= 1; del /= 2) {
		printf("    block length = %zu, remaining size = %zu\n", del, *len);
		int failed_prev = 0;
		for (size_t pos = 0; pos < *len;) {
			size_t n = del < *len - pos ? del : *len - pos;
			if (failed_prev && pos >= del && !memcmp(buf + pos - del, buf + pos, n)) {
				pos += del;
				continue;
			}
			memcpy(tmp, buf, pos);
			memcpy(tmp + pos, buf + pos + n, *len - pos - n);
			if (same(m, tmp, *len - n)) {
				*len -= n;
				memcpy(buf, tmp, *len);
				changed = 1;
				failed_prev = 0;
			} else {
				pos += del;
				failed_prev = 1;
			}
		}
		if (del == 1)
			break;
	}
	printf("[+] Block removal complete, %zu bytes deleted.\n", before - *len);
	return changed;
}

/* Stage 2: each distinct byte value, all occurrences at once, to '0'. */
static int minimize_alphabet(struct tmin *m, uint8_t *buf, size_t len, uint8_t *tmp)
{
	size_t count[256] = {0}, symbols = 0, replaced = 0, bytes = 0;
	for (size_t i = 0; i < len; i++)
		symbols += !count[buf[i]]++;
	printf("[*] Stage #2: minimizing symbols (%zu code points)...\n", symbols);
	for (int c = 0; c < 256; c++) {
		if (c == TMIN_FILL || !count[c])
			continue;
		memcpy(tmp, buf, len);
		for (size_t i = 0; i < len; i++)
			if (tmp[i] == c)
				tmp[i] = TMIN_FILL;
		if (same(m, tmp, len)) {
			memcpy(buf, tmp, len);
			replaced++;
			bytes += count[c];
		}
	}
	printf("[+] Symbol minimization finished, %zu symbols (%zu bytes) replaced.\n", replaced,
	       bytes);
	return replaced > 0;
}

/* Stage 3: each byte on its own to '0'. */
static int minimize_chars(struct tmin *m, uint8_t *buf, size_t len)
{
	size_t replaced = 0;
	printf("[*] Stage #3: character minimization...\n");
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == TMIN_FILL)
			continue;
		uint8_t old = buf[i];
		buf[i] = TMIN_FILL;
		if (same(m, buf, len))
			replaced++;
		else
			buf[i] = old;
	}
	printf("[+] Character minimization done, %zu bytes replaced.\n", replaced);
	return replaced > 0;
}

/* The passes: all three stages again while any of them changed the input. */
static void minimize(struct tmin *m, uint8_t *buf, size_t *len)
{
	uint8_t *tmp = malloc(*len ? *len : 1);
	if (!tmp)
		die("out of memory");
	for (int pass = 1;; pass++) {
		printf("[*] --- Pass #%d ---\n", pass);
		int changed = delete_blocks(m, buf, len, tmp);
		changed |= minimize_alphabet(m, buf, *len, tmp);
		changed |= minimize_chars(m, buf, *len);
		fflush(stdout);
		if (!changed)
			break;
	}
	free(tmp);
}

/* The dry run: decides the mode from how the input itself behaves. */
static void dry_run(struct tmin *m, const uint8_t *buf, size_t len, const char *in)
{
	struct run_result r;
	int err = target_run(&m->t, buf, len, &r);
	if (err)
		die("cannot run target '%s': %s", m->t.argv[0], ferret_strerror(err));
	m->execs++;
	char how[64];
	target_describe(&r, how, sizeof(how));
	if (r.kind == RUN_HANG)
		die("the input '%s' times out (%u ms); -t may help", in, m->t.timeout_ms);
	if (crashed(m, &r)) {
		m->crash_mode = 1;
		m->want = r;
		printf("[+] The target crashes: %s; crash mode: keeping that crash.\n", how);
		return;
	}
	m->want_map = malloc(m->t.map_bytes);
	if (!m->want_map)
		die("out of memory");
	cov_classify(m->t.map, m->t.map_bytes);
	if (m->edges_only)
		to_edges(m->t.map, m->t.map_bytes);
	memcpy(m->want_map, m->t.map, m->t.map_bytes);
	printf("[+] The target does not crash: %s; keeping its %s (%u edges).\n", how,
	       m->edges_only ? "edges" : "coverage map",
	       cov_count_edges(m->want_map, m->t.map_bytes));
}

int cmd_tmin(int argc, char **argv)
{
	const char *in = NULL, *out = NULL;
	struct replay_args a;
	memset(&a, 0, sizeof(a));
	a.timeout_ms = CFG_DEFAULT_TIMEOUT_MS;
	struct tmin m;
	memset(&m, 0, sizeof(m));
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
			a.timeout_ms = (uint32_t)replay_number(s, argv[i + 1], UINT32_MAX);
			i++;
			break;
		case 'm':
			if (argv[i + 1] && !strcmp(argv[i + 1], "none"))
				a.mem_limit_mb = 0;
			else
				a.mem_limit_mb = replay_number(s, argv[i + 1], 1ull << 40);
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
	char **prog = argv + i + 1;
	int nprog = argc - i - 1, has_at = 0;
	for (int j = 0; j < nprog; j++)
		has_at |= strstr(prog[j], "@@") != NULL;
	char **args = calloc((size_t)nprog + 2, sizeof(char *));
	if (!args)
		die("out of memory");
	memcpy(args, prog, (size_t)nprog * sizeof(char *));
	if (!access(prog[0], R_OK) && replay_is_libfuzzer(prog[0])) {
		m.exit_is_crash = 1;
		if (!has_at)
			args[nprog] = "@@";
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
	dry_run(&m, buf, len, in);
	size_t orig = len;
	minimize(&m, buf, &len);

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
	free(m.want_map);
	free(args);
	free(buf);
	return 0;
}
