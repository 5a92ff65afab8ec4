/*
 * corpus.c - queue entries, favoured culling and the power schedule (see
 * corpus.h). Numbers follow AFL/AFL++ (afl-fuzz-queue.c): the skip
 * probabilities of fuzz_one, and calculate_score's speed, coverage and depth
 * multipliers. Adding an entry costs the counters it hit; culling walks the
 * top slots of the whole map, so it runs only when some edge's best entry
 * changed, once per queue cycle at most.
 */
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "cov.h"
#include "errors.h"
#include "banned.h"

int corpus_init(struct corpus *c, size_t map_bytes, size_t n_fuzz_slots)
{
	memset(c, 0, sizeof(*c));
	c->map_bytes = map_bytes;
	c->top = calloc(map_bytes ? map_bytes : 1, sizeof(*c->top));
	if (n_fuzz_slots)
		c->n_fuzz = calloc(n_fuzz_slots, sizeof(*c->n_fuzz));
	c->n_fuzz_slots = n_fuzz_slots;
	if (!c->top || (n_fuzz_slots && !c->n_fuzz)) {
		corpus_release(c);
		return FERRET_ENOMEM;
	}
	return 0;
}

void entry_free(struct entry *e)
{
	if (!e)
		return;
	free(e->data);
	free(e->hit);
	free(e->name);
	free(e->structure);
	free(e->feats);
	free(e->hints);
	free(e);
}

struct entry *entry_new(const uint8_t *data, size_t len)
{
	struct entry *e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->data = malloc(len ? len : 1);
	if (!e->data) {
		free(e);
		return NULL;
	}
	if (len)
		memcpy(e->data, data, len);
	e->len = (uint32_t)len;
	e->parent = -1;
	return e;
}

void corpus_release(struct corpus *c)
{
	for (size_t i = 0; i < c->n; i++)
		entry_free(c->v[i]);
	free(c->v);
	free(c->top);
	free(c->n_fuzz);
	memset(c, 0, sizeof(*c));
}

static uint64_t fav_factor(const struct entry *e)
{
	return (e->cost ? e->cost : 1) * (e->len ? e->len : 1);
}

int corpus_add(struct corpus *c, struct entry *e, const uint8_t *trace,
	       const struct cov_touch *touch)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct entry **v = realloc(c->v, cap * sizeof(*v));
		if (!v)
			return FERRET_ENOMEM;
		c->v = v;
		c->cap = cap;
	}
	uint32_t n = cov_sparse_count(trace, c->map_bytes, c->map_bytes, touch);
	e->hit = malloc((n ? n : 1) * sizeof(*e->hit));
	if (!e->hit)
		return FERRET_ENOMEM;
	long listed = cov_touch_len(touch);
	uint32_t k = 0;
	if (listed >= 0) {
		for (long j = 0; j < listed && k < n; j++) {
			size_t i = cov_touch_at(touch, j, c->map_bytes);
			if (i < c->map_bytes && trace[i])
				e->hit[k++] = (uint32_t)i;
		}
	} else {
		for (size_t i = 0; i < c->map_bytes && k < n; i++)
			if (trace[i])
				e->hit[k++] = (uint32_t)i;
	}
	e->edges = k;
	e->id = (uint32_t)c->n;
	c->v[c->n++] = e;
	c->sum_cost += e->cost;
	c->sum_edges += e->edges;

	uint64_t f = fav_factor(e);
	for (uint32_t j = 0; j < e->edges; j++) {
		uint32_t i = e->hit[j];
		struct entry *old = c->top[i];
		if (old == e || (old && fav_factor(old) <= f))
			continue;
		if (old)
			old->top_refs--;
		c->top[i] = e;
		e->top_refs++;
		c->dirty = 1;
	}
	return 0;
}

void corpus_cull(struct corpus *c)
{
	if (!c->dirty)
		return;
	c->dirty = 0;
	size_t nbits = c->map_bytes / 8;
	uint8_t *todo = malloc(nbits ? nbits : 1);
	if (!todo)
		return; /* keep the old favoured set */
	memset(todo, 0xff, nbits);
	c->n_favored = c->pending_favored = 0;
	for (size_t i = 0; i < c->n; i++)
		c->v[i]->favored = 0;
	for (size_t i = 0; i < c->map_bytes; i++) {
		struct entry *e = c->top[i];
		if (!e || !(todo[i / 8] & (1u << (i % 8))))
			continue;
		for (uint32_t j = 0; j < e->edges; j++)
			todo[e->hit[j] / 8] &= (uint8_t) ~(1u << (e->hit[j] % 8));
		if (!e->favored) {
			e->favored = 1;
			c->n_favored++;
			if (!e->was_fuzzed)
				c->pending_favored++;
		}
	}
	free(todo);
}

