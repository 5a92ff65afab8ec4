/*
 * inputs.c - the supervisor's inputs in memory (see inputs.h): reading a
 * corpus directory through the store, appending, freeing.
 */
#include <stdlib.h>
#include <string.h>

#include "inputs.h"
#include "log.h"
#include "sha1.h"
#include "store.h"
#include "banned.h"

void inputs_add(struct inputs *in, uint8_t *data, size_t len)
{
	if (in->n == in->cap) {
		size_t cap = in->cap ? in->cap * 2 : 64;
		uint8_t **d = realloc(in->data, cap * sizeof(*d));
		if (d)
			in->data = d;
		size_t *l = realloc(in->lens, cap * sizeof(*l));
		if (l)
			in->lens = l;
		char(*s)[41] = realloc(in->sha, cap * sizeof(*s));
		if (s)
			in->sha = s;
		if (!d || !l || !s)
			die("out of memory");
		in->cap = cap;
	}
	in->data[in->n] = data;
	sha1_hex(data, len, in->sha[in->n]);
	in->lens[in->n++] = len;
}

int inputs_has_sha(const struct inputs *in, const char *sha)
{
	for (size_t i = 0; i < in->n; i++)
		if (!strcmp(in->sha[i], sha))
			return 1;
	return 0;
}

int inputs_remove_sha(struct inputs *in, const char *sha)
{
	for (size_t i = 0; i < in->n; i++) {
		if (strcmp(in->sha[i], sha))
			continue;
		free(in->data[i]);
		size_t rest = in->n - i - 1;
		memmove(&in->data[i], &in->data[i + 1], rest * sizeof(*in->data));
		memmove(&in->lens[i], &in->lens[i + 1], rest * sizeof(*in->lens));
		memmove(&in->sha[i], &in->sha[i + 1], rest * sizeof(*in->sha));
		in->n--;
		return 1;
	}
	return 0;
}

size_t inputs_read_dir(struct inputs *in, const char *dir, size_t max_len)
{
	char **names;
	size_t nn, added = 0;
	if (store_list(dir, &names, &nn))
		return 0;
	for (size_t i = 0; i < nn; i++) {
		char *p = path_join(dir, names[i]);
		uint8_t *d;
		size_t len;
		if (p && !store_read(p, max_len, &d, &len, NULL)) {
			inputs_add(in, d, len);
			added++;
		}
		free(p);
	}
	store_free_list(names, nn);
	return added;
}

void inputs_release(struct inputs *in)
{
	for (size_t i = 0; i < in->n; i++)
		free(in->data[i]);
	free(in->data);
	free(in->lens);
	free(in->sha);
	memset(in, 0, sizeof(*in));
}
