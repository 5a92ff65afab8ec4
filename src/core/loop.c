/*
 * loop.c - the one fuzzing loop (see loop.h).
 *
 * Per execution, the common case (nothing new) costs the executor's run,
 * one classify-and-compare pass over the counters (cov.c) and, with the
 * "fast" schedule only, one path hash. Everything else here happens when
 * something new is found or an entry is scheduled: keeping an entry (its
 * cost, edge bits and hash, one pass each), the compare stage (once per
 * entry), energy (once per entry).
 */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "cov.h"
#include "cover.h"
#include "errors.h"
#include "i2s.h"
#include "loop.h"
#include "records.h"
#include "vmutate.h"
#include "banned.h"

const struct loop_params loop_outside = {
	.havoc_cycles = CFG_OUTSIDE_HAVOC_CYCLES,
	.max_mult = CFG_OUTSIDE_MAX_MULT,
	.min_energy = CFG_OUTSIDE_MIN_ENERGY,
	.stack_pow2 = CFG_OUTSIDE_STACK_POW2,
	.splice_one_in = CFG_SPLICE_ONE_IN,
	.i2s_max = CFG_OUTSIDE_I2S_MAX,
	.tick_execs = CFG_OUTSIDE_TICK_EXECS,
	.len_control = CFG_LEN_CONTROL,
	.stall_execs = CFG_OUTSIDE_STALL_EXECS,
	.stall_sample = CFG_OUTSIDE_STALL_SAMPLE,
	.stall_i2s_max = CFG_OUTSIDE_STALL_I2S_MAX,
	.stall_pow2 = CFG_OUTSIDE_STALL_STACK_POW2,
	.schedule = SCHED_EXPLORE,
	.flags = LOOP_CMP | LOOP_TRIM | LOOP_REDUCE,
};

const struct loop_params loop_inproc = {
	.havoc_cycles = CFG_INPROC_HAVOC_CYCLES,
	.max_mult = CFG_INPROC_MAX_MULT,
	.min_energy = CFG_INPROC_MIN_ENERGY,
	.stack_pow2 = CFG_INPROC_STACK_POW2,
	.splice_one_in = CFG_SPLICE_ONE_IN,
	.i2s_max = CFG_INPROC_I2S_MAX,
	.tick_execs = CFG_INPROC_TICK_EXECS,
	.len_control = CFG_LEN_CONTROL,
	.stall_execs = CFG_INPROC_STALL_EXECS,
	.stall_sample = CFG_INPROC_STALL_SAMPLE,
	.stall_i2s_max = CFG_INPROC_STALL_I2S_MAX,
	.stall_pow2 = CFG_INPROC_STALL_STACK_POW2,
	.schedule = SCHED_EXPLORE,
	.flags = LOOP_CMP | LOOP_TRIM | LOOP_REDUCE | LOOP_FEATURES,
};

/* One name per line, so the table reads as the enum does. */
/* clang-format off */
static const char *const op_names[LOOP_OP__COUNT] = {
	[LOOP_OP_SEED] = "seed",
	[LOOP_OP_HAVOC] = "havoc",
	[LOOP_OP_SPLICE] = "splice",
	[LOOP_OP_I2S] = "i2s",
	[LOOP_OP_CUSTOM] = "custom",
	[LOOP_OP_CROSSOVER] = "crossover",
	[LOOP_OP_VALUES] = "values",
	[LOOP_OP_SYNC] = "sync",
	[LOOP_OP_TRIM] = "trim",
	[LOOP_OP_REDUCE] = "reduce",
	[LOOP_OP_RECORDS] = "records",
};
/* clang-format on */

const char *loop_op_name(enum loop_op op)
{
	return (unsigned)op < LOOP_OP__COUNT ? op_names[op] : "?";
}

int loop_init(struct loop *L, const struct loop_setup *s)
{
	memset(L, 0, sizeof(*L));
	L->p = *s->params;
	L->map = s->map;
	L->touch = s->touch;
	L->map_bytes = s->map_bytes;
	L->edge_bytes = s->edge_bytes ? s->edge_bytes : s->map_bytes;
	L->cmp_log = s->cmp_log;
	L->buf = s->buf;
	L->cap = s->cap;
	L->trace = s->trace;
	L->exec = s->exec;
	L->sink = s->sink;
	L->custom = s->custom;
	L->mut = s->mut;
	if (L->mut.only)
		L->p.flags &= ~LOOP_CMP; /* no built-in mutation at all */
	L->max_execs = s->max_execs;
	L->next_tick = L->p.tick_execs ? L->p.tick_execs : 1;
	rng_seed(&L->rng, s->seed);
	dict_init(&L->dict, CFG_DICT_MAX_TOKENS, CFG_DICT_MAX_TOKEN_BYTES);
	L->virgin = malloc(L->map_bytes ? L->map_bytes : 1);
	L->scratch = malloc(L->cap ? L->cap : 1);
	L->stash = malloc(L->cap ? L->cap : 1);
	if (L->mut.n)
		L->add = malloc(L->cap ? L->cap : 1);
	int err =
		!L->virgin || !L->scratch || !L->stash || (L->mut.n && !L->add) ? FERRET_ENOMEM : 0;
	if (!err)
		err = corpus_init(&L->c, L->map_bytes,
				  L->p.schedule == SCHED_FAST ? CFG_N_FUZZ_SLOTS : 0);
	if (!err && !L->trace) {
		L->owns_trace = 1;
		if (!(L->trace = malloc(sizeof(*L->trace))))
			err = FERRET_ENOMEM;
	}
	if (!err && (L->p.flags & LOOP_FEATURES) && !(L->p.flags & LOOP_VALUES) &&
	    !(L->owner = calloc(L->map_bytes ? L->map_bytes * 8 : 1, sizeof(*L->owner))))
		err = FERRET_ENOMEM;
	if (!err && (L->p.flags & LOOP_VALUES)) {
		err = pmin_init(&L->pmin, L->edge_bytes);
		if (!err && !(L->arena = malloc(CFG_VS_ARENA_BYTES)))
			err = FERRET_ENOMEM;
	}
	if (err) {
		loop_release(L);
		return err;
	}
	L->trace->n = 0;
	cov_virgin_init(L->virgin, L->map_bytes);
	return 0;
}

void loop_release(struct loop *L)
{
	corpus_release(&L->c);
	dict_release(&L->dict);
	if (L->p.flags & LOOP_VALUES)
		pmin_release(&L->pmin);
	vs_release(&L->vs_in);
	vs_release(&L->vs_other);
	vs_release(&L->vs_out);
	free(L->arena);
	free(L->owner);
	free(L->virgin);
	free(L->scratch);
	free(L->stash);
	free(L->add);
	free(L->origin);
	if (L->owns_trace)
		free(L->trace);
	memset(L, 0, sizeof(*L));
}

/* Counts one execution: the budget, then the shell's tick. */
static void count_exec(struct loop *L)
{
	L->execs++;
	if (L->max_execs && L->execs >= L->max_execs)
		L->stop = 1;
	if (L->execs >= L->next_tick) {
		L->next_tick = L->execs + (L->p.tick_execs ? L->p.tick_execs : 1);
		if (L->sink.tick && L->sink.tick(L->sink.ctx))
			L->stop = 1;
	}
}

/*
 * Runs *buf once. With custom mutators loaded, their post_process chain
 * goes first and *buf, *len become what it made (what the run saw, and so
 * what a crash file or an entry holds, as AFL++ saves by default); a NULL
 * or empty result is not run and counts as a rejected execution. Then
 * fuzz_send, the run, post_run. Without mutators this costs two tests of
 * NULL pointers.
 */
