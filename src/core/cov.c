/*
 * cov.c - hit-count buckets and virgin-map comparison (see cov.h).
 *
 * Per execution the engine visits only the counters the run touched (the
 * runtime's list, cov_sparse_*), so the cost follows the code that ran and
 * not the size of the binary. Where there is no list (a binary built for
 * AFL, tools, calibration) the map is read a 64-bit word at a time and zero
 * words are skipped. Within a non-zero word the
 * bytes are bucketed through a 256-entry table; AFL's 64 K-entry u16 table
 * is faster by a few cycles per word but costs 128 KiB of cache, and a
 * trace-pc-guard map is dense in zeros, so the byte table is the better
 * trade here.
 */
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "cov.h"
#include "banned.h"

static const uint8_t bucket_of[256] = {
	[0] = 0,          [1] = 1,           [2] = 2,
	[3] = 4,          [4 ... 7] = 8,     [8 ... 15] = 16,
	[16 ... 31] = 32, [32 ... 127] = 64, [128 ... 255] = 128,
};

uint8_t cov_bucket(uint8_t hits)
{
	return bucket_of[hits];
}

static inline uint64_t load64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

static inline void store64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static inline uint64_t classify_word(uint64_t w)
{
	uint8_t b[8];
	memcpy(b, &w, 8);
	for (int i = 0; i < 8; i++)
		b[i] = bucket_of[b[i]];
	memcpy(&w, b, 8);
	return w;
}

/* For a word with new bits: is any hit byte still fully virgin? */
static inline int word_has_new_edge(uint64_t cur, uint64_t vir)
{
	for (int i = 0; i < 8; i++) {
		uint8_t c = (uint8_t)(cur >> (i * 8)), v = (uint8_t)(vir >> (i * 8));
		if (c && v == 0xff)
			return 1;
	}
	return 0;
}

/*
 * The path hash: a sum over the non-zero counters of a multiply-xorshift
 * mix of index and bucket. A sum does not depend on the order the
 * counters are visited in, so the touched list (run order) and the map
 * (index order) give the same hash; each term costs one multiply. Not a
 * cryptographic hash: it tells paths apart, which is all the schedule,
 * trim and reduce need.
 */
static inline uint64_t hash_term(size_t i, uint8_t b)
{
	uint64_t x = ((uint64_t)i << 8 | b) * 0x9e3779b97f4a7c15ull;
	x ^= x >> 29;
	x *= 0xff51afd7ed558ccdull;
	return x ^ (x >> 32);
}

static inline uint64_t hash_word(uint64_t h, uint64_t w, size_t i)
{
	for (int k = 0; k < 8; k++, w >>= 8)
		if (w & 0xff)
			h += hash_term(i + (size_t)k, (uint8_t)w);
	return h;
}

static inline uint64_t hash_final(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	return h ^ (h >> 33);
}

/* The one pass of feedback, with the path hash when asked (the compiler
 * drops it when hash is NULL, so cov_classify_and_update pays nothing). */
static inline int classify_update(uint8_t *trace, uint8_t *virgin, size_t bytes, uint64_t *hash)
{
	int ret = COV_NONE;
	uint64_t h = 0;
	for (size_t i = 0; i < bytes; i += 8) {
		uint64_t w = load64(trace + i);
		if (!w)
			continue;
		w = classify_word(w);
		store64(trace + i, w);
		if (hash)
			h = hash_word(h, w, i);
		uint64_t v = load64(virgin + i);
		if (__builtin_expect((w & v) != 0, 0)) {
			if (ret < COV_NEW_EDGE)
				ret = word_has_new_edge(w, v) ? COV_NEW_EDGE : COV_NEW_BUCKET;
			store64(virgin + i, v & ~w);
		}
	}
	if (hash)
		*hash = hash_final(h);
	return ret;
}

int cov_classify_and_update(uint8_t *trace, uint8_t *virgin, size_t bytes)
{
	return classify_update(trace, virgin, bytes, NULL);
}

