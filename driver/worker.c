/*
 * worker.c - the in-process fuzzing loop of a libFuzzer-style harness
 * (DESIGN.md, mode 1): take an entry, mutate it in the shared input buffer,
 * call LLVMFuzzerTestOneInput, classify the counters, keep or drop. No
 * syscall and no allocation per input on this path (except copying the
 * input to an exact-size heap block under a sanitizer, as libFuzzer does,
 * so over-reads are caught). What must survive a crash is already in
 * shared memory: the input in flight and the entries handed to the
 * supervisor through the ring.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "corpus.h"
#include "cov.h"
#include "dict.h"
#include "dictfile.h"
#include "driver.h"
#include "i2s.h"
#include "rt.h"
#include "pmin.h"
#include "sha1.h"
#include "smith.h"
#include "valstream.h"
#include "vmutate.h"

/* libFuzzer-style harnesses get smaller bites per scheduled entry than
 * AFL's 256 havoc cycles: executions are ~100x cheaper, so entries rotate
 * faster and new ones get fuzzed sooner. */
#define LF_HAVOC_CYCLES 64
#define LF_I2S_MAX 1024
#define LF_STACK_POW2 3 /* havoc depth 1..8 in-process (see mutate_havoc_depth) */

void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak));
int __sanitizer_install_malloc_and_free_hooks(void (*m)(const volatile void *, size_t),
					      void (*f)(const volatile void *))
    __attribute__((weak));

static struct worker {
	const struct lf_opts *o;
	struct lf_shared *sh;
	size_t max_len;
	uint8_t *map;
	size_t map_bytes, edge_bytes;
	uint8_t *virgin;
	struct corpus c;
	struct dict dict;
	struct rng rng;
	uint64_t start_ns, corpus_bytes;
	size_t active; /* entries not dropped by passive minimization */
	int out_of_time;
	/* the clock, read every 256 inputs; the mean time of an input since
	 * the last read stands for each input's own (no clock per input) */
	uint64_t clock_ns, clock_execs, mean_exec_ns;
	uint64_t next_pulse;
	int sanitized;
	volatile uint32_t cmp_on;
	uint8_t *scratch;
	int out_fd; /* where the worker's own lines go (stderr, kept with -close_fd_mask=2) */
	/* FERRET_TEST mode */
	long test;
	uint32_t values; /* values the last run consumed */
	struct pmin pmin;
	struct vs_stream vs_in, vs_other, vs_out;
	uint8_t *arena;
} W;

#define ARENA_BYTES (4u << 20)

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void on_death(void)
{
	if (W.sh)
		W.sh->died = 1;
}

static size_t malloc_limit;
static void on_malloc(const volatile void *p, size_t size)
{
	(void)p;
	if (malloc_limit && size > malloc_limit && !W.sh->malloc_oom) {
		W.sh->malloc_oom = 1;
		W.sh->malloc_oom_size = size;
		_exit(W.o->error_exitcode ? (int)W.o->error_exitcode : 1);
	}
}
static void on_free(const volatile void *p)
{
	(void)p;
}

static uint32_t count_features(void)
{
	uint32_t n = 0;
	for (size_t i = 0; i < W.map_bytes; i++)
		n += (uint32_t)__builtin_popcount((uint8_t)~W.virgin[i]);
	return n;
}

static uint32_t count_cov(void)
{
	return cov_count_seen(W.virgin, W.edge_bytes);
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#include <stdarg.h>
static void say(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 1)
		n = (int)sizeof(line) - 1;
	(void)!write(W.out_fd, line, (size_t)n);
}

static void fmt_size(char *out, size_t cap, uint64_t b)
{
	if (b < (1u << 14))
		snprintf(out, cap, "%llub", (unsigned long long)b);
	else if (b < (1u << 24))
		snprintf(out, cap, "%lluKb", (unsigned long long)(b >> 10));
	else
		snprintf(out, cap, "%lluMb", (unsigned long long)(b >> 20));
}

