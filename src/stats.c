/*
 * stats.c - fuzzer_stats and plot_data (see stats.h). The key list, order
 * and format come from stats.def alone; the writer pads keys to 18 columns
 * then ": value", which is AFL++'s layout that afl-whatsup parses by
 * turning each line into a shell assignment, so values must not hold
 * quotes (they are replaced).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errors.h"
#include "log.h"
#include "stats.h"
#include "store.h"
#include "banned.h"

/* One formatter and one parser per kind; the X-macro picks by name. */
static void put_U64(char *out, size_t cap, const uint64_t *v)
{
	snprintf(out, cap, "%llu", (unsigned long long)*v);
}
static void put_PCT(char *out, size_t cap, const double *v)
{
	snprintf(out, cap, "%.2f%%", *v);
}
static void put_F2(char *out, size_t cap, const double *v)
{
	snprintf(out, cap, "%.2f", *v);
}
static void put_STR(char *out, size_t cap, const char *const *v)
{
	snprintf(out, cap, "%s", *v ? *v : "");
	for (char *p = out; *p; p++)
		if (*p == '"' || *p == '\n' || *p == '`' || *p == '$')
			*p = '_';
}
/* A resume reads these back, and a file that a kill cut short or someone
 * edited is not trusted: a value that is not a number, or past 2^53 (no
 * count or time of a real run gets there), reads as 0. */
static void get_U64(uint64_t *f, const char *v)
{
	char *end;
	while (*v == ' ')
		v++;
	errno = 0;
	unsigned long long n = strtoull(v, &end, 10);
	int ok = end != v && *v != '-' && errno != ERANGE && n <= (1ull << 53) &&
		 (*end == 0 || *end == '\n' || *end == ' ');
	*f = ok ? n : 0;
}
static void get_PCT(double *f, const char *v)
{
	*f = strtod(v, NULL);
}
static void get_F2(double *f, const char *v)
{
	*f = strtod(v, NULL);
}
static void get_STR(const char **f, const char *v)
{
	(void)f, (void)v; /* strings describe this run, not the resumed one */
}

int stats_write(const struct stats *st, const char *dir)
{
	char buf[16384], val[4096];
	size_t n = 0;
#define STAT(name, kind, doc)                                                                      \
	put_##kind(val, sizeof(val), &st->name);                                                   \
	if (n < sizeof(buf))                                                                       \
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%-18s: %s\n", #name, val);
#include "stats.def"
#undef STAT
	if (n > sizeof(buf))
		n = sizeof(buf);
	return store_write(dir, "fuzzer_stats", buf, n);
}

int stats_read(struct stats *st, const char *dir)
{
	char *path = path_join(dir, "fuzzer_stats");
	FILE *f = path ? fopen(path, "r") : NULL;
	free(path);
	if (!f)
		return FERRET_EIO;
	char line[4096];
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');
		if (!colon)
			continue;
		char *end = colon;
		while (end > line && end[-1] == ' ')
			end--;
		*end = 0;
		const char *v = colon + 1;
#define STAT(name, kind, doc)                                                                      \
	if (!strcmp(line, #name)) {                                                                \
		get_##kind(&st->name, v);                                                          \
		continue;                                                                          \
	}
#include "stats.def"
#undef STAT
	}
	fclose(f);
	return 0;
}

int stats_plot(const struct stats *st, const char *dir, uint64_t relative_time,
	       uint64_t map_size_pct_x100)
{
	char *path = path_join(dir, "plot_data");
	if (!path)
		return FERRET_ENOMEM;
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0) {
		int err = log_errno("cannot open '%s'", path);
		free(path);
		return err;
	}
	free(path);
	char row[640];
	int n = 0;
	if (lseek(fd, 0, SEEK_END) == 0)
		n = snprintf(row, sizeof(row),
			     "# relative_time, cycles_done, cur_item, corpus_count, pending_total, "
			     "pending_favs, map_size, saved_crashes, saved_hangs, max_depth, "
			     "execs_per_sec, total_execs, edges_found, unique_bugs\n");
	n += snprintf(row + n, sizeof(row) - (size_t)n,
		      "%llu, %llu, %llu, %llu, %llu, %llu, %llu.%02llu%%, %llu, %llu, %llu, %.2f, "
		      "%llu, %llu, %llu\n",
		      (unsigned long long)relative_time, (unsigned long long)st->cycles_done,
		      (unsigned long long)st->cur_item, (unsigned long long)st->corpus_count,
		      (unsigned long long)st->pending_total, (unsigned long long)st->pending_favs,
		      (unsigned long long)(map_size_pct_x100 / 100),
		      (unsigned long long)(map_size_pct_x100 % 100),
		      (unsigned long long)st->saved_crashes, (unsigned long long)st->saved_hangs,
		      (unsigned long long)st->max_depth, st->execs_ps_last_min,
		      (unsigned long long)st->execs_done, (unsigned long long)st->edges_found,
		      (unsigned long long)st->unique_bugs);
	int ok = write(fd, row, (size_t)n) == n;
	close(fd);
	return ok ? 0 : FERRET_EIO;
}

void stats_line(const struct stats *st, char *out, size_t cap)
{
	snprintf(out, cap,
		 "execs %llu (%.0f/s) corpus %llu (fav %llu) edges %llu/%llu crashes %llu hangs "
		 "%llu cycle %llu",
		 (unsigned long long)st->execs_done, st->execs_ps_last_min,
		 (unsigned long long)st->corpus_count, (unsigned long long)st->corpus_favored,
		 (unsigned long long)st->edges_found, (unsigned long long)st->total_edges,
		 (unsigned long long)st->saved_crashes, (unsigned long long)st->saved_hangs,
		 (unsigned long long)st->cycles_done);
}

void stats_print_docs(void)
{
	printf("| key | meaning |\n|---|---|\n");
#define STAT(name, kind, doc) printf("| `%s` | %s |\n", #name, doc);
#include "stats.def"
#undef STAT
}
