/*
 * symbolizer.h - names code addresses of the target as "function" and
 * "file:line", with elfutils' libdw, offline (the file on disk, not the
 * process). Crash triage names a crash's frames with it (triage.c), and
 * `ferret showmap -S` and the fuzzer's unstable_edges file name edges
 * (the PCs the runtime recorded, proto.h pcs_offset).
 *
 * Addresses are as the runtime names them (runtime/modules.c): an offset
 * in the executable, or, at or above bit 40, a shared object's name tag
 * XOR its offset. Only the executable is read (the runtime does not
 * record an object's path): an object's address is named
 * "obj:TAG+0xOFF", one libdw cannot name "0xADDR". The executable is
 * opened at the first address asked for, once; nothing here runs per
 * execution.
 */
#ifndef FERRET_SYMBOLIZER_H
#define FERRET_SYMBOLIZER_H

#include <stddef.h>
#include <stdint.h>

struct symbolizer;

/* A symbolizer of the program at exe_path (copied). NULL when out of
 * memory; a file without symbols gives addresses, with one warning. */
struct symbolizer *symbolizer_new(const char *exe_path);
void symbolizer_free(struct symbolizer *s);

/*
 * Names pc: its function into fn (C++ names demangled; "?" when unknown,
 * or the address as above) and its source file's base name and line into loc ("?" when
 * unknown). Both are printable, without tabs or newlines, cut to their
 * capacity. Returns 0 when pc is in the runtime itself (a function named
 * ferret__*) or the C start-up (_start), which a crash's frames leave
 * out; else 1.
 */
int symbolizer_name(struct symbolizer *s, uint64_t pc, char *fn, size_t fn_cap, char *loc,
		    size_t loc_cap);

/*
 * One edge as "function TAB file:line" into out, the way showmap -S and
 * the unstable_edges file print it: pcs are the edge PCs the target wrote
 * (shm_pcs, n of them); an edge without one (a gcc build, an AFL binary,
 * a value-profile counter) is "? TAB ?".
 */
void symbolizer_edge(struct symbolizer *s, const uint64_t *pcs, uint32_t n, size_t edge, char *out,
		     size_t cap);

#endif
