/*
 * tests.c - main() of a binary holding FERRET_TESTs (linked like a harness,
 * with `ferret-cc --fuzzer`):
 *
 *   ./tests                       run every test on its saved corpus
 *   ./tests --list                list the tests
 *   ./tests --fuzz NAME [-V SECONDS] [-seed=N] [-runs=N] [libFuzzer flags]
 *   ./tests --run NAME FILE...    replay value streams
 *
 * A test's corpus lives in testdata/NAME/ under the current directory (as
 * Go keeps testdata/fuzz/FuzzX), or under --dir DIR. Fuzzing uses the
 * supervisor and worker of the libFuzzer driver, with value-level mutation
 * and passive minimization; failures are saved there as crash-<sha1>
 * streams, so the next plain ./tests replays them.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <sys/mman.h>

#include "driver.h"
#include "sha1.h"
#include "valstream.h"
#include "log.h"
#include "smith.h"
#include "store.h"

static const char *data_dir = "testdata";

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
		"usage: %s                         run every test on its saved corpus\n"
		"       %s --list                  list the tests\n"
		"       %s --fuzz NAME [-V SECONDS] [libFuzzer flags...]\n"
		"       %s --run NAME FILE...      replay value streams\n"
		"options: --dir DIR (default testdata): corpora live in DIR/NAME\n",
		prog, prog, prog, prog);
}

/* Runs test i on data in a child; 0 when it passed, else the wait status. */
static int run_child(size_t i, const uint8_t *data, size_t len)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		ferret__smith_run(i, data, len, NULL, 0, NULL);
		_exit(0);
	}
	int status;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : (status ? status : 1);
}

static void describe(int status, char *out, size_t cap)
{
	if (WIFSIGNALED(status))
		snprintf(out, cap, "signal %d (SIG%s)", WTERMSIG(status),
			 sigabbrev_np(WTERMSIG(status)) ? sigabbrev_np(WTERMSIG(status)) : "?");
	else
		snprintf(out, cap, "exit %d", WEXITSTATUS(status));
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
		int bad = run_child(i, NULL, 0);
		char how[64];
		if (bad) {
			describe(bad, how, sizeof(how));
			printf("FAIL %s: the empty stream fails (%s)\n", name, how);
		}
		for (size_t k = 0; k < n && !bad; k++) {
			char *p = path_join(dir, names[k]);
			uint8_t *d;
			size_t len;
			if (!p || store_read(p, 1u << 30, &d, &len, NULL)) {
				free(p);
				continue;
			}
			bad = run_child(i, d, len);
			if (bad) {
				describe(bad, how, sizeof(how));
				printf("FAIL %s: %s (%s)\n     replay: %s --run %s %s\n     show:   "
				       "ferret show %s\n",
				       name, p, how, prog, name, p, p);
			}
			free(d);
			free(p);
		}
		if (!bad)
			printf("ok   %s (%zu saved inputs)\n", name, n);
		bad ? failed++ : passed++;
		store_free_list(names, n);
		free(dir);
	}
	printf("tests: %zu passed, %zu failed\n", passed, failed);
	return failed ? 1 : 0;
}

/* Whether test i fails on data the same way (same signal or exit code). */
static int fails_same(size_t i, const uint8_t *data, size_t len, int want)
{
	return run_child(i, data, len) == want;
}

/*
 * Shrinks a failing stream on its values, as Hypothesis shrinks a choice
 * sequence: delete runs of values (halves down to single ones), then lower
 * each integer to 0 or halve it, then cut byte values, while the failure
 * stays the same. Each try is one forked run. Returns the consumed stream
 * of the smallest failing input (malloc'd), or NULL if nothing shrank.
 */
static uint8_t *shrink(size_t test, const uint8_t *data, size_t len, size_t *out_len)
{
	int want = run_child(test, data, len);
	if (!want)
		return NULL;
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
				if (fails_same(test, buf, n, want)) {
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
				if (fails_same(test, buf, n, want)) {
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
	volatile uint32_t *log_len = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
					  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	uint8_t *result = NULL;
	if (log != MAP_FAILED && log_len != MAP_FAILED) {
		*log_len = 0;
		fflush(NULL);
		pid_t pid = fork();
		if (pid == 0) {
			int null = open("/dev/null", O_WRONLY);
			dup2(null, 2);
			ferret__smith_run(test, buf, n, log, LF_SLOG_BYTES, log_len);
			_exit(0);
		}
		waitpid(pid, NULL, 0);
		if (*log_len > 12 && (result = malloc(*log_len))) {
			memcpy(result, log, *log_len);
			*out_len = *log_len;
		}
	}
	fprintf(stderr, "ferret: shrunk the failing input from %zu to %zu values in %zu runs\n",
		before, s.n, tries);
	free(buf);
	vs_release(&s);
	vs_release(&c);
	return result;
}

/* Shrinks the crash file at path in place of itself (new sha1 name). */
static void shrink_file(size_t test, const char *path, const char *dir)
{
	uint8_t *d;
	size_t len, n = 0;
	if (store_read(path, 1u << 30, &d, &len, NULL))
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
	int a = 1;
	if (a + 1 < argc && !strcmp(argv[a], "--dir")) {
		data_dir = argv[a + 1];
		a += 2;
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
			if (store_read(argv[k], 1u << 30, &d, &len, NULL))
				return 1;
			fprintf(stderr, "Running: %s\n", argv[k]);
			ferret__smith_run((size_t)t, d, len, NULL, 0, NULL);
			fprintf(stderr, "Passed: %s\n", argv[k]);
			free(d);
		}
		return 0;
	}
	if (!strcmp(argv[a], "--fuzz")) {
		if (a + 1 >= argc)
			die("usage: %s --fuzz NAME [-V SECONDS] [flags]", argv[0]);
		long t = find_test(argv[a + 1]);
		/* The rest are libFuzzer flags; -V SECONDS is max_total_time. */
		char **fargv = calloc((size_t)argc + 2, sizeof(char *));
		int fargc = 0;
		fargv[fargc++] = argv[0];
		char vbuf[64];
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
		int rc = lf_supervise(&o);
		if (rc && lf_last_artifact[0]) {
			shrink_file((size_t)t, lf_last_artifact, dir);
			fprintf(stderr, "ferret: replay with '%s --run %s FILE', read with "
					"'ferret show FILE'\n",
				argv[0], argv[a + 1]);
		}
		return rc;
	}
	usage(argv[0]);
	return 1;
}
