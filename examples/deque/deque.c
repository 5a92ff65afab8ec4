/*
 * deque.c - a ring-buffer deque that doubles when full. It has a planted
 * bug: when it grows while its contents wrap around the end of the buffer
 * and the head sits at index 2 or more, one element is lost. Reaching it
 * takes a particular sequence: at least two push_front, then enough pushes
 * to fill the buffer, then one more push.
 */
#include <stdlib.h>
#include <string.h>

#include "deque.h"

#define INITIAL_CAP 8

void deque_init(struct deque *d)
{
	d->cap = INITIAL_CAP;
	d->buf = malloc(d->cap * sizeof(*d->buf));
	d->head = d->len = 0;
}

void deque_free(struct deque *d)
{
	free(d->buf);
}

static void grow(struct deque *d)
{
	size_t ncap = d->cap * 2;
	uint32_t *nb = malloc(ncap * sizeof(*nb));
	size_t first = d->cap - d->head; /* elements from head to the end */
	if (first > d->len)
		first = d->len;
	memcpy(nb, d->buf + d->head, first * sizeof(*nb));
	size_t rest = d->len - first;
	if (rest && d->head >= 2)
		rest--; /* the bug: one element of the wrapped part is lost */
	memcpy(nb + first, d->buf, rest * sizeof(*nb));
	free(d->buf);
	d->buf = nb;
	d->cap = ncap;
	d->head = 0;
	d->len = first + rest;
}

void deque_push_back(struct deque *d, uint32_t v)
{
	if (d->len == d->cap)
		grow(d);
	d->buf[(d->head + d->len) % d->cap] = v;
	d->len++;
}

void deque_push_front(struct deque *d, uint32_t v)
{
	if (d->len == d->cap)
		grow(d);
	d->head = (d->head + d->cap - 1) % d->cap;
	d->buf[d->head] = v;
	d->len++;
}

uint32_t deque_pop_back(struct deque *d)
{
	d->len--;
	return d->buf[(d->head + d->len) % d->cap];
}

uint32_t deque_pop_front(struct deque *d)
{
	uint32_t v = d->buf[d->head];
	d->head = (d->head + 1) % d->cap;
	d->len--;
	return v;
}

size_t deque_len(const struct deque *d)
{
	return d->len;
}
