/*
 * store_test.c - unit tests of src/store.c, the output directory's file
 * I/O: whole-file atomic writes (no temp file left behind; by directory
 * and name, or by whole path, replacing by rename), bounded reads
 * with the truncation flag, sorted listings of regular files and of
 * directories that skip hidden names, and the OUT/NAME/{queue,crashes,hangs}
 * layout of store_open. Each test works in its own mkdtemp directory, which
 * its teardown removes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errors.h"
#include "rng.h"
#include "store.h"

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static int setup_tmp(void **state)
{
	const char *base = getenv("TMPDIR");
	char tmpl[4096];

	snprintf(tmpl, sizeof(tmpl), "%s/ferret-store-XXXXXX", base && *base ? base : "/tmp");
	char *dir = mkdtemp(tmpl);
	if (!dir)
		return -1;
	*state = strdup(dir);
	return *state ? 0 : -1;
}

static int teardown_tmp(void **state)
{
	int ret = nftw(*state, rm_one, 16, FTW_DEPTH | FTW_PHYS);

	free(*state);
	return ret;
}

/* tmp/name as a malloc'd path. */
static char *at(void **state, const char *name)
{
	char *p = path_join(*state, name);

	assert_non_null(p);
	return p;
}

/* Reads a whole file with stdio, independently of store_read. */
static size_t slurp(const char *path, uint8_t *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");

	assert_non_null(f);
	size_t n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

static void touch(void **state, const char *name)
{
	char *p = at(state, name);
	FILE *f = fopen(p, "w");

	assert_non_null(f);
	fputs(name, f);
	fclose(f);
	free(p);
}

static void mkdir_at(void **state, const char *name)
{
	char *p = at(state, name);

	assert_int_equal(mkdir(p, 0755), 0);
	free(p);
}

static int exists(void **state, const char *name)
{
	char *p = at(state, name);
	int ok = access(p, F_OK) == 0;

	free(p);
	return ok;
}

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void test_path_join(void **state)
{
	char *p = path_join("out", "queue");

	(void)state;
	assert_string_equal(p, "out/queue");
	free(p);
	p = path_join("", "x");
	assert_string_equal(p, "/x");
	free(p);
}

static void test_write_whole_and_atomic(void **state)
{
	uint8_t data[5000], back[8192];
	struct rng r;

	rng_seed(&r, 7);
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)rng_next(&r); /* binary, with NULs */
	assert_int_equal(store_write(*state, "f", data, sizeof(data)), 0);
	char *p = at(state, "f");
	assert_int_equal(slurp(p, back, sizeof(back)), sizeof(data));
	assert_memory_equal(back, data, sizeof(data));
	assert_false(exists(state, ".f.tmp"));

	/*
	 * A shorter write replaces the whole file, by rename: a reader that
	 * opened the old file still sees all of the old content, never a
	 * truncated or mixed one.
	 */
	FILE *old = fopen(p, "rb");
	assert_non_null(old);
	assert_int_equal(store_write(*state, "f", "abc", 3), 0);
	assert_int_equal(fread(back, 1, sizeof(back), old), sizeof(data));
	assert_memory_equal(back, data, sizeof(data));
	fclose(old);
	assert_int_equal(slurp(p, back, sizeof(back)), 3);
	assert_memory_equal(back, "abc", 3);
	assert_false(exists(state, ".f.tmp"));

	/* Empty files are files. */
	assert_int_equal(store_write(*state, "empty", "", 0), 0);
	assert_true(exists(state, "empty"));
	char *pe = at(state, "empty");
	assert_int_equal(slurp(pe, back, sizeof(back)), 0);
	assert_false(exists(state, ".empty.tmp"));

	/* Only the two files: nothing else left in the directory. */
	char **names;
	size_t n;
	char *q = at(state, ".");
	assert_int_equal(store_list(q, &names, &n), 0);
	assert_int_equal(n, 2);
	store_free_list(names, n);
	free(q);
	free(p);
	free(pe);
}

