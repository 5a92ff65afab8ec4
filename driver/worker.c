/*
 * worker.c - the in-process shell around the one fuzzing loop
 * (src/core/loop.c) for libFuzzer-style harnesses and FERRET_TESTs
 * (DESIGN.md, mode 1). What is this file's own: the executor (a direct
 * call of LLVMFuzzerTestOneInput or of the test on its value stream, with
 * the input in flight in shared memory), the sink (the ring that hands new
 * entries to the supervisor, libFuzzer's status lines) and the budget
 * (-runs, -max_total_time). The loop decides everything else.
 *
 * No syscall and no allocation per input on this path (except copying the
 * input to an exact-size heap block under a sanitizer, as libFuzzer does,
 * so over-reads are caught). What must survive a crash is already in
 * shared memory: the input in flight and the entries handed to the
 * supervisor through the ring.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "child.h"
#include "clock.h"
#include "config.h"
#include "cov.h"
#include "dict.h"
#include "dictfile.h"
#include "errors.h"
#include "harness.h"
#include "inproc.h"
#include "loop.h"
#include "options.h"
#include "rt.h"
#include "sha1.h"
#include "smith.h"
#include "valstream.h"
#include "worker.h"
#include "banned.h"

void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak));
int __sanitizer_install_malloc_and_free_hooks(void (*m)(const volatile void *, size_t),
					      void (*f)(const volatile void *))
	__attribute__((weak));

static struct worker {
	const struct lf_opts *o;
	struct lf_shared *sh;
	struct loop L;
	size_t max_len;
	uint8_t *map;
	size_t map_bytes, edge_bytes;
	uint64_t start_ns, corpus_bytes;
	int out_of_time;
	uint64_t next_pulse;
	int sanitized;
	volatile uint32_t cmp_on;
	int out_fd; /* where the worker's own lines go (stderr, kept with -close_fd_mask=2) */
	long test;  /* FERRET_TEST index, -1 for LLVMFuzzerTestOneInput */
} W;

static void on_death(void)
{
	if (W.sh)
		W.sh->died = 1;
}

/* Under a sanitizer, its allocator tells us every allocation: the -malloc_limit_mb
 * check, and the bytes each run allocates, which are part of its cost. */
static size_t malloc_limit;
static uint64_t alloc_bytes;
static void on_malloc(const volatile void *p, size_t size)
{
	(void)p;
	alloc_bytes += size;
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
		n += (uint32_t)__builtin_popcount((uint8_t)~W.L.virgin[i]);
	return n;
}

static uint32_t count_cov(void)
{
	return cov_count_seen(W.L.virgin, W.edge_bytes);
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
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
	uint64_t secs = (clock_ns() - W.start_ns) / 1000000000ull;
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
	char lim[32] = "";
	if (W.L.p.len_control && W.L.len_cap)
		snprintf(lim, sizeof(lim), " lim: %zu", W.L.len_cap);
	say("#%llu\t%s cov: %u ft: %u corp: %zu/%s%s exec/s: %llu rss: %zuMb%s\n",
	    (unsigned long long)W.sh->execs, where, count_cov(), count_features(), W.L.active, corp,
	    lim, (unsigned long long)(secs ? W.sh->execs / secs : 0), child_rss_mb(0), tail);
}

/* ---- the executor: a direct call, the input in flight in shared memory ---- */

/*
 * Runs one input in this process. Costs the harness, a clear of the
 * counters and a few stores to shared memory; the input is copied into
 * the shared buffer only when the loop built it elsewhere (seeds, the
 * compare stage, input-to-state), never for mutations, which the loop
 * makes in place there.
 */
static int exec_run(void *ctx, const uint8_t *buf, size_t len, unsigned flags,
		    const struct loop_origin *o, struct loop_verdict *v)
{
	(void)ctx;
	struct lf_shared *sh = W.sh;
	if (buf != sh->input)
		memcpy(sh->input, buf, len);
	sh->from_i2s = o && o->op == LOOP_OP_I2S;
	memset(W.map, 0, W.map_bytes);
	W.cmp_on = (flags & LOOP_RUN_CMP) != 0;
	sh->in_len = (uint32_t)len;
	sh->exec_seq++;
	sh->running = 1;
	int rc = 0;
	uint32_t values = 0;
	if (W.test >= 0) {
		alloc_bytes = 0;
		values = (uint32_t)ferret__smith_run((size_t)W.test, sh->input, len, sh->slog,
						     LF_SLOG_BYTES, &sh->slog_len);
	} else if (W.sanitized) {
		uint8_t *copy = malloc(len ? len : 1);
		memcpy(copy, sh->input, len);
		alloc_bytes = 0; /* the copy is ours, not the run's */
		rc = LLVMFuzzerTestOneInput(copy, len);
		free(copy);
	} else {
		alloc_bytes = 0;
		rc = LLVMFuzzerTestOneInput(sh->input, len);
	}
	sh->running = 0;
	sh->execs++;
	W.cmp_on = 0;
	v->extra_cost = alloc_bytes / CFG_ALLOC_BYTES_PER_COST;
	v->kind = rc == -1 ? LOOP_REJECT : LOOP_OK; /* -1: the harness asks not to keep it */
	if (W.test >= 0) {
		/* A FERRET_TEST keeps the stream it consumed, not the one it was fed. */
		v->keep = sh->slog;
		v->keep_len = sh->slog_len;
		v->values = values;
	}
	return 0;
}

