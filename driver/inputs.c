/*
 * inputs.c - the supervisor's inputs in memory (see inputs.h): reading a
 * corpus directory through the store, appending, freeing.
 */
#include <stdlib.h>
#include <string.h>

#include "inputs.h"
#include "log.h"
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
		if (!d || !l)
			die("out of memory");
		in->cap = cap;
	}
	in->data[in->n] = data;
	in->lens[in->n++] = len;
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
	memset(in, 0, sizeof(*in));
}
