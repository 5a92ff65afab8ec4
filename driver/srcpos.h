/*
 * srcpos.h - libFuzzer's source description of code ("in FUNCTION
 * FILE:LINE:COLUMN"), from the one symbolizer ferret uses in a harness
 * (llvm-symbolizer, else addr2line, as a subprocess): for -exit_on_src_pos,
 * which coverage counters lie on code whose description contains a string
 * (one batch run at start-up); for the NEW_FUNC lines (funcs.c), the
 * description of one address at a time, asked of a symbolizer process
 * started at the first question. The worker owns when to look at the
 * counters (worker.c). Never on the per-execution path.
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

/*
 * Describes the code address pc (as loaded; in the executable) as
 * libFuzzer's "%F %L" does, "in FUNCTION FILE:LINE[:COLUMN]", into out.
 * The first call starts a symbolizer process over the executable
 * (llvm-symbolizer, else addr2line: the first that answers), which stays,
 * a child of the caller, until the caller exits (it ends at the end of its
 * input); each call is one address written and its answer read, at most
 * CFG_SRCPOS_WAIT_MS. Returns 0 when described, -1 when pc is not in the
 * executable or no symbolizer answers (after a failure none is asked
 * again, and every later call returns -1 at once).
 */
int srcpos_describe(uintptr_t pc, char *out, size_t cap);

/*
 * Ends the symbolizer srcpos_describe started in this process, if any, and
 * reaps it, so that a process leaving by _exit (the driver's main) leaves
 * no child for init to reap (-fork's supervisor, which describes the
 * functions of its jobs). Nothing for a process that started none, a
 * forked copy of the one that did included.
 */
void srcpos_stop(void);

#endif