/* ---- the sink: the ring to the supervisor, libFuzzer's lines ---- */

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

/* A new entry: initial inputs are on disk already; everything else is
 * announced (NEW line) and handed to the supervisor. */
static void on_new_entry(void *ctx, struct entry *e, const struct loop_origin *o)
{
	(void)ctx;
	W.corpus_bytes += e->len;
	if (o->op == LOOP_OP_SEED)
		return;
	W.sh->new_units++;
	ring_write(e->len, e->data, e->len);
	status_line("NEW   ", e);
}

/* Passive minimization retired e: forget it on disk too. */
static void on_drop(void *ctx, struct entry *e)
{
	(void)ctx;
	char sha[41];
	sha1_hex(e->data, e->len, sha);
	W.corpus_bytes -= e->len;
	ring_write(LF_RING_REMOVE | 40, (const uint8_t *)sha, 40);
}

/*
 * Trim or reduce gave e shorter bytes with the same path: the supervisor
 * writes the new file and, for an entry found in this run, deletes the old
 * one; files of the initial corpus stay, as libFuzzer's -reduce_inputs
 * leaves them (its MayDeleteFile).
 */
static void on_replace(void *ctx, struct entry *e, const uint8_t *old, size_t old_len,
		       enum loop_op why)
{
	(void)ctx;
	(void)why;
	W.corpus_bytes = W.corpus_bytes - old_len + e->len;
	if (e->parent >= 0) {
		char sha[41];
		sha1_hex(old, old_len, sha);
		ring_write(LF_RING_REMOVE | 40, (const uint8_t *)sha, 40);
	}
	ring_write(e->len, e->data, e->len);
	status_line("REDUCE", e);
}

/* The supervisor names the base unit of a crash ("base unit: <sha1>"). */
static void on_begin_entry(void *ctx, struct entry *e)
{
	(void)ctx;
	sha1_hex(e->data, e->len, W.sh->base_sha);
}

/*
 * Every CFG_INPROC_TICK_EXECS inputs: the clock, for -max_total_time and
 * the pulse lines. At a million inputs a second a read per input was 8 %
 * of the time; 256 inputs are far below a second. Only stops the loop.
 */
static int on_tick(void *ctx)
{
	(void)ctx;
	uint64_t t = clock_ns();
	if (W.o->max_total_time > 0 &&
	    t - W.start_ns >= (uint64_t)W.o->max_total_time * 1000000000ull)
		W.out_of_time = 1;
	if (W.sh->execs >= W.next_pulse) {
		while (W.next_pulse <= W.sh->execs)
			W.next_pulse *= 2;
		if (t - W.start_ns > 2000000000ull)
			status_line("pulse ", NULL);
	}
	return W.out_of_time;
}

/* ---- the harness's own mutators ---- */

static size_t custom_mutate(void *ctx, uint8_t *buf, size_t len, size_t cap, unsigned seed)
{
	(void)ctx;
	return LLVMFuzzerCustomMutator(buf, len, cap, seed);
}

static size_t custom_crossover(void *ctx, const uint8_t *a, size_t a_len, const uint8_t *b,
			       size_t b_len, uint8_t *out, size_t cap, unsigned seed)
{
	(void)ctx;
	return LLVMFuzzerCustomCrossOver(a, a_len, b, b_len, out, cap, seed);
}

/* LLVMFuzzerMutate for custom mutators: one havoc stack with ferret's
 * mutators and dictionary, drawing on the loop's rng (so a seed still
 * replays the run). */
__attribute__((visibility("default"))) size_t LLVMFuzzerMutate(uint8_t *data, size_t size,
							       size_t max_size)
{
	if (!max_size)
		return 0;
	if (size > max_size)
		size = max_size;
	struct mutate_env env = {.tokens = W.L.dict.v, .n_tokens = W.L.dict.n};
	return mutate_havoc_depth(&W.L.rng, data, size, max_size, &env, NULL, W.L.p.stack_pow2);
}