static void status_line(const char *where, const struct entry *e)
{
	uint64_t secs = (now_ns() - W.start_ns) / 1000000000ull;
	char corp[32];
	fmt_size(corp, sizeof(corp), W.corpus_bytes);
	char tail[512] = "";
	if (e) {
		int n = W.sh->from_i2s ? snprintf(tail, sizeof(tail), " L: %u/%zu MS: 1 CMP-",
						  e->len, W.max_len)
				       : snprintf(tail, sizeof(tail), " L: %u/%zu MS: %u ", e->len,
						  W.max_len, W.sh->trace.n);
		for (unsigned i = 0; i < W.sh->trace.n && i < 64 && n < (int)sizeof(tail) - 32; i++)
			n += snprintf(tail + n, sizeof(tail) - (size_t)n, "%s-",
				      mutate_name(W.sh->trace.ops[i]));
	}
	say("#%llu\t%s cov: %u ft: %u corp: %zu/%s exec/s: %llu rss: %zuMb%s\n",
	    (unsigned long long)W.sh->execs, where, count_cov(), count_features(), W.active, corp,
	    (unsigned long long)(secs ? W.sh->execs / secs : 0), lf_rss_mb(0), tail);
}

/* Runs the input in the shared buffer; returns enum cov_news. */
static int run_input(size_t len)
{
	struct lf_shared *sh = W.sh;
	sh->in_len = (uint32_t)len;
	sh->exec_seq++;
	sh->running = 1;
	int rc = 0;
	if (W.test >= 0) {
		W.values = (uint32_t)ferret__smith_run((size_t)W.test, sh->input, len, sh->slog,
						       LF_SLOG_BYTES, &sh->slog_len);
	} else if (W.sanitized) {
		uint8_t *copy = malloc(len ? len : 1);
		memcpy(copy, sh->input, len);
		rc = LLVMFuzzerTestOneInput(copy, len);
		free(copy);
	} else {
		rc = LLVMFuzzerTestOneInput(sh->input, len);
	}
	sh->running = 0;
	sh->execs++;
	if (rc == -1) /* the harness asks not to keep this input */
		return COV_NONE;
	return cov_classify_and_update(W.map, W.virgin, W.map_bytes);
}

/* Hands a record to the supervisor through the ring, waiting for room:
 * a u32 tag (length, or LF_RING_REMOVE | length) and the bytes. */
static void ring_write(uint32_t tag, const uint8_t *data, uint32_t len)
{
	struct lf_shared *sh = W.sh;
	uint64_t need = 4 + (uint64_t)len;
	if (need > LF_RING_BYTES)
		return;
	while (LF_RING_BYTES - (sh->ring_head - __atomic_load_n(&sh->ring_tail, __ATOMIC_ACQUIRE)) <
	       need)
		usleep(1000);
	uint64_t h = sh->ring_head;
	for (uint64_t i = 0; i < 4; i++)
		sh->ring[(h + i) % LF_RING_BYTES] = (uint8_t)(tag >> (8 * i));
	for (uint64_t i = 0; i < len; i++)
		sh->ring[(h + 4 + i) % LF_RING_BYTES] = data[i];
	__atomic_store_n(&sh->ring_head, h + need, __ATOMIC_RELEASE);
}

static void drop_entry(void *ctx, struct entry *e);

/* Keeps the run that just ended as a corpus entry. announce: print a NEW
 * line and hand it to the supervisor (initial inputs are already saved). */
static struct entry *keep(size_t len, int news, uint64_t exec_ns, int32_t parent, int announce)
{
	/* A FERRET_TEST keeps the stream it consumed, not the one it was fed. */
	const uint8_t *data = W.sh->input;
	struct pmin_quality q = {0, 0, 0};
	if (W.test >= 0) {
		data = W.sh->slog;
		len = W.sh->slog_len;
		q.cov = cov_count_edges(W.map, W.edge_bytes);
		q.values = W.values;
		q.bytes = (uint32_t)len;
	}
	struct entry *e = entry_new(data, len);
	if (!e)
		_exit(1);
	e->exec_us = exec_ns / 1000;
	e->new_cov = news == COV_NEW_EDGE;
	e->parent = parent;
	if (parent >= 0 && (size_t)parent < W.c.n)
		e->depth = W.c.v[parent]->depth + 1;
	e->path_hash = cov_hash(W.map, W.map_bytes);
	if (corpus_add(&W.c, e, W.map))
		_exit(1);
	e->trimmed = 1;
	if (W.test >= 0 && !pmin_install(&W.pmin, e, W.map, &q, drop_entry, NULL)) {
		e->disabled = 1; /* best for nothing after all */
		return e;
	}
	W.corpus_bytes += len;
	W.active++;
	if (announce) {
		W.sh->new_units++;
		ring_write((uint32_t)len, data, (uint32_t)len);
		status_line("NEW   ", e);
	}
	return e;
}

