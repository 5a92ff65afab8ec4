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
	size_t n, cap;
};

/* Appends data (taking ownership). Dies when out of memory. */
void inputs_add(struct inputs *in, uint8_t *data, size_t len);

/* Appends every regular, non-hidden file of dir in name order, read up to
 * max_len bytes (longer files truncated); unreadable files are skipped
 * with one line each. Returns the number added (0 for an empty, missing or
 * unreadable directory). */
size_t inputs_read_dir(struct inputs *in, const char *dir, size_t max_len);

/* Frees every input and the arrays; in is empty afterwards. */
void inputs_release(struct inputs *in);

#endif
