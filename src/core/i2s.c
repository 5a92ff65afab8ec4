/*
 * i2s.c - input-to-state candidates from a compare log (see i2s.h).
 *
 * i2s_run works in three layers, in this order:
 *   structure  what must stay true of the input, read from the input and
 *              the log before any candidate: checksum fields (a CRC-32,
 *              CRC-32C, Adler-32 or byte sum of a range, stored in the
 *              input in binary or in decimal digits) and length fields (a
 *              value equal to the number of bytes that follow it, to the
 *              end or to a delimiter). Every candidate is fixed up to keep
 *              them: lengths recounted, then checksums recomputed,
 *              innermost range first.
 *   strings    1-byte compares read together: one site's ring in order (a
 *              loop comparing a keyword byte by byte) and byte compares
 *              logged one right after the other (seq; clang -O1 folds
 *              nested byte ifs into unconditional compares and one branch)
 *              are one string compare, put where the input's bytes are.
 *   records    each logged pair: one operand written where the other is
 *              (each width, both byte orders, ASCII), inserted before it,
 *              appended when it is nowhere; an operand that is nowhere but
 *              is the sum or difference of two fields of the input sets
 *              those fields instead.
 *
 * Cost, on an input of n bytes and a log of k records: one pass over the
 * input per operand encoding, twice (structure, then candidates: O(k * n)),
 * at most SPLIT_CALLS x 2 x 3 x FIELD_SCAN binary searches for operands
 * found nowhere, at most CSUM_SEARCHES x 4 x 21 checksum passes for the
 * checksums the log suggests, and 99 for those in the input, each over at
 * most CSUM_SCAN bytes, table-driven. Measured on random logs of 50-200
 * records, a third of them not constant (-O2): 0.13 ms a call on 64
 * bytes, 2.0 ms on 1 KiB, 3.4 ms on 4 KiB (with every record not
 * constant: 0.16, 2.2, 4.6 ms; before the structure and the sums: 0.08,
 * 1.1, 1.6 ms), against the up to 2048 runs of the candidates it emits. A
 * SEEN_SLOTS hash set of candidate hashes drops duplicates. The state
 * (about 70 KiB) is allocated per call, not put on the stack: the
 * in-process worker may run on a small one.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "i2s.h"
#include "banned.h"

#define MAX_HITS_PER_PATTERN 16
#define SEEN_SLOTS 4096
/* Fields summed or subtracted: 2, 4 and 8 bytes wide in the first bytes of
 * the input; at most MAX_SPLITS pairs per operand, nearest pairs first. */
#define FIELD_SCAN 256
/* A bit per hashed field value, so that most lookups of a value that is no
 * field (nearly all of split_fields' 3 x 2 x 2 per offset) cost one load
 * instead of a binary search: 256 values in 4096 bits, 6 % false hits. */
#define FIELD_BITS 4096
#define MAX_SPLITS 4
/* Candidates from sums and differences per call: most operands found
 * nowhere are computed from something else (a loop counter against its
 * bound, a hash), and any two fields relate to them by chance. */
#define SPLIT_BUDGET 64
#define SPLIT_CALLS 16 /* operands searched for per call */
/* Products: a field times a small constant (product_fields). */
#define PRODUCT_MAX_K 16
/* Length fields: 1, 2 and 4 bytes wide, starting in the first bytes. */
#define LEN_SCAN 64
#define GAP 4 /* bytes a length field may skip (find_lengths) */
/* Checksums found in the input alone: 4-byte fields in the first
 * CSUM_HDR_SCAN bytes over what follows them, or stored right after a
 * range starting at one of the first CSUM_STARTS offsets; ranges end in
 * the first CSUM_SCAN bytes. A 32-bit match by chance is 2^-32 a try. */
#define CSUM_HDR_SCAN 16
#define CSUM_STARTS 17 /* after a header of up to 16 bytes: PNG's first chunk type is at 12 */
#define CSUM_SCAN 4096
/* Checksums the log suggests (a compare of a value found nowhere with a
 * field, not a constant): at most this many searches per call. */
#define CSUM_SEARCHES 4
#define MAX_DELIMS 8
/* Strings read from byte compares: at most this long (the last bytes). */
#define MAX_BYTE_RUN 32
#define MAX_BYTE_RECS 1024

enum csum_fn { CS_CRC32, CS_CRC32C, CS_ADLER32, CS_SUM, CS__COUNT };

enum fix_kind { FIX_LEN = 1, FIX_CSUM = 2 };

/* How a field holds its value: binary, either byte order (the int `big` of
 * the searches is one of the first two), or ASCII decimal digits, as many
 * as the field is wide (zero-padded when written). */
enum fix_enc { ENC_LE = 0, ENC_BE = 1, ENC_DEC = 2 };

/* One candidate as an edit of the input: [pos, pos + old) replaced by rep,
 * and optionally a second same-length write at pos2 (two fields set). */
struct edit {
	size_t pos, old;
	const uint8_t *rep;
	size_t rep_len;
	size_t pos2;
	const uint8_t *rep2;
	size_t len2;
};

struct field {
	uint64_t v;
	size_t pos;
};

struct gen {
	const uint8_t *in;
	size_t len;
	uint8_t *out;
	size_t cap;
	size_t emitted, max;
	i2s_emit_fn emit;
	void *ctx;
	int stop;
	unsigned flags; /* enum i2s_flags */
	size_t split_left, split_calls, csum_left;
	/* the candidate to follow (i2s_run_ex): wanted, being marked, kept */
	int want_follow, mark_follow;
	uint8_t *follow;
	size_t follow_len;
	struct i2s_field fix[I2S_MAX_FIELDS];
	size_t n_fix;
	uint8_t delim[MAX_DELIMS];
	size_t n_delim;
	/* records already served: a found string (bit per way), and the
	 * checksum records whose computed side is a (csum_a) or b (csum_b) */
	uint8_t done[FERRET_CMP_SITES], csum_a[FERRET_CMP_SITES], csum_b[FERRET_CMP_SITES];
	int fields_built;
	size_t n_fields[3][2];
	uint64_t seen[SEEN_SLOTS];
	/* the sites that hold records, in order (see live_sites) */
	size_t n_live;
	uint32_t *live;
	/* not cleared: built by build_fields before it is read */
	struct field fields[3][2][FIELD_SCAN];      /* widths 2, 4, 8; LE, BE; by value */
	uint64_t field_bits[3][2][FIELD_BITS / 64]; /* a bit per value hash */
};

static void store_uint(uint8_t *p, uint64_t v, unsigned w, int big)
{
	for (unsigned i = 0; i < w; i++)
		p[big ? w - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

static uint64_t load_uint(const uint8_t *p, unsigned w, int big)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < w; i++)
		v |= (uint64_t)p[big ? w - 1 - i : i] << (8 * i);
	return v;
}

static uint64_t width_mask(unsigned w)
{
	return w >= 8 ? ~0ull : (1ull << (8 * w)) - 1;
}

/* v as exactly w decimal digits (1..8), zero-padded; 0 when it needs more. */
static int store_dec(uint8_t *p, uint64_t v, unsigned w)
{
	for (unsigned i = w; i-- > 0; v /= 10)
		p[i] = (uint8_t)('0' + v % 10);
	return v == 0;
}

/* Where the decimal digits of v are in the input as a whole number (no
 * digit right before or after), at least 3 of them; 0 when nowhere. */