/* Passive minimization dropped e: forget it here and on disk. */
static void drop_entry(void *ctx, struct entry *e)
{
	(void)ctx;
	char sha[41];
	sha1_hex(e->data, e->len, sha);
	e->disabled = 1;
	W.corpus_bytes -= e->len;
	W.active--;
	ring_write(LF_RING_REMOVE | 40, (const uint8_t *)sha, 40);
}

/* Whether the run that just ended is worth keeping: new coverage, or (for
 * a FERRET_TEST) a better input for some edge (passive minimization). */
static int interesting(int news)
{
	if (W.test < 0)
		return news;
	if (news == COV_NEW_EDGE)
		return news;
	struct pmin_quality q = {cov_count_edges(W.map, W.edge_bytes), W.values,
				 W.sh->slog_len};
	return pmin_wants(&W.pmin, W.map, &q) ? COV_NEW_BUCKET : 0;
}

static void clear_map(void)
{
	memset(W.map, 0, W.map_bytes);
}

/* Whether -runs and -max_total_time allow another input. The clock is read
 * every 256 executions only: at a million inputs a second a read per input
 * was 8% of the time, and 256 inputs are far below a second. */
static int budget_left(void)
{
	const struct lf_opts *o = W.o;
	if (o->runs >= 0 && W.sh->execs >= (uint64_t)o->runs)
		return 0;
	if ((W.sh->execs & 255) == 0 && W.sh->execs != W.clock_execs) {
		uint64_t t = now_ns();
		if (W.clock_execs)
			W.mean_exec_ns = (t - W.clock_ns) / (W.sh->execs - W.clock_execs);
		W.clock_ns = t;
		W.clock_execs = W.sh->execs;
		if (o->max_total_time > 0 &&
		    t - W.start_ns >= (uint64_t)o->max_total_time * 1000000000ull)
			W.out_of_time = 1;
	}
	return !W.out_of_time;
}

static void maybe_pulse(void)
{
	if (W.sh->execs < W.next_pulse)
		return;
	W.next_pulse = W.sh->execs * 2;
	if (now_ns() - W.start_ns > 2000000000ull)
		status_line("pulse ", NULL);
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
	struct entry *e;
};

static int i2s_emit(void *ctx, const uint8_t *buf, size_t len)
{
	struct i2s_ctx *c = ctx;
	if (len > W.max_len)
		return 0;
	memcpy(W.sh->input, buf, len);
	if (W.o->only_ascii)
		to_ascii(W.sh->input, len);
	W.sh->trace.n = 0;
	W.sh->from_i2s = 1;
	int news = interesting(run_input(len));
	if (news)
		keep(len, news, W.mean_exec_ns, (int32_t)c->e->id, 1);
	clear_map();
	maybe_pulse();
	return !budget_left();
}

static void add_token(void *ctx, const uint8_t *data, size_t len)
{
	(void)ctx;
	dict_add(&W.dict, data, len);
}

/* One run of e with the compare log on, then its input-to-state candidates
 * (as in `ferret fuzz`, src/fuzz.c cmp_stage). */
static void cmp_stage(struct entry *e)
{
	e->cmp_done = 1;
	for (size_t i = 0; i < FERRET_CMP_SITES; i++)
		ferret__cmp_log[i].n = 0;
	memcpy(W.sh->input, e->data, e->len);
	W.cmp_on = 1;
	run_input(e->len);
	W.cmp_on = 0;
	clear_map();
	i2s_tokens(ferret__cmp_log, FERRET_CMP_SITES, add_token, NULL);
	struct i2s_ctx ctx = {e};
	i2s_run(e->data, e->len, ferret__cmp_log, FERRET_CMP_SITES, W.scratch, W.max_len,
		LF_I2S_MAX, i2s_emit, &ctx);
	W.sh->from_i2s = 0;
}

/* LLVMFuzzerMutate for custom mutators: one havoc stack with ferret's
 * mutators and dictionary. */
