/*
 * stats_test.c - unit tests of src/stats.c: the fuzzer_stats file that
 * afl-whatsup parses (one "key<pad to 18>: value" line per STAT of
 * stats.def, in order; percentages with "%"; shell-special characters in
 * strings replaced), the resume parser that reads the numbers back, and
 * plot_data (AFL++'s header once, then one row per call). The expected key
 * list is expanded from stats.def here; the expected formats are literals.
 * Each test works in its own mkdtemp directory, removed by its teardown.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errors.h"
#include "stats.h"
#include "store.h"

static const char *const keys[] = {
#define STAT(name, kind, doc) #name,
#include "stats.def"
#undef STAT
};
static const char *const kinds[] = {
#define STAT(name, kind, doc) #kind,
#include "stats.def"
#undef STAT
};
#define N_STATS (sizeof(keys) / sizeof(keys[0]))
#define MAX_LINES 256

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static int setup_tmp(void **state)
{
	const char *base = getenv("TMPDIR");
	char tmpl[4096];

	snprintf(tmpl, sizeof(tmpl), "%s/ferret-stats-XXXXXX", base && *base ? base : "/tmp");
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

/* The lines of dir/name, newlines stripped; returns the count. */
struct lines {
	char *buf;
	char *v[MAX_LINES];
	size_t n;
};

static void read_lines(const char *dir, const char *name, struct lines *l)
{
	char *path = path_join(dir, name);
	FILE *f = fopen(path, "rb");

	assert_non_null(f);
	free(path);
	l->buf = calloc(1, 1 << 16);
	assert_non_null(l->buf);
	size_t len = fread(l->buf, 1, (1 << 16) - 1, f);
	fclose(f);
	assert_int_not_equal(len, 0);
	assert_int_equal(l->buf[len - 1], '\n');
	assert_int_equal(strlen(l->buf), len); /* no NUL inside */
	l->n = 0;
	for (char *p = l->buf; *p;) {
		char *nl = strchr(p, '\n');

		assert_non_null(nl);
		*nl = 0;
		assert_true(l->n < MAX_LINES);
		l->v[l->n++] = p;
		p = nl + 1;
	}
}

/* The value after "key<pad>: " of line i. */
static const char *value_of(const struct lines *l, size_t i)
{
	const char *colon = strstr(l->v[i], ": ");

	assert_non_null(colon);
	return colon + 2;
}

/* Distinct values per kind, so a swapped or skipped field shows; one is
 * the largest a resume trusts (2^53, test_read_distrusts_garbage). */
static void set_U64(uint64_t *f, unsigned i)
{
	*f = i == 2 ? 1ull << 53 : 1000003ull * (i + 1) + 7;
}
static void set_PCT(double *f, unsigned i)
{
	*f = 10.25 + i;
}
static void set_F2(double *f, unsigned i)
{
	*f = 1000.5 + i;
}
static void set_STR(const char **f, unsigned i)
{
	(void)i;
	*f = "plain text";
}

static void fill(struct stats *st)
{
	unsigned i = 0;

	memset(st, 0, sizeof(*st));
#define STAT(name, kind, doc) set_##kind(&st->name, i++);
#include "stats.def"
#undef STAT
}

static void check_U64(const uint64_t *got, const uint64_t *want)
{
	assert_int_equal(*got, *want);
}
static void check_PCT(const double *got, const double *want)
{
	assert_float_equal(*got, *want, 0.005);
}
static void check_F2(const double *got, const double *want)
{
	assert_float_equal(*got, *want, 0.005);
}
static void check_STR(const char *const *got, const char *const *want)
{
	(void)got, (void)want;
}

static void test_write_lines_in_order(void **state)
{
	struct stats st;
	struct lines l;
	regex_t re;

	fill(&st);
	st.start_time = 1700000000;
	st.execs_done = 123456789;
	st.stability = 99.5;
	st.bitmap_cvg = 3.14159;
	st.execs_per_sec = 2500.126;
	st.afl_version = "ferret 0.1";
	st.command_line = NULL;
	assert_int_equal(stats_write(&st, *state), 0);
	read_lines(*state, "fuzzer_stats", &l);

	assert_int_equal(regcomp(&re, "^[a-z_]+ +: ", REG_EXTENDED | REG_NOSUB), 0);
	assert_int_equal(l.n, N_STATS);
	for (size_t i = 0; i < l.n; i++) {
		char want[64];

		assert_int_equal(regexec(&re, l.v[i], 0, NULL, 0), 0);
		snprintf(want, sizeof(want), "%-18s: ", keys[i]);
		assert_int_equal(strncmp(l.v[i], want, strlen(want)), 0);
		const char *v = value_of(&l, i);
		size_t n = strlen(v);
		if (!strcmp(kinds[i], "PCT")) {
			assert_true(n > 1);
			assert_int_equal(v[n - 1], '%');
		} else if (strcmp(kinds[i], "STR")) {
			assert_true(n > 0);
			assert_null(strchr(v, '%'));
		}
	}
	regfree(&re);

	/* A few lines in full: AFL++'s exact layout. */
	assert_string_equal(l.v[0], "start_time        : 1700000000");
	for (size_t i = 0; i < l.n; i++) {
		if (!strcmp(keys[i], "execs_done"))
			assert_string_equal(l.v[i], "execs_done        : 123456789");
		if (!strcmp(keys[i], "stability"))
			assert_string_equal(l.v[i], "stability         : 99.50%");
		if (!strcmp(keys[i], "bitmap_cvg"))
			assert_string_equal(l.v[i], "bitmap_cvg        : 3.14%");
		if (!strcmp(keys[i], "execs_per_sec"))
			assert_string_equal(l.v[i], "execs_per_sec     : 2500.13");
		if (!strcmp(keys[i], "afl_version"))
			assert_string_equal(l.v[i], "afl_version       : ferret 0.1");
	}
	assert_string_equal(l.v[l.n - 1], "command_line      : ");
	free(l.buf);

	/* Written atomically: no temp file left. */
	char *tmp = path_join(*state, ".fuzzer_stats.tmp");
	assert_int_not_equal(access(tmp, F_OK), 0);
	free(tmp);
}