static int exec_one(struct loop *L, const uint8_t **buf, size_t *len, unsigned flags,
		    const struct loop_origin *o, struct loop_verdict *v)
{
	memset(v, 0, sizeof(*v));
	if (L->mut.post) {
		size_t n = 0;
		const uint8_t *p = L->mut.post(L->mut.ctx, *buf, *len, &n);
		if (!p || !n) {
			v->kind = LOOP_REJECT;
			count_exec(L);
			return 0;
		}
		*buf = p;
		*len = n < L->cap ? n : L->cap;
	}
	if ((flags & LOOP_RUN_CMP) && L->cmp_log)
		for (size_t i = 0; i < FERRET_CMP_SITES; i++)
			L->cmp_log[i].n = 0;
	size_t run_len = *len;
	if (L->mut.send && L->mut.send(L->mut.ctx, *buf, *len))
		run_len = 0;
	int err = L->exec.run(L->exec.ctx, *buf, run_len, flags, o, v);
	if (L->mut.post_run)
		L->mut.post_run(L->mut.ctx);
	if (err) {
		L->err = err;
		L->stop = 1;
		return err;
	}
	count_exec(L);
	return 0;
}

int loop_exec_raw(struct loop *L, const uint8_t *buf, size_t len, unsigned flags,
		  const struct loop_origin *o, struct loop_verdict *v)
{
	return exec_one(L, &buf, &len, flags, o, v);
}

static void on_pmin_drop(void *ctx, struct entry *e)
{
	struct loop *L = ctx;
	e->disabled = 1;
	L->active--;
	if (L->sink.drop)
		L->sink.drop(L->sink.ctx, e);
}

/*
 * libFuzzer's corpus rule: each feature (a counter's bucket) belongs to the
 * shortest entry that has it. e, just kept with its classified counters in
 * the map, takes every feature it has that nobody has or a longer entry
 * has; an entry that so loses its last feature is retired (disabled, its
 * file deleted through the sink), unless it is a seed (no parent), whose
 * file is the user's (libFuzzer's MayDeleteFile). The features e takes are
 * listed in e->feats for maybe_reduce. One pass over the counters e hit
 * (e->hit) per new entry; the per-execution path is untouched.
 */
static void own_features(struct loop *L, struct entry *e)
{
	size_t cap = 0;
	int lost = 0;
	for (uint32_t j = 0; j < e->edges; j++) {
		size_t i = e->hit[j];
		uint8_t b = L->map[i];
		if (!b)
			continue;
		size_t f = cov_feature(i, b);
		uint32_t o = L->owner[f];
		struct entry *old = o ? L->c.v[o - 1] : NULL;
		if (old && (old->len <= e->len || old == e))
			continue;
		L->owner[f] = e->id + 1;
		e->feat_refs++;
		if (!lost && e->n_feats == cap) {
			size_t n = cap ? 2 * cap : 8;
			uint32_t *p = realloc(e->feats, n * sizeof(*p));
			if (p) {
				e->feats = p;
				cap = n;
			} else { /* no list, no reduce by features; nothing else is lost */
				lost = 1;
				free(e->feats);
				e->feats = NULL;
				e->n_feats = 0;
			}
		}
		if (!lost)
			e->feats[e->n_feats++] = (uint32_t)f;
		if (old && !--old->feat_refs && !old->disabled && old->parent >= 0) {
			old->disabled = 1;
			L->active--;
			if (L->sink.drop)
				L->sink.drop(L->sink.ctx, old);
		}
	}
}

struct entry *loop_keep(struct loop *L, const uint8_t *data, size_t len, int news,
			const struct loop_verdict *v, const struct loop_origin *o)
{
	uint32_t values = 0;
	if (v && v->keep) {
		data = v->keep;
		len = v->keep_len;
		values = v->values;
	}
	struct entry *e = entry_new(data, len);
	if (!e) {
		L->err = FERRET_ENOMEM;
		L->stop = 1;
		return NULL;
	}
	e->cost = cov_sparse_cost(L->map, L->map_bytes, L->touch) + (v ? v->extra_cost : 0);
	e->cost = e->cost ? e->cost : 1;
	e->new_cov = news == COV_NEW_EDGE;
	e->parent = o->src;
	if (o->trace && o->trace->n) {
		e->op = o->trace->ops[0];
		e->rep = (uint16_t)o->trace->n;
	}
	if (o->src >= 0 && (size_t)o->src < L->c.n)
		e->depth = L->c.v[o->src]->depth + 1;
	e->path_hash = cov_sparse_hash(L->map, L->map_bytes, L->touch);
	if (!(L->p.flags & LOOP_VALUES))
		records_find(e->data, e->len, &e->rec);
	if (corpus_add(&L->c, e, L->map, L->touch)) {
		entry_free(e);
		L->err = FERRET_ENOMEM;
		L->stop = 1;
		return NULL;
	}
	if (L->p.flags & LOOP_VALUES) {
		struct pmin_quality q = {
			cov_sparse_count(L->map, L->map_bytes, L->edge_bytes, L->touch), values,
			(uint32_t)len};
		if (!pmin_install(&L->pmin, e, L->map, &q, on_pmin_drop, L)) {
			e->disabled = 1; /* best for nothing after all */
			return NULL;
		}
	}
	L->active++;
	if (L->sink.new_entry)
		L->sink.new_entry(L->sink.ctx, e, o);
	if (L->owner)
		own_features(L, e);
	return e;
}

