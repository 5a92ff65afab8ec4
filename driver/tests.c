/*
 * tests.c - main() of a binary holding FERRET_TESTs (linked like a harness,
 * with `ferret-cc --fuzzer`):
 *
 *   ./tests                       run every test on its saved corpus
 *   ./tests --list                list the tests
 *   ./tests --fuzz NAME [-V SECONDS] [-seed=N] [-runs=N] [libFuzzer flags]
 *   ./tests --run NAME FILE...    replay value streams
 *   ./tests --shrink NAME FILE    shrink a failing stream
 *   options first: --dir DIR, --timeout SECONDS
 *
 * A test's corpus lives in testdata/NAME/ under the current directory (as
 * Go keeps testdata/fuzz/FuzzX), or under --dir DIR. Fuzzing uses the
 * supervisor and worker of the libFuzzer driver, with value-level mutation
 * and passive minimization; failures are saved there as crash-<sha1>
 * streams (timeout-/oom- for those), so the next plain ./tests replays them.
 * Every replay and every shrinking try runs in a watched child
 * (src/exec/child.c) with a per-input timeout: --timeout SECONDS, else
 * $FERRET_TEST_TIMEOUT, else CFG_TEST_TIMEOUT_SEC (10 s); 0 means none.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "artifact.h"
#include "child.h"
#include "config.h"
#include "inproc.h"
#include "log.h"
#include "options.h"
#include "sha1.h"
#include "smith.h"
#include "store.h"
#include "supervisor.h"
#include "tests.h"
#include "valstream.h"
#include "worker.h"
#include "banned.h"

/* The environment variable that sets the per-input timeout (seconds). */
#define TEST_TIMEOUT_ENV "FERRET_TEST_TIMEOUT"

static const char *data_dir = "testdata";
static uint64_t timeout_s = CFG_TEST_TIMEOUT_SEC;

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
		"usage: %s [options]               run every test on its saved corpus\n"
		"       %s --list                  list the tests\n"
		"       %s [options] --fuzz NAME [-V SECONDS] [libFuzzer flags...]\n"
		"       %s [options] --run NAME FILE...   replay value streams\n"
		"       %s [options] --shrink NAME FILE   shrink a failing stream\n"
		"options: --dir DIR (default testdata): corpora live in DIR/NAME\n"
		"         --timeout SECONDS (default $%s, else %d; 0: none): per input\n",
		prog, prog, prog, prog, prog, TEST_TIMEOUT_ENV, CFG_TEST_TIMEOUT_SEC);
}

static uint64_t parse_seconds(const char *s, const char *what)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (!*s || *end || *s == '-' || v > 86400ull * 365)
		die("invalid value '%s' for %s: expected seconds", s, what);
	return v;
}

/*
 * Runs test i on data in a watched child (the per-input timeout on wall
 * time, libFuzzer's default RSS limit, the process group killed) and fills
 * *r. With log, the values the test consumed are logged there (shared
 * memory) and the child's stderr is silenced. Returns 0 when the test
 * passed, 1 when it failed in any way.
 */
static int run_test(size_t i, const uint8_t *data, size_t len, uint8_t *log,
		    volatile uint32_t *log_len, struct child_result *r)
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
		if (log) {
			int null = open("/dev/null", O_WRONLY);
			dup2(null, 2);
		}
		ferret__smith_run(i, data, len, log, log ? LF_SLOG_BYTES : 0, log_len);
		_exit(0);
	}
	*r = *child_wait(&ch);
	return !(r->end == CHILD_EXITED && r->exit_code == 0);
}

static int run_all(const char *prog)
{
	size_t passed = 0, failed = 0;
	for (size_t i = 0; i < ferret__test_count(); i++) {
		const char *name = ferret__test_name(i);
		char *dir = corpus_dir(name);
		char **names = NULL;
		size_t n = 0;
		store_list(dir, &names, &n);
		struct child_result r;
		char how[128];
		int bad = run_test(i, NULL, 0, NULL, NULL, &r);
		if (bad)
			printf("FAIL %s: the empty stream fails (%s)\n", name,
			       child_describe(&r, how, sizeof(how)));
		for (size_t k = 0; k < n && !bad; k++) {
			char *p = path_join(dir, names[k]);
			uint8_t *d;
			size_t len;
			if (!p || store_read(p, CFG_MAX_REPLAY_BYTES, &d, &len, NULL)) {
				free(p);
				continue;
			}
			bad = run_test(i, d, len, NULL, NULL, &r);
			if (bad)
				printf("FAIL %s: %s (%s)\n     replay: %s --run %s %s\n     show:  "
				       " "
				       "ferret show %s\n",
				       name, p, child_describe(&r, how, sizeof(how)), prog, name, p,
				       p);
			free(d);
			free(p);
		}
		if (!bad)
			printf("ok   %s (%zu saved inputs)\n", name, n);
		bad ? failed++ : passed++;
		fflush(stdout); /* each line as its test ends, even into a pipe */
		store_free_list(names, n);
		free(dir);
	}
	printf("tests: %zu passed, %zu failed\n", passed, failed);
	return failed ? 1 : 0;
}

/* Whether test i fails on data the same way as want (the same ending,
 * signal and exit code). */
