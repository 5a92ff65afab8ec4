/*
 * funcs.h - libFuzzer's NEW_FUNC lines: which functions the corpus has
 * covered (an edge whose block begins a function, as the pc-tables flag
 * it), which of them an input added to the corpus covers first, and the
 * lines naming them. Owns the table of function entries and the "covered"
 * mark of each, one per process (the worker's, or with -fork the
 * supervisor's, which merges what its jobs report). The caller decides
 * which inputs count and whether to print (worker.c, supervisor.c); the
 * description of an address is srcpos.h's. Nothing here runs per
 * execution: a look at each counter an input hit, when it is added.
 */
#ifndef FERRET_FUNCS_H
#define FERRET_FUNCS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Reads the function entries among the edges below edge_bytes from the
 * runtime's pc-tables, none covered. Returns their number: 0 without
 * pc-tables (a gcc build), or when out of memory (then nothing is ever
 * new). Once per process; a second call does nothing and returns the same.
 */
size_t funcs_init(size_t edge_bytes);

/*
 * Marks covered the function entries among the counter indexes hit[0..n)
 * (an entry's hit list; indexes that are no function entry are skipped).
 * Those not covered before go to *fresh, in index order (libFuzzer's
 * pc-table order), valid until the next call. Returns their number.
 */
size_t funcs_cover(const uint32_t *hit, size_t n, const uint32_t **fresh);

/*
 * Prints the lines of fresh[0..n) on fd, as libFuzzer does after an input
 * is added: at most max lines "\tNEW_FUNC[i/n]: 0xADDR in FUNCTION
 * FILE:LINE", or the address alone when the symbolizer cannot tell. With
 * fork_style, -fork's lines after a job instead: every function,
 * "  NEW_FUNC: 0xADDR in FUNCTION FILE:LINE", and nothing for one the
 * symbolizer cannot tell.
 */
void funcs_print(int fd, const uint32_t *fresh, size_t n, long max, int fork_style);

#endif
