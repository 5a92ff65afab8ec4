/*
 * tests.c - main() of a binary holding FERRET_TESTs (linked like a harness,
 * with `ferret-cc --fuzzer`):
 *
 *   ./tests                       run every test on its saved corpus, then
 *                                 on generated examples
 *   ./tests --list                list the tests
 *   ./tests --fuzz NAME [-V SECONDS] [-seed=N] [-runs=N] [libFuzzer flags]
 *   ./tests --run NAME FILE...    replay value streams
 *   ./tests --shrink NAME FILE    shrink a failing stream
 *   options first: --dir DIR, --timeout SECONDS, --examples N,
 *   --budget SECONDS, --seed N, --tap
 *
 * A test's corpus lives in testdata/NAME/ under the current directory (as
 * Go keeps testdata/fuzz/FuzzX), or under --dir DIR. Fuzzing uses the
 * supervisor and worker of the libFuzzer driver, with value-level mutation
 * and passive minimization; failures are saved there as crash-<sha1>
 * streams (timeout-/oom- for those), so the next plain ./tests replays them.
 * Every replay and every shrinking try runs in a watched child
 * (src/exec/child.c) with a per-input timeout: --timeout SECONDS, else
 * $FERRET_TEST_TIMEOUT, else CFG_TEST_TIMEOUT_SEC (10 s); 0 means none.
 *
 * Plain ./tests runs each test on the empty stream, its FERRET_EXAMPLEs,
 * its saved corpus, then on N generated examples (Hypothesis's
 * max_examples, default 100): example k is a stream with no values and a
 * seed from the test's name, k and --seed, so every value is fresh and the
 * same in every run; a time budget per test may stop generation early but
 * never changes which stream example k is. A failing example is shrunk,
 * saved as testdata/NAME/crash-<sha1> (the shrunk stream only) and replayed
 * by every later ./tests. Each failure prints the values the test drew,
 * as `ferret show` renders them (src/vsprint.c), in text or TAP 13.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "artifact.h"
#include "child.h"
#include "config.h"
#include "inproc.h"
#include "log.h"
#include "options.h"
#include "sha1.h"
#include "shrink.h"
#include "smith.h"
#include "store.h"
#include "supervisor.h"
#include "tests.h"
#include "valstream.h"
#include "vsprint.h"
#include "worker.h"
#include "banned.h"

/* The environment variables behind the options of the same meaning. */
#define TEST_TIMEOUT_ENV "FERRET_TEST_TIMEOUT"   /* --timeout SECONDS */
#define TEST_EXAMPLES_ENV "FERRET_TEST_EXAMPLES" /* --examples N */
#define TEST_BUDGET_ENV "FERRET_TEST_BUDGET"     /* --budget SECONDS */
#define TEST_SEED_ENV "FERRET_TEST_SEED"         /* --seed N */
#define TEST_FORMAT_ENV "FERRET_TEST_FORMAT"     /* "tap": --tap */

static const char *data_dir = "testdata";
static uint64_t timeout_s = CFG_TEST_TIMEOUT_SEC;
static uint64_t n_examples = CFG_TEST_EXAMPLES; /* generated per test */
static uint64_t budget_s = CFG_TEST_BUDGET_SEC; /* generation time per test; 0: none */
static uint64_t base_seed;                      /* --seed: mixed into every example's seed */
static int tap;                                 /* the report in TAP version 13 */

static char *corpus_dir(const char *name)
{
	char *d = path_join(data_dir, name);
	if (!d)
		die("out of memory");
	return d;
}

static void usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [options]               run every test on its saved corpus and "
		"examples\n"
		"       %s --list                  list the tests\n"
		"       %s [options] --fuzz NAME [-V SECONDS] [libFuzzer flags...]\n"
		"       %s [options] --run NAME FILE...   replay value streams\n"
		"       %s [options] --shrink NAME FILE   shrink a failing stream\n"
		"options: --dir DIR (default testdata): corpora live in DIR/NAME\n"
		"         --timeout SECONDS (default $%s, else %d; 0: none): per input\n"
		"         --examples N (default $%s, else %d): generated examples per test\n"
		"         --budget SECONDS (default $%s, else %d; 0: none): generation time per "
		"test\n"
		"         --seed N (default $%s, else 0): changes every generated example\n"
		"         --tap (or $%s=tap): report in TAP version 13\n",
		prog, prog, prog, prog, prog, TEST_TIMEOUT_ENV, CFG_TEST_TIMEOUT_SEC,
		TEST_EXAMPLES_ENV, CFG_TEST_EXAMPLES, TEST_BUDGET_ENV, CFG_TEST_BUDGET_SEC,
		TEST_SEED_ENV, TEST_FORMAT_ENV);
}

