/*
 * custom.h - AFL++ custom mutators: shared libraries written against
 * AFL++'s C ABI (include/afl-fuzz.h of AFL++ 4.22a; the hooks and what
 * ferret passes are in docs/custom_mutators.md), loaded with dlopen from
 * AFL_CUSTOM_MUTATOR_LIBRARY and `ferret fuzz --custom-mutator`.
 *
 * It owns the libraries: loading, resolving every hook, the one check
 * that a library has a fuzz entry point, afl_custom_init and deinit, and
 * the call shims that turn the ABI into the loop's generic hooks (struct
 * loop_mutators in src/core/loop.h): the loop decides when a stage runs,
 * what is kept and which entry gives the second input; this module only
 * calls the libraries in the listed order and copies what the ABI lets
 * them write. It does not own file names (src/fuzz.c asks describe() and
 * tells queue_new_entry()), nor any execution.
 *
 * No library loaded: nothing here runs, and the loop's hooks stay NULL.
 */
#ifndef FERRET_CUSTOM_H
#define FERRET_CUSTOM_H

#include <stddef.h>
#include <stdint.h>

#include "loop.h"

struct custom_lib; /* one loaded library (custom.c) */

struct custom {
	struct custom_lib *v;
	size_t n;
	int only;              /* AFL_CUSTOM_MUTATOR_ONLY: no built-in mutation */
	uint8_t *post_buf;     /* the copy post_process works on */
	size_t post_cap;       /* its size */
	const char *queue_dir; /* queue_get names entries by their file in here */
	char path[4096];       /* queue_get's file name */
};

/* What a mutator learns through AFL_CUSTOM_INFO_* (all may be NULL). */
struct custom_info {
	char *const *argv; /* the target's command line, "@@" included */
	const char *input; /* the input file (with "@@"), or NULL (stdin) */
	const char *out;   /* the instance's directory, OUT/NAME */
};

/*
 * Loads every library named in list (AFL_CUSTOM_MUTATOR_LIBRARY: paths
 * separated by ';', empty parts skipped; may be NULL) and then paths[0..n)
 * in that order, after setting AFL_CUSTOM_INFO_* from info. A path without
 * '/' is taken relative to the working directory, never searched for.
 * Returns 0, or -1 with one line in why (a missing file, a dlopen error,
 * no afl_custom_fuzz and no afl_custom_mutator, too many libraries); c is
 * then released. afl_custom_init is not called yet.
 */
int custom_load(struct custom *c, const char *list, const char *const *paths, size_t n,
		const struct custom_info *info, char *why, size_t why_cap);

/*
 * Calls each library's afl_custom_init(NULL, seed_k), seed_k drawn from a
 * generator seeded with seed (so -s repeats the mutators' seeds too).
 * Returns 0, or -1 with one line in why when an init returns NULL.
 */
int custom_init(struct custom *c, uint64_t seed, char *why, size_t why_cap);

/* Fills m with the hooks of what c loaded (m->n == 0 when nothing). */
void custom_hooks(struct custom *c, struct loop_mutators *m);

/* describe() of mutator k, made safe for a file name (custom_sanitize) into
 * out; "" when it has none or returns NULL. */
void custom_describe(struct custom *c, unsigned k, char *out, size_t cap);

/* introspection() of mutator k, or NULL (none, or it returned NULL). */
const char *custom_introspection(struct custom *c, unsigned k);

/* queue_new_entry() of every library that has it: the new queue file and
 * the one it was made from (NULL for a seed). Its return value ("the
 * file changed") is not acted on. */
void custom_new_entry(struct custom *c, const char *path, const char *parent);

/* afl_custom_deinit() of each library, then dlclose; frees c's memory. */
void custom_release(struct custom *c);

/*
 * Copies s into out (cap bytes, NUL included) keeping [A-Za-z0-9._:+=-]
 * and turning every other byte into '_', at most max characters. Returns
 * the length written. Pure: for describe() and its test.
 */
size_t custom_sanitize(const char *s, size_t max, char *out, size_t cap);

#endif