static int find_dec(const uint8_t *in, size_t len, uint64_t v, size_t *at, unsigned *w)
{
	char d[24];
	int n = snprintf(d, sizeof(d), "%llu", (unsigned long long)v);
	if (n < 3 || n > 8)
		return 0;
	for (size_t pos = 0; pos + (size_t)n <= len; pos++) {
		const uint8_t *p = memmem(in + pos, len - pos, d, (size_t)n);
		if (!p)
			return 0;
		pos = (size_t)(p - in);
		if ((pos == 0 || in[pos - 1] < '0' || in[pos - 1] > '9') &&
		    (pos + (size_t)n == len || in[pos + n] < '0' || in[pos + n] > '9')) {
			*at = pos;
			*w = (unsigned)n;
			return 1;
		}
	}
	return 0;
}

/* ---- checksums ---------------------------------------------------------- */

struct csum_state {
	uint32_t x, y;
};

static void cs_init(int fn, struct csum_state *s)
{
	s->x = fn == CS_CRC32 || fn == CS_CRC32C ? 0xffffffffu : fn == CS_ADLER32 ? 1 : 0;
	s->y = 0;
}

/* The reflected tables of CRC-32 (zlib, 0xedb88320) and CRC-32C
 * (Castagnoli, 0x82f63b78), filled by the first i2s_run_ex (before any
 * i2s_keep can have a structure to keep); always the same values. */
static uint32_t crc_tab[2][256];
static int crc_tab_ready;

static void crc_tables(void)
{
	static const uint32_t poly[2] = {0xedb88320u, 0x82f63b78u};
	if (crc_tab_ready)
		return;
	for (int t = 0; t < 2; t++)
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;
			for (int k = 0; k < 8; k++)
				c = (c >> 1) ^ (poly[t] & (0u - (c & 1)));
			crc_tab[t][i] = c;
		}
	crc_tab_ready = 1;
}

static inline void cs_step(int fn, struct csum_state *s, uint8_t c)
{
	switch (fn) {
	case CS_CRC32:
	case CS_CRC32C:
		s->x = crc_tab[fn == CS_CRC32C][(s->x ^ c) & 0xff] ^ (s->x >> 8);
		break;
	case CS_ADLER32: /* both stay below 65521: a subtraction, not a division */
		s->x += c;
		s->x -= s->x >= 65521u ? 65521u : 0;
		s->y += s->x;
		s->y -= s->y >= 65521u ? 65521u : 0;
		break;
	default:
		s->x += c;
		break;
	}
}

static uint32_t cs_value(int fn, const struct csum_state *s)
{
	if (fn == CS_CRC32 || fn == CS_CRC32C)
		return ~s->x;
	if (fn == CS_ADLER32)
		return s->y << 16 | s->x;
	return s->x;
}

static uint32_t csum(int fn, const uint8_t *p, size_t n)
{
	struct csum_state s;
	cs_init(fn, &s);
	for (size_t i = 0; i < n; i++)
		cs_step(fn, &s, p[i]);
	return cs_value(fn, &s);
}

/* ---- fixups ------------------------------------------------------------- */

/* Where field f of st is in a mutant of len bytes (i2s_keep's rule):
 * positions kept from the start, but a field that ended the input ends it
 * again, and a range to the end ends at the new end. 0 when it does not
 * fit. */
static int keep_place(const struct i2s_structure *st, const struct i2s_field *f, size_t len,
		      size_t *at, size_t *to)
{
	*at = f->at;
	*to = f->to;
	if (f->at + f->width == st->len) { /* it ended the input: a trailer */
		if (len < f->width)
			return 0;
		*at = len - f->width;
		*to = f->to == f->at ? *at : *to;
	}
	if (f->to == st->len)
		*to = len;
	return 1;
}

static void add_fixup(struct gen *g, int kind, size_t at, unsigned width, int enc, int fn,
		      int delim, size_t from, size_t to)
{
	for (size_t i = 0; i < g->n_fix; i++)
		if (g->fix[i].at == at && g->fix[i].kind == kind)
			return;
	if (g->n_fix == I2S_MAX_FIELDS)
		return;
	struct i2s_field *f = &g->fix[g->n_fix++];
	f->kind = (uint8_t)kind;
	f->width = (uint8_t)width;
	f->enc = (uint8_t)enc;
	f->fn = (uint8_t)fn;
	f->delim = delim;
	f->at = at;
	f->from = from;
	f->to = to;
}

/* Where a byte position of the input is in the candidate: an edit of the
 * same length moves nothing; a range start keeps bytes inserted at it, a
 * range end keeps bytes inserted at it (an append stays inside a range to
 * the end). */
static size_t map_from(const struct edit *e, size_t x)
{
	if (x <= e->pos || e->old == e->rep_len)
		return x;
	if (x >= e->pos + e->old)
		return x - e->old + e->rep_len;
	return e->pos;
}

static size_t map_to(const struct edit *e, size_t x)
{
	if (x < e->pos || (x == e->pos && e->old) || e->old == e->rep_len)
		return x;
	if (x >= e->pos + e->old)
		return x - e->old + e->rep_len;
	return e->pos + e->rep_len;
}

/* A field moves with the bytes before it; one the edit writes into
 * belongs to the edit (0). */
static int map_field(const struct edit *e, size_t at, size_t w, size_t *to)
{
	if (e->len2 && at < e->pos2 + e->len2 && e->pos2 < at + w)
		return 0;
	if (at + w <= e->pos)
		*to = at;
	else if (at >= e->pos + e->old)
		*to = at - e->old + e->rep_len;
	else
		return 0;
	return 1;
}

/*
 * Makes field f, now at `at` over out[from, to) of out[0..n), true: its
 * range's length or checksum, in its encoding. A range up to a delimiter
 * ends at the first one from `from` (to is not read). Returns 1 when it
 * wrote a different value, 0 when the value was right, -1 when the field
 * or its range is not in out or the value does not fit.
 */
static int put_field(uint8_t *out, size_t n, const struct i2s_field *f, size_t at, size_t from,
		     size_t to)
{
	if (f->delim >= 0 && from <= n) {
		const uint8_t *d = memchr(out + from, f->delim, n - from);
		to = d ? (size_t)(d - out) : SIZE_MAX;
	}
	if (from > to || to > n || at + f->width > n || (at < to && from < at + f->width))
		return -1; /* not in out, or the field moved into its range */
	uint64_t v =
		f->kind == FIX_LEN ? (uint64_t)(to - from) : csum(f->fn, out + from, to - from);
	uint8_t b[8];
	if (f->enc == ENC_DEC) {
		if (!store_dec(b, v, f->width))
			return -1; /* more digits than the field has */
	} else {
		v &= width_mask(f->width);
		if (f->kind == FIX_LEN && v != (uint64_t)(to - from))
			return -1; /* does not fit */
		store_uint(b, v, f->width, f->enc == ENC_BE);
	}
	if (!memcmp(out + at, b, f->width))
		return 0;
	memcpy(out + at, b, f->width);
	return 1;
}

/*
 * Keeps the fields of g->fix true in out[0..n) after edit e: length fields
 * get the length of their range as it is now (when with_len), then each
 * checksum is recomputed over its range (they were sorted innermost
 * first). Returns whether a length field changed.
 */
static int apply_fixups(struct gen *g, size_t n, const struct edit *e, int with_len)
{
	int changed = 0;
	for (size_t i = 0; i < g->n_fix; i++) {
		const struct i2s_field *f = &g->fix[i];
		size_t at;
		if ((f->kind == FIX_LEN && !with_len) || !map_field(e, f->at, f->width, &at))
			continue;
		if (put_field(g->out, n, f, at, map_from(e, f->from), map_to(e, f->to)) > 0)
			changed |= f->kind == FIX_LEN;
	}
	return changed;
}

/* ---- emitting ----------------------------------------------------------- */

