/*
 * srcpos.h - libFuzzer's source description of each coverage counter, for
 * -exit_on_src_pos: which counters lie on code whose "in FUNCTION
 * FILE:LINE:COLUMN" contains a string. Owns the one symbolizer run that
 * answers it, at start-up; the worker owns when to look at the counters
 * (worker.c). Never on the per-execution path.
 */
#ifndef FERRET_SRCPOS_H
#define FERRET_SRCPOS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Symbolizes the block address of every edge counter of the executable
 * (the pc-tables of clang's -fsanitize-coverage=pc-table) in one batch
 * subprocess, llvm-symbolizer or else addr2line (found on PATH; the
 * first that runs), and puts in *idx (malloc'd, the caller frees it) the
 * indexes below edge_bytes of those whose description, as libFuzzer's
 * DescribePC("%F %L") writes it, contains pattern. The innermost inlined
 * frame describes a block, as in libFuzzer; addr2line gives no column.
 * Edges in shared objects are not described. Returns the number of
 * indexes (0 for none, or a build without pc-tables), or -1 when no
 * symbolizer could be run (*idx is then NULL).
 */
long srcpos_match(const char *pattern, size_t edge_bytes, uint32_t **idx);

#endif