static int cmp_feat(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Sorts f[0..n) and drops repeats; returns how many stay. */
static size_t sort_unique(uint32_t *f, size_t n)
{
	qsort(f, n, sizeof(*f), cmp_feat);
	size_t u = 0;
	for (size_t j = 0; j < n; j++)
		if (!u || f[u - 1] != f[j])
			f[u++] = f[j];
	return u;
}

/* The features of the run in the map (classified): each touched counter's
 * bucket, once, sorted (a threaded target's list may name a counter twice). */
static uint32_t *run_features(const struct loop *L, size_t *n)
{
	uint32_t cap = cov_sparse_count(L->map, L->map_bytes, L->map_bytes, L->touch);
	uint32_t *f = malloc((cap ? cap : 1) * sizeof(*f));
	if (!f)
		return NULL;
	size_t k = 0;
	long listed = cov_touch_len(L->touch);
	size_t span = listed >= 0 ? (size_t)listed : L->map_bytes;
	for (size_t j = 0; j < span; j++) {
		size_t i = listed >= 0 ? cov_touch_at(L->touch, (long)j, L->map_bytes) : j;
		if (i >= L->map_bytes || !L->map[i])
			continue;
		if (k == cap) { /* listed twice: room for one more */
			uint32_t *g = realloc(f, (cap = 2 * cap + 1) * sizeof(*f));
			if (!g) {
				free(f);
				return NULL;
			}
			f = g;
		}
		f[k++] = cov_feature(i, L->map[i]);
	}
	*n = sort_unique(f, k);
	return f;
}

/* Whether a run with these classified counters is worth keeping: new
 * coverage, or for a value stream a better input for some edge (passive
 * minimization, a word scan of the counters). */
static int judge(struct loop *L, int news, const struct loop_verdict *v)
{
	if (!(L->p.flags & LOOP_VALUES) || news == COV_NEW_EDGE)
		return news;
	struct pmin_quality q = {cov_sparse_count(L->map, L->map_bytes, L->edge_bytes, L->touch),
				 v->values, (uint32_t)v->keep_len};
	return pmin_wants(&L->pmin, L->map, L->touch, &q) ? COV_NEW_BUCKET : COV_NONE;
}

/* Gives e new bytes (shorter, same path) and tells the sink, which
 * rewrites the file that holds it. */
static void replace_data(struct loop *L, struct entry *e, const uint8_t *buf, size_t len,
			 enum loop_op why)
{
	uint8_t *d = malloc(len ? len : 1);
	if (!d)
		return; /* keep the longer one: nothing is lost */
	memcpy(d, buf, len);
	uint8_t *old = e->data;
	uint32_t old_len = e->len;
	e->data = d;
	e->len = (uint32_t)len;
	free(e->structure); /* found in the old bytes: its places may be wrong */
	e->structure = NULL;
	records_find(d, len, &e->rec);
	if (L->sink.replace)
		L->sink.replace(L->sink.ctx, e, old, old_len, why);
	free(old);
}

/*
 * Under LOOP_FEATURES (libFuzzer's reduce rule): does the run in the map
 * have every feature e took when it was kept and still owns? Then it may
 * stand for e, whatever else it does or misses: those features are the
 * only reason e is in the corpus. A few loads per feature e owns, and only
 * for a candidate shorter than its parent.
 */
static int keeps_features(const struct loop *L, const struct entry *e)
{
	if (!L->owner || !e->feats)
		return 0;
	for (uint32_t k = 0; k < e->n_feats; k++) {
		uint32_t f = e->feats[k];
		if (L->owner[f] == e->id + 1 && !(L->map[f / 8] & (1u << (f % 8))))
			return 0;
	}
	return 1;
}

/*
 * libFuzzer's -reduce_inputs: a candidate with fewer bytes than its parent
 * that took exactly the parent's path (the same classified counters), or
 * under LOOP_FEATURES kept every feature the parent owns, replaces the
 * parent's bytes. Costs a compare of two lengths per execution, and of a
 * hash and the parent's own features for a shorter one; only a hit copies
 * anything. The parent's edge bits and top-rated slots (corpus.c) stay
 * those of its first bytes: they only weigh the schedule. Value streams
 * are left to passive minimization, which weighs values, not bytes.
 */
static void maybe_reduce(struct loop *L, const uint8_t *buf, size_t len, uint64_t path,
			 const struct loop_verdict *v, const struct loop_origin *o)
{
	if (!(L->p.flags & LOOP_REDUCE) || (L->p.flags & LOOP_VALUES) || o->src < 0 ||
	    (size_t)o->src >= L->c.n || o->op == LOOP_OP_SEED || o->op == LOOP_OP_SYNC ||
	    o->op == LOOP_OP_TRIM)
		return;
	struct entry *e = L->c.v[o->src];
	if (len >= e->len || e->variable || e->disabled)
		return;
	if (path != e->path_hash && !keeps_features(L, e))
		return;
	if (cov_sparse_cost(L->map, L->map_bytes, L->touch) + v->extra_cost > e->cost)
		return; /* shorter but dearer: it allocates more (see trim) */
	replace_data(L, e, buf, len, LOOP_OP_REDUCE);
	e->path_hash = path;
}

/*
 * The per-execution path. Costs the run, one classify-and-compare pass,
 * and a path hash only under the "fast" schedule; keeping, crash and hang
 * handling happen only when there is something to keep.
 */
static int run_judged(struct loop *L, const uint8_t *buf, size_t len, unsigned flags,
		      const struct loop_origin *o)
{
	struct loop_verdict v;
	int err = exec_one(L, &buf, &len, flags & ~LOOP_RUN_KEEP, o, &v);
	if (err)
		return err;
	switch (v.kind) {
	case LOOP_CRASH:
		if (L->sink.crash)
			L->sink.crash(L->sink.ctx, buf, len, &v, o);
		return COV_NONE;
	case LOOP_HANG:
		if (L->sink.hang)
			L->sink.hang(L->sink.ctx, buf, len, &v, o);
		return COV_NONE;
	case LOOP_REJECT:
		return COV_NONE;
	case LOOP_OK:
		break;
	}
	uint64_t path;
	int news = cov_sparse_classify_update(L->map, L->virgin, L->map_bytes, L->touch, &path);
	if (L->p.schedule == SCHED_FAST)
		corpus_note_path(&L->c, path);
	news = judge(L, news, &v);
	if (!news && (flags & LOOP_RUN_KEEP)) {
		loop_keep(L, buf, len, COV_NONE, &v, o);
		return L->err ? L->err : COV_NONE;
	}
	if (!news) {
		maybe_reduce(L, buf, len, path, &v, o);
		return COV_NONE;
	}
	L->last_find_execs = L->execs;
	if (!loop_keep(L, buf, len, news, &v, o))
		return L->err ? L->err : COV_NONE;
	return news;
}

int loop_run_one(struct loop *L, const uint8_t *buf, size_t len, const struct loop_origin *o)
{
	return run_judged(L, buf, len, 0, o);
}

int loop_run_keep(struct loop *L, const uint8_t *buf, size_t len, const struct loop_origin *o)
{
	return run_judged(L, buf, len, LOOP_RUN_KEEP, o);
}

static void to_ascii(uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		uint8_t c = p[i] & 127;
		if (!(c == ' ' || (c >= '\t' && c <= '\r') || (c > 32 && c < 127)))
			c = ' ';
		p[i] = c;
	}
}

struct i2s_ctx {
	struct loop *L;
	struct entry *e;
};

static int i2s_emit(void *ctx, const uint8_t *cand, size_t len)
{
	struct i2s_ctx *c = ctx;
	struct loop *L = c->L;
	if (L->stop)
		return 1;
	if (len > L->cap)
		return 0;
	memcpy(L->buf, cand, len);
	if (L->p.flags & LOOP_ONLY_ASCII)
		to_ascii(L->buf, len);
	L->trace->n = 0;
	struct loop_origin o = {.op = LOOP_OP_I2S, .src = (int32_t)c->e->id, .src2 = -1};
	loop_run_one(L, L->buf, len, &o);
	return L->stop;
}

static void add_token(void *ctx, const uint8_t *data, size_t len)
{
	dict_add(&((struct loop *)ctx)->dict, data, len);
}

/*
 * Compare feedback on values (vmutate.h), for a value stream whose logged
 * run just ended: the compare operands its values met become e's hints,
 * which VMUT_CMP draws on from now on, and each strong hint (a match of
 * a drawn value of CFG_VS_CMP_STRENGTH significant bytes or more, not a
 * small count that matches by chance) is tried at once: the operand, then
 * the operand +1 and -1 for integers (an off-by-one compare, < or <=, is
 * passed by one of them), up to CFG_VS_CMP_MAX candidates.
 * The stream decoded here is e's own, what the logged run consumed. One
 * pass over the stream per logged compare; once per entry.
 */
static void value_cmp(struct loop *L, struct entry *e, const struct loop_origin *o)
{
	static const int64_t deltas[] = {0, 1, -1};
	struct vs_hint *h = malloc(CFG_VS_HINTS * sizeof(*h));
	if (!h || vs_decode(&L->vs_in, e->data, e->len) < 0) {
		free(h);
		return;
	}
	size_t n = vs_cmp_hints(&L->vs_in, L->cmp_log, FERRET_CMP_SITES, h, CFG_VS_HINTS);
	free(e->hints);
	e->hints = n ? h : NULL;
	e->n_hints = (uint32_t)n;
	if (!n)
		free(h);
	uint32_t tried = 0;
	for (size_t i = 0; i < n && e->hints[i].strength >= CFG_VS_CMP_STRENGTH && !L->stop; i++)
		for (size_t d = 0; d < 3 && tried < CFG_VS_CMP_MAX && !L->stop; d++) {
			if (d && e->hints[i].kind != FERRET_VS_INT)
				break;
			if (!vs_hint_apply(&L->vs_in, &e->hints[i], deltas[d], &L->vs_out, L->arena,
					   CFG_VS_ARENA_BYTES) ||
			    vs_encoded_len(&L->vs_out) > L->cap)
				continue;
			size_t len = vs_encode(&L->vs_out, L->buf);
			L->trace->n = 0;
			tried++;
			loop_run_one(L, L->buf, len, o);
		}
}