/* Builds e into g->out; returns the length, 0 when it does not fit. */
static size_t build(struct gen *g, const struct edit *e)
{
	size_t n = g->len - e->old + e->rep_len;
	if (n > g->cap || n == 0)
		return 0;
	memcpy(g->out, g->in, e->pos);
	if (e->rep_len)
		memcpy(g->out + e->pos, e->rep, e->rep_len);
	memcpy(g->out + e->pos + e->rep_len, g->in + e->pos + e->old, g->len - e->pos - e->old);
	if (e->len2)
		memcpy(g->out + e->pos2, e->rep2, e->len2);
	return n;
}

static void submit(struct gen *g, size_t n)
{
	if (g->stop || (n == g->len && !memcmp(g->out, g->in, n)))
		return;
	uint64_t h = XXH3_64bits(g->out, n) | 1;
	for (size_t i = h % SEEN_SLOTS, probes = 0; probes < SEEN_SLOTS;
	     i = (i + 1) % SEEN_SLOTS, probes++) {
		if (g->seen[i] == h)
			return;
		if (!g->seen[i]) {
			g->seen[i] = h;
			break;
		}
	}
	if (g->mark_follow && !g->follow && (g->follow = malloc(n))) {
		memcpy(g->follow, g->out, n);
		g->follow_len = n;
	}
	g->emitted++;
	if (g->emit(g->ctx, g->out, n) || g->emitted >= g->max)
		g->stop = 1;
}

/* Emits edit e with the structure kept; when that changed a length field,
 * also without (the field may not be one). */
static void emit_edit(struct gen *g, const struct edit *e)
{
	if (g->stop)
		return;
	size_t n = build(g, e);
	if (!n)
		return;
	if (!g->n_fix || !apply_fixups(g, n, e, 1)) {
		submit(g, n);
		return;
	}
	submit(g, n);
	if (!g->stop && build(g, e)) {
		apply_fixups(g, n, e, 0);
		submit(g, n);
	}
}

/* Emits in with [pos, pos+old) replaced by rep[0..rep_len). */
static void emit_replace(struct gen *g, size_t pos, size_t old, const uint8_t *rep, size_t rep_len)
{
	struct edit e = {.pos = pos, .old = old, .rep = rep, .rep_len = rep_len};
	emit_edit(g, &e);
}

enum swap_mode { SWAP_OVERWRITE, SWAP_RESIZE, SWAP_INSERT };

/* Where pat is in the input, overlapping places too, in order, at most
 * MAX_HITS_PER_PATTERN of them. Returns how many. */
static size_t find_hits(const struct gen *g, const uint8_t *pat, size_t plen, size_t *at)
{
	size_t hits = 0;
	if (!plen || plen > g->len)
		return 0;
	for (size_t pos = 0; pos + plen <= g->len && hits < MAX_HITS_PER_PATTERN; pos++) {
		const uint8_t *p = memmem(g->in + pos, g->len - pos, pat, plen);
		if (!p)
			break;
		pos = (size_t)(p - g->in);
		at[hits++] = pos;
	}
	return hits;
}

/* At every occurrence (up to a bound) of pat: rep written over it (a
 * longer rep runs on over what follows, up to the end), put in its place
 * (SWAP_RESIZE), or inserted before it (SWAP_INSERT). Returns the hits. */
static size_t swap_bytes(struct gen *g, const uint8_t *pat, size_t plen, const uint8_t *rep,
			 size_t rep_len, enum swap_mode mode)
{
	size_t at[MAX_HITS_PER_PATTERN], hits = find_hits(g, pat, plen, at);
	for (size_t h = 0; h < hits && !g->stop; h++) {
		size_t pos = at[h];
		if (mode == SWAP_INSERT) {
			emit_replace(g, pos, 0, rep, rep_len);
		} else if (rep_len == plen || mode == SWAP_OVERWRITE) {
			size_t room = g->len - pos;
			emit_replace(g, pos, rep_len < room ? rep_len : room, rep, rep_len);
		} else {
			emit_replace(g, pos, plen, rep, rep_len);
		}
	}
	return hits;
}

/* The compared bytes were not in the input at all: most often the program
 * read past its end (a zeroed buffer, a default value). Appending the
 * wanted value gets it there. */
static void append(struct gen *g, const uint8_t *rep, size_t rep_len)
{
	emit_replace(g, g->len, 0, rep, rep_len);
}

/* ---- integers ----------------------------------------------------------- */

/* Does v (a w-byte value) come from a ww-byte one, zero- or sign-extended? */
static int fits(uint64_t v, unsigned ww, unsigned w)
{
	uint64_t wmask = width_mask(w);
	uint64_t lim = (1ull << (8 * ww)) - 1;
	if (v <= lim)
		return 1;
	uint64_t sign_ext = (wmask & ~lim) | (v & lim);
	return (v & (1ull << (8 * ww - 1))) && v == sign_ext;
}

/* The first place v (a w-byte compare operand) is in the input, as min_w
 * bytes or more, either byte order; 0 when nowhere. */
static int find_int(const struct gen *g, uint64_t v, unsigned w, unsigned min_w, size_t *at,
		    unsigned *ww_out, int *big_out)
{
	static const unsigned widths[] = {8, 4, 2, 1};
	for (size_t k = 0; k < 4; k++) {
		unsigned ww = widths[k];
		if (ww > w || ww < min_w || (ww < w && !fits(v, ww, w)))
			continue;
		for (int big = 0; big <= (ww > 1); big++) {
			uint8_t p[8];
			store_uint(p, v, ww, big);
			const uint8_t *hit = memmem(g->in, g->len, p, ww);
			if (hit) {
				*at = (size_t)(hit - g->in);
				*ww_out = ww;
				*big_out = big;
				return 1;
			}
		}
	}
	return 0;
}

static unsigned field_hash(uint64_t v)
{
	return (unsigned)((v * 0x9e3779b97f4a7c15ull) >> 52); /* 12 bits: FIELD_BITS */
}

/*
 * Sorts f[0..n) (n <= FIELD_SCAN, made in position order) by value, equal
 * values in position order: a bottom-up merge sort through tmp, stable, so
 * the order is qsort's by (value, position). Inline compares: with qsort's
 * callback the six sorts of build_fields were a tenth of a stalled
 * in-process loop on a trivial target.
 */
static void sort_fields(struct field *f, size_t n, struct field *tmp)
{
	struct field *src = f, *dst = tmp;
	for (size_t run = 1; run < n; run *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * run) {
			size_t mid = lo + run < n ? lo + run : n;
			size_t hi = lo + 2 * run < n ? lo + 2 * run : n;
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				dst[k++] = src[j].v < src[i].v ? src[j++] : src[i++];
			while (i < mid)
				dst[k++] = src[i++];
			while (j < hi)
				dst[k++] = src[j++];
		}
		struct field *t = src;
		src = dst;
		dst = t;
	}
	if (src != f)
		memcpy(f, src, n * sizeof(*f));
}

/* The 2-, 4- and 8-byte fields at each offset of the first FIELD_SCAN
 * bytes, both byte orders, sorted by value: built once, on first need. */
static void build_fields(struct gen *g)
{
	static const unsigned widths[3] = {2, 4, 8};
	g->fields_built = 1;
	size_t scan = g->len < FIELD_SCAN ? g->len : FIELD_SCAN;
	struct field tmp[FIELD_SCAN];
	for (int k = 0; k < 3; k++)
		for (int big = 0; big < 2; big++) {
			size_t n = 0;
			uint64_t *bits = g->field_bits[k][big];
			memset(bits, 0, sizeof(g->field_bits[k][big]));
			for (size_t p = 0; p + widths[k] <= scan; p++) {
				uint64_t v = load_uint(g->in + p, widths[k], big);
				unsigned h = field_hash(v);
				bits[h / 64] |= 1ull << (h % 64);
				g->fields[k][big][n].v = v;
				g->fields[k][big][n++].pos = p;
			}
			sort_fields(g->fields[k][big], n, tmp);
			g->n_fields[k][big] = n;
		}
}