static void test_write_sanitizes_strings(void **state)
{
	struct stats st;
	struct lines l;

	fill(&st);
	st.afl_banner = "/bin/t \"q\" $HOME `id`";
	st.command_line = "ferret -i in -- ./t\nsecond line $(reboot)";
	assert_int_equal(stats_write(&st, *state), 0);
	read_lines(*state, "fuzzer_stats", &l);
	assert_int_equal(l.n, N_STATS);
	for (size_t i = 0; i < l.n; i++) {
		const char *v = value_of(&l, i);

		assert_null(strchr(v, '"'));
		assert_null(strchr(v, '$'));
		assert_null(strchr(v, '`'));
		if (!strcmp(keys[i], "afl_banner"))
			assert_string_equal(v, "/bin/t _q_ _HOME _id_");
		if (!strcmp(keys[i], "command_line"))
			assert_string_equal(v, "ferret -i in -- ./t_second line _(reboot)");
	}
	free(l.buf);
}

static void test_read_restores_numbers(void **state)
{
	struct stats st, back;
	static const char keep[] = "keep";

	fill(&st);
	st.afl_banner = "target: with a colon";
	st.command_line = "ferret -o out:1 -- ./t execs_done: 5";
	assert_int_equal(stats_write(&st, *state), 0);

	memset(&back, 0, sizeof(back));
	back.afl_banner = keep;
	back.command_line = keep;
	assert_int_equal(stats_read(&back, *state), 0);
#define STAT(name, kind, doc) check_##kind(&back.name, &st.name);
#include "stats.def"
#undef STAT
	/* Strings describe this run and are left alone. */
	assert_ptr_equal(back.afl_banner, keep);
	assert_ptr_equal(back.command_line, keep);
	assert_null(back.afl_version);

	char *missing = path_join(*state, "missing");
	assert_int_equal(stats_read(&back, missing), FERRET_EIO);
	free(missing);
}

/* A fuzzer_stats cut short or edited is not trusted on resume: a count
 * that is no number, negative or past 2^53 reads as 0. */
static void test_read_distrusts_garbage(void **state)
{
	char *path = path_join(*state, "fuzzer_stats");
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "execs_done        : 18446744073709551615\n"
		   "saved_crashes     : -5\n"
		   "saved_hangs       : 12abc\n"
		   "run_time          : 99999999999999999999999\n"
		   "cycles_done       : 42\n");
	fclose(f);
	free(path);
	struct stats back;
	memset(&back, 0, sizeof(back));
	back.execs_done = back.saved_crashes = back.saved_hangs = back.run_time = 7;
	assert_int_equal(stats_read(&back, *state), 0);
	assert_int_equal(back.execs_done, 0);
	assert_int_equal(back.saved_crashes, 0);
	assert_int_equal(back.saved_hangs, 0);
	assert_int_equal(back.run_time, 0);
	assert_int_equal(back.cycles_done, 42);
}

#define PLOT_HEADER                                                                                \
	"# relative_time, cycles_done, cur_item, corpus_count, pending_total, pending_favs, "      \
	"map_size, saved_crashes, saved_hangs, max_depth, execs_per_sec, total_execs, "            \
	"edges_found, unique_bugs"

static void test_plot(void **state)
{
	struct stats st;
	struct lines l;

	memset(&st, 0, sizeof(st));
	st.cycles_done = 2;
	st.cur_item = 3;
	st.corpus_count = 4;
	st.pending_total = 5;
	st.pending_favs = 6;
	st.saved_crashes = 7;
	st.saved_hangs = 8;
	st.max_depth = 9;
	st.execs_ps_last_min = 100.5;
	st.execs_done = 1000;
	st.edges_found = 77;
	st.unique_bugs = 2;
	assert_int_equal(stats_plot(&st, *state, 10, 1234), 0);
	st.execs_done = 2000;
	assert_int_equal(stats_plot(&st, *state, 20, 5), 0);
	st.cycles_done = 3;
	assert_int_equal(stats_plot(&st, *state, 30, 10000), 0);

	read_lines(*state, "plot_data", &l);
	assert_int_equal(l.n, 4);
	assert_string_equal(l.v[0], PLOT_HEADER);
	assert_string_equal(l.v[1], "10, 2, 3, 4, 5, 6, 12.34%, 7, 8, 9, 100.50, 1000, 77, 2");
	assert_string_equal(l.v[2], "20, 2, 3, 4, 5, 6, 0.05%, 7, 8, 9, 100.50, 2000, 77, 2");
	assert_string_equal(l.v[3], "30, 3, 3, 4, 5, 6, 100.00%, 7, 8, 9, 100.50, 2000, 77, 2");
	free(l.buf);

	char *missing = path_join(*state, "missing");
	assert_int_equal(stats_plot(&st, missing, 1, 1), FERRET_EIO);
	free(missing);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_tmp, teardown_tmp)
	const struct CMUnitTest tests[] = {
		T(test_write_lines_in_order),
		T(test_write_sanitizes_strings),
		T(test_read_restores_numbers),
		T(test_read_distrusts_garbage),
		T(test_plot),
	};
#undef T

	alarm(120); /* rule 32: a hang fails the run instead of stalling it */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
