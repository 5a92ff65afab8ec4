/*
 * i2s.c - input-to-state candidates from a compare log (see i2s.h).
 *
 * Cost: one pass over the input per operand encoding, so a log of k records
 * on an input of n bytes costs O(k * n) comparisons plus the runs of what
 * it emits; the caller bounds the candidates. A 4096-slot hash set of
 * candidate hashes drops duplicates (the same pair logged at several sites,
 * or a pattern found at the same place through two encodings).
 */
#include <stdio.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "i2s.h"
#include "banned.h"

#define MAX_HITS_PER_PATTERN 16
#define SEEN_SLOTS 4096

struct gen {
	const uint8_t *in;
	size_t len;
	uint8_t *out;
	size_t cap;
	size_t emitted, max;
	i2s_emit_fn emit;
	void *ctx;
	int stop;
	uint64_t seen[SEEN_SLOTS];
};

/* Emits in with [pos, pos+old) replaced by rep[0..rep_len). */
static void emit_replace(struct gen *g, size_t pos, size_t old, const uint8_t *rep, size_t rep_len)
{
	if (g->stop)
		return;
	size_t n = g->len - old + rep_len;
	if (n > g->cap || n == 0)
		return;
	memcpy(g->out, g->in, pos);
	memcpy(g->out + pos, rep, rep_len);
	memcpy(g->out + pos + rep_len, g->in + pos + old, g->len - pos - old);
	if (n == g->len && !memcmp(g->out, g->in, n))
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
	g->emitted++;
	if (g->emit(g->ctx, g->out, n) || g->emitted >= g->max)
		g->stop = 1;
}

static void store_uint(uint8_t *p, uint64_t v, unsigned w, int big)
{
	for (unsigned i = 0; i < w; i++)
		p[big ? w - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

/* Replaces every occurrence (up to a bound) of pat with rep, same length. */
static size_t swap_bytes(struct gen *g, const uint8_t *pat, size_t plen, const uint8_t *rep,
			 size_t rep_len, int also_resize)
{
	if (!plen || plen > g->len)
		return 0;
	size_t hits = 0;
	for (size_t pos = 0; pos + plen <= g->len && hits < MAX_HITS_PER_PATTERN && !g->stop;
	     pos++) {
		const uint8_t *p = memmem(g->in + pos, g->len - pos, pat, plen);
		if (!p)
			break;
		pos = (size_t)(p - g->in);
		hits++;
		if (rep_len == plen || !also_resize) {
			/* in place; a longer value overwrites what follows */
			size_t room = g->len - pos;
			size_t w = rep_len < room ? rep_len : room;
			emit_replace(g, pos, w, rep, rep_len);
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

/* Does v (a w-byte value) come from a ww-byte one, zero- or sign-extended? */
static int fits(uint64_t v, unsigned ww, unsigned w)
{
	uint64_t wmask = w == 8 ? ~0ull : (1ull << (8 * w)) - 1;
	uint64_t lim = (1ull << (8 * ww)) - 1;
	if (v <= lim)
		return 1;
	uint64_t sign_ext = (wmask & ~lim) | (v & lim);
	return (v & (1ull << (8 * ww - 1))) && v == sign_ext;
}

/* One direction of an integer pair: find pat (each encoding), write rep. */
static void try_int(struct gen *g, uint64_t pat, uint64_t rep, unsigned w)
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
			store_uint(p, pat, ww, big);
			for (int d = 0; d < 3 && !g->stop; d++) {
				uint64_t v = rep + (d == 1 ? 1 : d == 2 ? (uint64_t)-1 : 0);
				store_uint(r, v, ww, big);
				hits += swap_bytes(g, p, ww, r, ww, 0);
			}
		}
	}
	if (!hits && !g->stop) {
		uint8_t r[8];
		store_uint(r, rep, narrowest, 0);
		append(g, r, narrowest);
	}
	/* ASCII forms: "1234" compared after atoi() */
	char ps[24], rs[24];
	const char *fmts[] = {"%llu", "%llx", "%llX"};
	for (size_t k = 0; k < 3 && !g->stop; k++) {
		int pn = snprintf(ps, sizeof(ps), fmts[k], (unsigned long long)pat);
		int rn = snprintf(rs, sizeof(rs), fmts[k], (unsigned long long)rep);
		if (pn >= 2 && rn > 0)
			swap_bytes(g, (const uint8_t *)ps, (size_t)pn, (const uint8_t *)rs,
				   (size_t)rn, 1);
	}
	if (w >= 2) {
		int64_t sp = w == 8 ? (int64_t)pat : w == 4 ? (int32_t)pat : (int16_t)pat;
		int64_t sr = w == 8 ? (int64_t)rep : w == 4 ? (int32_t)rep : (int16_t)rep;
		if (sp < 0 || sr < 0) {
			int pn = snprintf(ps, sizeof(ps), "%lld", (long long)sp);
			int rn = snprintf(rs, sizeof(rs), "%lld", (long long)sr);
			if (pn >= 2 && !g->stop)
				swap_bytes(g, (const uint8_t *)ps, (size_t)pn, (const uint8_t *)rs,
					   (size_t)rn, 1);
		}
	}
}

static uint64_t load_le(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

size_t i2s_run(const uint8_t *in, size_t len, const struct ferret_cmp_site *log, size_t n_sites,
	       uint8_t *scratch, size_t cap, size_t max_candidates, i2s_emit_fn emit, void *ctx)
{
	struct gen g;
	memset(&g, 0, sizeof(g));
	g.in = in;
	g.len = len;
	g.out = scratch;
	g.cap = cap;
	g.max = max_candidates;
	g.emit = emit;
	g.ctx = ctx;
	if (!len || !max_candidates)
		return 0;
	for (size_t s = 0; s < n_sites && !g.stop; s++) {
		uint32_t n = log[s].n < FERRET_CMP_WAYS ? log[s].n : FERRET_CMP_WAYS;
		for (uint32_t i = 0; i < n && !g.stop; i++) {
			const struct ferret_cmp_rec *r = &log[s].rec[i];
			if (r->kind == FERRET_CMP_INT) {
				unsigned w = r->width >= 1 && r->width <= 8 ? r->width : 8;
				uint64_t mask = w == 8 ? ~0ull : (1ull << (8 * w)) - 1;
				uint64_t a = load_le(r->a) & mask, b = load_le(r->b) & mask;
				try_int(&g, a, b, w);
				try_int(&g, b, a, w);
			} else if (r->kind == FERRET_CMP_MEM) {
				size_t la =
					r->len_a <= FERRET_CMP_BYTES ? r->len_a : FERRET_CMP_BYTES;
				size_t lb =
					r->len_b <= FERRET_CMP_BYTES ? r->len_b : FERRET_CMP_BYTES;
				size_t hits = swap_bytes(&g, r->a, la, r->b, lb, 0);
				swap_bytes(&g, r->a, la, r->b, lb, 1);
				swap_bytes(&g, r->b, lb, r->a, la, 0);
				if (!hits && lb)
					append(&g, r->b, lb);
			}
		}
	}
	return g.emitted;
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
			} else if (r->kind == FERRET_CMP_INT && r->width >= 4 && r->width <= 8) {
				uint64_t b = load_le(r->b);
				if (r->width == 4)
					b &= 0xffffffffull;
				if (b > 0xffff && b != 0xffffffffull && b != ~0ull)
					fn(ctx, r->b, r->width);
			}
		}
	}
}