/* The field with value v nearest to p1 that does not overlap [p1, p1+w). */
static int lookup_field(const struct gen *g, int k, int big, uint64_t v, size_t p1, unsigned w,
			size_t *p2)
{
	unsigned h = field_hash(v);
	if (!(g->field_bits[k][big][h / 64] >> (h % 64) & 1))
		return 0;
	const struct field *f = g->fields[k][big];
	size_t lo = 0, hi = g->n_fields[k][big];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (f[mid].v < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t best = SIZE_MAX, dist = SIZE_MAX;
	for (size_t i = lo; i < g->n_fields[k][big] && f[i].v == v && i < lo + 64; i++) {
		size_t q = f[i].pos;
		if (q + w > p1 && p1 + w > q)
			continue;
		size_t d = q > p1 ? q - p1 : p1 - q;
		if (d < dist) {
			dist = d;
			best = q;
		}
	}
	if (best == SIZE_MAX)
		return 0;
	*p2 = best;
	return 1;
}

/* Sets the field at p (ww bytes) to v, and the one at p2 to v2 if two. */
static void emit_fields(struct gen *g, size_t p, uint64_t v, size_t p2, uint64_t v2, unsigned ww,
			int big, int two)
{
	uint8_t r[8], r2[8];
	store_uint(r, v, ww, big);
	store_uint(r2, v2, ww, big);
	struct edit e = {.pos = p, .old = ww, .rep = r, .rep_len = ww};
	if (two) {
		e.pos2 = p2;
		e.rep2 = r2;
		e.len2 = ww;
	}
	emit_edit(g, &e);
}

/* emit_fields for split_fields, from its budget. */
static void split_emit(struct gen *g, size_t p, uint64_t v, size_t p2, uint64_t v2, unsigned ww,
		       int big, int two)
{
	if (g->split_left) {
		g->split_left--;
		emit_fields(g, p, v, p2, v2, ww, big, two);
	}
}

/*
 * v, one side of a w-byte compare, is nowhere in the input, and t is the
 * other side. When v is f1 + f2 or f1 - f2 for two fields of the input
 * (same width and byte order, not overlapping: an offset and a size, an
 * end and a start), the candidates set one field so that the relation
 * gives t, or one field to t and the other to 0. Fields as wide as the
 * compare wrap around; narrower ones were promoted and do not. Widths from
 * the compare's down, at most MAX_SPLITS pairs each, nearest pairs first.
 * A difference of 0 does not tell which field is subtracted: both ways.
 * Two small values (both below 256: a loop counter and its bound) are left
 * alone, and the candidates of all calls share SPLIT_BUDGET (the searches,
 * 2 x 3 x FIELD_SCAN binary searches each, SPLIT_CALLS).
 */
static void split_fields(struct gen *g, uint64_t v, uint64_t t, unsigned w)
{
	static const unsigned widths[3] = {2, 4, 8};
	if ((v < 256 && t < 256) || !g->split_left || !g->split_calls)
		return;
	g->split_calls--;
	if (!g->fields_built)
		build_fields(g);
	uint64_t mask = width_mask(w);
	size_t scan = g->len < FIELD_SCAN ? g->len : FIELD_SCAN;
	for (int k = 2; k >= 0 && !g->stop; k--) {
		unsigned ww = widths[k];
		uint64_t fmask = width_mask(ww);
		int wrap = ww == w;
		size_t splits = 0;
		if (ww > w)
			continue;
		for (int big = 0; big < 2 && !g->stop; big++) {
			for (size_t p1 = 0;
			     p1 + ww <= scan && splits < MAX_SPLITS && g->split_left && !g->stop;
			     p1++) {
				uint64_t f1 = load_uint(g->in + p1, ww, big), f2;
				uint64_t sum_f2 = (v - f1) & mask, diff_f2 = (f1 - v) & mask;
				size_t p2;
				/* v = f1 + f2 */
				if ((wrap || f1 <= v) && sum_f2 <= fmask &&
				    lookup_field(g, k, big, sum_f2, p1, ww, &p2) && p1 < p2) {
					f2 = load_uint(g->in + p2, ww, big);
					splits++;
					uint64_t n1 = (t - f2) & mask, n2 = (t - f1) & mask;
					if ((wrap || t >= f2) && n1 <= fmask)
						split_emit(g, p1, n1, 0, 0, ww, big, 0);
					if ((wrap || t >= f1) && n2 <= fmask)
						split_emit(g, p2, n2, 0, 0, ww, big, 0);
					if ((t & mask) <= fmask) {
						split_emit(g, p1, t, p2, 0, ww, big, 1);
						split_emit(g, p1, 0, p2, t, ww, big, 1);
					}
				}
				/* v = f1 - f2 */
				if ((wrap || f1 >= v) && diff_f2 <= fmask &&
				    lookup_field(g, k, big, diff_f2, p1, ww, &p2) &&
				    (v || p1 < p2)) {
					f2 = load_uint(g->in + p2, ww, big);
					splits++;
					uint64_t n1 = (t + f2) & mask, n2 = (f1 - t) & mask;
					if (n1 <= fmask)
						split_emit(g, p1, n1, 0, 0, ww, big, 0);
					if ((wrap || f1 >= t) && n2 <= fmask)
						split_emit(g, p2, n2, 0, 0, ww, big, 0);
					if ((t & mask) <= fmask)
						split_emit(g, p1, t, p2, 0, ww, big, 1);
					if (!v) { /* f2 - f1 as well */
						n1 = (f2 - t) & mask;
						n2 = (t + f1) & mask;
						if (n2 <= fmask)
							split_emit(g, p2, n2, 0, 0, ww, big, 0);
						if ((wrap || f2 >= t) && n1 <= fmask)
							split_emit(g, p1, n1, 0, 0, ww, big, 0);
						if ((t & mask) <= fmask)
							split_emit(g, p1, 0, p2, t, ww, big, 1);
					}
				}
			}
		}
	}
}

/*
 * v, one side of a compare, is nowhere in the input but is k times a field
 * f of it, for a small k (an element size times a count: a table's size,
 * an allocation), and t is the other side. The candidates set the field so
 * that k * f' is t (when k divides t) or just above it, and to the
 * smallest f' for which k * f' wraps around the field's width: an integer
 * overflow in a size computation, which no compare shows (the product is
 * computed, never compared with the field). k from 2 to PRODUCT_MAX_K,
 * fields 8, 4 and 2 bytes wide, the one nearest the start; from the
 * budget of split_fields.
 */
static void product_fields(struct gen *g, uint64_t v, uint64_t t)
{
	static const unsigned widths[3] = {2, 4, 8};
	if (v < 4 || !g->split_left || !g->split_calls)
		return;
	g->split_calls--;
	if (!g->fields_built)
		build_fields(g);
	for (unsigned k = 2; k <= PRODUCT_MAX_K && !g->stop; k++) {
		if (v % k)
			continue;
		for (int wi = 2; wi >= 0 && !g->stop; wi--)
			for (int big = 0; big < 2 && !g->stop; big++) {
				size_t p;
				uint64_t m = width_mask(widths[wi]);
				if (v / k > m || !lookup_field(g, wi, big, v / k, 0, 0, &p))
					continue;
				if (t / k <= m && t % k == 0)
					split_emit(g, p, t / k, 0, 0, widths[wi], big, 0);
				if (t / k + 1 <= m)
					split_emit(g, p, t / k + 1, 0, 0, widths[wi], big, 0);
				split_emit(g, p, m / k + 1, 0, 0, widths[wi], big, 0);
			}
	}
}

/*
 * The program compared v with c, and c is the number of bytes after a
 * field that holds v (1, 2 or 4 bytes, either byte order): a length it
 * checks. That field gets c, wherever else v is in the input. The
 * position is computed, not searched: O(1) per encoding.
 */
static void length_field(struct gen *g, uint64_t v, uint64_t c, unsigned w)
{
	static const unsigned widths[] = {1, 2, 4};
	for (size_t k = 0; k < 3 && widths[k] <= w && !g->stop; k++) {
		unsigned ww = widths[k];
		if (c > g->len || g->len - c < ww || v > width_mask(ww) || c > width_mask(ww))
			continue;
		size_t q = g->len - c - ww;
		for (int big = 0; big <= (ww > 1); big++)
			if (load_uint(g->in + q, ww, big) == v)
				emit_fields(g, q, c, 0, 0, ww, big, 0);
	}
}

/* One direction of an integer pair: find pat (each encoding), write rep.
 * A pat found nowhere may be a sum or difference of fields (not when it is
 * the constant of a const compare). */
static void try_int(struct gen *g, uint64_t pat, uint64_t rep, unsigned w, int may_split)
{
	static const unsigned widths[] = {8, 4, 2, 1};
	size_t hits = 0;
	unsigned narrowest = w;
	for (size_t k = 0; k < 4 && !g->stop; k++) {
		unsigned ww = widths[k];
		if (ww > w)
			continue;
		if (ww < w) {
			/* A narrower field widened into the compare (C promotes a
			 * char to int before comparing): only when both values
			 * fit in the narrower width. */
			if (!fits(pat, ww, w) || !fits(rep, ww, w))
				continue;
		}
		narrowest = ww;
		for (int big = 0; big <= (ww > 1) && !g->stop; big++) {
			uint8_t p[8], r[8];
			size_t at[MAX_HITS_PER_PATTERN], n;
			store_uint(p, pat, ww, big);
			hits += n = find_hits(g, p, ww, at); /* once for the three values */
			for (int d = 0; d < 3 && !g->stop; d++) {
				uint64_t v = rep + (d == 1 ? 1 : d == 2 ? (uint64_t)-1 : 0);
				store_uint(r, v, ww, big);
				for (size_t h = 0; h < n; h++)
					emit_replace(g, at[h], ww, r, ww);
			}
		}
	}
	if (!hits && !g->stop) {
		uint8_t r[8];
		store_uint(r, rep, narrowest, 0);
		append(g, r, narrowest);
		if (w >= 2 && may_split) {
			split_fields(g, pat, rep, w);
			product_fields(g, pat, rep);
		}
	}
	/* ASCII forms: "1234" compared after atoi() */
	char ps[24], rs[24];
	const char *fmts[] = {"%llu", "%llx", "%llX"};
	for (size_t k = 0; k < 3 && !g->stop; k++) {
		int pn = snprintf(ps, sizeof(ps), fmts[k], (unsigned long long)pat);
		int rn = snprintf(rs, sizeof(rs), fmts[k], (unsigned long long)rep);
		if (pn >= 2 && rn > 0)
			swap_bytes(g, (const uint8_t *)ps, (size_t)pn, (const uint8_t *)rs,
				   (size_t)rn, SWAP_RESIZE);
	}
	if (w >= 2) {
		int64_t sp = w == 8 ? (int64_t)pat : w == 4 ? (int32_t)pat : (int16_t)pat;
		int64_t sr = w == 8 ? (int64_t)rep : w == 4 ? (int32_t)rep : (int16_t)rep;
		if (sp < 0 || sr < 0) {
			int pn = snprintf(ps, sizeof(ps), "%lld", (long long)sp);
			int rn = snprintf(rs, sizeof(rs), "%lld", (long long)sr);
			if (pn >= 2 && !g->stop)
				swap_bytes(g, (const uint8_t *)ps, (size_t)pn, (const uint8_t *)rs,
					   (size_t)rn, SWAP_RESIZE);
		}
	}
}

/* The other pass of a pair: the field may be missing rather than wrong,
 * so rep (2 bytes or more) goes before each place pat is. */
static void insert_int(struct gen *g, uint64_t pat, uint64_t rep, unsigned w)
{
	static const unsigned widths[] = {8, 4, 2};
	for (size_t k = 0; k < 3 && !g->stop; k++) {
		unsigned ww = widths[k];
		if (ww > w || (ww < w && (!fits(pat, ww, w) || !fits(rep, ww, w))))
			continue;
		for (int big = 0; big <= 1 && !g->stop; big++) {
			uint8_t p[8], r[8];
			store_uint(p, pat, ww, big);
			store_uint(r, rep, ww, big);
			swap_bytes(g, p, ww, r, ww, SWAP_INSERT);
		}
	}
}

static uint64_t load_le(const uint8_t *p)
{
	return load_uint(p, 8, 0);
}

/* A record's integer operands, masked to its width; 0 if not an integer. */
static int int_operands(const struct ferret_cmp_rec *r, uint64_t *a, uint64_t *b, unsigned *w)
{
	if (r->kind != FERRET_CMP_INT)
		return 0;
	*w = r->width >= 1 && r->width <= 8 ? r->width : 8;
	*a = load_le(r->a) & width_mask(*w);
	*b = load_le(r->b) & width_mask(*w);
	return 1;
}

/* ---- structure ---------------------------------------------------------- */

/* Sorts the checksum fixups after the length ones, innermost range first. */
static void sort_fixups(struct gen *g)
{
	for (size_t i = 1; i < g->n_fix; i++) {
		struct i2s_field f = g->fix[i];
		size_t j = i;
		for (; j > 0; j--) {
			const struct i2s_field *p = &g->fix[j - 1];
			int before = p->kind < f.kind ||
				     (p->kind == f.kind && p->to - p->from <= f.to - f.from);
			if (before)
				break;
			g->fix[j] = *p;
		}
		g->fix[j] = f;
	}
}

/*
 * Checksums stored in the input, found from the input alone (its compare
 * passed, so the log does not show it): a 4-byte field, either byte order,
 * equal to CRC-32, CRC-32C or Adler-32 of what follows it up to some end
 * (fields in the first CSUM_HDR_SCAN bytes), or of the bytes before it
 * from one of the first CSUM_STARTS offsets: 3 x (16 + 17) passes over at
 * most CSUM_SCAN bytes.
 */
static void find_stored_csums(struct gen *g)
{
	size_t end = g->len < CSUM_SCAN ? g->len : CSUM_SCAN;
	for (int fn = 0; fn < CS_ADLER32 + 1; fn++) {
		for (size_t q = 0; q < CSUM_HDR_SCAN && q + 5 <= end; q++) {
			uint64_t le = load_uint(g->in + q, 4, 0), be = load_uint(g->in + q, 4, 1);
			struct csum_state s;
			cs_init(fn, &s);
			for (size_t e = q + 4; e < end; e++) {
				cs_step(fn, &s, g->in[e]);
				uint32_t v = cs_value(fn, &s);
				if (v == le || v == be)
					add_fixup(g, FIX_CSUM, q, 4, v != le, fn, -1, q + 4, e + 1);
			}
		}
		for (size_t from = 0; from < CSUM_STARTS; from++) {
			if (from + 5 > end)
				break;
			struct csum_state s;
			cs_init(fn, &s);
			for (size_t e = from; e + 4 <= end; e++) {
				if (e > from) {
					uint32_t v = cs_value(fn, &s);
					if (v == load_uint(g->in + e, 4, 0))
						add_fixup(g, FIX_CSUM, e, 4, 0, fn, -1, from, e);
					else if (v == load_uint(g->in + e, 4, 1))
						add_fixup(g, FIX_CSUM, e, 4, 1, fn, -1, from, e);
				}
				cs_step(fn, &s, g->in[e]);
			}
		}
	}
}

/*
 * The program compared c, a value found nowhere in the input, with the
 * field at q (ww bytes, encoded as enc), not a constant: is c a checksum
 * of a range of the input? At most CSUM_SEARCHES fields per call, each
 * once, and only for c of 256 and more. Tried: ranges from the first
 * CSUM_STARTS offsets and from 0-2 or 4 bytes after the field, to every
 * end in the first CSUM_SCAN bytes, not covering the field, with the four
 * functions: 21 passes each; a decimal field (a text protocol's "Sum:
 * 1234" over its body) the ranges after it first, as a byte sum's chance
 * matches are likelier than a CRC's and its range is most often there;
 * a 2-byte field only the ranges just before it and just after it to the
 * end (fewer tries, fewer matches by chance).
 */
static int find_logged_csum(struct gen *g, uint64_t c, size_t q, unsigned ww, int enc)
{
	size_t end = g->len < CSUM_SCAN ? g->len : CSUM_SCAN;
	uint64_t mask = enc == ENC_DEC ? ~0ull : width_mask(ww);
	uint8_t digits[8];
	if (c > mask || c < 256 || !g->csum_left || (enc == ENC_DEC && !store_dec(digits, c, ww)))
		return 0;
	for (size_t i = 0; i < g->n_fix; i++)
		if (g->fix[i].at == q)
			return g->fix[i].kind == FIX_CSUM;
	g->csum_left--;
	static const uint8_t after[] = {0, 1, 2, 4};
	size_t n_after = sizeof(after), n_from = CSUM_STARTS + n_after;
	for (int fn = 0; fn < CS__COUNT; fn++) {
		if (ww == 2 && enc != ENC_DEC) {
			if ((csum(fn, g->in, q) & mask) == c && q > 0) {
				add_fixup(g, FIX_CSUM, q, ww, enc, fn, -1, 0, q);
				return 1;
			}
			if (q + 2 < g->len &&
			    (csum(fn, g->in + q + 2, g->len - q - 2) & mask) == c) {
				add_fixup(g, FIX_CSUM, q, ww, enc, fn, -1, q + 2, g->len);
				return 1;
			}
			continue;
		}
		for (size_t k = 0; k < n_from; k++) {
			/* binary: the first offsets, then after the field;
			 * decimal: after the field, then the first offsets */
			size_t j = enc == ENC_DEC ? (k + CSUM_STARTS) % n_from : k;
			size_t from = j < CSUM_STARTS ? j : q + ww + after[j - CSUM_STARTS];
			if (from >= end || (from >= q && from < q + ww))
				continue;
			struct csum_state s;
			cs_init(fn, &s);
			for (size_t e = from; e < end && !(from < q && e >= q); e++) {
				cs_step(fn, &s, g->in[e]);
				if ((cs_value(fn, &s) & mask) == c) {
					add_fixup(g, FIX_CSUM, q, ww, enc, fn, -1, from, e + 1);
					return 1;
				}
			}
		}
	}
	return 0;
}

/*
 * The sites that hold records, in order: one pass over the sites' counts,
 * after which every layer reads only these. The log has 4096 sites of 648
 * bytes, most of them empty, so each pass over it touched 4096 cache lines
 * (2.6 MB); there were seven. Returns 0 when out of memory.
 */
static int live_sites(struct gen *g, const struct ferret_cmp_site *log, size_t n_sites)
{
	g->live = malloc((n_sites ? n_sites : 1) * sizeof(*g->live));
	if (!g->live)
		return 0;
	for (size_t s = 0; s < n_sites; s++)
		if (log[s].n)
			g->live[g->n_live++] = (uint32_t)s;
	return 1;
}

/*
 * I2S_PARENT: the checksums stored in a mutant are its parent's, where
 * i2s_keep puts them; each one still true of the mutant is kept as
 * find_stored_csums would have found it. One pass over each field's
 * range, instead of find_stored_csums' 99 passes over the input, which
 * were most of the cost of a stalled loop's mutant compare stage (a new
 * checksum in a mutant, not its parent's, is a 2^-32 chance).
 */
static void parent_csums(struct gen *g, const struct i2s_structure *st)
{
	for (size_t i = 0; st && i < st->n; i++) {
		const struct i2s_field *f = &st->f[i];
		size_t at, to;
		if (f->kind != FIX_CSUM || f->width != 4 || f->enc == ENC_DEC ||
		    !keep_place(st, f, g->len, &at, &to) || to > g->len || f->from > to ||
		    at + 4 > g->len || (at < to && f->from < at + 4))
			continue;
		if (csum(f->fn, g->in + f->from, to - f->from) ==
		    (uint32_t)load_uint(g->in + at, 4, f->enc == ENC_BE))
			add_fixup(g, FIX_CSUM, at, 4, f->enc, f->fn, -1, f->from, to);
	}
}

/* Delimiters: the byte a site's 1-byte compares all seek (a site seeking
 * several, a keyword loop, seeks no delimiter), when the input holds it: a
 * length may count the bytes up to one. */
static void find_delims(struct gen *g, const struct ferret_cmp_site *log, size_t n_sites)
{
	(void)n_sites;
	for (size_t k = 0; k < g->n_live && g->n_delim < MAX_DELIMS; k++) {
		size_t s = g->live[k];
		uint32_t n = log[s].n < FERRET_CMP_WAYS ? log[s].n : FERRET_CMP_WAYS, i;
		const struct ferret_cmp_rec *r = &log[s].rec[0];
		for (i = 0; i < n; i++)
			if (log[s].rec[i].kind != FERRET_CMP_INT || log[s].rec[i].width != 1 ||
			    log[s].rec[i].b[0] != r->b[0])
				break;
		if (!n || i < n || !memchr(g->in, r->b[0], g->len) ||
		    memchr(g->delim, r->b[0], g->n_delim))
			continue;
		g->delim[g->n_delim++] = r->b[0];
	}
}

/*
 * Length fields, from the input alone: a 1-, 2- or 4-byte field in the
 * first LEN_SCAN bytes (either byte order) whose value, at least 1, is the
 * number of bytes after it, to the end or to the first delimiter. Up to
 * I2S_MAX_FIELDS in all, first found first; the candidates that change such a
 * length are emitted with and without the field fixed.
 */
static void find_lengths(struct gen *g)
{
	static const unsigned widths[] = {1, 2, 4};
	/* next[d][x]: the first delimiter d at or after x, for the x a
	 * field can end at; SIZE_MAX when none */
	size_t next[MAX_DELIMS][LEN_SCAN + 5];
	size_t top = g->len < LEN_SCAN + 4 ? g->len : LEN_SCAN + 4;
	for (size_t d = 0; d < g->n_delim; d++) {
		const uint8_t *x = memchr(g->in + top, g->delim[d], g->len - top);
		size_t at = x ? (size_t)(x - g->in) : SIZE_MAX;
		next[d][top] = at;
		for (size_t i = top; i-- > 0;)
			next[d][i] = at = g->in[i] == g->delim[d] ? i : at;
	}
	for (size_t p = 0; p < LEN_SCAN && p < g->len; p++)
		for (size_t k = 0; k < 3; k++) {
			unsigned w = widths[k];
			size_t from = p + w;
			if (from >= g->len)
				continue;
			for (int big = 0; big <= (w > 1); big++) {
				uint64_t v = load_uint(g->in + p, w, big);
				if (!v)
					continue;
				if (v == g->len - from)
					add_fixup(g, FIX_LEN, p, w, big, 0, -1, from, g->len);
				/* for trimming, a length that skips a 4-byte
				 * checksum or tag after it ([len][crc][data]) */
				else if ((g->flags & I2S_STRUCTURE) && w > 1 &&
					 g->len - from > GAP && v == g->len - from - GAP)
					add_fixup(g, FIX_LEN, p, w, big, 0, -1, from + GAP, g->len);
				for (size_t d = 0; d < g->n_delim; d++) {
					size_t at = next[d][from];
					if (at != SIZE_MAX && v == at - from)
						add_fixup(g, FIX_LEN, p, w, big, 0, g->delim[d],
							  from, at);
				}
			}
		}
}

/*
 * What the log tells of the structure: a compare of c, found nowhere in
 * the input, with v, found at q as 2 bytes or more (and not a constant, as
 * most are: magic values): c may be a checksum of a range of the input.
 * Then the field is kept as one in every candidate, and the record is
 * marked so that only c is written into the field, not the reverse (c is
 * nowhere to write v over). A field in decimal digits is read from the
 * log even when its compare passed (a binary one that passed is found from
 * the input alone, find_stored_csums): c is then v.
 */
static void read_log_structure(struct gen *g, const struct ferret_cmp_site *log, size_t n_sites)
{
	(void)n_sites;
	for (size_t k = 0; k < g->n_live; k++) {
		size_t s = g->live[k];
		uint32_t n = log[s].n < FERRET_CMP_WAYS ? log[s].n : FERRET_CMP_WAYS;
		for (uint32_t i = 0; i < n; i++) {
			uint64_t a, b;
			unsigned w;
			if (!int_operands(&log[s].rec[i], &a, &b, &w) || w < 2 ||
			    (log[s].rec[i].flags & FERRET_CMP_CONST))
				continue;
			for (int side = 0; side < 2; side++) {
				uint64_t c = side ? b : a, v = side ? a : b;
				size_t q, qq;
				unsigned ww, wq;
				int big, bq, found = 0;
				if (find_dec(g->in, g->len, v, &q, &ww))
					found = find_logged_csum(g, c, q, ww, ENC_DEC);
				else if (a != b && !find_int(g, c, w, 1, &qq, &wq, &bq) &&
					 find_int(g, v, w, 2, &q, &ww, &big))
					found = find_logged_csum(g, c & width_mask(ww), q, ww, big);
				if (found && s < FERRET_CMP_SITES)
					(side ? g->csum_b : g->csum_a)[s] |= (uint8_t)(1u << i);
				if (a == b)
					break; /* both sides are one */
			}
		}
	}
}

/* ---- strings of byte compares ------------------------------------------- */

/*
 * a[] was compared with b[] a byte at a time: where the input holds a[]
 * (with the bytes that matched before the one that did not, it is rarely
 * elsewhere), b[] is written; where it is nowhere, b[] continues the
 * input. b[] of one byte repeated is a scan for a delimiter, not a string.
 * Returns whether a[] was found after a byte that matched: then the
 * string is where the compares were, and the single-byte candidates of its
 * records would only scatter its bytes.
 */
static int byte_string(struct gen *g, const uint8_t *a, const uint8_t *b, size_t n)
{
	if (n < 2 || !memcmp(a, b, n) || !memcmp(b, b + 1, n - 1))
		return 0; /* all matched; or one byte sought in many (a scan for '\n') */
	g->mark_follow = g->want_follow && a[0] == b[0];
	if (n <= g->len && !memcmp(g->in + g->len - n, a, n)) {
		/* the input ends there (trimming cuts what the loop did not
		 * read): one byte more, for the compare after this one */
		uint8_t more[MAX_BYTE_RUN + 1];
		memcpy(more, b, n);
		more[n] = 'A';
		emit_replace(g, g->len - n, n, more, n + 1);
	}
	size_t hits = swap_bytes(g, a, n, b, n, SWAP_OVERWRITE);
	g->mark_follow = 0;
	if (!hits) {
		/* read past the end: where the input ends with a start of
		 * a[], b[] goes there and on; with no overlap, after the end */
		size_t k = n - 1 < g->len ? n - 1 : g->len;
		while (k && memcmp(g->in + g->len - k, a, k))
			k--;
		emit_replace(g, g->len - k, k, b, n);
	}
	return hits && a[0] == b[0];
}

/* Every byte a loop compared matched, and they are the input's last: the
 * loop ran out of input before the byte that would not match. One more
 * byte gets that byte compared (and logged, when followed). */
static void ran_out(struct gen *g, const uint8_t *a, const uint8_t *b, size_t n)
{
	static const uint8_t more = 'A';
	if (n < 2 || memcmp(a, b, n) || n > g->len || memcmp(g->in + g->len - n, a, n))
		return;
	g->mark_follow = g->want_follow;
	append(g, &more, 1);
	g->mark_follow = 0;
}

struct brec {
	uint32_t seq;
	uint16_t site;
	uint8_t way, a, b;
};

static int cmp_brec(const void *x, const void *y)
{
	const struct brec *p = x, *q = y;
	return p->seq < q->seq ? -1 : p->seq > q->seq;
}

/*
 * Byte compares read as strings: each site's ring in the order written
 * (its last run of 1-byte records), then all 1-byte records in seq order,
 * split where a record was not logged right after the one before. A
 * string found in the input marks its records done: the single-byte
 * candidates would only put the same bytes in more places.
 */
static void byte_strings(struct gen *g, const struct ferret_cmp_site *log, size_t n_sites)
{
	uint8_t a[MAX_BYTE_RUN], b[MAX_BYTE_RUN];
	size_t sites = n_sites < FERRET_CMP_SITES ? n_sites : FERRET_CMP_SITES;
	for (size_t l = 0; l < g->n_live && g->live[l] < sites && !g->stop; l++) {
		size_t s = g->live[l];
		uint32_t n = log[s].n, k = n < FERRET_CMP_WAYS ? n : FERRET_CMP_WAYS, m = 0;
		uint8_t ways = 0;
		while (m < k) {
			uint32_t way = (n - 1 - m) % FERRET_CMP_WAYS;
			const struct ferret_cmp_rec *r = &log[s].rec[way];
			if (r->kind != FERRET_CMP_INT || r->width != 1)
				break;
			a[k - 1 - m] = r->a[0];
			b[k - 1 - m] = r->b[0];
			ways |= (uint8_t)(1u << way);
			m++;
		}
		if (byte_string(g, a + (k - m), b + (k - m), m))
			g->done[s] |= ways;
		else
			ran_out(g, a + (k - m), b + (k - m), m);
	}
	struct brec *v = malloc(MAX_BYTE_RECS * sizeof(*v));
	size_t nv = 0;
	if (!v)
		return;
	for (size_t l = 0; l < g->n_live && g->live[l] < sites; l++) {
		size_t s = g->live[l];
		uint32_t k = log[s].n < FERRET_CMP_WAYS ? log[s].n : FERRET_CMP_WAYS;
		for (uint32_t i = 0; i < k && nv < MAX_BYTE_RECS; i++) {
			const struct ferret_cmp_rec *r = &log[s].rec[i];
			if (r->kind == FERRET_CMP_INT && r->width == 1)
				v[nv++] = (struct brec){r->seq, (uint16_t)s, (uint8_t)i, r->a[0],
							r->b[0]};
		}
	}
	qsort(v, nv, sizeof(*v), cmp_brec);
	for (size_t i = 0; i < nv && !g->stop;) {
		size_t j = i + 1;
		while (j < nv && v[j].seq == v[j - 1].seq + 1)
			j++;
		size_t from = j - i > MAX_BYTE_RUN ? j - MAX_BYTE_RUN : i;
		for (size_t x = from; x < j; x++) {
			a[x - from] = v[x].a;
			b[x - from] = v[x].b;
		}
		if (byte_string(g, a, b, j - from))
			for (size_t x = from; x < j; x++)
				g->done[v[x].site] |= (uint8_t)(1u << v[x].way);
		i = j;
	}
	free(v);
}

/* ---- the run ------------------------------------------------------------ */

/* The candidates of record i of site s: its writes (pass 0) or its
 * insertions (pass 1). */
static void record(struct gen *g, const struct ferret_cmp_rec *r, size_t s, uint32_t i, int pass)
{
	uint64_t a, b;
	unsigned w;
	int marked = s < FERRET_CMP_SITES;
	/* a checksum c goes into its field, not the field where c is (c is
	 * nowhere) */
	int fwd = !marked || !(g->csum_a[s] >> i & 1), rev = !marked || !(g->csum_b[s] >> i & 1);
	if (int_operands(r, &a, &b, &w)) {
		if (a == b || (marked && (g->done[s] >> i & 1)))
			return; /* a byte that matched; a string did it */
		if (pass) {
			if (fwd)
				insert_int(g, a, b, w);
			if (rev)
				insert_int(g, b, a, w);
			return;
		}
		length_field(g, a, b, w);
		length_field(g, b, a, w);
		if (fwd)
			try_int(g, a, b, w, 1);
		if (rev)
			try_int(g, b, a, w, !(r->flags & FERRET_CMP_CONST));
	} else if (r->kind == FERRET_CMP_MEM) {
		size_t la = r->len_a <= FERRET_CMP_BYTES ? r->len_a : FERRET_CMP_BYTES;
		size_t lb = r->len_b <= FERRET_CMP_BYTES ? r->len_b : FERRET_CMP_BYTES;
		if (pass) {
			swap_bytes(g, r->a, la, r->b, lb, SWAP_INSERT);
			return;
		}
		size_t hits = swap_bytes(g, r->a, la, r->b, lb, SWAP_OVERWRITE);
		swap_bytes(g, r->a, la, r->b, lb, SWAP_RESIZE);
		swap_bytes(g, r->b, lb, r->a, la, SWAP_OVERWRITE);
		if (!hits && lb)
			append(g, r->b, lb);
	}
}

size_t i2s_run_ex(const uint8_t *in, size_t len, const struct ferret_cmp_site *log, size_t n_sites,
		  uint8_t *scratch, size_t cap, size_t max_candidates, unsigned flags,
		  i2s_emit_fn emit, void *ctx, struct i2s_out *out)
{
	if (out) {
		out->follow_len = 0;
		out->structure = NULL;
	}
	if (!len || (!max_candidates && !(flags & I2S_STRUCTURE)))
		return 0;
	struct gen *g = malloc(sizeof(*g));
	if (!g)
		return 0;
	memset(g, 0, offsetof(struct gen, fields));
	if (!live_sites(g, log, n_sites)) {
		free(g);
		return 0;
	}
	g->flags = flags;
	g->split_left = SPLIT_BUDGET;
	g->split_calls = SPLIT_CALLS;
	g->csum_left = CSUM_SEARCHES;
	g->want_follow = out && out->follow;
	g->in = in;
	g->len = len;
	g->out = scratch;
	g->cap = cap;
	g->max = max_candidates;
	g->emit = emit;
	g->ctx = ctx;
	crc_tables();

	find_delims(g, log, n_sites);
	read_log_structure(g, log, n_sites);
	find_lengths(g);
	if (flags & I2S_PARENT)
		parent_csums(g, out ? out->parent : NULL);
	else
		find_stored_csums(g);
	sort_fixups(g);
	if (g->n_fix && out && out->want_structure &&
	    (out->structure = malloc(sizeof(*out->structure)))) {
		out->structure->len = len;
		out->structure->n = g->n_fix;
		memcpy(out->structure->f, g->fix, g->n_fix * sizeof(g->fix[0]));
	}
	if (flags & I2S_STRUCTURE) {
		free(g->follow);
		free(g->live);
		free(g);
		return 0;
	}
	if (g->n_fix && !(flags & I2S_STRINGS)) { /* the input with its structure repaired */
		struct edit e = {.pos = 0};
		emit_edit(g, &e);
	}

	byte_strings(g, log, n_sites);

	/* every record's writes, then every record's insertions: a field is
	 * more often wrong than missing */
	for (int pass = 0; pass < 2 && !(flags & I2S_STRINGS); pass++)
		for (size_t k = 0; k < g->n_live && !g->stop; k++) {
			size_t s = g->live[k];
			uint32_t n = log[s].n < FERRET_CMP_WAYS ? log[s].n : FERRET_CMP_WAYS;
			for (uint32_t i = 0; i < n && !g->stop; i++)
				record(g, &log[s].rec[i], s, i, pass);
		}
	size_t emitted = g->emitted;
	if (g->follow && g->want_follow && g->follow_len <= cap) {
		memcpy(out->follow, g->follow, g->follow_len); /* in is not read any more */
		out->follow_len = g->follow_len;
	}
	free(g->follow);
	free(g->live);
	free(g);
	return emitted;
}

size_t i2s_run(const uint8_t *in, size_t len, const struct ferret_cmp_site *log, size_t n_sites,
	       uint8_t *scratch, size_t cap, size_t max_candidates, i2s_emit_fn emit, void *ctx)
{
	return i2s_run_ex(in, len, log, n_sites, scratch, cap, max_candidates, 0, emit, ctx, NULL);
}

int i2s_keep(const struct i2s_structure *st, uint8_t *buf, size_t len)
{
	int rewrote = 0;
	for (size_t i = 0; i < st->n; i++) {
		const struct i2s_field *f = &st->f[i];
		size_t at, to;
		if (keep_place(st, f, len, &at, &to) && put_field(buf, len, f, at, f->from, to) > 0)
			rewrote++;
	}
	return rewrote;
}

void i2s_cut(struct i2s_structure *st, size_t pos, size_t cut)
{
	if (pos > st->len)
		return;
	if (cut > st->len - pos)
		cut = st->len - pos;
	const struct edit e = {.pos = pos, .old = cut};
	size_t n = 0;
	for (size_t i = 0; i < st->n; i++) {
		struct i2s_field f = st->f[i];
		if (!map_field(&e, f.at, f.width, &f.at))
			continue; /* cut into: its value is gone */
		f.from = map_from(&e, f.from);
		f.to = map_to(&e, f.to);
		st->f[n++] = f;
	}
	st->n = n;
	st->len -= cut;
}

void i2s_tokens(const struct ferret_cmp_site *log, size_t n_sites, i2s_token_fn fn, void *ctx)
{
	for (size_t s = 0; s < n_sites; s++) {
		uint32_t n = log[s].n < FERRET_CMP_WAYS ? log[s].n : FERRET_CMP_WAYS;
		for (uint32_t i = 0; i < n; i++) {
			const struct ferret_cmp_rec *r = &log[s].rec[i];
			if (r->kind == FERRET_CMP_MEM) {
				if (r->len_b >= 2 && r->len_b <= FERRET_CMP_BYTES)
					fn(ctx, r->b, r->len_b);
			} else if (r->kind == FERRET_CMP_INT && r->width >= 4 && r->width <= 8 &&
				   memcmp(r->a, r->b, r->width)) {
				uint64_t b = load_le(r->b);
				if (r->width == 4)
					b &= 0xffffffffull;
				if (b > 0xffff && b != 0xffffffffull && b != ~0ull)
					fn(ctx, r->b, r->width);
			}
		}
	}
}
