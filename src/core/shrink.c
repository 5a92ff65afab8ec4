/*
 * shrink.c - the stream shrinker (see shrink.h). The current stream is kept
 * encoded in a buffer it owns, with its records decoded over it; a try
 * copies the records into a candidate (shallow: byte payloads still point
 * into the current buffer, or into a scratch buffer for the one BYTES
 * record being edited), encodes it, and asks the predicate. A taken try
 * replaces the current buffer, so every pass re-reads the records after a
 * success instead of keeping pointers. The hash of every candidate tried
 * is kept, so the passes of the next round do not run the same stream
 * again (a taken try only makes the current stream smaller, so a stream
 * that was not taken then would not be taken later either).
 */
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "shrink.h"
#include "valstream.h"
#include "banned.h"

/* Records per block deleted or swapped at every position: a loop
 * iteration of up to eight requests goes in one try. */
#define BLOCK_MAX 8
/* How far apart two integers may be for the pass that moves value from
 * the first to the second. */
#define PAIR_SPAN 4

struct shrinker {
	const struct shrink_oracle *o;
	size_t max_tries;
	struct shrink_stats *st;
	uint8_t *buf; /* the current stream, encoded; owned */
	size_t len;
	struct vs_stream cur;  /* decoded over buf */
	struct vs_stream cand; /* the candidate's records (shallow) */
	uint8_t *cbuf;         /* the candidate, encoded */
	size_t ccap;
	uint8_t *scratch; /* the payload of an edited BYTES record */
	size_t scap;
	uint64_t *seen; /* hashes of the candidates tried; 0 = empty slot */
	size_t seen_cap, seen_n;
	int err;
};

static int stopped(const struct shrinker *sh)
{
	return sh->err || sh->st->capped;
}

static int grow(uint8_t **p, size_t *cap, size_t need)
{
	if (need <= *cap)
		return 0;
	size_t c = *cap ? *cap : 256;
	while (c < need)
		c *= 2;
	uint8_t *q = realloc(*p, c);
	if (!q)
		return FERRET_ENOMEM;
	*p = q;
	*cap = c;
	return 0;
}

static int rec_cmp(const struct vs_record *a, const struct vs_record *b)
{
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->kind == FERRET_VS_INT && a->value != b->value)
		return a->value < b->value ? -1 : 1;
	if (a->kind == FERRET_VS_BYTES) {
		if (a->len != b->len)
			return a->len < b->len ? -1 : 1;
		int c = a->len ? memcmp(a->bytes, b->bytes, a->len) : 0;
		return c < 0 ? -1 : c > 0;
	}
	return 0;
}

static size_t payload_bytes(const struct vs_stream *s)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n; i++)
		if (s->rec[i].kind == FERRET_VS_BYTES)
			n += s->rec[i].len;
	return n;
}

/* The shrink order of shrink.h: fewer records, fewer payload bytes, then
 * lexicographic. Negative when a is smaller. */
static int key_cmp(const struct vs_stream *a, const struct vs_stream *b)
{
	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	size_t pa = payload_bytes(a), pb = payload_bytes(b);
	if (pa != pb)
		return pa < pb ? -1 : 1;
	for (size_t i = 0; i < a->n; i++) {
		int c = rec_cmp(&a->rec[i], &b->rec[i]);
		if (c)
			return c;
	}
	return 0;
}

/* FNV-1a, 64 bits, never 0 (0 marks an empty slot). */
static uint64_t hash64(const uint8_t *p, size_t n)
{
	uint64_t h = 14695981039346656037ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h ? h : 1;
}

/* Adds h to the set of candidates tried; returns 1 when it was there. */
static int seen_add(struct shrinker *sh, uint64_t h)
{
	if (2 * (sh->seen_n + 1) > sh->seen_cap) {
		size_t cap = sh->seen_cap ? sh->seen_cap * 2 : 1024;
		uint64_t *t = calloc(cap, sizeof(*t));
		if (!t) {
			sh->err = FERRET_ENOMEM;
			return 1;
		}
		for (size_t i = 0; i < sh->seen_cap; i++) {
			uint64_t v = sh->seen[i];
			if (!v)
				continue;
			size_t j = (size_t)v & (cap - 1);
			while (t[j])
				j = (j + 1) & (cap - 1);
			t[j] = v;
		}
		free(sh->seen);
		sh->seen = t;
		sh->seen_cap = cap;
	}
	size_t j = (size_t)h & (sh->seen_cap - 1);
	for (; sh->seen[j]; j = (j + 1) & (sh->seen_cap - 1))
		if (sh->seen[j] == h)
			return 1;
	sh->seen[j] = h;
	sh->seen_n++;
	return 0;
}

