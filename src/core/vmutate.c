/*
 * vmutate.c - value-stream mutations (see vmutate.h).
 *
 * A mutation copies the input's value records into out, changing only the
 * records of the chosen uid (or the chosen run of requests). Which records
 * belong to a uid comes from one pass that lists the distinct uids and
 * their counts; the chosen uid's k-th record is then found by counting.
 * Derived integer values come from AFL's arithmetic and interesting-value
 * ideas applied to one value; byte values are mutated with a short havoc.
 *
 * Block ops act on whole loop iterations without knowing the test: a
 * block starts at any value record and ends before the next request of
 * the same uid (the same call site asked again, so the test is back at
 * the same place of its loop); inserting a block there, or repeating it
 * in place, replays as that many more iterations, and every uid's values
 * stay aligned with the requests. This is what grows an operation
 * sequence by a whole run of iterations in one mutation, as byte havoc's
 * block insertions do for a byte-decoding harness.
 */
#include <string.h>

#include "mutate.h"
#include "vmutate.h"
#include "banned.h"

#define MAX_UIDS 4096

static const char *const names[VMUT__COUNT] = {
	"replace", "replace-run", "insert",    "delete",     "splice", "ordered",
	"dup-run", "repeat",      "del-block", "copy-block", "cmp",
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

/* Pushes a copy of rec whose bytes live in the arena (FRESH when it is full). */
static void push_kept(struct vs_stream *dst, const struct vs_record *rec, uint8_t *arena,
		      size_t cap, size_t *used)
{
	struct vs_record d = *rec;
	if (d.kind == FERRET_VS_BYTES && !(d.bytes = keep_bytes(d.bytes, d.len, arena, cap, used)))
		d.kind = FERRET_VS_FRESH;
	push(dst, &d);
}

/* The first value record at or after i (s->n when none). */
static size_t value_at(const struct vs_stream *s, size_t i)
{
	while (i < s->n && s->rec[i].kind == FERRET_VS_NAME)
		i++;
	return i;
}

/* The next value record after i with the uid of s->rec[i], or s->n. */
static size_t next_same(const struct vs_stream *s, size_t i)
{
	for (size_t j = i + 1; j < s->n; j++)
		if (s->rec[j].uid == s->rec[i].uid && s->rec[j].kind != FERRET_VS_NAME)
			return j;
	return s->n;
}

/*
 * A block of s: [*b, *e) from a random value record to the next request
 * of its uid (one iteration of the loop around it), one time in four to
 * the one after (two iterations); the record alone when its uid does not
 * come again. s has a value record.
 */
static void pick_block(struct rng *r, const struct vs_stream *s, size_t *b, size_t *e)
{
	size_t i = value_at(s, (size_t)rng_below(r, s->n));
	if (i == s->n)
		i = value_at(s, 0);
	size_t j = next_same(s, i);
	if (j < s->n && rng_below(r, 4) == 0 && next_same(s, j) < s->n)
		j = next_same(s, j);
	*b = i;
	*e = j < s->n ? j : i + 1;
}

/* How many more copies VMUT_REPEAT makes: 1..64, small ones likelier
 * (1 + uniform below 2, 4, ... or 64). */
static size_t repeat_count(struct rng *r)
{
	return 1 + (size_t)rng_below(r, 2ull << rng_below(r, 6));
}

/* The block ops: cur into dst. Returns 0 when nothing applies. */
static int block_op(struct rng *r, enum vmut_op op, const struct vs_stream *cur,
		    const struct vs_stream *other, struct vs_stream *dst, uint8_t *arena,
		    size_t cap, size_t *used)
{
	size_t b, e;
	const struct vs_stream *src = cur;
	if (op == VMUT_COPY_BLOCK && other && value_at(other, 0) < other->n && rng_below(r, 2))
		src = other;
	pick_block(r, src, &b, &e);
	if (op == VMUT_REPEAT) {
		size_t k = repeat_count(r);
		for (size_t i = 0; i <= cur->n; i++) {
			if (i == e || (i == cur->n && e > cur->n))
				for (size_t c = 0; c < k; c++)
					for (size_t j = b; j < e && j < cur->n; j++)
						if (cur->rec[j].kind != FERRET_VS_NAME)
							push_kept(dst, &cur->rec[j], arena, cap,
								  used);
			if (i < cur->n && cur->rec[i].kind != FERRET_VS_NAME)
				push_kept(dst, &cur->rec[i], arena, cap, used);
		}
		return 1;
	}
	if (op == VMUT_DEL_BLOCK) {
		for (size_t i = 0; i < cur->n; i++)
			if (cur->rec[i].kind != FERRET_VS_NAME && (i < b || i >= e))
				push_kept(dst, &cur->rec[i], arena, cap, used);
		return 1;
	}
	/* VMUT_COPY_BLOCK: before a random request of the block's first uid
	 * in cur (the test is there again), else at the end */
	uint32_t uid = src->rec[b].uid, cnt = 0;
	for (size_t i = 0; i < cur->n; i++)
		cnt += cur->rec[i].uid == uid && cur->rec[i].kind != FERRET_VS_NAME;
	uint32_t at = cnt ? (uint32_t)rng_below(r, cnt) : 0, seen = 0;
	int done = 0;
	for (size_t i = 0; i < cur->n; i++) {
		if (cur->rec[i].kind == FERRET_VS_NAME)
			continue;
		if (!done && cur->rec[i].uid == uid && seen++ == at) {
			done = 1;
			for (size_t j = b; j < e && j < src->n; j++)
				if (src->rec[j].kind != FERRET_VS_NAME)
					push_kept(dst, &src->rec[j], arena, cap, used);
		}
		push_kept(dst, &cur->rec[i], arena, cap, used);
	}
	if (!done)
		for (size_t j = b; j < e && j < src->n; j++)
			if (src->rec[j].kind != FERRET_VS_NAME)
				push_kept(dst, &src->rec[j], arena, cap, used);
	return 1;
}

/* vs_hint_apply with the arena's fill level in *used. */
static int hint_apply(const struct vs_stream *in, const struct vs_hint *h, int64_t delta,
		      struct vs_stream *out, uint8_t *arena, size_t cap, size_t *used)
{
	uint32_t seen = 0;
	int applied = 0;
	for (size_t i = 0; i < in->n; i++) {
		struct vs_record rec = in->rec[i];
		if (rec.kind == FERRET_VS_NAME)
			continue;
		if (rec.uid != h->uid || seen++ != h->nth || rec.kind != h->kind) {
			push_kept(out, &rec, arena, cap, used);
			continue;
		}
		if (rec.kind == FERRET_VS_INT) {
			uint64_t mask = h->width >= 8 ? ~0ull : (1ull << (8 * h->width)) - 1;
			rec.value = (rec.value & ~mask) | ((h->value + (uint64_t)delta) & mask);
			applied = 1;
		} else {
			size_t n = (size_t)h->off + h->len > rec.len ? (size_t)h->off + h->len
								     : rec.len;
			if (*used + n <= cap) {
				uint8_t *p = arena + *used;
				memcpy(p, rec.bytes, rec.len);
				memcpy(p + h->off, h->bytes, h->len);
				*used += n;
				rec.bytes = p;
				rec.len = (uint32_t)n;
				applied = 1;
				push(out, &rec);
				continue;
			}
		}
		push_kept(out, &rec, arena, cap, used);
	}
	return applied;
}

int vs_hint_apply(const struct vs_stream *in, const struct vs_hint *h, int64_t delta,
		  struct vs_stream *out, uint8_t *arena, size_t arena_cap)
{
	size_t used = 0;
	out->n = 0;
	out->seed = in->seed;
	return hint_apply(in, h, delta, out, arena, arena_cap, &used);
}

static uint64_t load_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* Adds h to out[0..*n) unless it is there; 0 when out is full. */
static int add_hint(struct vs_hint *out, size_t *n, size_t cap, const struct vs_hint *h)
{
	for (size_t i = 0; i < *n; i++)
		if (out[i].uid == h->uid && out[i].nth == h->nth && out[i].kind == h->kind &&
		    out[i].value == h->value && out[i].width == h->width && out[i].len == h->len &&
		    out[i].off == h->off && !memcmp(out[i].bytes, h->bytes, h->len))
			return 1;
	if (*n == cap)
		return 0;
	out[(*n)++] = *h;
	return 1;
}

/* The record's place among its uid's values so far: *nth, counting it;
 * 0 when the table of uids is full (the record is skipped). */
static int nth_of_uid(struct uids *u, uint32_t uid, uint32_t *nth)
{
	size_t k = 0;
	while (k < u->n && u->uid[k] != uid)
		k++;
	if (k == u->n) {
		if (u->n == MAX_UIDS)
			return 0;
		u->uid[u->n] = uid;
		u->count[u->n++] = 0;
	}
	*nth = u->count[k]++;
	return 1;
}

/* Hints for one integer operand x compared with y at width w. */
static int int_hints(const struct vs_stream *s, uint64_t x, uint64_t y, unsigned w,
		     struct vs_hint *out, size_t *n, size_t cap)
{
	static __thread struct uids u;
	uint64_t mask = w >= 8 ? ~0ull : (1ull << (8 * w)) - 1;
	unsigned found = 0;
	u.n = 0;
	for (size_t i = 0; i < s->n && found < 4; i++) {
		const struct vs_record *rec = &s->rec[i];
		if (rec->kind == FERRET_VS_NAME)
			continue;
		uint32_t nth;
		if (!nth_of_uid(&u, rec->uid, &nth))
			continue;
		if (rec->kind != FERRET_VS_INT || (rec->value & mask) != (x & mask))
			continue;
		struct vs_hint h = {.uid = rec->uid,
				    .nth = nth,
				    .kind = FERRET_VS_INT,
				    .width = (uint8_t)w,
				    .value = y & mask};
		for (uint64_t v = x & mask; v; v >>= 8)
			h.strength++;
		if (h.strength == 1 && (x & mask) == 1)
			h.strength = 0; /* 0 and 1: a bool, an eos, a count */
		found++;
		if (!add_hint(out, n, cap, &h))
			return 0;
	}
	return 1;
}

/* Hints for bytes x[0..nx) compared with y[0..ny): BYTES values that
 * start with x (or with as much of it as they have), or hold all of it. */
static int mem_hints(const struct vs_stream *s, const uint8_t *x, size_t nx, const uint8_t *y,
		     size_t ny, struct vs_hint *out, size_t *n, size_t cap)
{
	static __thread struct uids u;
	unsigned found = 0;
	if (!nx || !ny)
		return 1;
	u.n = 0;
	for (size_t i = 0; i < s->n && found < 4; i++) {
		const struct vs_record *rec = &s->rec[i];
		if (rec->kind == FERRET_VS_NAME)
			continue;
		uint32_t nth;
		if (!nth_of_uid(&u, rec->uid, &nth))
			continue;
		if (rec->kind != FERRET_VS_BYTES || !rec->len)
			continue;
		size_t off = rec->len + 1;
		size_t head = nx < rec->len ? nx : rec->len;
		if (!memcmp(rec->bytes, x, head))
			off = 0;
		for (size_t o = 1; off > rec->len && o + nx <= rec->len && o < 65536; o++)
			if (!memcmp(rec->bytes + o, x, nx))
				off = o;
		if (off > rec->len)
			continue;
		struct vs_hint h = {.uid = rec->uid,
				    .nth = nth,
				    .kind = FERRET_VS_BYTES,
				    .len = (uint8_t)ny,
				    .off = (uint16_t)off,
				    .strength = (uint8_t)(nx < 255 ? nx : 255)};
		memcpy(h.bytes, y, ny);
		found++;
		if (!add_hint(out, n, cap, &h))
			return 0;
	}
	return 1;
}

size_t vs_cmp_hints(const struct vs_stream *s, const struct ferret_cmp_site *log, size_t n_sites,
		    struct vs_hint *out, size_t cap)
{
	size_t n = 0;
	/* widest first: 8, 4, 2, 1 bytes, then memory compares (width 0) */
	static const unsigned widths[] = {8, 4, 2, 1, 0};
	for (size_t wi = 0; wi < sizeof(widths) / sizeof(widths[0]); wi++)
		for (size_t si = 0; si < n_sites; si++) {
			const struct ferret_cmp_site *site = &log[si];
			uint32_t have = site->n < FERRET_CMP_WAYS ? site->n : FERRET_CMP_WAYS;
			for (uint32_t k = 0; k < have; k++) {
				const struct ferret_cmp_rec *c = &site->rec[k];
				int ok = 1;
				if (c->kind == FERRET_CMP_INT && c->width == widths[wi] &&
				    c->width >= 1 && c->width <= 8) {
					uint64_t a = load_le(c->a, c->width),
						 b = load_le(c->b, c->width);
					if (a == b)
						continue;
					ok = int_hints(s, a, b, c->width, out, &n, cap);
					if (ok && !(c->flags & FERRET_CMP_CONST))
						ok = int_hints(s, b, a, c->width, out, &n, cap);
				} else if (c->kind == FERRET_CMP_MEM && !widths[wi]) {
					size_t la = c->len_a < VS_HINT_BYTES ? c->len_a
									     : VS_HINT_BYTES,
					       lb = c->len_b < VS_HINT_BYTES ? c->len_b
									     : VS_HINT_BYTES;
					if (la == lb && !memcmp(c->a, c->b, la))
						continue;
					ok = mem_hints(s, c->a, la, c->b, lb, out, &n, cap) &&
					     mem_hints(s, c->b, lb, c->a, la, out, &n, cap);
				}
				if (!ok)
					goto sort;
			}
		}
sort:
	/* strongest first, stable (an insertion sort: n is small, once per
	 * entry) */
	for (size_t i = 1; i < n; i++) {
		struct vs_hint h = out[i];
		size_t j = i;
		for (; j > 0 && out[j - 1].strength < h.strength; j--)
			out[j] = out[j - 1];
		out[j] = h;
	}
	return n;
}

unsigned vmutate(struct rng *r, const struct vs_stream *in, const struct vs_stream *other,
		 struct vs_stream *out, uint8_t *arena, size_t arena_cap, uint8_t ops[4])
{
	return vmutate_hinted(r, in, other, NULL, 0, out, arena, arena_cap, ops);
}

unsigned vmutate_hinted(struct rng *r, const struct vs_stream *in, const struct vs_stream *other,
			const struct vs_hint *hints, size_t n_hints, struct vs_stream *out,
			uint8_t *arena, size_t arena_cap, uint8_t ops[4])
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
		enum vmut_op op =
			rng_below(r, 4) ? (enum vmut_op)rng_below(r, VMUT__COUNT) : VMUT_REPEAT;
		if ((op == VMUT_SPLICE && !other) || (op == VMUT_CMP && !n_hints))
			op = VMUT_REPLACE;
		if (op == VMUT_REPEAT || op == VMUT_DEL_BLOCK || op == VMUT_COPY_BLOCK ||
		    op == VMUT_CMP) {
			if (op == VMUT_CMP) {
				const struct vs_hint *h = &hints[rng_below(r, n_hints)];
				uint64_t d = rng_below(r, 4);
				hint_apply(&cur, h,
					   d < 2    ? 0
					   : d == 2 ? 1
						    : -1,
					   dst, arena, arena_cap, &used);
			} else {
				block_op(r, op, &cur, other, dst, arena, arena_cap, &used);
			}
			ops[applied++] = (uint8_t)op;
			cur = *dst;
			continue;
		}
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
