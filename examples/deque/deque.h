/* deque.h - a growable ring-buffer deque of uint32_t (the example under test). */
#ifndef DEQUE_H
#define DEQUE_H

#include <stddef.h>
#include <stdint.h>

struct deque {
	uint32_t *buf;
	size_t cap, head, len;
};

void deque_init(struct deque *d);
void deque_free(struct deque *d);
void deque_push_back(struct deque *d, uint32_t v);
void deque_push_front(struct deque *d, uint32_t v);
uint32_t deque_pop_back(struct deque *d);  /* len > 0 */
uint32_t deque_pop_front(struct deque *d); /* len > 0 */
size_t deque_len(const struct deque *d);

#endif