static void setup_loop(const struct lf_opts *o)
{
	struct loop_params params = loop_inproc;
	if (!o->use_cmp || LLVMFuzzerCustomMutator)
		params.flags &= ~LOOP_CMP;
	if (W.test >= 0)
		params.flags |= LOOP_VALUES;
	if (o->only_ascii)
		params.flags |= LOOP_ONLY_ASCII;
	if (!o->reduce_inputs)
		params.flags &= ~LOOP_REDUCE;
	/* A custom mutator keeps a structure trimming would cut through
	 * (a custom trim is another matter); reduce still applies, to the
	 * custom mutator's own outputs. */
	if (!o->reduce_inputs || LLVMFuzzerCustomMutator)
		params.flags &= ~LOOP_TRIM;
	/* -len_control, unless the user set a maximum (-max_len) */
	params.len_control = o->max_len > 0 || o->len_control < 0 ? 0 : (uint32_t)o->len_control;
	struct loop_setup ls = {
		.params = &params,
		.seed = (uint64_t)o->seed,
		.map = W.map,
		.map_bytes = W.map_bytes,
		.edge_bytes = W.edge_bytes,
		.cmp_log = ferret__cmp_log,
		.buf = W.sh->input,
		.cap = W.max_len,
		.trace = &W.sh->trace,
		.exec = {.run = exec_run},
		.sink = {.new_entry = on_new_entry,
			 .drop = on_drop,
			 .replace = on_replace,
			 .begin_entry = on_begin_entry,
			 .tick = on_tick},
		.custom = {.mutate = LLVMFuzzerCustomMutator ? custom_mutate : NULL,
			   .crossover = LLVMFuzzerCustomCrossOver ? custom_crossover : NULL},
		.max_execs = o->runs > 0 ? (uint64_t)o->runs : 0,
	};
	if (loop_init(&W.L, &ls))
		_exit(1);
	if (*o->dict && dictfile_load(&W.L.dict, o->dict, 0) < 0)
		_exit(1);
	W.L.user_tokens = W.L.dict.n;
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
	if (__sanitizer_install_malloc_and_free_hooks) {
		malloc_limit = limit_mb > 0 ? (size_t)limit_mb << 20 : 0;
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
	setup_loop(o);
	W.start_ns = clock_ns();
	W.next_pulse = 1;

	/* The initial corpus: every input that adds coverage is kept. As in
	 * libFuzzer it always runs whole, whatever -runs says. */
	struct loop_origin seed = {.op = LOOP_OP_SEED, .src = -1, .src2 = -1};
	for (size_t i = 0; i < n_seeds; i++) {
		size_t len = seed_lens[i] < max_len ? seed_lens[i] : max_len;
		sh->trace.n = 0;
		loop_run_one(&W.L, seeds[i], len, &seed);
	}
	if (!W.L.c.n) {
		/* Nothing to start from: one newline, or for a FERRET_TEST the
		 * empty stream (no records and a seeded header: every value
		 * fresh). */
		size_t len = 1;
		sh->input[0] = '\n';
		if (W.test >= 0) {
			vs_header(sh->input, rng_next(&W.L.rng) | 1);
			len = FERRET_VS_HEADER_BYTES;
		}
		struct loop_verdict v;
		loop_exec_raw(&W.L, sh->input, len, 0, &seed, &v);
		cov_classify_and_update(W.map, W.L.virgin, W.map_bytes);
		loop_keep(&W.L, sh->input, len, COV_NEW_EDGE, &v, &seed);
	}
	status_line("INITED", NULL);

	if (o->runs != 0)
		loop_fuzz(&W.L);
	status_line("DONE  ", NULL);
	uint64_t secs = (clock_ns() - W.start_ns) / 1000000000ull;
	if (o->print_final_stats)
		say("stat::number_of_executed_units: %llu\nstat::average_exec_per_sec:     %llu\n"
		    "stat::new_units_added:          %llu\nstat::slowest_unit_time_sec:    0\n"
		    "stat::peak_rss_mb:              %zu\n",
		    (unsigned long long)sh->execs,
		    (unsigned long long)(secs ? sh->execs / secs : sh->execs),
		    (unsigned long long)sh->new_units, child_rss_mb(0));
	say("Done %llu runs in %llu second(s)\n", (unsigned long long)sh->execs,
	    (unsigned long long)secs);
	sh->done = 1;
	_exit(0);
}