/* store_write_path: a whole path, the temp file beside it; a bare name
 * goes to the current directory; a path naming a directory is refused. */
static void test_write_path(void **state)
{
	uint8_t back[16];
	char *p = at(state, "art"), *keep = at(state, "keep");

	touch(state, "art");
	assert_int_equal(link(p, keep), 0);
	assert_int_equal(store_write_path(p, "new", 3), 0);
	assert_int_equal(slurp(p, back, sizeof(back)), 3);
	assert_memory_equal(back, "new", 3);
	/* replaced by rename: the old file, still linked, is untouched */
	assert_int_equal(slurp(keep, back, sizeof(back)), 3);
	assert_memory_equal(back, "art", 3);
	assert_false(exists(state, ".art.tmp"));

	char cwd[4096];
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(*state), 0);
	int rc = store_write_path("bare", "b", 1);
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(rc, 0);
	assert_true(exists(state, "bare"));
	assert_false(exists(state, ".bare.tmp"));

	char *d = at(state, "sub/");
	assert_int_equal(store_write_path(d, "x", 1), FERRET_EINVAL);
	free(d);
	free(p);
	free(keep);
}

static void test_write_missing_dir(void **state)
{
	char *d = at(state, "nope");

	assert_int_equal(store_write(d, "f", "x", 1), FERRET_EIO);
	assert_false(exists(state, "nope"));
	free(d);
}

static void test_read(void **state)
{
	uint8_t data[100], *got;
	size_t len;
	int trunc;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7);
	assert_int_equal(store_write(*state, "in", data, sizeof(data)), 0);
	char *p = at(state, "in");

	static const size_t maxes[] = {1000, 101, 100};
	for (size_t k = 0; k < sizeof(maxes) / sizeof(maxes[0]); k++) {
		trunc = -1;
		assert_int_equal(store_read(p, maxes[k], &got, &len, &trunc), 0);
		assert_int_equal(len, 100);
		assert_int_equal(trunc, 0);
		assert_memory_equal(got, data, 100);
		free(got);
	}

	trunc = -1;
	assert_int_equal(store_read(p, 10, &got, &len, &trunc), 0);
	assert_int_equal(len, 10);
	assert_int_equal(trunc, 1);
	assert_memory_equal(got, data, 10);
	free(got);

	/* The flag is optional. */
	assert_int_equal(store_read(p, 99, &got, &len, NULL), 0);
	assert_int_equal(len, 99);
	free(got);

	assert_int_equal(store_write(*state, "empty", "", 0), 0);
	char *pe = at(state, "empty");
	assert_int_equal(store_read(pe, 10, &got, &len, &trunc), 0);
	assert_non_null(got);
	assert_int_equal(len, 0);
	assert_int_equal(trunc, 0);
	free(got);

	char *pm = at(state, "missing");
	got = (uint8_t *)p;
	assert_int_equal(store_read(pm, 10, &got, &len, &trunc), FERRET_EIO);
	assert_null(got);
	assert_int_equal(len, 0);
	free(p);
	free(pe);
	free(pm);
}

static void test_list_sorted_regular_visible(void **state)
{
	char **names;
	size_t n;

	touch(state, "b");
	touch(state, "a");
	touch(state, "c10");
	touch(state, "c2");
	touch(state, ".hidden");
	touch(state, ".f.tmp");
	mkdir_at(state, "sub");
	char *link = at(state, "link-to-sub");
	char *sub = at(state, "sub");
	assert_int_equal(symlink(sub, link), 0);

	assert_int_equal(store_list(*state, &names, &n), 0);
	assert_int_equal(n, 4);
	assert_string_equal(names[0], "a");
	assert_string_equal(names[1], "b");
	assert_string_equal(names[2], "c10");
	assert_string_equal(names[3], "c2");
	store_free_list(names, n);
	free(link);
	free(sub);
}