/*
 * Compare feedback for an entry, once: one run with the compare log on,
 * the log's constants into the automatic dictionary, then the
 * input-to-state candidates (each a normal run). The log is read in place;
 * runs with logging off leave it alone.
 */
static void cmp_stage(struct loop *L, struct entry *e)
{
	e->cmp_done = 1;
	struct loop_origin o = {.op = LOOP_OP_I2S, .src = (int32_t)e->id, .src2 = -1};
	struct loop_verdict v;
	L->trace->n = 0;
	if (loop_exec_raw(L, e->data, e->len, LOOP_RUN_CMP, &o, &v) || v.kind != LOOP_OK)
		return; /* variable behaviour: the entry ran fine before */
	i2s_tokens(L->cmp_log, FERRET_CMP_SITES, add_token, L);
	if (L->p.flags & LOOP_VALUES) {
		/* values get their compare operands written where they were
		 * drawn; byte-level candidates on the encoding (a uid, a
		 * length, a seed) would mostly be wasted runs */
		value_cmp(L, e, &o);
		return;
	}
	/* The candidates are made from a copy: one of them may reduce e
	 * (maybe_reduce), which frees the bytes they are made from. */
	if (e->len > L->origin_cap) {
		uint8_t *p = realloc(L->origin, e->len);
		if (!p)
			return; /* no compare feedback for this one; nothing is lost */
		L->origin = p;
		L->origin_cap = e->len;
	}
	memcpy(L->origin, e->data, e->len);
	uint32_t before = e->len; /* a reduce always shortens */
	struct i2s_ctx ctx = {L, e};
	struct i2s_out out = {.follow = L->stash, .want_structure = 1};
	i2s_run_ex(L->origin, e->len, L->cmp_log, FERRET_CMP_SITES, L->scratch, L->cap,
		   L->p.i2s_max, 0, i2s_emit, &ctx, &out);
	if (e->len != before) {
		free(out.structure); /* found in bytes e no longer has */
		out.structure = NULL;
	}
	free(e->structure);
	e->structure = out.structure; /* havoc keeps it (candidate()) */
	/* A string compared a byte at a time: the candidate that got the next
	 * byte right adds no coverage, so follow it, a byte a round (one
	 * logged run and a few candidates each). */
	for (unsigned round = 0; round < CFG_I2S_FOLLOW_ROUNDS && out.follow_len && !L->stop;
	     round++) {
		size_t n = out.follow_len;
		memcpy(L->buf, L->stash, n);
		L->trace->n = 0;
		if (run_judged(L, L->buf, n, LOOP_RUN_CMP, &o) != COV_NONE || L->stop)
			break; /* kept: its own compare stage follows it */
		out.want_structure = 0;
		i2s_run_ex(L->stash, n, L->cmp_log, FERRET_CMP_SITES, L->scratch, L->cap,
			   CFG_I2S_FOLLOW_MAX, I2S_STRINGS, i2s_emit, &ctx, &out);
	}
}

/*
 * When the loop has stalled, a sampled mutant runs with the compare log on
 * and gets its own input-to-state candidates: a mutation that reached a
 * compare no entry reaches (a state machine's next message, a length
 * behind a checksum) does not add coverage by reaching it, so without this
 * its operands are never seen. libFuzzer gets there by tracing compares on
 * every run; here it costs one logged run per stall_sample candidates and
 * at most stall_i2s_max candidates after it.
 */
static void mutant_i2s(struct loop *L, struct entry *e, size_t len, const struct loop_origin *o)
{
	if (run_judged(L, L->buf, len, LOOP_RUN_CMP, o) != COV_NONE || L->stop)
		return; /* kept as an entry: its own compare stage will come */
	memcpy(L->stash, L->buf, len);
	struct i2s_ctx ctx = {L, e};
	struct i2s_out out = {.parent = e->structure}; /* the checksums it may hold */
	i2s_run_ex(L->stash, len, L->cmp_log, FERRET_CMP_SITES, L->scratch, L->cap,
		   L->p.stall_i2s_max, I2S_PARENT, i2s_emit, &ctx, &out);
}

/* Nothing new for stall_execs executions (and for as long as it took to
 * find the last thing): the loop changes what it does until the next find
 * (mutant input-to-state above, and havoc stacks up to stall_pow2). */
int loop_stalled(const struct loop *L)
{
	uint64_t since = L->execs - L->last_find_execs;
	return L->p.stall_execs && since > L->p.stall_execs && since > L->last_find_execs;
}

/* A value-stream candidate: value-level mutation of e's stream, sometimes
 * with values from another entry. */
static size_t mutate_values(struct loop *L, struct entry *e)
{
	vs_decode(&L->vs_in, e->data, e->len);
	const struct vs_stream *other = NULL;
	if (L->c.n > 1 && rng_below(&L->rng, 4) == 0) {
		struct entry *x = L->c.v[rng_below(&L->rng, L->c.n)];
		if (!x->disabled && x != e) {
			vs_decode(&L->vs_other, x->data, x->len);
			other = &L->vs_other;
		}
	}
	uint8_t ops[4];
	vmutate_hinted(&L->rng, &L->vs_in, other, e->hints, e->n_hints, &L->vs_out, L->arena,
		       CFG_VS_ARENA_BYTES, ops);
	if (vs_encoded_len(&L->vs_out) > L->cap)
		return vs_encoded_len(&L->vs_in) <= L->cap ? vs_encode(&L->vs_in, L->buf) : 0;
	return vs_encode(&L->vs_out, L->buf);
}

/* One candidate from e into L->buf, at most len_cap bytes (len_control);
 * fills o. Returns its length. */