static uint64_t parse_seconds(const char *s, const char *what)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (!*s || *end || *s == '-' || v > 86400ull * 365)
		die("invalid value '%s' for %s: expected seconds", s, what);
	return v;
}

/* A count or a seed: decimal, or hexadecimal after 0x. */
static uint64_t parse_number(const char *s, const char *what)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (!*s || *end || *s == '-' || errno)
		die("invalid value '%s' for %s: expected a number", s, what);
	return v;
}

static int parse_format(const char *s, const char *what)
{
	if (strcmp(s, "tap") && strcmp(s, "text"))
		die("invalid value '%s' for %s: expected tap or text", s, what);
	return !strcmp(s, "tap");
}

/*
 * Runs test i on data in a watched child (the per-input timeout on wall
 * time, libFuzzer's default RSS limit, the process group killed) and fills
 * *r. With log, the values the test consumed are logged there (shared
 * memory). quiet silences the child's stderr. Returns 0 when the test
 * passed, 1 when it failed in any way.
 */
static int run_watched(size_t i, const uint8_t *data, size_t len, uint8_t *log,
		       volatile uint32_t *log_len, int quiet, struct child_result *r)
{
	struct child_watch w = {
		.timeout_ms = timeout_s * 1000,
		.rss_mb = CFG_TEST_RSS_LIMIT_MB,
	};
	struct child ch;
	pid_t pid = child_fork(&ch, &w);
	if (pid < 0)
		die_errno("cannot fork");
	if (pid == 0) {
		if (quiet) {
			int null = open("/dev/null", O_WRONLY);
			dup2(null, 2);
		}
		ferret__smith_run(i, data, len, log, log ? LF_SLOG_BYTES : 0, log_len);
		_exit(0);
	}
	*r = *child_wait(&ch);
	return !(r->end == CHILD_EXITED && r->exit_code == 0);
}

/* run_watched for the shrinker: silent with a log (its last run), and
 * while quiet_runs is set (the shrinking of a generated example, whose
 * every try would print the same assertion). */
static int quiet_runs;
static int run_test(size_t i, const uint8_t *data, size_t len, uint8_t *log,
		    volatile uint32_t *log_len, struct child_result *r)
{
	return run_watched(i, data, len, log, log_len, log || quiet_runs, r);
}

/* The log every run of plain ./tests writes the values it drew into
 * (shared with the child), allocated once. */
static uint8_t *slog;
static volatile uint32_t *slog_len;

