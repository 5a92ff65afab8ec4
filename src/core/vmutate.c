/*
 * vmutate.c - value-stream mutations (see vmutate.h).
 *
 * A mutation copies the input's value records into out, changing only the
 * records of the chosen uid (or the chosen run of requests). Which records
 * belong to a uid comes from one pass that lists the distinct uids and
 * their counts; the chosen uid's k-th record is then found by counting.
 * Derived integer values come from AFL's arithmetic and interesting-value
 * ideas applied to one value; byte values are mutated with a short havoc.
 */
#include <string.h>

#include "mutate.h"
#include "vmutate.h"
#include "banned.h"

#define MAX_UIDS 4096

static const char *const names[VMUT__COUNT] = {
	"replace", "replace-run", "insert", "delete", "splice", "ordered", "dup-run",
};

const char *vmut_name(unsigned op)
{
	return op < VMUT__COUNT ? names[op] : "?";
}

size_t vs_values(const struct vs_stream *s)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n; i++)
		n += s->rec[i].kind != FERRET_VS_NAME;
	return n;
}

struct uids {
	uint32_t uid[MAX_UIDS];
	uint32_t count[MAX_UIDS];
	size_t n;
};

static void list_uids(const struct vs_stream *s, struct uids *u)
{
	u->n = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (s->rec[i].kind == FERRET_VS_NAME)
			continue;
		size_t k = 0;
		while (k < u->n && u->uid[k] != s->rec[i].uid)
			k++;
		if (k == u->n) {
			if (u->n == MAX_UIDS)
				continue;
			u->uid[u->n] = s->rec[i].uid;
			u->count[u->n++] = 0;
		}
		u->count[k]++;
	}
}

static unsigned ilog2(uint32_t v)
{
	return v ? 31u - (unsigned)__builtin_clz(v) : 0;
}

/* A uid, weighted by 1 + log2(its number of values). */
static size_t pick_uid(struct rng *r, const struct uids *u)
{
	uint64_t total = 0;
	for (size_t i = 0; i < u->n; i++)
		total += 1 + ilog2(u->count[i]);
	uint64_t x = rng_below(r, total);
	for (size_t i = 0; i < u->n; i++) {
		uint64_t w = 1 + ilog2(u->count[i]);
		if (x < w)
			return i;
		x -= w;
	}
	return 0;
}

static int push(struct vs_stream *out, const struct vs_record *rec)
{
	return vs_push(out, rec);
}

/* Copies the bytes of a record into the arena (so out never points at a
 * buffer that the caller reuses). */
static const uint8_t *keep_bytes(const uint8_t *p, uint32_t n, uint8_t *arena, size_t cap,
				 size_t *used)
{
	if (*used + n > cap)
		return NULL;
	memcpy(arena + *used, p, n);
	*used += n;
	return arena + *used - n;
}

static uint64_t derive(struct rng *r, uint64_t v)
{
	static const int64_t interesting[] = {0,    1,     -1,    2,     16,   32,   64,
					      100,  127,   128,   255,   256,  1000, 1024,
					      4096, 32767, 32768, 65535, 65536};
	switch (rng_below(r, 6)) {
	case 0:
		return v + 1 + rng_below(r, 16);
	case 1:
		return v - 1 - rng_below(r, 16);
	case 2:
		return v ^ (1ull << rng_below(r, 64));
	case 3:
		return (uint64_t)
			interesting[rng_below(r, sizeof(interesting) / sizeof(interesting[0]))];
	case 4:
		return v << 1;
	default:
		return v >> 1;
	}
}

/* A replacement for rec: fresh, derived, or a copy of another value of the
 * same uid (copy_from, may be NULL). */