static size_t candidate(struct loop *L, struct entry *e, struct loop_origin *o)
{
	uint8_t *buf = L->buf;
	size_t cap = L->len_cap > e->len ? L->len_cap : e->len;
	cap = cap < L->cap ? cap : L->cap;
	size_t len = e->len < cap ? e->len : cap, n = 0;
	o->src = (int32_t)e->id;
	o->src2 = -1;
	o->mutator = 0;
	o->trace = L->trace;
	L->trace->n = 0;
	if (L->p.flags & LOOP_VALUES) {
		o->op = LOOP_OP_VALUES;
		return mutate_values(L, e);
	}
	memcpy(buf, e->data, len);
	if (L->custom.crossover && L->c.n > 1 && L->p.splice_one_in &&
	    rng_below(&L->rng, L->p.splice_one_in) == 0) {
		struct entry *x = L->c.v[rng_below(&L->rng, L->c.n)];
		n = L->custom.crossover(L->custom.ctx, e->data, e->len, x->data, x->len, buf, cap,
					(unsigned)rng_next(&L->rng));
		if (n && n <= cap) {
			o->op = LOOP_OP_CROSSOVER;
			o->src2 = (int32_t)x->id;
			goto done;
		}
		memcpy(buf, e->data, len);
	}
	if (L->custom.mutate) {
		n = L->custom.mutate(L->custom.ctx, buf, len, cap, (unsigned)rng_next(&L->rng));
		n = n <= cap ? n : cap;
		o->op = LOOP_OP_CUSTOM;
		goto done;
	}
	struct mutate_env env = {.tokens = L->dict.v, .n_tokens = L->dict.n};
	n = 0;
	if (e->rec.valid && rng_below(&L->rng, CFG_RECORDS_ONE_IN) == 0) {
		/* whole records: of another entry, or e's own, moved (only its
		 * own when crossing over is off) */
		struct entry *x = L->p.splice_one_in ? L->c.v[rng_below(&L->rng, L->c.n)] : e;
		n = records_mutate(&L->rng, &e->rec, buf, len, cap, x != e ? x->data : NULL,
				   x->len);
		if (n) {
			o->op = LOOP_OP_RECORDS;
			o->src2 = x != e ? (int32_t)x->id : -1;
			goto keep;
		}
	}
	if (L->c.n > 1 && L->p.splice_one_in && rng_below(&L->rng, L->p.splice_one_in) == 0) {
		struct entry *x = L->c.v[rng_below(&L->rng, L->c.n)];
		env.splice = x->data;
		env.splice_len = x->len;
		n = mutate_splice_depth(&L->rng, buf, len, cap, &env, L->trace, L->p.stack_pow2);
		env.splice = NULL;
		env.splice_len = 0;
		if (n) {
			o->op = LOOP_OP_SPLICE;
			o->src2 = (int32_t)x->id;
		}
	}
	if (!n) {
		n = mutate_havoc_depth(&L->rng, buf, len, cap, &env, L->trace, L->p.stack_pow2);
		o->op = LOOP_OP_HAVOC;
	}
	if (L->mut.havoc && n)
		n = L->mut.havoc(L->mut.ctx, &L->rng, buf, n, cap);
keep:
	/* Every other candidate keeps the lengths and checksums the compare
	 * stage found in e: a mutation behind them reaches the code they
	 * guard; the rest may break them, as a mutation must be able to. */
	if (e->structure && (L->execs & 1))
		i2s_keep(e->structure, buf, n);
done:
	if (L->p.flags & LOOP_ONLY_ASCII)
		to_ascii(buf, n);
	return n;
}

/*
 * What a trim keeps. In the loop: e's path (trim before fuzzing). When
 * distilling: the features `need` (sorted), the ones no other kept entry
 * has, whatever else changes; the features of the last cut kept are left
 * in `got`, and at most *budget runs are spent (the loop has stopped).
 */
struct trim_goal {
	const uint32_t *need;
	size_t n_need;
	uint32_t *got; /* owned; NULL until a cut is kept */
	size_t n_got;
	uint64_t *budget; /* NULL: trim in the loop, until it stops */
	/* the lengths and checksums found in the entry, kept true over each
	 * cut (trim_cut), or NULL */
	struct i2s_structure *st;
};

static int trim_on(const struct loop *L, const struct trim_goal *g)
{
	return !L->stop && (!g->budget || *g->budget > 0);
}

/* Whether the sorted list have[] holds every one of need[]. */
static int holds_all(const uint32_t *have, size_t n_have, const uint32_t *need, size_t n_need)
{
	size_t j = 0;
	for (size_t k = 0; k < n_need; k++) {
		while (j < n_have && have[j] < need[k])
			j++;
		if (j == n_have || have[j] != need[k])
			return 0;
	}
	return 1;
}

/* Whether an entry other than e that is not retired has the bytes
 * buf[0..len): the two would share a file (a file is named by its
 * content), which either one's later cut or retirement would delete. Only
 * a flaky target makes a trimmed entry another's bytes (they would have
 * the same path and features); O(entries) per trimmed entry. */
static int bytes_taken(const struct loop *L, const struct entry *e, const uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < L->c.n; i++) {
		const struct entry *x = L->c.v[i];
		if (x != e && !x->disabled && x->len == len && !memcmp(x->data, buf, len))
			return 1;
	}
	return 0;
}

/*
 * Runs a trim candidate of e: 1 when it is what the goal keeps and no
 * dearer (a cut that turns a length field into a bigger allocation is no
 * improvement), 0 when not, -1 when the executor failed. *buf and *len
 * become what ran (custom mutators' post_process may change them), which
 * is what the entry keeps; what ran as `below` bytes or more is not kept
 * (0), so the goal's features are never those of bytes the entry does not
 * take.
 */
static int trim_try(struct loop *L, const struct entry *e, const uint8_t **buf, size_t *len,
		    size_t below, const struct loop_origin *o, struct trim_goal *g)
{
	struct loop_verdict v;
	if (g->budget)
		--*g->budget;
	if (exec_one(L, buf, len, 0, o, &v))
		return -1;
	if (v.kind != LOOP_OK || *len >= below)
		return 0;
	cov_sparse_classify(L->map, L->map_bytes, L->touch);
	if (cov_sparse_cost(L->map, L->map_bytes, L->touch) + v.extra_cost > e->cost)
		return 0;
	if (!g->need)
		return cov_sparse_hash(L->map, L->map_bytes, L->touch) == e->path_hash;
	size_t n;
	uint32_t *f = run_features(L, &n);
	if (!f || !holds_all(f, n, g->need, g->n_need)) {
		free(f);
		return 0;
	}
	free(g->got);
	g->got = f;
	g->n_got = n;
	return 1;
}

/*
 * Runs the trim candidate in L->buf (*n bytes: the entry as trim has it
 * without [pos, pos + cut)) as trim_try does, kept only shorter than the
 * entry as trim has it (*n + cut bytes). When *st holds the lengths
 * and checksums i2s found in the entry (distilling: find_structure), they
 * are made true over the cut first, so that a cut inside a length's or a
 * CRC's range keeps the path behind it; the cut as it is runs too when
 * that one is not kept, and if it is, *st is dropped (its fields no longer
 * hold). A kept cut moves *st with it (i2s_cut).
 */
static int trim_cut(struct loop *L, const struct entry *e, const uint8_t **ran, size_t *n,
		    size_t pos, size_t cut, struct i2s_structure **st, const struct loop_origin *o,
		    struct trim_goal *g)
{
	size_t below = *n + cut;
	if (!*st)
		return trim_try(L, e, ran, n, below, o, g);
	struct i2s_structure moved = **st;
	i2s_cut(&moved, pos, cut);
	size_t plain = *n;
	memcpy(L->scratch, L->buf, plain);
	int ok, rewrote = i2s_keep(&moved, L->buf, plain);
	if (rewrote && (L->p.flags & LOOP_ONLY_ASCII)) {
		/* -only_ascii: printable, as every candidate is (a binary
		 * length or CRC written into an entry would not be) */
		to_ascii(L->buf, plain);
		rewrote = memcmp(L->buf, L->scratch, plain) != 0;
	}
	if (!rewrote) {
		ok = trim_try(L, e, ran, n, below, o, g); /* the fields hold: one run */
		if (ok > 0)
			**st = moved;
		return ok;
	}
	ok = trim_try(L, e, ran, n, below, o, g);
	if (ok > 0)
		**st = moved;
	if (ok || !trim_on(L, g))
		return ok;
	memcpy(L->buf, L->scratch, plain); /* the cut as it is */
	*ran = L->buf;
	*n = plain;
	ok = trim_try(L, e, ran, n, below, o, g);
	if (ok > 0) {
		free(*st);
		*st = NULL;
	}
	return ok;
}