static void slog_init(void)
{
	slog = mmap(NULL, LF_SLOG_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	slog_len = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (slog == MAP_FAILED || slog_len == MAP_FAILED)
		die_errno("cannot map the value log");
}

/* Runs test i on data, logging the values it draws; on a failure, keeps
 * them (malloc'd) in *drawn for the report. Returns what run_watched does. */
static int run_logged(size_t i, const uint8_t *data, size_t len, int quiet, struct child_result *r,
		      uint8_t **drawn, size_t *drawn_len)
{
	*slog_len = 0;
	int bad = run_watched(i, data, len, slog, slog_len, quiet, r);
	if (bad && drawn) {
		size_t n = *slog_len < LF_SLOG_BYTES ? *slog_len : LF_SLOG_BYTES;
		free(*drawn);
		*drawn = malloc(n ? n : 1);
		if (!*drawn)
			die("out of memory");
		memcpy(*drawn, slog, n);
		*drawn_len = n;
	}
	return bad;
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* splitmix64's finalizer: every bit of x moves every bit of the result. */
static uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/*
 * The seed of generated example k (0-based) of the test called name: a
 * hash of the name (FNV-1a, 64-bit), of --seed and of k, never 0 (seed 0
 * makes every value minimal). It depends on nothing else, so example k is
 * the same stream in every run, whatever the budget cut or the other tests.
 */
static uint64_t example_seed(const char *name, uint64_t k)
{
	uint64_t h = 14695981039346656037ull;
	for (const char *p = name; *p; p++)
		h = (h ^ (uint8_t)*p) * 1099511628211ull;
	uint64_t seed = mix64(mix64(h ^ mix64(base_seed)) + k);
	return seed ? seed : 1;
}

/* Values (records other than NAME) in a stream. */
static size_t count_values(const uint8_t *data, size_t len)
{
	struct vs_stream s = {0};
	size_t n = 0;
	vs_decode(&s, data, len);
	for (size_t i = 0; i < s.n; i++)
		n += s.rec[i].kind != FERRET_VS_NAME;
	vs_release(&s);
	return n;
}

/* What plain ./tests found for one test, for the text or TAP report. */
struct outcome {
	int failed;
	struct child_result r;
	char input[4200]; /* the failing input: a path, or what it was */
	int has_path;     /* input is a file that --run replays */
	char found[256];  /* how a generated example failed, or "" */
	uint8_t *drawn;   /* the values the failing run drew (a stream) */
	size_t drawn_len;
	size_t explicit_n, saved, examples; /* inputs run of each kind */
	int cut;                            /* the budget stopped generation */
};

static uint8_t *shrink(size_t test, const uint8_t *data, size_t len, size_t *out_len);

/*
 * Generated example k fails: shrink it (each try silent, in a watched
 * child), save the smallest failing stream in dir as crash-/timeout-/oom-
 * <sha1> (only that one file), and replay it once more out loud, so the
 * assertion is printed and the values drawn are the saved file's. A
 * timeout is neither shrunk (shrink() would refuse after one more run of
 * the whole timeout) nor replayed: its values are those the example drew.
 */
static void keep_failure(size_t i, const char *dir, uint64_t k, uint64_t seed,
			 const struct child_result *first, struct outcome *o)
{
	size_t got = o->drawn_len, small_len = 0;
	int hang = first->end == CHILD_TIMEOUT;
	uint8_t *small = NULL;
	quiet_runs = 1;
	if (!hang)
		small = shrink(i, o->drawn, got, &small_len);
	quiet_runs = 0;
	const uint8_t *keep = small ? small : o->drawn;
	size_t keep_len = small ? small_len : got;
	char sha[41], file[64];
	sha1_hex(keep, keep_len, sha);
	snprintf(file, sizeof(file), "%s-%s",
		 first->end == CHILD_TIMEOUT ? "timeout"
		 : first->end == CHILD_OOM   ? "oom"
					     : "crash",
		 sha);
	int n = snprintf(o->found, sizeof(o->found),
			 "generated example %llu of %llu (seed %016llx), ",
			 (unsigned long long)k + 1, (unsigned long long)n_examples,
			 (unsigned long long)seed);
	if (hang)
		snprintf(o->found + n, sizeof(o->found) - (size_t)n, "not shrunk (a timeout)");
	else
		snprintf(o->found + n, sizeof(o->found) - (size_t)n,
			 "shrunk from %zu to %zu values drawn", count_values(o->drawn, got),
			 count_values(keep, keep_len));
	o->r = *first;
	if (store_mkdirs(dir) || store_write(dir, file, keep, keep_len)) {
		snprintf(o->input, sizeof(o->input),
			 "generated example %llu (cannot save it in %s)", (unsigned long long)k + 1,
			 dir);
		if (small) {
			memcpy(o->drawn, small, small_len < got ? small_len : got);
			o->drawn_len = small_len < got ? small_len : got;
		}
	} else {
		snprintf(o->input, sizeof(o->input), "%s/%s", dir, file);
		o->has_path = 1;
		if (!hang && !run_logged(i, keep, keep_len, 0, &o->r, &o->drawn, &o->drawn_len))
			snprintf(o->found + strlen(o->found), sizeof(o->found) - strlen(o->found),
				 "; its saved stream passed when replayed (does the test "
				 "depend on anything but its values?)");
	}
	free(small);
}

/* Runs test i as plain ./tests does: the empty stream, its FERRET_EXAMPLEs,
 * its saved corpus, then generated examples within the budget, up to the
 * first failure. */
static void run_one(size_t i, struct outcome *o)
{
	const char *name = ferret__test_name(i);
	char *dir = corpus_dir(name);
	char **names = NULL;
	size_t n = 0;
	store_list(dir, &names, &n);
	o->saved = n;
	if (run_logged(i, NULL, 0, 0, &o->r, &o->drawn, &o->drawn_len)) {
		o->failed = 1;
		snprintf(o->input, sizeof(o->input), "the empty stream");
	}
	for (size_t e = 0; e < ferret__example_count() && !o->failed; e++) {
		const struct ferret__example *ex = ferret__example_get(e);
		if (strcmp(ex->test, name))
			continue;
		o->explicit_n++;
		if (run_logged(i, ex->data, ex->len, 0, &o->r, &o->drawn, &o->drawn_len)) {
			o->failed = 1;
			snprintf(o->input, sizeof(o->input), "FERRET_EXAMPLE at %s:%d", ex->file,
				 ex->line);
		}
	}
	for (size_t k = 0; k < n && !o->failed; k++) {
		char *p = path_join(dir, names[k]);
		uint8_t *d;
		size_t len;
		if (!p || store_read(p, CFG_MAX_REPLAY_BYTES, &d, &len, NULL)) {
			free(p);
			continue;
		}
		if (run_logged(i, d, len, 0, &o->r, &o->drawn, &o->drawn_len)) {
			o->failed = 1;
			o->has_path = 1;
			snprintf(o->input, sizeof(o->input), "%s", p);
		}
		free(d);
		free(p);
	}
	uint64_t t0 = now_ms();
	for (uint64_t k = 0; k < n_examples && !o->failed; k++) {
		if (budget_s && k && now_ms() - t0 >= budget_s * 1000) {
			o->cut = 1;
			break;
		}
		uint8_t head[FERRET_VS_HEADER_BYTES];
		uint64_t seed = example_seed(name, k);
		struct child_result r;
		vs_header(head, seed);
		o->examples++;
		if (run_logged(i, head, sizeof(head), 1, &r, &o->drawn, &o->drawn_len)) {
			o->failed = 1;
			keep_failure(i, dir, k, seed, &r, o);
		}
	}
	store_free_list(names, n);
	free(dir);
}

/* s as a YAML double-quoted scalar. */
static void yaml_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\x%02x", (unsigned char)*s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void report_text(const char *prog, const char *name, const struct outcome *o)
{
	char how[128];
	if (!o->failed) {
		printf("ok   %s (", name);
		if (o->explicit_n)
			printf("%zu FERRET_EXAMPLE%s, ", o->explicit_n,
			       o->explicit_n > 1 ? "s" : "");
		printf("%zu saved inputs, ", o->saved);
		if (o->cut)
			printf("%zu of %llu examples: the %llu s budget)\n", o->examples,
			       (unsigned long long)n_examples, (unsigned long long)budget_s);
		else
			printf("%zu examples)\n", o->examples);
		return;
	}
	printf("FAIL %s: %s (%s)\n", name, o->input, child_describe(&o->r, how, sizeof(how)));
	if (*o->found)
		printf("     found:  %s\n", o->found);
	printf("     falsifying example (the values in the order the test drew them):\n");
	vsprint_text(stdout, "     ", o->input, o->drawn, o->drawn_len, NULL);
	if (o->has_path)
		printf("     replay: %s --run %s %s\n     show:   ferret show %s  (--c: as a C "
		       "regression)\n",
		       prog, name, o->input, o->input);
}

static void report_tap(size_t num, const char *prog, const char *name, const struct outcome *o)
{
	char how[128];
	if (!o->failed) {
		printf("ok %zu - %s\n# %s: %zu saved inputs, %zu%s examples\n", num, name, name,
		       o->saved, o->examples, o->cut ? " (budget)" : "");
		return;
	}
	printf("not ok %zu - %s\n  ---\n  message: ", num, name);
	yaml_str(child_describe(&o->r, how, sizeof(how)));
	printf("\n  severity: fail\n  input: ");
	yaml_str(o->input);
	if (*o->found) {
		printf("\n  found: ");
		yaml_str(o->found);
	}
	if (o->has_path) {
		char replay[4400 * 2];
		snprintf(replay, sizeof(replay), "%s --run %s %s", prog, name, o->input);
		printf("\n  replay: ");
		yaml_str(replay);
	}
	printf("\n  values: |\n");
	vsprint_text(stdout, "    ", o->input, o->drawn, o->drawn_len, NULL);
	printf("  ...\n");
}

static int run_all(const char *prog)
{
	size_t passed = 0, failed = 0, count = ferret__test_count();
	for (size_t e = 0; e < ferret__example_count(); e++) {
		const struct ferret__example *ex = ferret__example_get(e);
		if (ferret__test_find(ex->test) < 0)
			die("FERRET_EXAMPLE at %s:%d names no test '%s'", ex->file, ex->line,
			    ex->test);
	}
	slog_init();
	if (tap)
		printf("TAP version 13\n1..%zu\n", count);
	for (size_t i = 0; i < count; i++) {
		struct outcome o = {0};
		run_one(i, &o);
		if (tap)
			report_tap(i + 1, prog, ferret__test_name(i), &o);
		else
			report_text(prog, ferret__test_name(i), &o);
		o.failed ? failed++ : passed++;
		free(o.drawn);
		fflush(stdout); /* each line as its test ends, even into a pipe */
	}
	printf("%stests: %zu passed, %zu failed\n", tap ? "# " : "", passed, failed);
	return failed ? 1 : 0;
}

/* The site of a failing FERRET_ASSERT: "file.c:LINE". */
#define FAIL_SITE_BYTES 256

/*
 * One shrinking session: the test, how it failed on the original input,
 * and the shared memory its runs write into (the values consumed, and the
 * site of a failing FERRET_ASSERT, runtime/smith.c).
 */
struct shrink_ctx {
	size_t test;
	struct child_result want;
	char want_site[FAIL_SITE_BYTES];
	char *site; /* MAP_SHARED, FAIL_SITE_BYTES */
	uint8_t *log;
	volatile uint32_t *log_len;
};

/* Whether test x->test fails on data the same way as on the original
 * input: the same ending, signal and exit code, and the same assertion
 * site (both empty when no FERRET_ASSERT failed). The run's stderr is
 * silenced; what it consumed is left in x->log. */
static int fails_same(void *ctx, const uint8_t *data, size_t len)
{
	struct shrink_ctx *x = ctx;
	struct child_result r;
	x->site[0] = 0;
	*x->log_len = 0;
	return run_test(x->test, data, len, x->log, x->log_len, &r) && r.end == x->want.end &&
	       r.signal == x->want.signal && r.exit_code == x->want.exit_code &&
	       !strncmp(x->site, x->want_site, FAIL_SITE_BYTES);
}

/* The stream the last run consumed, unless the log may have filled. */
static const uint8_t *consumed(void *ctx, size_t *len)
{
	struct shrink_ctx *x = ctx;
	uint32_t n = *x->log_len;
	if (n + CFG_SHRINK_LOG_SLACK > LF_SLOG_BYTES)
		return NULL;
	*len = n;
	return x->log;
}

/*
 * Shrinks a failing stream on its values with src/core/shrink.c (deletes
 * runs of values and whole loop iterations, lowers integers and bytes by
 * binary search and by one, shortens bytes, sorts blocks) while the test
 * fails the same way (fails_same). Each try is one watched run. Returns
 * the consumed stream of the smallest failing input (malloc'd, with NAME
 * records), or NULL when the input does not fail or cannot be shrunk. A
 * timeout is not shrunk: every try that still hangs would cost the whole
 * timeout.
 */
static uint8_t *shrink(size_t test, const uint8_t *data, size_t len, size_t *out_len)
{
	struct shrink_ctx x = {.test = test};
	char how[128];
	uint8_t *result = NULL;
	x.site = mmap(NULL, FAIL_SITE_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1,
		      0);
	x.log = mmap(NULL, LF_SLOG_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1,
		     0);
	x.log_len = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (x.site == MAP_FAILED || x.log == MAP_FAILED || x.log_len == MAP_FAILED)
		die_errno("cannot map shared memory");
	ferret__smith_fail_site(x.site, FAIL_SITE_BYTES);
	x.site[0] = 0;
	if (!run_test(test, data, len, NULL, NULL, &x.want))
		goto out;
	if (x.want.end == CHILD_TIMEOUT) {
		fprintf(stderr, "ferret: not shrinking a %s: each try would take as long\n",
			child_describe(&x.want, how, sizeof(how)));
		goto out;
	}
	memcpy(x.want_site, x.site, FAIL_SITE_BYTES);
	x.want_site[FAIL_SITE_BYTES - 1] = 0;
	struct shrink_oracle o = {.fails = fails_same, .consumed = consumed, .ctx = &x};
	struct shrink_stats st;
	uint8_t *small;
	size_t n;
	if (shrink_stream(&o, CFG_SHRINK_MAX_TRIES, data, len, &small, &n, &st)) {
		fprintf(stderr, "ferret: cannot shrink: not a value stream\n");
		goto out;
	}
	/* One last run: keep what the test consumed, NAME records with it. */
	if (fails_same(&x, small, n)) {
		uint32_t got = *x.log_len < LF_SLOG_BYTES ? *x.log_len : LF_SLOG_BYTES;
		if (got > FERRET_VS_HEADER_BYTES && (result = malloc(got))) {
			memcpy(result, x.log, got);
			*out_len = got;
		}
	}
	free(small);
	fprintf(stderr, "ferret: shrunk the failing input from %zu to %zu values in %zu runs%s\n",
		st.values_before, st.values_after, st.tries,
		st.capped ? " (stopped at the cap of runs: maybe not minimal)" : "");
out:
	ferret__smith_fail_site(NULL, 0);
	munmap(x.site, FAIL_SITE_BYTES);
	munmap(x.log, LF_SLOG_BYTES);
	munmap((void *)x.log_len, 4096);
	return result;
}

/* Shrinks the crash file at path in place of itself (new sha1 name).
 * When the shrunk stream, as the test consumed it, is no shorter (block
 * mutations find failures with near-minimal streams: a value missing
 * from the shrunk input is still consumed, as its minimal value), the
 * crash file stays as it is; either way the line names the file kept. */
static void shrink_file(size_t test, const char *path, const char *dir)
{
	uint8_t *d;
	size_t len, n = 0;
	if (store_read(path, CFG_MAX_REPLAY_BYTES, &d, &len, NULL))
		return;
	uint8_t *small = shrink(test, d, len, &n);
	if (small && (n != len || memcmp(small, d, n))) {
		char sha[41], name[64];
		sha1_hex(small, n, sha);
		snprintf(name, sizeof(name), "crash-%s", sha);
		char *saved = path_join(dir, name);
		if (saved && !store_write(dir, name, small, n)) {
			if (strcmp(saved, path))
				unlink(path);
			fprintf(stderr, "ferret: failing input saved as %s\n", saved);
		}
		free(saved);
	} else {
		fprintf(stderr, "ferret: failing input saved as %s\n", path);
	}
	free(small);
	free(d);
}

static long find_test(const char *name)
{
	long i = ferret__test_find(name);
	if (i < 0)
		die("no test named '%s' (see --list)", name);
	return i;
}

int lf_tests_main(int argc, char **argv)
{
	log_prog = "ferret";
	const char *env = getenv(TEST_TIMEOUT_ENV);
	if (env && *env)
		timeout_s = parse_seconds(env, "$" TEST_TIMEOUT_ENV);
	if ((env = getenv(TEST_EXAMPLES_ENV)) && *env)
		n_examples = parse_number(env, "$" TEST_EXAMPLES_ENV);
	if ((env = getenv(TEST_BUDGET_ENV)) && *env)
		budget_s = parse_seconds(env, "$" TEST_BUDGET_ENV);
	if ((env = getenv(TEST_SEED_ENV)) && *env)
		base_seed = parse_number(env, "$" TEST_SEED_ENV);
	if ((env = getenv(TEST_FORMAT_ENV)) && *env)
		tap = parse_format(env, "$" TEST_FORMAT_ENV);
	int a = 1;
	for (;;) {
		if (a + 1 < argc && !strcmp(argv[a], "--dir")) {
			data_dir = argv[a + 1];
			a += 2;
		} else if (a + 1 < argc && !strcmp(argv[a], "--timeout")) {
			timeout_s = parse_seconds(argv[a + 1], "--timeout");
			a += 2;
		} else if (a + 1 < argc && !strcmp(argv[a], "--examples")) {
			n_examples = parse_number(argv[a + 1], "--examples");
			a += 2;
		} else if (a + 1 < argc && !strcmp(argv[a], "--budget")) {
			budget_s = parse_seconds(argv[a + 1], "--budget");
			a += 2;
		} else if (a + 1 < argc && !strcmp(argv[a], "--seed")) {
			base_seed = parse_number(argv[a + 1], "--seed");
			a += 2;
		} else if (a < argc && !strcmp(argv[a], "--tap")) {
			tap = 1;
			a++;
		} else {
			break;
		}
	}
	if (a >= argc)
		return run_all(argv[0]);
	if (!strcmp(argv[a], "--help") || !strcmp(argv[a], "-h")) {
		usage(argv[0]);
		return 0;
	}
	if (!strcmp(argv[a], "--list")) {
		for (size_t i = 0; i < ferret__test_count(); i++)
			printf("%s\n", ferret__test_name(i));
		return 0;
	}
	if (!strcmp(argv[a], "--shrink")) {
		if (a + 2 >= argc)
			die("usage: %s --shrink NAME FILE", argv[0]);
		long t = find_test(argv[a + 1]);
		char *dir = corpus_dir(argv[a + 1]);
		store_mkdirs(dir);
		shrink_file((size_t)t, argv[a + 2], dir);
		return 0;
	}
	if (!strcmp(argv[a], "--run")) {
		if (a + 2 >= argc)
			die("usage: %s --run NAME FILE...", argv[0]);
		long t = find_test(argv[a + 1]);
		for (int k = a + 2; k < argc; k++) {
			uint8_t *d;
			size_t len;
			if (store_read(argv[k], CFG_MAX_REPLAY_BYTES, &d, &len, NULL))
				return 1;
			struct vs_stream vs = {0};
			int bad = vs_decode(&vs, d, len);
			vs_release(&vs);
			if (bad) { /* a test would run on what came before the damage */
				fprintf(stderr,
					"ferret: '%s' is not a value stream (damaged, or not "
					"written "
					"by ferret)\n",
					argv[k]);
				return 1;
			}
			fprintf(stderr, "Running: %s\n", argv[k]);
			struct child_result r;
			char how[128];
			uint8_t *drawn = NULL;
			size_t drawn_len = 0;
			if (!slog)
				slog_init();
			if (run_logged((size_t)t, d, len, 0, &r, &drawn, &drawn_len)) {
				fprintf(stderr, "Failed: %s (%s)\n", argv[k],
					child_describe(&r, how, sizeof(how)));
				fprintf(stderr, "the values the test drew, in order:\n");
				vsprint_text(stderr, "  ", argv[k], drawn, drawn_len, NULL);
				free(drawn);
				return 1;
			}
			fprintf(stderr, "Passed: %s\n", argv[k]);
			free(d);
		}
		return 0;
	}
	if (!strcmp(argv[a], "--fuzz")) {
		if (a + 1 >= argc)
			die("usage: %s --fuzz NAME [-V SECONDS] [flags]", argv[0]);
		long t = find_test(argv[a + 1]);
		/* The rest are libFuzzer flags; -V SECONDS is max_total_time. The
		 * test timeout comes first, so a -timeout given here wins. */
		char **fargv = calloc((size_t)argc + 3, sizeof(char *));
		if (!fargv)
			die("out of memory");
		int fargc = 0;
		fargv[fargc++] = argv[0];
		char vbuf[64], tbuf[64];
		snprintf(tbuf, sizeof(tbuf), "-timeout=%llu", (unsigned long long)timeout_s);
		fargv[fargc++] = tbuf;
		for (int k = a + 2; k < argc; k++) {
			if (!strcmp(argv[k], "-V") && k + 1 < argc) {
				snprintf(vbuf, sizeof(vbuf), "-max_total_time=%s", argv[++k]);
				fargv[fargc++] = vbuf;
			} else {
				fargv[fargc++] = argv[k];
			}
		}
		struct lf_opts o;
		lf_parse(&o, fargc, fargv);
		o.smith_test = t;
		timeout_s = o.timeout > 0 ? (uint64_t)o.timeout : 0; /* shrinking uses it too */
		char *dir = corpus_dir(argv[a + 1]);
		if (store_mkdirs(dir))
			return 1;
		o.dirs[0] = dir;
		o.n_dirs = 1;
		static char prefix[4096];
		snprintf(prefix, sizeof(prefix), "%s/", dir);
		if (!*o.artifact_prefix)
			o.artifact_prefix = prefix;
		if (o.max_len <= 0)
			o.max_len = 1 << 20;
		o.use_cmp = o.use_cmp ? 1 : 0;
		int rc = lf_supervise(&o, lf_worker);
		if (rc && *artifact_last()) {
			shrink_file((size_t)t, artifact_last(), dir);
			fprintf(stderr,
				"ferret: replay with '%s --run %s FILE', read with "
				"'ferret show FILE'\n",
				argv[0], argv[a + 1]);
		}
		return rc;
	}
	usage(argv[0]);
	return 1;
}