__attribute__((visibility("default"))) size_t LLVMFuzzerMutate(uint8_t *data, size_t size,
							       size_t max_size)
{
	if (!max_size)
		return 0;
	if (size > max_size)
		size = max_size;
	struct mutate_env env = {.tokens = W.dict.v, .n_tokens = W.dict.n};
	return mutate_havoc(&W.rng, data, size, max_size, &env, NULL);
}

/* A FERRET_TEST input: value-level mutation of the entry's stream. */
static size_t mutate_values(struct entry *e)
{
	vs_decode(&W.vs_in, e->data, e->len);
	const struct vs_stream *other = NULL;
	if (W.c.n > 1 && rng_below(&W.rng, 4) == 0) {
		struct entry *o = W.c.v[rng_below(&W.rng, W.c.n)];
		if (!o->disabled && o != e) {
			vs_decode(&W.vs_other, o->data, o->len);
			other = &W.vs_other;
		}
	}
	uint8_t ops[4];
	unsigned n = vmutate(&W.rng, &W.vs_in, other, &W.vs_out, W.arena, ARENA_BYTES, ops);
	W.sh->trace.n = 0;
	if (vs_encoded_len(&W.vs_out) > W.max_len)
		return vs_encode(&W.vs_in, W.sh->input);
	(void)n;
	return vs_encode(&W.vs_out, W.sh->input);
}

static size_t mutate(struct entry *e)
{
	uint8_t *buf = W.sh->input;
	size_t len = e->len;
	if (W.test >= 0)
		return mutate_values(e);
	memcpy(buf, e->data, len);
	W.sh->trace.n = 0;
	if (LLVMFuzzerCustomCrossOver && W.c.n > 1 && rng_below(&W.rng, 8) == 0) {
		struct entry *other = W.c.v[rng_below(&W.rng, W.c.n)];
		size_t n = LLVMFuzzerCustomCrossOver(e->data, e->len, other->data, other->len, buf,
						     W.max_len, (unsigned)rng_next(&W.rng));
		if (n && n <= W.max_len)
			return n;
		memcpy(buf, e->data, len);
	}
	if (LLVMFuzzerCustomMutator) {
		size_t n =
		    LLVMFuzzerCustomMutator(buf, len, W.max_len, (unsigned)rng_next(&W.rng));
		n = n <= W.max_len ? n : W.max_len;
		if (W.o->only_ascii)
			to_ascii(buf, n);
		return n;
	}
	struct mutate_env env = {.tokens = W.dict.v, .n_tokens = W.dict.n};
	size_t n = 0;
	if (W.c.n > 1 && rng_below(&W.rng, 8) == 0) {
		struct entry *other = W.c.v[rng_below(&W.rng, W.c.n)];
		env.splice = other->data;
		env.splice_len = other->len;
		n = mutate_splice(&W.rng, buf, len, W.max_len, &env, &W.sh->trace);
		env.splice = NULL;
		env.splice_len = 0;
	}
	if (!n)
		n = mutate_havoc_depth(&W.rng, buf, len, W.max_len, &env, &W.sh->trace,
				       LF_STACK_POW2);
	if (W.o->only_ascii)
		to_ascii(buf, n);
	return n;
}