/*
 * AFL's trim, in every mode: before an entry is fuzzed the first time,
 * drop blocks (from len/16 down to len/1024, at least 4 bytes) while the
 * path stays the same. Short entries make every later mutation likelier
 * to land on the bytes that matter, and keep the corpus small. Costs a few
 * dozen runs per new entry; the candidates are built in the loop's buffer,
 * where the in-process executor wants them. A cut must not make the entry
 * dearer: where the executor measures allocations, cutting the bytes of a
 * size field can turn a 1 MiB request into an 8 MiB one on the same path.
 */
/*
 * Trim's second pass, for an input that is a chain of length-prefixed
 * records (records.h), or starts with one (what follows is kept as it
 * is): each record's data cut to nothing, else to half,
 * its length field fixed, while the path stays. Cutting blocks cannot do
 * this: a cut that spans a record boundary, or leaves a length field
 * counting bytes that are gone, breaks the chain (a session of 32 pings
 * with 80 bytes of payload each, which the target never reads, stays 2.6
 * KB; its records cut, 90 bytes). At most two runs per record and one
 * more per cut kept. Returns the new length of cur.
 */
static size_t trim_records(struct loop *L, struct entry *e, uint8_t *cur, size_t len,
			   struct i2s_structure **st, const struct loop_origin *o,
			   struct trim_goal *g)
{
	struct rec_fmt f;
	uint32_t off[RECORDS_MAX + 1];
	size_t end; /* the chain's end: bytes after it are kept as they are */
	if (!records_find_prefix(cur, len, &f, &end))
		return len;
	size_t n = records_split(&f, cur, end, off, RECORDS_MAX);
	for (size_t i = 0; i < n && trim_on(L, g); i++) {
		for (int half = 0; half < 2 && trim_on(L, g); half++) {
			size_t have = off[i + 1] - off[i] - f.head - f.width;
			if (half && have / 2 == 0)
				break; /* the same cut as the first */
			size_t keep = half ? have / 2 : 0;
			size_t m = records_cut(&f, cur, len, off, i, keep, L->buf);
			if (!m)
				continue;
			const uint8_t *ran = L->buf;
			int ok = trim_cut(L, e, &ran, &m, off[i] + f.head + f.width + keep, len - m,
					  st, o, g);
			if (ok < 0)
				return len;
			if (ok && m < len) {
				end = len - m <= end ? end - (len - m) : 0;
				len = m;
				memmove(cur, ran, len);
				n = records_split(&f, cur, end, off, RECORDS_MAX);
				break;
			}
		}
	}
	return len;
}

static void trim_to(struct loop *L, struct entry *e, struct trim_goal *g)
{
	if (e->len < (g->budget ? 2 : 5) || e->variable || (L->p.flags & LOOP_VALUES) ||
	    e->len > L->cap)
		return;
	uint8_t *cur = malloc(e->len);
	if (!cur)
		return;
	memcpy(cur, e->data, e->len);
	size_t len = e->len, pow2 = 1;
	while (pow2 < len)
		pow2 <<= 1;
	/* distilling, a cut may be a single byte: its runs are few */
	size_t floor = g->budget ? 1 : 4;
	size_t step = pow2 / 16 > floor ? pow2 / 16 : floor;
	size_t min_step = pow2 / 1024 > floor ? pow2 / 1024 : floor;
	struct loop_origin o = {.op = LOOP_OP_TRIM, .src = (int32_t)e->id, .src2 = -1};
	struct i2s_structure *st = NULL; /* moves with the cuts kept */
	if (g->st && g->st->len == e->len && (st = malloc(sizeof(*st))))
		*st = *g->st;
	L->trace->n = 0;
	for (; step >= min_step && trim_on(L, g); step >>= 1) {
		for (size_t pos = 0; pos < len && len > 1 && trim_on(L, g);) {
			size_t cut = step < len - pos ? step : len - pos;
			if (cut >= len)
				break;
			memcpy(L->buf, cur, pos);
			memcpy(L->buf + pos, cur + pos + cut, len - pos - cut);
			const uint8_t *ran = L->buf;
			size_t n = len - cut;
			int ok = trim_cut(L, e, &ran, &n, pos, cut, &st, &o, g);
			if (ok < 0)
				break;
			if (ok && n < len) {
				len = n;
				memmove(cur, ran, len);
				continue;
			}
			pos += step;
		}
	}
	if (trim_on(L, g))
		len = trim_records(L, e, cur, len, &st, &o, g);
	if (len < e->len && !bytes_taken(L, e, cur, len))
		replace_data(L, e, cur, len, LOOP_OP_TRIM);
	free(st);
	free(cur);
}

static void trim(struct loop *L, struct entry *e)
{
	e->trimmed = 1;
	struct trim_goal g = {0};
	trim_to(L, e, &g);
}

/*
 * AFL++'s custom trim, for each mutator that has one (init_trim, trim and
 * post_trim), in order, instead of the trim above: init_trim says how
 * many steps, each step's candidate runs, and post_trim(success) names
 * the next step. A candidate is accepted as trim() accepts a cut: the
 * same path, no dearer; and never when it is empty or longer than what it
 * trims. CFG_CUSTOM_TRIM_MAX_STEPS bounds a trimmer whose steps never end
 * (a step that runs nothing does not tick).
 */
static void custom_trim(struct loop *L, struct entry *e)
{
	e->trimmed = 1;
	if (e->variable || (L->p.flags & LOOP_VALUES) || e->len > L->cap || !e->len)
		return;
	uint8_t *cur = malloc(e->len);
	if (!cur)
		return;
	memcpy(cur, e->data, e->len);
	size_t len = e->len;
	struct loop_origin o = {.op = LOOP_OP_TRIM, .src = (int32_t)e->id, .src2 = -1};
	struct trim_goal path = {0};
	L->trace->n = 0;
	for (unsigned k = 0; k < L->mut.n && !L->stop; k++) {
		int32_t steps = L->mut.trim_init(L->mut.ctx, k, cur, len);
		int32_t step = 0;
		for (uint32_t n = 0;
		     step >= 0 && step < steps && !L->stop && n < CFG_CUSTOM_TRIM_MAX_STEPS; n++) {
			const uint8_t *out = NULL;
			size_t out_len = L->mut.trim(L->mut.ctx, k, &out);
			int ok = 0;
			if (out && out_len && out_len <= len) {
				memcpy(L->buf, out, out_len);
				const uint8_t *ran = L->buf;
				size_t n = out_len;
				ok = trim_try(L, e, &ran, &n, len + 1, &o, &path);
				if (ok < 0)
					break;
				ok = ok && n <= len;
				if (ok) {
					len = n;
					memmove(cur, ran, len);
				}
			}
			step = L->mut.trim_post(L->mut.ctx, k, ok);
		}
	}
	if (len != e->len || memcmp(cur, e->data, len))
		replace_data(L, e, cur, len, LOOP_OP_TRIM);
	free(cur);
}

/*
 * The custom mutators' stage, AFL++'s: right before havoc, each mutator
 * in order makes fuzz_count candidates from e (the havoc energy when it
 * has no fuzz_count), each from a fresh copy of e and, unless it opted
 * out of splicing, a copy of another entry drawn on the rng. An empty
 * result is skipped. Costs two copies per candidate besides the
 * mutator's own work.
 */