static struct vs_record replacement(struct rng *r, const struct vs_record *rec,
				    const struct vs_record *copy_from, uint8_t *arena, size_t cap,
				    size_t *used)
{
	struct vs_record out = *rec;
	uint64_t how = rng_below(r, 4);
	if (how == 0 || rec->kind == FERRET_VS_FRESH) {
		out.kind = FERRET_VS_FRESH;
		return out;
	}
	if (how == 1 && copy_from) {
		out = *copy_from;
		if (out.kind == FERRET_VS_BYTES &&
		    !(out.bytes = keep_bytes(copy_from->bytes, copy_from->len, arena, cap, used)))
			out.kind = FERRET_VS_FRESH;
		return out;
	}
	if (rec->kind == FERRET_VS_INT) {
		out.value = derive(r, rec->value);
		return out;
	}
	/* bytes: a small havoc on a copy */
	size_t room = rec->len + 16;
	if (*used + room > cap) {
		out.kind = FERRET_VS_FRESH;
		return out;
	}
	uint8_t *p = arena + *used;
	memcpy(p, rec->bytes, rec->len);
	size_t n = mutate_havoc(r, p, rec->len, room, NULL, NULL);
	*used += n;
	out.bytes = p;
	out.len = (uint32_t)n;
	return out;
}

unsigned vmutate(struct rng *r, const struct vs_stream *in, const struct vs_stream *other,
		 struct vs_stream *out, uint8_t *arena, size_t arena_cap, uint8_t ops[4])
{
	static __thread struct uids u;
	size_t used = 0;
	out->n = 0;
	out->seed = rng_next(r) | 1; /* 0 would mean minimal fresh values */
	list_uids(in, &u);
	if (!u.n)
		return 0;