void lf_worker(const struct lf_opts *o, struct lf_shared *sh, size_t max_len, uint8_t **seeds,
	       size_t *seed_lens, size_t n_seeds)
{
	memset(&W, 0, sizeof(W));
	W.o = o;
	W.sh = sh;
	W.max_len = max_len;
	W.out_fd = 2;
	W.test = o->smith_test;
	if (W.test >= 0) {
		W.arena = malloc(ARENA_BYTES);
		if (!W.arena)
			_exit(1);
	}
	if (o->close_fd_mask & 2) {
		W.out_fd = dup(2);
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 2);
	}
	if (o->close_fd_mask & 1) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
	}
	if (__sanitizer_set_death_callback) {
		W.sanitized = 1;
		__sanitizer_set_death_callback(on_death);
	}
	long long limit_mb = o->malloc_limit_mb ? o->malloc_limit_mb : o->rss_limit_mb;
	if (limit_mb > 0 && __sanitizer_install_malloc_and_free_hooks) {
		malloc_limit = (size_t)limit_mb << 20;
		__sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
	}

	/* Coverage: the runtime's private counters, plus value-profile
	 * counters after them, plus a compare log only this process uses. */
	W.edge_bytes = ferret__map_used();
	W.map_bytes = W.edge_bytes + (o->use_value_profile ? FERRET_VP_BYTES : 0);
	ferret__map_reserve(W.map_bytes);
	W.map = ferret__map;
	if (o->use_value_profile)
		ferret__vp = W.map + W.edge_bytes;
	ferret__cmp_log = mmap(NULL, FERRET_CMP_SITES * sizeof(struct ferret_cmp_site),
			       PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ferret__cmp_log == MAP_FAILED)
		_exit(1);
	ferret__cmp_flag = &W.cmp_on;
	W.virgin = malloc(W.map_bytes);
	W.scratch = malloc(max_len ? max_len : 1);
	if (!W.virgin || !W.scratch || corpus_init(&W.c, W.map_bytes, 0) ||
	    (W.test >= 0 && pmin_init(&W.pmin, W.edge_bytes)))
		_exit(1);
	cov_virgin_init(W.virgin, W.map_bytes);
	rng_seed(&W.rng, (uint64_t)o->seed);
	dict_init(&W.dict, 4096, 128);
	if (*o->dict && dictfile_load(&W.dict, o->dict, 0) < 0)
		_exit(1);
	W.start_ns = now_ns();
	W.next_pulse = 1;
	clear_map();

	/* The initial corpus: every input that adds coverage is kept. As in
	 * libFuzzer it always runs whole, whatever -runs says. */
	for (size_t i = 0; i < n_seeds; i++) {
		size_t len = seed_lens[i] < max_len ? seed_lens[i] : max_len;
		memcpy(sh->input, seeds[i], len);
		sh->trace.n = 0;
		uint64_t t0 = now_ns();
		int news = interesting(run_input(len));
		if (news)
			keep(len, news, now_ns() - t0, -1, 0);
		clear_map();
	}
	if (!W.c.n) {
		/* Nothing to start from: one newline, or for a FERRET_TEST the
		 * empty stream (every value fresh). */
		size_t len = 1;
		sh->input[0] = '\n';
		if (W.test >= 0) {
			/* no records and a random seed: every value fresh */
			vs_header(sh->input, rng_next(&W.rng) | 1);
			len = FERRET_VS_HEADER_BYTES;
		}
		uint64_t t0 = now_ns();
		run_input(len);
		keep(len, COV_NEW_EDGE, now_ns() - t0, -1, 0);
		clear_map();
	}
	status_line("INITED", NULL);

	while (budget_left()) {
		struct entry *e = corpus_next(&W.c, &W.rng);
		if (!e)
			break;
		if (o->use_cmp && !e->cmp_done && !LLVMFuzzerCustomMutator) {
			cmp_stage(e);
			continue;
		}
		uint32_t energy =
		    corpus_energy(&W.c, e, SCHED_EXPLORE, LF_HAVOC_CYCLES, 16) + 1;
		sha1_hex(e->data, e->len, sh->base_sha);
		for (uint32_t i = 0; i < energy && budget_left(); i++) {
			size_t len = mutate(e);
			int news = interesting(run_input(len));
			if (news)
				keep(len, news, W.mean_exec_ns, (int32_t)e->id, 1);
			clear_map();
			maybe_pulse();
		}
		corpus_mark_fuzzed(&W.c, e);
	}
	status_line("DONE  ", NULL);
	uint64_t secs = (now_ns() - W.start_ns) / 1000000000ull;
	if (o->print_final_stats)
		say("stat::number_of_executed_units: %llu\nstat::average_exec_per_sec:     %llu\n"
		    "stat::new_units_added:          %llu\nstat::slowest_unit_time_sec:    0\n"
		    "stat::peak_rss_mb:              %zu\n",
		    (unsigned long long)sh->execs,
		    (unsigned long long)(secs ? sh->execs / secs : sh->execs),
		    (unsigned long long)sh->new_units, lf_rss_mb(0));
	say("Done %llu runs in %llu second(s)\n", (unsigned long long)sh->execs,
	    (unsigned long long)secs);
	sh->done = 1;
	_exit(0);
}
