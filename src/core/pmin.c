/*
 * pmin.c - passive minimization (see pmin.h). Quality order, as in Zig's
 * fuzzer: for the "min" slot fewer edges win, for the "max" slot more
 * edges win; ties go to fewer values, then fewer bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "pmin.h"
#include "banned.h"

int pmin_init(struct pmin *p, size_t edges)
{
	p->edges = edges;
	p->slot = calloc(edges ? edges : 1, sizeof(*p->slot));
	return p->slot ? 0 : FERRET_ENOMEM;
}

void pmin_release(struct pmin *p)
{
	free(p->slot);
	memset(p, 0, sizeof(*p));
}

static int fewer(const struct pmin_quality *a, const struct pmin_quality *b)
{
	return a->values < b->values || (a->values == b->values && a->bytes < b->bytes);
}

static int beats_min(const struct pmin_quality *q, const struct pmin_quality *m)
{
	return q->cov < m->cov || (q->cov == m->cov && fewer(q, m));
}

static int beats_max(const struct pmin_quality *q, const struct pmin_quality *m)
{
	return q->cov > m->cov || (q->cov == m->cov && fewer(q, m));
}

static uint64_t word(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

/* Words of 8 counters, then the bytes of a last partial word. */
static int word_hit(const uint8_t *trace, size_t i, size_t edges)
{
	if (i + 8 <= edges)
		return word(trace + i) != 0;
	for (size_t j = i; j < edges; j++)
		if (trace[j])
			return 1;
	return 0;
}

/* Whether the input beats the holders of counter j's slot. */
static int wants_slot(const struct pmin *p, size_t j, const struct pmin_quality *q)
{
	const struct pmin_slot *s = &p->slot[j];
	return !s->min || beats_min(q, &s->qmin) || beats_max(q, &s->qmax);
}

int pmin_wants(const struct pmin *p, const uint8_t *trace, const struct cov_touch *touch,
	       const struct pmin_quality *q)
{
	long n = cov_touch_len(touch);
	for (long k = 0; k < n; k++) {
		size_t j = cov_touch_at(touch, k, p->edges);
		if (j < p->edges && trace[j] && wants_slot(p, j, q))
			return 1;
	}
	if (n >= 0)
		return 0;
	for (size_t i = 0; i < p->edges; i += 8) {
		if (!word_hit(trace, i, p->edges))
			continue;
		for (size_t j = i; j < i + 8 && j < p->edges; j++) {
			if (trace[j] && wants_slot(p, j, q))
				return 1;
		}
	}
	return 0;
}

static void release_slot(struct entry *old, pmin_drop_fn drop, void *ctx)
{
	if (old && --old->pmin_refs == 0)
		drop(ctx, old);
}

/* Entries that lost a slot, released after the whole install. */
struct losers {
	struct entry *v[64];
	size_t n;
};

/* Makes e the holder of one slot; the previous holder loses it (released
 * later, or now when the list is full). Returns 1. */
static size_t take(struct entry **holder, struct pmin_quality *hq, struct entry *e,
		   const struct pmin_quality *q, struct losers *set, pmin_drop_fn drop, void *ctx)
{
	if (*holder && set->n < 64)
		set->v[set->n++] = *holder;
	else if (*holder)
		release_slot(*holder, drop, ctx);
	*holder = e;
	*hq = *q;
	e->pmin_refs++;
	return 1;
}

size_t pmin_install(struct pmin *p, struct entry *e, const uint8_t *trace,
		    const struct pmin_quality *q, pmin_drop_fn drop, void *ctx)
{
	size_t took = 0;
	/* Take the slots first, drop losers after, so an entry that moves
	 * between slots of the same input is never dropped half-way. */
	struct losers set = {.n = 0};
	for (size_t i = 0; i < p->edges; i += 8) {
		if (!word_hit(trace, i, p->edges))
			continue;
		for (size_t j = i; j < i + 8 && j < p->edges; j++) {
			if (!trace[j])
				continue;
			struct pmin_slot *s = &p->slot[j];
			if (!s->min || beats_min(q, &s->qmin))
				took += take(&s->min, &s->qmin, e, q, &set, drop, ctx);
			if (!s->max || beats_max(q, &s->qmax))
				took += take(&s->max, &s->qmax, e, q, &set, drop, ctx);
		}
	}
	for (size_t k = 0; k < set.n; k++)
		release_slot(set.v[k], drop, ctx);
	return took;
}