int cov_classify_update_hash(uint8_t *trace, uint8_t *virgin, size_t bytes, uint64_t *hash)
{
	return classify_update(trace, virgin, bytes, hash);
}

void cov_classify(uint8_t *trace, size_t bytes)
{
	for (size_t i = 0; i < bytes; i += 8) {
		uint64_t w = load64(trace + i);
		if (w)
			store64(trace + i, classify_word(w));
	}
}

int cov_peek_new(const uint8_t *trace, const uint8_t *virgin, size_t bytes)
{
	int ret = COV_NONE;
	for (size_t i = 0; i < bytes; i += 8) {
		uint64_t w = load64(trace + i);
		if (!w)
			continue;
		w = classify_word(w);
		uint64_t v = load64(virgin + i);
		if (w & v) {
			if (word_has_new_edge(w, v))
				return COV_NEW_EDGE;
			ret = COV_NEW_BUCKET;
		}
	}
	return ret;
}

void cov_virgin_init(uint8_t *virgin, size_t bytes)
{
	memset(virgin, 0xff, bytes);
}

uint32_t cov_count_edges(const uint8_t *trace, size_t bytes)
{
	uint32_t n = 0;
	for (size_t i = 0; i < bytes; i += 8) {
		uint64_t w = load64(trace + i);
		if (!w)
			continue;
		for (int b = 0; b < 8; b++)
			n += ((w >> (b * 8)) & 0xff) != 0;
	}
	return n;
}

uint64_t cov_cost(const uint8_t *trace, size_t bytes)
{
	uint64_t n = 0;
	for (size_t i = 0; i < bytes; i += 8) {
		uint64_t w = load64(trace + i);
		if (!w)
			continue;
		for (int b = 0; b < 8; b++)
			n += (w >> (b * 8)) & 0xff;
	}
	return n;
}

uint32_t cov_count_seen(const uint8_t *virgin, size_t bytes)
{
	uint32_t n = 0;
	for (size_t i = 0; i < bytes; i++)
		n += virgin[i] != 0xff;
	return n;
}

uint64_t cov_hash(const uint8_t *trace, size_t bytes)
{
	uint64_t h = 0;
	for (size_t i = 0; i < bytes; i += 8) {
		uint64_t w = load64(trace + i);
		if (w)
			h = hash_word(h, w, i);
	}
	return hash_final(h);
}

uint64_t cov_hash_edges(const uint8_t *trace, size_t bytes)
{
	XXH3_state_t st;
	uint8_t chunk[512];
	XXH3_64bits_reset(&st);
	for (size_t i = 0; i < bytes; i += sizeof(chunk)) {
		size_t n = bytes - i < sizeof(chunk) ? bytes - i : sizeof(chunk);
		for (size_t j = 0; j < n; j++)
			chunk[j] = trace[i + j] != 0;
		XXH3_64bits_update(&st, chunk, n);
	}
	return XXH3_64bits_digest(&st);
}

int cov_new_edges_vs(const uint8_t *trace, uint8_t *seen, size_t bytes)
{
	int ret = 0;
	for (size_t i = 0; i < bytes; i += 8) {
		if (!load64(trace + i))
			continue;
		for (size_t j = i; j < i + 8; j++)
			if (trace[j] && !seen[j]) {
				seen[j] = 1;
				ret = 1;
			}
	}
	return ret;
}

void cov_to_bits(const uint8_t *trace, uint8_t *bits, size_t bytes)
{
	memset(bits, 0, bytes / 8);
	for (size_t i = 0; i < bytes; i += 8) {
		uint64_t w = load64(trace + i);
		if (!w)
			continue;
		uint8_t b = 0;
		for (int k = 0; k < 8; k++)
			if ((w >> (k * 8)) & 0xff)
				b |= (uint8_t)(1u << k);
		bits[i / 8] = b;
	}
}

/* ---- per execution: the touched counters ---- */