/* Drops NAME records (replay ignores them; the caller's last run writes
 * them again). */
static void strip_names(struct vs_stream *s)
{
	size_t w = 0;
	for (size_t i = 0; i < s->n; i++)
		if (s->rec[i].kind != FERRET_VS_NAME)
			s->rec[w++] = s->rec[i];
	s->n = w;
}

/* Makes the stream s (pointing anywhere) the current one: encoded into a
 * fresh owned buffer with the current seed, then decoded over it. */
static int set_current(struct shrinker *sh, const struct vs_stream *s)
{
	size_t n = vs_encoded_len(s);
	uint8_t *b = malloc(n);
	if (!b)
		return sh->err = FERRET_ENOMEM;
	struct vs_stream t = *s;
	t.seed = sh->cur.seed;
	vs_encode(&t, b);
	free(sh->buf);
	sh->buf = b;
	sh->len = n;
	if (vs_decode(&sh->cur, b, n))
		return sh->err = FERRET_ENOMEM;
	return 0;
}

/*
 * Runs the candidate in sh->cand. Returns 1 when it failed and what the
 * test consumed on it is smaller than the current stream, which it then
 * replaces. A candidate tried before is not run again; at the try budget
 * nothing runs and st->capped is set.
 */
static int try_cand(struct shrinker *sh)
{
	if (stopped(sh))
		return 0;
	sh->cand.seed = sh->cur.seed;
	size_t n = vs_encoded_len(&sh->cand);
	if (grow(&sh->cbuf, &sh->ccap, n)) {
		sh->err = FERRET_ENOMEM;
		return 0;
	}
	vs_encode(&sh->cand, sh->cbuf);
	if (seen_add(sh, hash64(sh->cbuf, n))) {
		sh->st->cached++;
		return 0;
	}
	if (sh->st->tries >= sh->max_tries) {
		sh->st->capped = 1;
		return 0;
	}
	sh->st->tries++;
	if (!sh->o->fails(sh->o->ctx, sh->cbuf, n))
		return 0;
	const uint8_t *got = sh->cbuf;
	size_t got_len = n;
	if (sh->o->consumed) {
		size_t l = 0;
		const uint8_t *c = sh->o->consumed(sh->o->ctx, &l);
		if (c && l) {
			got = c;
			got_len = l;
		}
	}
	struct vs_stream t = {0};
	if (vs_decode(&t, got, got_len) == FERRET_ENOMEM) {
		vs_release(&t);
		sh->err = FERRET_ENOMEM;
		return 0;
	}
	strip_names(&t);
	int taken = key_cmp(&t, &sh->cur) < 0 && !set_current(sh, &t);
	vs_release(&t);
	if (taken)
		sh->st->taken++;
	return taken;
}

/* Starts a candidate as a copy of the current records. */
static int cand_copy(struct shrinker *sh)
{
	sh->cand.n = 0;
	for (size_t i = 0; i < sh->cur.n; i++)
		if (vs_push(&sh->cand, &sh->cur.rec[i])) {
			sh->err = FERRET_ENOMEM;
			return -1;
		}
	return 0;
}

/* Tries the current stream without records [at, at + k). */
static int try_delete(struct shrinker *sh, size_t at, size_t k)
{
	if (cand_copy(sh))
		return 0;
	memmove(&sh->cand.rec[at], &sh->cand.rec[at + k],
		(sh->cand.n - at - k) * sizeof(*sh->cand.rec));
	sh->cand.n -= k;
	return try_cand(sh);
}

/* Deletes blocks of k records, at positions at 0, step, 2 step, ... */
static int delete_blocks(struct shrinker *sh, size_t k, size_t step)
{
	int progress = 0;
	for (size_t at = 0; at + k <= sh->cur.n && !stopped(sh);) {
		if (try_delete(sh, at, k))
			progress = 1;
		else
			at += step;
	}
	return progress;
}

static int pass_delete(struct shrinker *sh)
{
	int progress = 0;
	for (size_t k = sh->cur.n / 2; k > BLOCK_MAX; k /= 2)
		progress |= delete_blocks(sh, k, k);
	for (size_t k = BLOCK_MAX; k >= 1; k--)
		progress |= delete_blocks(sh, k, 1);
	return progress;
}

/* Tries the current stream with integer record i set to v. */
static int try_int(struct shrinker *sh, size_t i, uint64_t v)
{
	if (cand_copy(sh))
		return 0;
	sh->cand.rec[i].value = v;
	return try_cand(sh);
}

