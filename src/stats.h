/*
 * stats.h - the instance's statistics (stats.def) and the files that show
 * them: fuzzer_stats in AFL++'s "key : value" format, so afl-whatsup and
 * dashboards read it, and plot_data, one CSV row per period.
 */
#ifndef FERRET_STATS_H
#define FERRET_STATS_H

#include <stddef.h>
#include <stdint.h>

#define STAT_U64 uint64_t
#define STAT_PCT double
#define STAT_F2 double
#define STAT_STR const char *

struct stats {
#define STAT(name, kind, doc) STAT_##kind name;
#include "stats.def"
#undef STAT
};

/* Writes dir/fuzzer_stats atomically. Returns 0 or FERRET_EIO. */
int stats_write(const struct stats *st, const char *dir);

/* Reads the numeric fields of an existing dir/fuzzer_stats into st (for
 * resume); string fields are left alone. 0, or FERRET_EIO if absent. */
int stats_read(struct stats *st, const char *dir);

/* Appends one row to dir/plot_data, writing the header first if the file
 * is new: AFL++'s 13 columns, then unique_bugs (afl-plot reads columns by
 * position, so one more at the end changes nothing for it; docs/plot.md).
 * relative_time is seconds since start. 0 or FERRET_EIO. */
int stats_plot(const struct stats *st, const char *dir, uint64_t relative_time,
	       uint64_t map_size_pct_x100);

/* The numbers of a status line, "execs N (R/s) corpus N (fav N) edges
 * N/N crashes N hangs N cycle N", into out (always terminated): one
 * format for an instance's line and for -j's total. */
void stats_line(const struct stats *st, char *out, size_t cap);

/* Prints the docs table (markdown) of every statistic to stdout. */
void stats_print_docs(void);

#endif