static inline long touched(const struct cov_touch *t)
{
	if (!t || !t->n)
		return -1;
	uint32_t n = *t->n;
	return n <= t->cap ? (long)n : -1;
}

int cov_sparse_classify_update(uint8_t *trace, uint8_t *virgin, size_t bytes,
			       const struct cov_touch *t, uint64_t *hash)
{
	long n = touched(t);
	if (n < 0)
		return classify_update(trace, virgin, bytes, hash);
	int ret = COV_NONE;
	uint64_t h = 0;
	for (long k = 0; k < n; k++) {
		size_t i = cov_touch_at(t, k, bytes);
		if (i == bytes)
			continue;
		uint8_t b = bucket_of[trace[i]];
		if (!b)
			continue;
		trace[i] = b;
		h += hash_term(i, b);
		uint8_t v = virgin[i];
		if (__builtin_expect((b & v) != 0, 0)) {
			if (v == 0xff)
				ret = COV_NEW_EDGE;
			else if (ret < COV_NEW_BUCKET)
				ret = COV_NEW_BUCKET;
			virgin[i] = (uint8_t)(v & ~b);
		}
	}
	if (hash)
		*hash = hash_final(h);
	return ret;
}

void cov_sparse_classify(uint8_t *trace, size_t bytes, const struct cov_touch *t)
{
	long n = touched(t);
	if (n < 0) {
		cov_classify(trace, bytes);
		return;
	}
	for (long k = 0; k < n; k++) {
		size_t i = cov_touch_at(t, k, bytes);
		if (i < bytes)
			trace[i] = bucket_of[trace[i]];
	}
}

long cov_touch_len(const struct cov_touch *t)
{
	return touched(t);
}

uint64_t cov_sparse_cost(const uint8_t *trace, size_t bytes, const struct cov_touch *t)
{
	long n = touched(t);
	if (n < 0)
		return cov_cost(trace, bytes);
	uint64_t c = 0;
	for (long k = 0; k < n; k++) {
		size_t i = cov_touch_at(t, k, bytes);
		if (i < bytes)
			c += trace[i];
	}
	return c;
}

uint64_t cov_sparse_hash(const uint8_t *trace, size_t bytes, const struct cov_touch *t)
{
	long n = touched(t);
	if (n < 0)
		return cov_hash(trace, bytes);
	uint64_t h = 0;
	for (long k = 0; k < n; k++) {
		size_t i = cov_touch_at(t, k, bytes);
		if (i < bytes && trace[i])
			h += hash_term(i, trace[i]);
	}
	return hash_final(h);
}

uint32_t cov_sparse_count(const uint8_t *trace, size_t bytes, size_t below,
			  const struct cov_touch *t)
{
	long n = touched(t);
	below = below < bytes ? below : bytes;
	if (n < 0)
		return cov_count_edges(trace, below);
	uint32_t c = 0;
	for (long k = 0; k < n; k++) {
		size_t i = cov_touch_at(t, k, below);
		c += i < below && trace[i];
	}
	return c;
}

void cov_sparse_clear(uint8_t *trace, size_t bytes, struct cov_touch *t)
{
	if (touched(t) < 0) {
		cov_full_clear(trace, bytes, t);
		return;
	}
	/* the count first, emptied in one step: a thread of the target
	 * that lists a counter now lists it in the next run's list */
	uint32_t m = __atomic_exchange_n((uint32_t *)t->n, 0, __ATOMIC_RELAXED);
	if (m > t->cap) {
		memset(trace, 0, bytes);
		return;
	}
	for (uint32_t k = 0; k < m; k++) {
		size_t i = cov_touch_at(t, (long)k, bytes);
		if (i < bytes)
			trace[i] = 0;
	}
}

void cov_full_clear(uint8_t *trace, size_t bytes, struct cov_touch *t)
{
	memset(trace, 0, bytes);
	if (t && t->n)
		__atomic_store_n((uint32_t *)t->n, 0, __ATOMIC_RELAXED);
}