/*
 * Lowers integer record i, each value tried by try_value: to 0, else to
 * value-1 and, when that succeeds, by binary search between lo (the highest value known not to
 * fail) and the record's current value (failing). Values below a range's low bound come back from
 * the runtime as the low bound (seed 0), so the search ends on the least failing value the test can
 * see.
 */
static int lower_by(struct shrinker *sh, size_t i,
		    int (*try_value)(struct shrinker *sh, size_t i, uint64_t v))
{
	uint64_t v = sh->cur.rec[i].value;
	if (try_value(sh, i, 0))
		return 1;
	if (!try_value(sh, i, v - 1))
		return 0;
	for (uint64_t lo = 0; !stopped(sh);) {
		if (i >= sh->cur.n || sh->cur.rec[i].kind != FERRET_VS_INT)
			break;
		uint64_t hi = sh->cur.rec[i].value;
		if (hi <= lo + 1)
			break;
		uint64_t mid = lo + (hi - lo) / 2;
		if (!try_value(sh, i, mid))
			lo = mid;
	}
	return 1;
}

static int lower_int(struct shrinker *sh, size_t i)
{
	return lower_by(sh, i, try_int);
}

static int pass_ints(struct shrinker *sh)
{
	int progress = 0;
	for (size_t i = 0; i < sh->cur.n && !stopped(sh); i++)
		if (sh->cur.rec[i].kind == FERRET_VS_INT && sh->cur.rec[i].value)
			progress |= lower_int(sh, i);
	return progress;
}

/* Tries the current stream with every integer of record i's uid that
 * equals record i's value set to v. */
static int try_dups(struct shrinker *sh, size_t i, uint64_t v)
{
	uint32_t uid = sh->cur.rec[i].uid;
	uint64_t old = sh->cur.rec[i].value;
	if (cand_copy(sh))
		return 0;
	for (size_t j = i; j < sh->cand.n; j++)
		if (sh->cand.rec[j].uid == uid && sh->cand.rec[j].kind == FERRET_VS_INT &&
		    sh->cand.rec[j].value == old)
			sh->cand.rec[j].value = v;
	return try_cand(sh);
}

/*
 * Hypothesis's duplicated-choice pass: a bug that needs several equal
 * values (a run of four in a run-length codec) keeps them when they are
 * lowered one at a time, since any one lowered breaks the run. Lowers all
 * integers of one uid equal to record i together, as lower_int does one.
 */
static int pass_dups(struct shrinker *sh)
{
	int progress = 0;
	for (size_t i = 0; i < sh->cur.n && !stopped(sh); i++) {
		const struct vs_record *r = &sh->cur.rec[i];
		size_t same = 0;
		if (r->kind != FERRET_VS_INT || !r->value)
			continue;
		for (size_t j = i + 1; j < sh->cur.n && !same; j++)
			same = sh->cur.rec[j].uid == r->uid &&
			       sh->cur.rec[j].kind == FERRET_VS_INT &&
			       sh->cur.rec[j].value == r->value;
		if (!same)
			continue;
		progress |= lower_by(sh, i, try_dups);
	}
	return progress;
}

/* Copies BYTES record i into the scratch buffer and points a fresh
 * candidate's record i at it; NULL when out of memory. */
static uint8_t *bytes_cand(struct shrinker *sh, size_t i)
{
	const struct vs_record *r = &sh->cur.rec[i];
	if (grow(&sh->scratch, &sh->scap, (size_t)r->len + 1)) {
		sh->err = FERRET_ENOMEM;
		return NULL;
	}
	if (r->len)
		memcpy(sh->scratch, r->bytes, r->len);
	if (cand_copy(sh))
		return NULL;
	sh->cand.rec[i].bytes = sh->scratch;
	return sh->scratch;
}

/* Tries record i cut to its first n bytes. */
static int try_cut(struct shrinker *sh, size_t i, uint32_t n)
{
	if (!bytes_cand(sh, i))
		return 0;
	sh->cand.rec[i].len = n;
	return try_cand(sh);
}

/* Tries record i without bytes [at, at + k). */
static int try_cut_run(struct shrinker *sh, size_t i, uint32_t at, uint32_t k)
{
	uint8_t *b = bytes_cand(sh, i);
	if (!b)
		return 0;
	uint32_t len = sh->cand.rec[i].len;
	memmove(b + at, b + at + k, len - at - k);
	sh->cand.rec[i].len = len - k;
	return try_cand(sh);
}

/* Tries record i with bytes [at, at + k) set to v (byte lowering when
 * k is 1, zeroing a run when v is 0). */
