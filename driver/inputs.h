/*
 * inputs.h - a growing list of inputs held in memory: the corpus the
 * supervisor reads before forking (every worker inherits it) and the
 * entries workers hand over, so a restarted worker starts from all of them.
 */
#ifndef FERRET_INPUTS_H
#define FERRET_INPUTS_H

#include <stddef.h>
#include <stdint.h>

struct inputs {
	uint8_t **data; /* data[i] malloc'd, owned by the list */
	size_t *lens;
	char (*sha)[41]; /* sha[i]: sha1 of data[i], the name it has on disk */
	size_t n, cap;
};

/* Appends data (taking ownership). Dies when out of memory. */
void inputs_add(struct inputs *in, uint8_t *data, size_t len);

/* Appends every regular, non-hidden file of dir in name order, read up to
 * max_len bytes (longer files truncated); unreadable files are skipped
 * with one line each. Returns the number added (0 for an empty, missing or
 * unreadable directory). */
size_t inputs_read_dir(struct inputs *in, const char *dir, size_t max_len);

/* Whether an input's sha1 is sha (a scan: for entries as they come, which
 * are rare). */
int inputs_has_sha(const struct inputs *in, const char *sha);

/* Removes the input whose sha1 is sha (keeping the order of the others):
 * an entry the worker retired or replaced. Returns 1 if one was removed. */
int inputs_remove_sha(struct inputs *in, const char *sha);

/* Frees every input and the arrays; in is empty afterwards. */
void inputs_release(struct inputs *in);

#endif