struct entry *corpus_next(struct corpus *c, struct rng *r)
{
	if (!c->n)
		return NULL;
	for (size_t disabled_run = 0; disabled_run <= c->n;) {
		if (c->cur >= c->n) {
			c->cur = 0;
			c->cycles++;
		}
		if (c->cur == 0)
			corpus_cull(c);
		struct entry *e = c->v[c->cur++];
		if (e->disabled) {
			disabled_run++;
			continue;
		}
		disabled_run = 0;
		if (c->pending_favored) {
			if ((e->was_fuzzed || !e->favored) && rng_below(r, 100) < 99)
				continue;
		} else if (!e->favored && c->n > 10) {
			if (c->cycles > 1 && !e->was_fuzzed) {
				if (rng_below(r, 100) < 75)
					continue;
			} else if (rng_below(r, 100) < 95) {
				continue;
			}
		}
		return e;
	}
	return NULL; /* every entry is disabled */
}

void corpus_note_path(struct corpus *c, uint64_t path_hash)
{
	if (c->n_fuzz_slots)
		c->n_fuzz[path_hash % c->n_fuzz_slots]++;
}

uint32_t corpus_energy(const struct corpus *c, const struct entry *e, enum corpus_schedule s,
		       uint32_t base_cycles, uint32_t max_mult)
{
	double avg_cost = c->n ? (double)c->sum_cost / (double)c->n : 1;
	double avg_edges = c->n ? (double)c->sum_edges / (double)c->n : 1;
	double cost = (double)e->cost, edges = (double)e->edges;
	double perf = 100;

	if (cost * 0.1 > avg_cost)
		perf = 10;
	else if (cost * 0.25 > avg_cost)
		perf = 25;
	else if (cost * 0.5 > avg_cost)
		perf = 50;
	else if (cost * 0.75 > avg_cost)
		perf = 75;
	else if (cost * 4 < avg_cost)
		perf = 300;
	else if (cost * 3 < avg_cost)
		perf = 200;
	else if (cost * 2 < avg_cost)
		perf = 150;

	if (edges * 0.3 > avg_edges)
		perf *= 3;
	else if (edges * 0.5 > avg_edges)
		perf *= 2;
	else if (edges * 0.75 > avg_edges)
		perf *= 1.5;
	else if (edges * 3 < avg_edges)
		perf *= 0.25;
	else if (edges * 2 < avg_edges)
		perf *= 0.5;
	else if (edges * 1.5 < avg_edges)
		perf *= 0.75;

	if (e->depth >= 4 && e->depth <= 7)
		perf *= 2;
	else if (e->depth >= 8 && e->depth <= 13)
		perf *= 3;
	else if (e->depth >= 14 && e->depth <= 25)
		perf *= 4;
	else if (e->depth > 25)
		perf *= 5;

	if (s == SCHED_FAST && c->n_fuzz_slots) {
		/* AFLFast: energy doubles with each time the entry was fuzzed and
		 * divides by how often its path was run, capped at 32x. */
		uint32_t hits = c->n_fuzz[e->path_hash % c->n_fuzz_slots];
		double fuzz = hits ? hits : 1;
		double factor =
			e->fuzz_level < 16 ? (double)(1u << e->fuzz_level) / fuzz : 32.0 / fuzz;
		if (factor > 32)
			factor = 32;
		if (e->favored && factor < 1)
			factor = 1; /* favoured entries are never starved */
		perf *= factor;
	}

	if (perf > (double)max_mult * 100)
		perf = (double)max_mult * 100;
	uint64_t n = (uint64_t)(perf * base_cycles / 100);
	return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

void corpus_mark_fuzzed(struct corpus *c, struct entry *e)
{
	e->fuzz_level++;
	if (!e->was_fuzzed) {
		e->was_fuzzed = 1;
		if (e->favored && c->pending_favored)
			c->pending_favored--;
	}
}