static int try_fill(struct shrinker *sh, size_t i, uint32_t at, uint32_t k, uint8_t v)
{
	uint8_t *b = bytes_cand(sh, i);
	if (!b)
		return 0;
	memset(b + at, v, k);
	return try_cand(sh);
}

/* Whether record i is still a BYTES record longer than at. */
static int bytes_at(const struct shrinker *sh, size_t i, uint32_t at)
{
	return i < sh->cur.n && sh->cur.rec[i].kind == FERRET_VS_BYTES && sh->cur.rec[i].len > at;
}

/*
 * Shrinks BYTES record i: the length by binary search (0, len-1, then
 * between), then deletes runs of bytes (halving chunks down to one byte),
 * zeroes runs the same way, and lowers each byte as lower_int lowers an
 * integer. Fixed-length bytes (ferret_bytes) come back padded from the
 * runtime, so cuts to them are simply not taken.
 */
static int shrink_bytes(struct shrinker *sh, size_t i)
{
	int progress = 0;
	uint32_t len = sh->cur.rec[i].len;
	if (try_cut(sh, i, 0))
		return 1;
	if (try_cut(sh, i, len - 1)) {
		progress = 1;
		for (uint32_t lo = 0; bytes_at(sh, i, 0) && !stopped(sh);) {
			uint32_t hi = sh->cur.rec[i].len;
			if (hi <= lo + 1)
				break;
			uint32_t mid = lo + (hi - lo) / 2;
			if (!try_cut(sh, i, mid))
				lo = mid;
		}
	}
	for (uint32_t k = bytes_at(sh, i, 1) ? sh->cur.rec[i].len / 2 : 1; k >= 1; k /= 2) {
		for (uint32_t at = 0; bytes_at(sh, i, at + k - 1) && !stopped(sh);)
			if (try_cut_run(sh, i, at, k))
				progress = 1;
			else
				at += k > 1 ? k : 1;
		if (k == 1)
			break;
	}
	for (uint32_t k = bytes_at(sh, i, 1) ? sh->cur.rec[i].len / 2 : 1; k >= 1; k /= 2) {
		for (uint32_t at = 0; bytes_at(sh, i, at + k - 1) && !stopped(sh); at += k) {
			const uint8_t *b = sh->cur.rec[i].bytes + at;
			uint32_t z = 0;
			while (z < k && !b[z])
				z++;
			if (z < k && try_fill(sh, i, at, k, 0))
				progress = 1;
		}
		if (k == 1)
			break;
	}
	for (uint32_t at = 0; bytes_at(sh, i, at) && !stopped(sh); at++) {
		uint8_t v = sh->cur.rec[i].bytes[at];
		if (!v || !try_fill(sh, i, at, 1, (uint8_t)(v - 1)))
			continue;
		progress = 1;
		for (uint8_t lo = 0; bytes_at(sh, i, at) && !stopped(sh);) {
			uint8_t hi = sh->cur.rec[i].bytes[at];
			if (hi <= lo + 1)
				break;
			uint8_t mid = (uint8_t)(lo + (hi - lo) / 2);
			if (!try_fill(sh, i, at, 1, mid))
				lo = mid;
		}
	}
	return progress;
}

static int pass_bytes(struct shrinker *sh)
{
	int progress = 0;
	for (size_t i = 0; i < sh->cur.n && !stopped(sh); i++)
		if (sh->cur.rec[i].kind == FERRET_VS_BYTES && sh->cur.rec[i].len)
			progress |= shrink_bytes(sh, i);
	return progress;
}

/* Whether blocks [a, a + k) and [b, b + k) have the same uids and kinds
 * record by record, and which is lexicographically smaller. */
static int same_shape(const struct vs_stream *s, size_t a, size_t b, size_t k)
{
	for (size_t j = 0; j < k; j++)
		if (s->rec[a + j].uid != s->rec[b + j].uid ||
		    s->rec[a + j].kind != s->rec[b + j].kind)
			return 0;
	return 1;
}

static int block_cmp(const struct vs_stream *s, size_t a, size_t b, size_t k)
{
	for (size_t j = 0; j < k; j++) {
		int c = rec_cmp(&s->rec[a + j], &s->rec[b + j]);
		if (c)
			return c;
	}
	return 0;
}

/* Swaps adjacent blocks of 1..8 records of the same shape when the later
 * one is smaller: sorting a list, so smaller values come first. */