static void custom_stage(struct loop *L, struct entry *e, uint32_t energy)
{
	for (unsigned k = 0; k < L->mut.n && !L->stop; k++) {
		uint32_t count = L->mut.count(L->mut.ctx, k, e, energy);
		int splice = L->mut.splice(L->mut.ctx, k);
		for (uint32_t i = 0; i < count && !L->stop; i++) {
			struct loop_origin o = {.op = LOOP_OP_CUSTOM,
						.src = (int32_t)e->id,
						.src2 = -1,
						.mutator = k};
			uint8_t *add = NULL;
			size_t add_len = 0;
			if (splice && L->c.n > 1) {
				struct entry *x = L->c.v[rng_below(&L->rng, L->c.n)];
				if (x != e) {
					add_len = x->len < L->cap ? x->len : L->cap;
					memcpy(L->add, x->data, add_len);
					add = L->add;
					o.src2 = (int32_t)x->id;
				}
			}
			size_t len = e->len < L->cap ? e->len : L->cap;
			memcpy(L->buf, e->data, len);
			const uint8_t *out = NULL;
			size_t n =
				L->mut.fuzz(L->mut.ctx, k, L->buf, len, add, add_len, L->cap, &out);
			if (!n || !out)
				continue;
			n = n < L->cap ? n : L->cap;
			if (out != L->buf) /* the in-process executor runs L->buf */
				memmove(L->buf, out, n);
			L->trace->n = 0;
			loop_run_one(L, L->buf, n, &o);
		}
	}
}

/*
 * libFuzzer's -len_control: mutations may not make inputs longer than
 * len_cap, which starts at the longest entry (at least 4 bytes) and grows
 * by log2 of itself each time len_control * log2(len_cap) executions pass
 * without a new entry, up to the buffer's capacity. Small inputs first:
 * they run faster and their bytes are likelier to matter. Off (0) when
 * the user set a maximum length.
 */
static void len_control(struct loop *L)
{
	if (!L->p.len_control) {
		L->len_cap = L->cap;
		return;
	}
	if (!L->len_cap) {
		size_t longest = 4;
		for (size_t i = 0; i < L->c.n; i++)
			longest = L->c.v[i]->len > longest ? L->c.v[i]->len : longest;
		L->len_cap = longest < L->cap ? longest : L->cap;
		L->last_find_execs = L->execs;
	}
	size_t lg = 63 - (size_t)__builtin_clzll((unsigned long long)L->len_cap);
	if (L->len_cap < L->cap &&
	    L->execs - L->last_find_execs > (uint64_t)L->p.len_control * (lg ? lg : 1)) {
		L->len_cap += lg ? lg : 1;
		L->len_cap = L->len_cap < L->cap ? L->len_cap : L->cap;
		L->last_find_execs = L->execs;
	}
}

int loop_fuzz_one(struct loop *L)
{
	struct entry *e = corpus_next(&L->c, &L->rng);
	if (!e)
		return FERRET_EEMPTY;
	if (L->mut.want && !L->mut.want(L->mut.ctx, e)) {
		/* queue_get declined it: no execution, so tick here, or a
		 * mutator declining everything would never see -V */
		corpus_mark_fuzzed(&L->c, e);
		if (L->sink.tick && L->sink.tick(L->sink.ctx))
			L->stop = 1;
		return 0;
	}
	uint32_t energy = corpus_energy(&L->c, e, L->p.schedule, L->p.havoc_cycles, L->p.max_mult);
	if (energy < L->p.min_energy)
		energy = L->p.min_energy;
	if (L->sink.begin_entry)
		L->sink.begin_entry(L->sink.ctx, e);
	if ((L->p.flags & LOOP_TRIM) && !e->trimmed && !L->stop) {
		if (L->mut.n_trim)
			custom_trim(L, e);
		else
			trim(L, e);
	}
	if ((L->p.flags & LOOP_CMP) && L->cmp_log && !e->cmp_done && !L->stop)
		cmp_stage(L, e);
	len_control(L);
	if (L->mut.n && !L->stop)
		custom_stage(L, e, energy);
	if (L->mut.only)
		energy = 0; /* AFL_CUSTOM_MUTATOR_ONLY: no built-in mutation */
	int stall = loop_stalled(L);
	unsigned pow2 = L->p.stack_pow2;
	if (stall)
		L->p.stack_pow2 = L->p.stall_pow2;
	for (uint32_t i = 0; i < energy && !L->stop; i++) {
		struct loop_origin o;
		size_t len = candidate(L, e, &o);
		if (stall && L->cmp_log && (L->p.flags & LOOP_CMP) &&
		    L->execs % L->p.stall_sample == 0)
			mutant_i2s(L, e, len, &o);
		else
			loop_run_one(L, L->buf, len, &o);
	}
	L->p.stack_pow2 = pow2;
	corpus_mark_fuzzed(&L->c, e);
	return L->err;
}

int loop_fuzz(struct loop *L)
{
	while (!L->stop) {
		int err = loop_fuzz_one(L);
		if (err)
			return err;
	}
	return L->err;
}

/*
 * Adds to the sorted features *f (*n of them) of e's re-run those e took
 * when it was kept and still owns (libFuzzer's corpus rule: no other entry
 * holds them, or none as short) which the re-run did not show: a flaky
 * target's. The cover then keeps e for them, and *flaky says it is not to
 * be cut (a cut could not show them either). Returns FERRET_ENOMEM or 0.
 */
static int add_owned(const struct loop *L, const struct entry *e, uint32_t **f, size_t *n,
		     uint8_t *flaky)
{
	if (!L->owner || !e->feats)
		return 0;
	size_t m = *n;
	for (uint32_t k = 0; k < e->n_feats; k++) {
		uint32_t x = e->feats[k];
		if (L->owner[x] != e->id + 1 || bsearch(&x, *f, *n, sizeof(x), cmp_feat))
			continue;
		if (m == *n) { /* the first one missing: room for them all */
			uint32_t *g = realloc(*f, (*n + e->n_feats) * sizeof(*g));
			if (!g)
				return FERRET_ENOMEM;
			*f = g;
		}
		(*f)[m++] = x;
	}
	if (m == *n)
		return 0;
	*n = sort_unique(*f, m);
	*flaky = 1;
	return 0;
}

/* Entries by their bytes: length, then content. */
static int same_bytes(const void *a, const void *b)
{
	const struct entry *x = *(struct entry *const *)a, *y = *(struct entry *const *)b;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->len ? memcmp(x->data, y->data, x->len) : 0;
}