static int fails_same(size_t i, const uint8_t *data, size_t len, const struct child_result *want)
{
	struct child_result r;
	return run_test(i, data, len, NULL, NULL, &r) && r.end == want->end &&
	       r.signal == want->signal && r.exit_code == want->exit_code;
}

/*
 * Shrinks a failing stream on its values, as Hypothesis shrinks a choice
 * sequence: delete runs of values (halves down to single ones), then lower
 * each integer to 0 or halve it, then cut byte values, while the failure
 * stays the same. Each try is one watched run. Returns the consumed stream
 * of the smallest failing input (malloc'd), or NULL if nothing shrank. A
 * timeout is not shrunk: every try that still hangs would cost the whole
 * timeout.
 */
static uint8_t *shrink(size_t test, const uint8_t *data, size_t len, size_t *out_len)
{
	struct child_result want;
	char how[128];
	if (!run_test(test, data, len, NULL, NULL, &want))
		return NULL;
	if (want.end == CHILD_TIMEOUT) {
		fprintf(stderr, "ferret: not shrinking a %s: each try would take as long\n",
			child_describe(&want, how, sizeof(how)));
		return NULL;
	}
	struct vs_stream s = {0}, c = {0};
	vs_decode(&s, data, len);
	size_t w = 0; /* drop NAME records: the final run writes them again */
	for (size_t i = 0; i < s.n; i++)
		if (s.rec[i].kind != FERRET_VS_NAME)
			s.rec[w++] = s.rec[i];
	s.n = w;
	size_t before = s.n, tries = 0;
	s.seed = 0; /* values deleted while shrinking come back minimal */
	uint8_t *buf = malloc(len + 16);
	if (!buf)
		die("out of memory");
	for (int progress = 1; progress && tries < 4000;) {
		progress = 0;
		for (size_t chunk = s.n / 2 ? s.n / 2 : 1; chunk >= 1 && tries < 4000; chunk /= 2) {
			for (size_t at = 0; at + chunk <= s.n && tries < 4000;) {
				c.n = 0;
				c.seed = 0;
				for (size_t i = 0; i < s.n; i++)
					if (i < at || i >= at + chunk)
						vs_push(&c, &s.rec[i]);
				size_t n = vs_encode(&c, buf);
				tries++;
				if (fails_same(test, buf, n, &want)) {
					memmove(&s.rec[at], &s.rec[at + chunk],
						(s.n - at - chunk) * sizeof(*s.rec));
					s.n -= chunk;
					progress = 1;
				} else {
					at += chunk;
				}
			}
			if (chunk == 1)
				break;
		}
		for (size_t i = 0; i < s.n && tries < 4000; i++) {
			struct vs_record *r = &s.rec[i];
			while ((r->kind == FERRET_VS_INT && r->value) ||
			       (r->kind == FERRET_VS_BYTES && r->len)) {
				struct vs_record keep = *r;
				if (r->kind == FERRET_VS_INT)
					r->value = tries & 1 ? r->value >> 1 : 0;
				else
					r->len = r->len / 2;
				size_t n = vs_encode(&s, buf);
				tries++;
				if (fails_same(test, buf, n, &want)) {
					progress = 1;
					continue;
				}
				*r = keep;
				if (r->kind == FERRET_VS_INT && !(tries & 1))
					continue; /* 0 failed; try halving next */
				break;
			}
		}
	}
	size_t n = vs_encode(&s, buf);
	/* One last run with a shared log: keep what the test consumed. */
	uint8_t *log = mmap(NULL, LF_SLOG_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			    -1, 0);
	volatile uint32_t *log_len =
		mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	uint8_t *result = NULL;
	if (log != MAP_FAILED && log_len != MAP_FAILED) {
		*log_len = 0;
		struct child_result r;
		run_test(test, buf, n, log, log_len, &r);
		uint32_t got = *log_len < LF_SLOG_BYTES ? *log_len : LF_SLOG_BYTES;
		if (got > 12 && (result = malloc(got))) {
			memcpy(result, log, got);
			*out_len = got;
		}
	}
	if (log != MAP_FAILED)
		munmap(log, LF_SLOG_BYTES);
	if (log_len != MAP_FAILED)
		munmap((void *)log_len, 4096);
	fprintf(stderr, "ferret: shrunk the failing input from %zu to %zu values in %zu runs\n",
		before, s.n, tries);
	free(buf);
	vs_release(&s);
	vs_release(&c);
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
	if (small && n < len) {
		char sha[41], name[64];
		sha1_hex(small, n, sha);
		snprintf(name, sizeof(name), "crash-%s", sha);
		if (!store_write(dir, name, small, n)) {
			unlink(path);
			fprintf(stderr, "ferret: failing input saved as %s/%s\n", dir, name);
		}
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
	int a = 1;
	for (;;) {
		if (a + 1 < argc && !strcmp(argv[a], "--dir")) {
			data_dir = argv[a + 1];
			a += 2;
		} else if (a + 1 < argc && !strcmp(argv[a], "--timeout")) {
			timeout_s = parse_seconds(argv[a + 1], "--timeout");
			a += 2;
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
			if (run_test((size_t)t, d, len, NULL, NULL, &r)) {
				fprintf(stderr, "Failed: %s (%s)\n", argv[k],
					child_describe(&r, how, sizeof(how)));
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