	/* Stack 1..4 ops, ~94% one (Zig's distribution), applied in turn
	 * on a working copy. */
	unsigned n_ops = rng_below(r, 16) ? 1 : 2 + (unsigned)rng_below(r, 3);
	struct vs_stream cur = *in;
	struct vs_stream tmp[2] = {{0}, {0}};
	unsigned applied = 0;
	for (unsigned k = 0; k < n_ops; k++) {
		struct vs_stream *dst = k + 1 == n_ops ? out : &tmp[k & 1];
		dst->n = 0;
		dst->seed = out->seed;
		list_uids(&cur, &u);
		if (!u.n)
			break;
		size_t ui = pick_uid(r, &u);
		uint32_t uid = u.uid[ui], cnt = u.count[ui];
		enum vmut_op op = (enum vmut_op)rng_below(r, VMUT__COUNT);
		if (op == VMUT_SPLICE && !other)
			op = VMUT_REPLACE;
		uint32_t at = (uint32_t)rng_below(r, cnt), run = 1 + (uint32_t)rng_below(r, 4);
		const struct vs_record *copy_from = NULL;
		uint32_t copy_at = (uint32_t)rng_below(r, cnt), seen = 0;
		for (size_t i = 0; i < cur.n; i++)
			if (cur.rec[i].uid == uid && cur.rec[i].kind != FERRET_VS_NAME &&
			    seen++ == copy_at)
				copy_from = &cur.rec[i];
		size_t ord_at = (size_t)rng_below(r, cur.n), ord_run = 1 + (size_t)rng_below(r, 8);
		int spliced = 0;
		size_t dup_last = cur.n; /* last value record of the run to repeat */
		if (op == VMUT_DUP_RUN) {
			/* start the run on a value record (there is one: u.n > 0) */
			while (ord_at < cur.n && cur.rec[ord_at].kind == FERRET_VS_NAME)
				ord_at++;
			while (ord_at == cur.n || cur.rec[ord_at].kind == FERRET_VS_NAME)
				ord_at--;
		}
		for (size_t j = ord_at; j < ord_at + ord_run && j < cur.n; j++)
			if (cur.rec[j].kind != FERRET_VS_NAME)
				dup_last = j;
		if (op == VMUT_SPLICE) {
			/* nothing to take from the other stream: leave the uid alone */
			size_t theirs = 0;
			for (size_t j = 0; j < other->n; j++)
				theirs += other->rec[j].uid == uid &&
					  other->rec[j].kind != FERRET_VS_NAME;
			if (!theirs)
				spliced = -1; /* keep this uid's records as they are */
		}
		seen = 0;
		for (size_t i = 0; i < cur.n; i++) {
			struct vs_record rec = cur.rec[i];
			if (rec.kind == FERRET_VS_NAME)
				continue;
			if (rec.kind == FERRET_VS_BYTES) {
				rec.bytes = keep_bytes(rec.bytes, rec.len, arena, arena_cap, &used);
				if (!rec.bytes)
					rec.kind = FERRET_VS_FRESH;
			}
			if (op == VMUT_ORDERED) {
				if (i >= ord_at && i < ord_at + ord_run)
					rec.kind = FERRET_VS_FRESH;
				push(dst, &rec);
				continue;
			}
			if (op == VMUT_DUP_RUN) {
				/* Repeat requests [ord_at, ord_at + 2 * ord_run): a
				 * test's loop body asks the same uids each round, so
				 * this adds whole rounds (the way to grow a sequence of
				 * operations, which one-value edits do slowly). */
				push(dst, &rec);
				if (i == dup_last)
					for (size_t j = ord_at; j <= i; j++)
						if (cur.rec[j].kind != FERRET_VS_NAME) {
							struct vs_record d = cur.rec[j];
							if (d.kind == FERRET_VS_BYTES &&
							    !(d.bytes = keep_bytes(d.bytes, d.len,
										   arena, arena_cap,
										   &used)))
								d.kind = FERRET_VS_FRESH;
							push(dst, &d);
						}
				continue;
			}
			if (rec.uid != uid) {
				push(dst, &rec);
				continue;
			}
			uint32_t idx = seen++;
			switch (op) {
			case VMUT_REPLACE:
				if (idx == at)
					rec = replacement(r, &rec, copy_from, arena, arena_cap,
							  &used);
				push(dst, &rec);
				break;
			case VMUT_REPLACE_RUN:
				if (idx >= at && idx < at + run)
					rec = replacement(r, &rec, copy_from, arena, arena_cap,
							  &used);
				push(dst, &rec);
				break;
			case VMUT_INSERT:
				push(dst, &rec);
				if (idx == at) {
					struct vs_record add = rec;
					if (rng_below(r, 2) || !copy_from) {
						add.kind = FERRET_VS_FRESH;
					} else {
						add = *copy_from;
						if (add.kind == FERRET_VS_BYTES &&
						    !(add.bytes = keep_bytes(copy_from->bytes,
									     copy_from->len, arena,
									     arena_cap, &used)))
							add.kind = FERRET_VS_FRESH;
					}
					push(dst, &add);
				}
				break;
			case VMUT_DELETE:
				if (idx < at || idx >= at + run)
					push(dst, &rec);
				break;
			case VMUT_SPLICE:
				/* the other stream's values for this uid, at the place
				 * of this uid's first value */
				if (spliced < 0) {
					push(dst, &rec);
				} else if (!spliced) {
					spliced = 1;
					for (size_t j = 0; j < other->n; j++) {
						struct vs_record o = other->rec[j];
						if (o.uid != uid || o.kind == FERRET_VS_NAME)
							continue;
						if (o.kind == FERRET_VS_BYTES) {
							o.bytes = keep_bytes(o.bytes, o.len, arena,
									     arena_cap, &used);
							if (!o.bytes)
								o.kind = FERRET_VS_FRESH;
						}
						push(dst, &o);
					}
				}
				break;
			default:
				push(dst, &rec);
			}
		}
		ops[applied++] = (uint8_t)op;
		cur = *dst;
	}
	if (out->n == 0 && cur.n && cur.rec != out->rec) {
		for (size_t i = 0; i < cur.n; i++)
			push(out, &cur.rec[i]);
	}
	vs_release(&tmp[0]);
	vs_release(&tmp[1]);
	return applied;
}
