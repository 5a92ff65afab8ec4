/*
 * records.c - chains of length-prefixed records (see records.h).
 */
#include <string.h>

#include "records.h"
#include "banned.h"

/* Starts tried: a file header of up to 16 bytes. */
#define START_SCAN 17
/* Longer chains are taken for no format: bounds the search's cost. */
#define WALK_MAX 1024

static uint32_t load(const uint8_t *p, unsigned w, int big)
{
	uint32_t v = 0;
	for (unsigned i = 0; i < w; i++)
		v |= (uint32_t)p[big ? w - 1 - i : i] << (8 * i);
	return v;
}

static void store(uint8_t *p, unsigned w, int big, uint32_t v)
{
	for (unsigned i = 0; i < w; i++)
		p[big ? w - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

/* The end of the record at p, or 0 when it runs past len. */
static size_t record_end(const struct rec_fmt *f, const uint8_t *in, size_t len, size_t p)
{
	size_t at = p + f->head;
	if (at + f->width > len)
		return 0;
	size_t q = at + f->width + (size_t)load(in + at, f->width, f->big) + f->tail;
	return q <= len ? q : 0;
}

size_t records_split(const struct rec_fmt *f, const uint8_t *in, size_t len, uint32_t *off,
		     size_t max)
{
	size_t n = 0, p = f->start;
	if (!f->valid || p >= len)
		return 0;
	while (p < len) {
		size_t q = record_end(f, in, len, p);
		if (!q)
			return 0;
		if (n < max) {
			off[n] = (uint32_t)p;
			off[n + 1] = (uint32_t)q;
		}
		n++;
		p = q;
	}
	return n < max ? n : max;
}

/* How many records of format f in[0..len) is, 0 when it is not a chain
 * to its end (or longer than WALK_MAX), and in *full how many of them
 * have data (walks all of them: the counts decide between formats). With
 * end non-NULL the chain may stop short of len, where a record would run
 * past it: *end is where it stops. */
static size_t count_records(const struct rec_fmt *f, const uint8_t *in, size_t len, size_t *full,
			    size_t *end)
{
	size_t n = 0, p = f->start;
	*full = 0;
	while (p < len) {
		size_t q = record_end(f, in, len, p);
		if (!q && end)
			break;
		if (!q)
			return 0;
		if (++n > WALK_MAX)
			return 0;
		*full += q > p + f->head + f->width + f->tail;
		p = q;
	}
	if (end)
		*end = p;
	return n;
}

/* records_find, and with end non-NULL records_find_prefix. */
static int find(const uint8_t *in, size_t len, struct rec_fmt *f, size_t *end)
{
	static const uint8_t heads[] = {0, 1, 2, 4}, widths[] = {1, 2, 4}, tails[] = {0, 4, 8};
	size_t best = 0, best_end = 0;
	memset(f, 0, sizeof(*f));
	for (size_t start = 0; start < START_SCAN && start < len; start++)
		for (size_t h = 0; h < sizeof(heads); h++)
			for (size_t w = 0; w < sizeof(widths); w++)
				for (int big = 0; big <= (widths[w] > 1); big++)
					for (size_t t = 0; t < sizeof(tails); t++) {
						struct rec_fmt c = {1,         heads[h],
								    widths[w], (uint8_t)big,
								    tails[t],  (uint16_t)start};
						size_t full, stop = len;
						size_t n = count_records(&c, in, len, &full,
									 end ? &stop : NULL);
						if (n < 3 || full < 2 || 2 * stop < len)
							continue;
						if (full > best ||
						    (full == best && stop > best_end) ||
						    (full == best && stop == best_end &&
						     c.width > f->width)) {
							best = full;
							best_end = stop;
							*f = c;
						}
					}
	if (end)
		*end = f->valid ? best_end : 0;
	return f->valid;
}

int records_find(const uint8_t *in, size_t len, struct rec_fmt *f)
{
	return find(in, len, f, NULL);
}

int records_find_prefix(const uint8_t *in, size_t len, struct rec_fmt *f, size_t *end)
{
	return find(in, len, f, end);
}

size_t records_cut(const struct rec_fmt *f, const uint8_t *in, size_t len, const uint32_t *off,
		   size_t i, size_t keep, uint8_t *out)
{
	if (f->tail || off[i + 1] > len)
		return 0;
	size_t at = off[i] + f->head, data = at + f->width;
	uint32_t have = load(in + at, f->width, f->big);
	if (have <= keep || data + have != off[i + 1])
		return 0;
	memcpy(out, in, data + keep);
	store(out + at, f->width, f->big, (uint32_t)keep);
	memcpy(out + data + keep, in + off[i + 1], len - off[i + 1]);
	return len - (have - keep);
}

/* Reverses buf[a, b). */
static void reverse(uint8_t *buf, size_t a, size_t b)
{
	while (a + 1 < b) {
		uint8_t t = buf[a];
		buf[a++] = buf[--b];
		buf[b] = t;
	}
}

/* Moves buf[s, e) to boundary b (b <= s or b >= e), in place. */
static void move_block(uint8_t *buf, size_t s, size_t e, size_t b)
{
	size_t lo = b < s ? b : s, hi = b < s ? e : b, mid = b < s ? s : e;
	reverse(buf, lo, mid);
	reverse(buf, mid, hi);
	reverse(buf, lo, hi);
}

enum rec_op { OP_INSERT, OP_REPLACE, OP_DELETE, OP_REPEAT, OP_MOVE, OP__COUNT };

size_t records_mutate(struct rng *r, const struct rec_fmt *f, uint8_t *buf, size_t len, size_t cap,
		      const uint8_t *other, size_t other_len)
{
	uint32_t off[RECORDS_MAX + 1], ooff[RECORDS_MAX + 1];
	size_t n = records_split(f, buf, len, off, RECORDS_MAX);
	if (!n)
		return 0;
	size_t on = other ? records_split(f, other, other_len, ooff, RECORDS_MAX) : 0;
	enum rec_op op = (enum rec_op)rng_below(r, OP__COUNT);
	if ((op == OP_INSERT || op == OP_REPLACE) && !on)
		op = OP_REPEAT; /* other is no chain of this format: one of buf's */
	size_t i = (size_t)rng_below(r, n), s = off[i], e = off[i + 1];
	size_t b = off[rng_below(r, n + 1)]; /* a boundary: off[n] is the end */
	switch (op) {
	case OP_INSERT:
	case OP_REPLACE: {
		size_t j = (size_t)rng_below(r, on);
		const uint8_t *src = other + ooff[j];
		size_t rl = ooff[j + 1] - ooff[j];
		size_t at = op == OP_INSERT ? b : s, gone = op == OP_INSERT ? 0 : e - s;
		if (len - gone + rl > cap)
			return 0;
		memmove(buf + at + rl, buf + at + gone, len - at - gone);
		memcpy(buf + at, src, rl);
		return len - gone + rl;
	}
	case OP_DELETE:
		if (n < 2)
			return 0;
		memmove(buf + s, buf + e, len - e);
		return len - (e - s);
	case OP_REPEAT: {
		size_t rl = e - s;
		if (len + rl > cap)
			return 0;
		memmove(buf + b + rl, buf + b, len - b);
		memmove(buf + b, buf + (s >= b ? s + rl : s), rl);
		return len + rl;
	}
	case OP_MOVE:
		if (b == s || b == e)
			return 0; /* where it is */
		move_block(buf, s, e, b);
		return len;
	default:
		return 0;
	}
}