static void test_list_many(void **state)
{
	char name[32], **names;
	size_t n;
	struct rng r;
	int order[100];

	/* Created in a shuffled order, past the initial array capacity. */
	for (int i = 0; i < 100; i++)
		order[i] = i;
	rng_seed(&r, 3);
	for (int i = 99; i > 0; i--) {
		int j = (int)rng_below(&r, (uint64_t)i + 1), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "id:%06d", order[i]);
		touch(state, name);
	}
	assert_int_equal(store_list(*state, &names, &n), 0);
	assert_int_equal(n, 100);
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "id:%06d", i);
		assert_string_equal(names[i], name);
	}
	store_free_list(names, n);
}

static void test_list_empty_and_missing(void **state)
{
	char **names = (char **)state;
	size_t n = 99;

	assert_int_equal(store_list(*state, &names, &n), FERRET_EEMPTY);
	assert_null(names);
	assert_int_equal(n, 0);

	/* Hidden files and directories only: still no files. */
	touch(state, ".hidden");
	mkdir_at(state, "d");
	assert_int_equal(store_list(*state, &names, &n), FERRET_EEMPTY);
	assert_int_equal(n, 0);

	char *missing = at(state, "missing");
	n = 99;
	assert_int_equal(store_list(missing, &names, &n), FERRET_EIO);
	assert_null(names);
	assert_int_equal(n, 0);
	assert_int_equal(store_list_dirs(missing, &names, &n), FERRET_EIO);
	free(missing);
}

static void test_list_dirs(void **state)
{
	char **names;
	size_t n;

	assert_int_equal(store_list_dirs(*state, &names, &n), FERRET_EEMPTY);
	touch(state, "file");
	assert_int_equal(store_list_dirs(*state, &names, &n), FERRET_EEMPTY);
	mkdir_at(state, "q");
	mkdir_at(state, "p");
	mkdir_at(state, ".synced");
	touch(state, "zfile");
	assert_int_equal(store_list_dirs(*state, &names, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "p");
	assert_string_equal(names[1], "q");
	store_free_list(names, n);
}

static void test_open_layout(void **state)
{
	struct store s;
	char *out = at(state, "out/deeper");

	assert_int_equal(store_open(&s, out, "main"), 0);
	char *dir = path_join(out, "main");
	assert_string_equal(s.root, out);
	assert_string_equal(s.dir, dir);
	char *q = path_join(dir, "queue"), *c = path_join(dir, "crashes"),
	     *h = path_join(dir, "hangs");
	assert_string_equal(s.queue, q);
	assert_string_equal(s.crashes, c);
	assert_string_equal(s.hangs, h);
	assert_true(is_dir(dir));
	assert_true(is_dir(q));
	assert_true(is_dir(c));
	assert_true(is_dir(h));
	store_release(&s);
	assert_null(s.dir);

	/* Opening again (a resume) keeps what is there. */
	assert_int_equal(store_write(q, "id:000000", "seed", 4), 0);
	assert_int_equal(store_open(&s, out, "main"), 0);
	char **names;
	size_t n;
	assert_int_equal(store_list(s.queue, &names, &n), 0);
	assert_int_equal(n, 1);
	store_free_list(names, n);
	store_release(&s);

	/* A second instance sits next to the first. */
	assert_int_equal(store_open(&s, out, "second"), 0);
	store_release(&s);
	assert_int_equal(store_list_dirs(out, &names, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "main");
	assert_string_equal(names[1], "second");
	store_free_list(names, n);

	/* A file where a directory must go. */
	touch(state, "blocker");
	char *bad = at(state, "blocker");
	assert_int_equal(store_open(&s, bad, "main"), FERRET_EIO);
	store_release(&s);
	free(bad);
	free(out);
	free(dir);
	free(q);
	free(c);
	free(h);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_tmp, teardown_tmp)
	const struct CMUnitTest tests[] = {
		T(test_path_join),  T(test_write_whole_and_atomic),
		T(test_write_path), T(test_write_missing_dir),
		T(test_read),       T(test_list_sorted_regular_visible),
		T(test_list_many),  T(test_list_empty_and_missing),
		T(test_list_dirs),  T(test_open_layout),
	};
#undef T

	alarm(120); /* rule 32: a hang fails the run instead of stalling it */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