static int pass_reorder(struct shrinker *sh)
{
	int progress = 0;
	for (size_t k = 1; k <= BLOCK_MAX; k++)
		for (size_t at = 0; at + 2 * k <= sh->cur.n && !stopped(sh); at++) {
			if (!same_shape(&sh->cur, at, at + k, k) ||
			    block_cmp(&sh->cur, at + k, at, k) >= 0 || cand_copy(sh))
				continue;
			for (size_t j = 0; j < k; j++) {
				struct vs_record t = sh->cand.rec[at + j];
				sh->cand.rec[at + j] = sh->cand.rec[at + k + j];
				sh->cand.rec[at + k + j] = t;
			}
			progress |= try_cand(sh);
		}
	return progress;
}

/* Tries moving d from integer i to integer j (j + d must not wrap). */
static int try_move(struct shrinker *sh, size_t i, size_t j, uint64_t d)
{
	if (cand_copy(sh))
		return 0;
	sh->cand.rec[i].value -= d;
	sh->cand.rec[j].value += d;
	return try_cand(sh);
}

/*
 * Hypothesis's pair redistribution: "a + b > 100" stops at any a, b with
 * a + b = 101 when each is lowered alone; moving value from the earlier to
 * the later one makes the stream lexicographically smaller and reaches
 * 0, 101. Tries the whole of i, then halves the amount down to 1. Runs only
 * when no other pass helped: it is up to 4 * 64 tries per integer.
 */
static int pass_redistribute(struct shrinker *sh)
{
	int progress = 0;
	for (size_t i = 0; i < sh->cur.n && !stopped(sh); i++)
		for (size_t j = i + 1; j <= i + PAIR_SPAN && j < sh->cur.n && !stopped(sh); j++) {
			const struct vs_record *a = &sh->cur.rec[i], *b = &sh->cur.rec[j];
			if (a->kind != FERRET_VS_INT || b->kind != FERRET_VS_INT)
				continue;
			for (uint64_t d = a->value; d && !stopped(sh);) {
				if (i >= sh->cur.n || j >= sh->cur.n)
					break;
				a = &sh->cur.rec[i], b = &sh->cur.rec[j];
				if (a->kind != FERRET_VS_INT || b->kind != FERRET_VS_INT)
					break;
				if (d > a->value)
					d = a->value;
				if (!d || b->value + d < b->value || !try_move(sh, i, j, d))
					d /= 2;
				else
					progress = 1;
			}
		}
	return progress;
}

int shrink_stream(const struct shrink_oracle *o, size_t max_tries, const uint8_t *data, size_t len,
		  uint8_t **out, size_t *out_len, struct shrink_stats *st)
{
	struct shrinker sh = {.o = o, .max_tries = max_tries, .st = st};
	struct vs_stream in = {0};
	memset(st, 0, sizeof(*st));
	*out = NULL;
	*out_len = 0;
	/* A crash's log may end in a record cut short: keep the whole ones. */
	uint64_t seed;
	int rc = vs_decode(&in, data, len);
	if (rc == FERRET_ENOMEM || !vstream_get_header(data, len, &seed)) {
		vs_release(&in);
		return rc ? rc : FERRET_EPARSE;
	}
	strip_names(&in);
	st->values_before = in.n;
	/* With seed 0 every value deleted comes back minimal; keep the input's
	 * seed only when the input fails with it alone. */
	sh.cur.seed = 0;
	if (!set_current(&sh, &in) && in.seed) {
		/* Does it fail with seed 0 too? */
		if (grow(&sh.cbuf, &sh.ccap, sh.len)) {
			sh.err = FERRET_ENOMEM;
		} else {
			memcpy(sh.cbuf, sh.buf, sh.len);
			st->tries++;
			seen_add(&sh, hash64(sh.cbuf, sh.len));
			if (!o->fails(o->ctx, sh.cbuf, sh.len)) {
				sh.cur.seed = in.seed;
				set_current(&sh, &in);
			}
		}
	}
	vs_release(&in);
	for (int progress = 1; progress && !stopped(&sh);) {
		progress = pass_delete(&sh);
		progress |= pass_ints(&sh);
		progress |= pass_dups(&sh);
		progress |= pass_bytes(&sh);
		progress |= pass_reorder(&sh);
		if (!progress)
			progress = pass_redistribute(&sh);
	}
	rc = sh.err;
	if (!rc) {
		*out = sh.buf;
		*out_len = sh.len;
		sh.buf = NULL;
		st->values_after = sh.cur.n;
	}
	free(sh.buf);
	free(sh.cbuf);
	free(sh.scratch);
	free(sh.seen);
	vs_release(&sh.cur);
	vs_release(&sh.cand);
	return rc;
}