/* Larger entries first: their cuts save the most. */
static int larger_entry(const void *a, const void *b)
{
	const struct entry *x = *(struct entry *const *)a, *y = *(struct entry *const *)b;
	if (x->len != y->len)
		return x->len > y->len ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* The lengths and checksums of e, for the distillation's cuts (trim_cut;
 * malloc'd, NULL: none): an entry found late in the run may never have
 * had its compare stage, and trimming looks for more (I2S_STRUCTURE). One
 * logged run of the budget. */
static struct i2s_structure *find_structure(struct loop *L, const struct entry *e, uint64_t *budget)
{
	if (!L->cmp_log || !(L->p.flags & LOOP_CMP) || (L->p.flags & LOOP_VALUES) || !*budget)
		return NULL;
	--*budget;
	struct loop_origin o = {.op = LOOP_OP_TRIM, .src = (int32_t)e->id, .src2 = -1};
	struct loop_verdict v;
	L->trace->n = 0;
	if (loop_exec_raw(L, e->data, e->len, LOOP_RUN_CMP, &o, &v) || v.kind != LOOP_OK)
		return NULL;
	struct i2s_out out = {.want_structure = 1};
	i2s_run_ex(e->data, e->len, L->cmp_log, FERRET_CMP_SITES, L->scratch, L->cap, 0,
		   I2S_STRUCTURE, NULL, NULL, &out);
	return out.structure;
}

/* Trims the kept entries of a distillation (kept[id]: 1 kept, 2 kept and
 * not cut; feats[id] their features), the largest first, each to the
 * features no other kept entry has, within *budget runs. One whose every
 * feature the cuts before it gave to others is retired instead (counted
 * in *dropped). */
static int distill_trim(struct loop *L, const uint8_t *kept, uint32_t **feats, size_t *n_feats,
			uint64_t *budget, long *dropped)
{
	size_t n = L->c.n, m = 0;
	uint32_t *cnt = calloc(L->map_bytes * 8 + 1, sizeof(*cnt));
	uint32_t *need = NULL;
	struct entry **v = malloc((n + 1) * sizeof(*v));
	if (!cnt || !v) {
		free(cnt);
		free(v);
		return FERRET_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		if (!kept[i])
			continue;
		for (size_t k = 0; k < n_feats[i]; k++)
			cnt[feats[i][k]]++;
		if (L->c.v[i]->parent >= 0 && kept[i] == 1)
			v[m++] = L->c.v[i];
	}
	qsort(v, m, sizeof(*v), larger_entry);
	int err = 0;
	for (size_t j = 0; j < m && *budget; j++) {
		struct entry *e = v[j];
		uint32_t *f = feats[e->id];
		size_t nf = n_feats[e->id], nn = 0;
		uint32_t *p = realloc(need, (nf + 1) * sizeof(*need));
		if (!p) {
			err = FERRET_ENOMEM;
			break;
		}
		need = p;
		for (size_t k = 0; k < nf; k++)
			if (cnt[f[k]] == 1)
				need[nn++] = f[k];
		if (!nn) {
			/* the cuts of those before it reach all it has */
			for (size_t k = 0; k < nf; k++)
				cnt[f[k]]--;
			e->disabled = 1;
			L->active--;
			if (L->sink.drop)
				L->sink.drop(L->sink.ctx, e);
			++*dropped;
			continue;
		}
		struct trim_goal g = {need, nn, NULL, 0, budget, find_structure(L, e, budget)};
		uint32_t len = e->len;
		trim_to(L, e, &g);
		free(g.st);
		if (g.got && e->len < len) {
			for (size_t k = 0; k < nf; k++)
				cnt[f[k]]--;
			for (size_t k = 0; k < g.n_got; k++)
				cnt[g.got[k]]++;
			free(feats[e->id]);
			feats[e->id] = g.got;
			n_feats[e->id] = g.n_got;
		} else {
			free(g.got);
		}
	}
	free(need);
	free(cnt);
	free(v);
	return err;
}

long loop_distill(struct loop *L, uint64_t trim_runs, uint64_t *runs)
{
	if (runs)
		*runs = 0;
	if (L->p.flags & LOOP_VALUES)
		return 0;
	size_t n = L->c.n, found = 0;
	for (size_t i = 0; i < n; i++)
		found += !L->c.v[i]->disabled && L->c.v[i]->parent >= 0;
	if (!found)
		return 0; /* nothing of this run's to retire or cut */
	struct cover_set *sets = calloc(n + 1, sizeof(*sets));
	uint32_t **feats = calloc(n + 1, sizeof(*feats));
	size_t *n_feats = calloc(n + 1, sizeof(*n_feats));
	size_t *order = malloc((n + 1) * sizeof(*order));
	uint8_t *kept = calloc(n + 1, 1);
	uint8_t *flaky = calloc(n + 1, 1);
	long ret = 0;
	uint64_t execs = L->execs, max_execs = L->max_execs;
	int stop = L->stop;
	/* the loop has stopped (its budget is spent): only the tick (time,
	 * a stop request) or the executor may stop the distillation */
	L->stop = 0;
	L->max_execs = 0;
	if (!sets || !feats || !n_feats || !order || !kept || !flaky) {
		ret = FERRET_ENOMEM;
		goto out;
	}
	struct loop_origin o = {.op = LOOP_OP_SEED, .src = -1, .src2 = -1};
	for (size_t i = 0; i < n; i++) {
		struct entry *e = L->c.v[i];
		if (e->disabled)
			continue;
		const uint8_t *buf = e->data;
		size_t len = e->len;
		struct loop_verdict v;
		int err = exec_one(L, &buf, &len, 0, &o, &v);
		if (err) {
			ret = err;
			goto out;
		}
		if (L->stop)
			goto out; /* stopped before the cover: nothing is retired */
		sets[i].len = e->len;
		sets[i].fixed = e->parent < 0 || v.kind != LOOP_OK;
		if (v.kind != LOOP_OK)
			continue;
		cov_sparse_classify(L->map, L->map_bytes, L->touch);
		if (!(feats[i] = run_features(L, &n_feats[i])) ||
		    add_owned(L, e, &feats[i], &n_feats[i], &flaky[i])) {
			ret = FERRET_ENOMEM;
			goto out;
		}
		sets[i].feats = feats[i];
		sets[i].n_feats = n_feats[i];
	}
	long picked = cover_pick(sets, n, L->map_bytes * 8, COVER_PER_BYTE, order, NULL);
	if (picked < 0) {
		ret = FERRET_ENOMEM;
		goto out;
	}
	for (long j = 0; j < picked; j++)
		kept[order[j]] = 1;
	size_t n_stay = 0;
	for (size_t i = 0; i < n; i++) {
		if (L->c.v[i]->disabled || !(sets[i].fixed || kept[i]))
			continue;
		/* one of this run's that no longer runs cleanly, or not as it
		 * did: its features are not known, so no cut can be judged */
		kept[i] = (sets[i].fixed && L->c.v[i]->parent >= 0) || flaky[i] ? 2 : 1;
		order[n_stay++] = i; /* order[] is free again: the entries that stay */
	}
	struct entry **stay = malloc((n_stay + 1) * sizeof(*stay));
	if (!stay) {
		ret = FERRET_ENOMEM;
		goto out;
	}
	for (size_t j = 0; j < n_stay; j++)
		stay[j] = L->c.v[order[j]];
	qsort(stay, n_stay, sizeof(*stay), same_bytes);
	/* two that stay with the same bytes (a flaky run) share a file: a cut
	 * of either would delete it */
	for (size_t j = 0; j + 1 < n_stay; j++)
		if (!same_bytes(&stay[j], &stay[j + 1]))
			kept[stay[j]->id] = kept[stay[j + 1]->id] = 2;
	for (size_t i = 0; i < n; i++) {
		struct entry *e = L->c.v[i];
		if (e->disabled || kept[i])
			continue;
		/* bytes another entry that stays has: its file is that one's
		 * (the sink deletes by content), so it stays too, holding
		 * nothing and never cut; nor is that one cut or retired, which
		 * would delete the file this one stays for */
		struct entry **same = bsearch(&e, stay, n_stay, sizeof(*stay), same_bytes);
		if (same) {
			kept[(*same)->id] = 2;
			continue;
		}
		e->disabled = 1;
		L->active--;
		if (L->sink.drop)
			L->sink.drop(L->sink.ctx, e);
		ret++;
	}
	free(stay);
	int err = distill_trim(L, kept, feats, n_feats, &trim_runs, &ret);
	if (err < 0 && !ret)
		ret = err;
out:
	if (runs)
		*runs = L->execs - execs;
	L->execs = execs;
	L->max_execs = max_execs;
	L->stop |= stop;
	for (size_t i = 0; feats && i < n; i++)
		free(feats[i]);
	free(feats);
	free(n_feats);
	free(sets);
	free(order);
	free(flaky);
	free(kept);
	return ret;
}
