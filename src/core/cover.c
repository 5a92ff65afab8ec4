/*
 * cover.c - the greedy set cover of cover.h, lazily evaluated: a max-heap
 * of candidates by the count of new features each had when last looked
 * at. The top's count is refreshed; if it did not fall, the top is the
 * best there is (every other count can only be lower than the heap says),
 * else it goes back in with its new count.
 */
#include <stdlib.h>

#include "cover.h"
#include "banned.h"

struct cand {
	size_t i;    /* index into the sets */
	size_t adds; /* new features it had when last counted: an upper bound */
};

/* Whether a goes before b: a total order, so the picks are the same as a
 * full rescan's, whatever the heap's shape. */
static int before(const struct cover_set *s, enum cover_rule rule, const struct cand *a,
		  const struct cand *b)
{
	size_t la = s[a->i].len, lb = s[b->i].len;
	if (rule == COVER_PER_BYTE) {
		/* adds / (len + 1), compared without division */
		unsigned __int128 x = (unsigned __int128)a->adds * (lb + 1);
		unsigned __int128 y = (unsigned __int128)b->adds * (la + 1);
		if (x != y)
			return x > y;
	}
	if (a->adds != b->adds)
		return a->adds > b->adds;
	if (la != lb)
		return la < lb;
	return a->i < b->i;
}

static void sift_down(const struct cover_set *s, enum cover_rule rule, struct cand *h, size_t n,
		      size_t k)
{
	for (;;) {
		size_t l = 2 * k + 1, r = l + 1, m = k;
		if (l < n && before(s, rule, &h[l], &h[m]))
			m = l;
		if (r < n && before(s, rule, &h[r], &h[m]))
			m = r;
		if (m == k)
			return;
		struct cand t = h[k];
		h[k] = h[m];
		h[m] = t;
		k = m;
	}
}

static size_t count_new(const struct cover_set *c, const uint32_t *cnt)
{
	size_t adds = 0;
	for (size_t k = 0; k < c->n_feats; k++)
		adds += !cnt[c->feats[k]];
	return adds;
}

static void hold(const struct cover_set *c, uint32_t *cnt, int by)
{
	for (size_t k = 0; k < c->n_feats; k++)
		cnt[c->feats[k]] += (uint32_t)by;
}

struct by_len {
	size_t len, pos; /* pos: its place in order[] */
};

/* The largest first; of one size, the later picked (it added less). */
static int larger_first(const void *a, const void *b)
{
	const struct by_len *x = a, *y = b;
	if (x->len != y->len)
		return x->len > y->len ? -1 : 1;
	return x->pos > y->pos ? -1 : x->pos < y->pos;
}

/* COVER_PER_BYTE's second pass: the largest picked set first, one whose
 * every feature another kept set also has goes. Compacts order[] and
 * adds[]; returns how many stay, or picked itself when out of memory
 * (nothing is dropped then). */
static size_t drop_redundant(const struct cover_set *s, uint32_t *cnt, size_t *order, size_t *adds,
			     size_t picked)
{
	struct by_len *v = malloc((picked ? picked : 1) * sizeof(*v));
	if (!v)
		return picked;
	for (size_t j = 0; j < picked; j++)
		v[j] = (struct by_len){s[order[j]].len, j};
	qsort(v, picked, sizeof(*v), larger_first);
	for (size_t j = 0; j < picked; j++) {
		const struct cover_set *c = &s[order[v[j].pos]];
		size_t k = 0;
		while (k < c->n_feats && cnt[c->feats[k]] >= 2)
			k++;
		if (k < c->n_feats)
			continue;
		hold(c, cnt, -1);
		order[v[j].pos] = (size_t)-1;
	}
	free(v);
	size_t kept = 0;
	for (size_t j = 0; j < picked; j++) {
		if (order[j] == (size_t)-1)
			continue;
		if (adds)
			adds[kept] = adds[j];
		order[kept++] = order[j];
	}
	return kept;
}

long cover_pick(const struct cover_set *s, size_t n, size_t space, enum cover_rule rule,
		size_t *order, size_t *adds)
{
	uint32_t *cnt = calloc(space ? space : 1, sizeof(*cnt));
	struct cand *h = malloc((n ? n : 1) * sizeof(*h));
	if (!cnt || !h) {
		free(cnt);
		free(h);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (s[i].fixed)
			hold(&s[i], cnt, 1);
	size_t hn = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i].fixed)
			continue;
		h[hn] = (struct cand){i, count_new(&s[i], cnt)};
		if (h[hn].adds)
			hn++;
	}
	for (size_t k = hn / 2; k-- > 0;)
		sift_down(s, rule, h, hn, k);
	size_t picked = 0;
	while (hn) {
		size_t now = count_new(&s[h[0].i], cnt);
		if (now == h[0].adds) {
			order[picked] = h[0].i;
			if (adds)
				adds[picked] = now;
			picked++;
			hold(&s[h[0].i], cnt, 1);
			h[0] = h[--hn];
		} else if (!now) {
			h[0] = h[--hn];
		} else {
			h[0].adds = now;
		}
		sift_down(s, rule, h, hn, 0);
	}
	if (rule == COVER_PER_BYTE)
		picked = drop_redundant(s, cnt, order, adds, picked);
	free(cnt);
	free(h);
	return (long)picked;
}
