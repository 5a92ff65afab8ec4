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
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "child.h"
#include "clock.h"
#include "config.h"
#include "cov.h"
#include "custom.h"
#include "dict.h"
#include "dictfile.h"
#include "artifact.h"
#include "errors.h"
#include "funcs.h"
#include "harness.h"
#include "inproc.h"
#include "leaks.h"
#include "log.h"
#include "loop.h"
#include "options.h"
#include "rt.h"
#include "sha1.h"
#include "smith.h"
#include "srcpos.h"
#include "store.h"
#include "valstream.h"
#include "worker.h"
#include "banned.h"

/* weak, and of default visibility: -fvisibility=hidden would keep gcc's
 * shared sanitizer runtimes from resolving them */
void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak, visibility("default")));
void __sanitizer_set_report_fd(void *fd) __attribute__((weak, visibility("default")));
int __sanitizer_install_malloc_and_free_hooks(void (*m)(const volatile void *, size_t),
					      void (*f)(const volatile void *))
	__attribute__((weak, visibility("default")));
/* defined by the sanitizers that own the allocator (ASan, MSan, LSan,
 * TSan, HWASan), not by UBSan's runtime, which clang links into every
 * -fsanitize=fuzzer build */
size_t __sanitizer_get_allocated_size(const volatile void *p)
	__attribute__((weak, visibility("default")));

static struct worker {
	const struct lf_opts *o;
	struct lf_shared *sh;
	struct loop L;
	size_t max_len;
	uint8_t *map;
	size_t map_bytes, edge_bytes;
	uint8_t *depth; /* CFG_STACK_DEPTH_COUNTERS counters at the map's end */
	/* the counters a run touched (rt.h's list, installed for W.map) */
	struct cov_touch touch;
	volatile uint32_t touch_n;
	uint64_t clears; /* runs since a threaded harness's last whole-map clear */
	uint64_t start_ns, corpus_bytes;
	uint64_t deadline_ns; /* -max_total_time's end (0: none); distill() moves it */
	int distilling;       /* in distill(): its cuts print no REDUCE line */
	int out_of_time;
	uint64_t next_pulse;
	int sanitized; /* a sanitizer owns the allocator: each input gets its own block */
	int in_init;   /* running the empty input and the seeds */
	volatile uint32_t cmp_on;
	int out_fd; /* where the worker's own lines go (stderr, kept with -close_fd_mask=2) */
	long test;  /* FERRET_TEST index, -1 for LLVMFuzzerTestOneInput */
	pid_t supervisor;
	uint8_t *scratch;  /* 2 * max_len + 64 bytes for rescue() */
	uint8_t *copy;     /* max_len bytes: the harness's copy of the input */
	uint8_t *map_save; /* map_bytes: the counters kept across a leak check */
	/* -fork: the inputs that killed an earlier worker: their hashes and
	 * their lengths, both sorted, and bit (len % 64) set for each length.
	 * An input pays a bit test; one whose length is one of theirs a hash. */
	uint64_t known[CFG_LF_KNOWN_DEATHS];
	uint32_t known_len[CFG_LF_KNOWN_DEATHS];
	uint32_t n_known;
	uint64_t known_lens;
	/* -exit_on_src_pos: the counters on that source position; -exit_on_item:
	 * whether the corpus holds that input now */
	uint32_t *src_idx;
	size_t n_src;
	int item_kept;
	/* NEW_FUNC lines (funcs.h): funcs, whether function entries are
	 * followed; init_newline, set while the "\n" of an empty corpus is
	 * kept (not a seed, for -fork's lines) */
	int funcs;
	int init_newline;
} W;

static void on_death(void)
{
	if (W.sh)
		W.sh->died = 1;
}

/* Under a sanitizer, its allocator tells us every allocation: the -malloc_limit_mb
 * check, and the bytes each run allocates, which are part of its cost. One
 * allocation over the limit is recorded where lf_malloc_limit_start says,
 * and the process leaves at once with -error_exitcode (libFuzzer's
 * malloc hook). */
static size_t malloc_limit;
static uint64_t alloc_bytes;
static volatile uint32_t *malloc_oom;
static volatile uint64_t *malloc_oom_size;
static int malloc_oom_exit;
static void on_malloc(const volatile void *p, size_t size)
{
	(void)p;
	alloc_bytes += size;
	if (malloc_limit && size > malloc_limit && !*malloc_oom) {
		*malloc_oom = 1;
		*malloc_oom_size = size;
		_exit(malloc_oom_exit);
	}
}
static void on_free(const volatile void *p)
{
	(void)p;
}

void lf_malloc_limit_start(const struct lf_opts *o, volatile uint32_t *oom, volatile uint64_t *size)
{
	long long limit_mb = o->malloc_limit_mb ? o->malloc_limit_mb : o->rss_limit_mb;
	if (!__sanitizer_install_malloc_and_free_hooks)
		return;
	malloc_limit = limit_mb > 0 ? (size_t)limit_mb << 20 : 0;
	malloc_oom = oom;
	malloc_oom_size = size;
	malloc_oom_exit = o->error_exitcode ? (int)o->error_exitcode : 1;
	__sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
}

/* The harness called exit(): one it took the crash state for is not
 * reported (harness.h). The worker itself leaves with _exit only. */
static void on_exit_call(void)
{
	if (W.sh && W.sh->running && lf_quiet_exit())
		W.sh->quiet_exit = 1;
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
	W.sh->cov = count_cov();
	W.sh->ft = count_features();
	/* as libFuzzer: no cov:, ft: or corp: while there are none (a
	 * harness without coverage: libFuzzer keeps no input without a
	 * feature; ferret's loop keeps its first input whatever it reached) */
	char counts[128];
	int c = 0;
	if (W.sh->cov)
		c += snprintf(counts + c, sizeof(counts) - (size_t)c, " cov: %u", W.sh->cov);
	if (W.sh->ft)
		c += snprintf(counts + c, sizeof(counts) - (size_t)c, " ft: %u", W.sh->ft);
	if (W.L.active && W.sh->ft)
		snprintf(counts + c, sizeof(counts) - (size_t)c, " corp: %zu/%s", W.L.active, corp);
	say("#%llu\t%s%s%s exec/s: %llu rss: %zuMb%s\n", (unsigned long long)W.sh->execs, where,
	    counts, lim, (unsigned long long)(secs ? W.sh->execs / secs : 0), child_rss_mb(0),
	    tail);
}

/* ---- the executor: a direct call, the input in flight in shared memory ---- */

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* -fork: takes the supervisor's list of inputs that killed a worker. */
static void load_known(void)
{
	W.n_known = W.sh->n_known < CFG_LF_KNOWN_DEATHS ? W.sh->n_known : CFG_LF_KNOWN_DEATHS;
	memcpy(W.known, W.sh->known, W.n_known * sizeof(W.known[0]));
	qsort(W.known, W.n_known, sizeof(W.known[0]), cmp_u64);
	memcpy(W.known_len, W.sh->known_len, W.n_known * sizeof(W.known_len[0]));
	qsort(W.known_len, W.n_known, sizeof(W.known_len[0]), cmp_u32);
	W.known_lens = 0;
	for (uint32_t i = 0; i < W.n_known; i++)
		W.known_lens |= 1ull << (W.known_len[i] & 63);
}

/* Whether buf killed a worker before (its length's bit is set). */
static int is_known(const uint8_t *buf, size_t len)
{
	uint32_t l = (uint32_t)len;
	if (!bsearch(&l, W.known_len, W.n_known, sizeof(W.known_len[0]), cmp_u32))
		return 0; /* no death of this length: no hash */
	uint64_t h = lf_input_hash(buf, len);
	return bsearch(&h, W.known, W.n_known, sizeof(W.known[0]), cmp_u64) != NULL;
}

/* libFuzzer's check after each run: the harness got data as a copy of the
 * input, and changed it. The supervisor reports it and saves the input,
 * which the harness never saw. */
static void check_const_input(const uint8_t *data, size_t len)
{
	if (!memcmp(data, W.sh->input, len))
		return;
	W.sh->overwrote = 1;
	_exit((int)W.o->error_exitcode);
}

/*
 * Stack depth, libFuzzer's feature (FuzzerTracePC.h, StackDepthStepFunction):
 * clang's stack-depth instrumentation (ferret-cc adds it to harnesses, as
 * clang does) lowers __sancov_lowest_stack to the frame of each function
 * that calls others; the deepest the run reached, in 8-byte words below
 * the harness's own frame, picks one counter: exactly up to 8 words, then
 * 8 steps per doubling. A recursion one level deeper is new coverage,
 * which hit counts stop showing at 128 calls. The top is the frame of a
 * call made from where the harness is called, so the harness's frame is
 * depth 0, as libFuzzer measures from a local of a function called before
 * the harness: a harness that calls nothing instrumented has no such
 * feature (the same `ft:` as libFuzzer). Costs that call and a store
 * before the run, and a subtraction, a count of leading zeros and a
 * store after it.
 */
static __attribute__((noinline)) uintptr_t depth_top(void)
{
	return (uintptr_t)__builtin_frame_address(0);
}

static inline void depth_hit(uintptr_t top)
{
	uintptr_t low = __sancov_lowest_stack;
	if (low >= top)
		return; /* nothing deeper than the harness's frame ran */
	uint64_t a = (top - low) / 8;
	unsigned log2 = 63u - (unsigned)__builtin_clzll(a | 1);
	uint64_t step = log2 < 3 ? a : (uint64_t)(log2 - 2) * 8 + ((a >> (log2 - 3)) & 7);
	uint8_t *c =
		&W.depth[step < CFG_STACK_DEPTH_COUNTERS ? step : CFG_STACK_DEPTH_COUNTERS - 1];
	if (!*c) {
		*c = 1;
		ferret__touched(c);
	}
}

/* The leak check's second run of the input (leaks.h), with what the first
 * run left kept: its counters, its compare log and its allocation cost are
 * what the loop judges the input by, not the sum of two runs. Only runs
 * that allocated more than they freed pay for it, and they pay for the
 * counters the two runs touched (the touch list), not the whole map: the
 * first run's are saved in list order, the second run's are zeroed, the
 * first's written back and the list cut back to them. A list that
 * overflowed falls back to the whole map. The stack's lowest point, which
 * the stack-depth feature is read from after the run, is put back too:
 * the second run is called from deeper in the stack. */
static int leak_confirmed(size_t len)
{
	uint32_t cmp_on = W.cmp_on;
	uint64_t alloc = alloc_bytes;
	uintptr_t low = __sancov_lowest_stack; /* the second run is called deeper */
	W.cmp_on = 0;
	long before = cov_touch_len(&W.touch);
	if (before < 0)
		memcpy(W.map_save, W.map, W.map_bytes);
	for (long k = 0; k < before; k++) {
		size_t i = cov_touch_at(&W.touch, k, W.map_bytes);
		W.map_save[k] = i < W.map_bytes ? W.map[i] : 0;
	}
	int leak = lf_leak_confirm(W.sh->input, len);
	long after = cov_touch_len(&W.touch);
	if (before < 0) {
		memcpy(W.map, W.map_save, W.map_bytes);
	} else {
		if (after < 0) /* the second run overflowed the list */
			memset(W.map, 0, W.map_bytes);
		for (long k = before; k < after; k++) {
			size_t i = cov_touch_at(&W.touch, k, W.map_bytes);
			if (i < W.map_bytes)
				W.map[i] = 0;
		}
		for (long k = 0; k < before; k++) {
			size_t i = cov_touch_at(&W.touch, k, W.map_bytes);
			if (i < W.map_bytes)
				W.map[i] = W.map_save[k];
		}
		W.touch_n = (uint32_t)before;
	}
	__sancov_lowest_stack = low;
	alloc_bytes = alloc;
	W.cmp_on = cmp_on;
	return leak;
}

/*
 * Runs one input in this process. Costs the harness, a clear of the
 * counters the previous run touched, a few stores to shared memory, and a copy and a compare of the
 * input (the harness runs on a private copy, libFuzzer's price for its
 * const-input check); the input is copied into the shared buffer only
 * when the loop built it elsewhere (seeds, the compare stage,
 * input-to-state), never for mutations, which the loop makes in place
 * there.
 */
static int exec_run(void *ctx, const uint8_t *buf, size_t len, unsigned flags,
		    const struct loop_origin *o, struct loop_verdict *v)
{
	(void)ctx;
	struct lf_shared *sh = W.sh;
	if ((W.known_lens >> (len & 63) & 1) && is_known(buf, len)) {
		v->kind = LOOP_REJECT; /* it killed a worker before: not again */
		return 0;
	}
	if (buf != sh->input)
		memcpy(sh->input, buf, len);
	sh->from_i2s = o && o->op == LOOP_OP_I2S;
	if (ferret__threaded && ++W.clears % COV_THREADED_FULL_CLEAR == 0)
		cov_full_clear(W.map, W.map_bytes, &W.touch); /* cov.h */
	else
		cov_sparse_clear(W.map, W.map_bytes, &W.touch);
	W.cmp_on = (flags & LOOP_RUN_CMP) != 0;
	sh->in_len = (uint32_t)len;
	sh->exec_seq++;
	sh->running = 1;
	int rc = 0;
	uint32_t values = 0;
	uintptr_t top = depth_top();
	__sancov_lowest_stack = top;
	if (W.test >= 0) {
		alloc_bytes = 0;
		values = (uint32_t)ferret__smith_run((size_t)W.test, sh->input, len, sh->slog,
						     LF_SLOG_BYTES, &sh->slog_len);
	} else if (W.sanitized) {
		uint8_t *copy = malloc(len ? len : 1);
		memcpy(copy, sh->input, len);
		alloc_bytes = 0; /* the copy is ours, not the run's */
		struct lf_leak_mark mark;
		lf_leak_mark(&mark);
		rc = lf_harness(copy, len);
		int suspect = lf_leak_suspect(&mark);
		check_const_input(copy, len);
		free(copy);
		if (suspect && leak_confirmed(len)) {
			lf_leak_say(W.out_fd, W.in_init);
			sh->leak = 1; /* the supervisor writes leak-<sha1> */
			_exit((int)W.o->error_exitcode);
		}
	} else {
		/* the harness gets a private copy, as in libFuzzer: one that
		 * writes to its const input is found, and cannot change the
		 * input the supervisor would save */
		alloc_bytes = 0;
		memcpy(W.copy, sh->input, len);
		rc = lf_harness(W.copy, len);
		check_const_input(W.copy, len);
	}
	depth_hit(top);
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

/*
 * -reload: every -reload seconds, between two entries' turns, the worker
 * reads the files of the first corpus directory it has not seen and runs
 * them, as libFuzzer rereads its output corpus: so -jobs (and anything
 * else writing there) share their finds. Seen means named in a set of
 * hashed file names: the names there when the worker started, and those
 * of the files it handed to the supervisor (sha1 of the bytes), so a lone
 * run never reads its own files back and its run stays the same. An input
 * that adds coverage is kept without a NEW line (libFuzzer's RELOAD line
 * follows the scan). Costs a directory read per interval, never per
 * execution.
 */
static struct reload {
	uint64_t *slot; /* open addressing, 0: empty */
	size_t cap, n;
	uint64_t next_ns;
	int due, on;
	uint8_t *buf; /* max_len bytes */
} R;

static uint64_t name_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 0x100000001b3ull;
	return h | 1;
}

/* Adds a name's hash; 1 when it was not there. */
static int reload_add(uint64_t h)
{
	if (2 * (R.n + 1) > R.cap) {
		size_t cap = R.cap ? 2 * R.cap : 1024;
		uint64_t *v = calloc(cap, sizeof(*v));
		if (!v)
			return 0; /* no room to remember: do not import */
		for (size_t i = 0; i < R.cap; i++)
			for (size_t j = R.slot[i] % cap; R.slot[i]; j = (j + 1) % cap)
				if (!v[j]) {
					v[j] = R.slot[i];
					break;
				}
		free(R.slot);
		R.slot = v;
		R.cap = cap;
	}
	size_t j = h % R.cap;
	for (; R.slot[j]; j = (j + 1) % R.cap)
		if (R.slot[j] == h)
			return 0;
	R.slot[j] = h;
	R.n++;
	return 1;
}

/* The supervisor will write these bytes under their sha1: a known name. */
static void reload_know(const uint8_t *d, size_t n)
{
	if (!R.on)
		return;
	char sha[41];
	sha1_hex(d, n, sha);
	reload_add(name_hash(sha));
}

/* Reads the first corpus directory: every name not seen is remembered and,
 * when run is set, its file run as an import. */
static void reload_scan(int run)
{
	DIR *dir = opendir(W.o->dirs[0]);
	if (!dir)
		return;
	int added = 0;
	struct dirent *d;
	while ((d = readdir(dir)) && !W.L.stop) {
		if (d->d_name[0] == '.' || !reload_add(name_hash(d->d_name)) || !run)
			continue;
		char *path = path_join(W.o->dirs[0], d->d_name);
		/* a FIFO or a device there must not block the worker */
		int fd = path ? open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK) : -1;
		free(path);
		struct stat st;
		if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))) {
			close(fd);
			fd = -1;
		}
		if (fd < 0)
			continue;
		ssize_t n = read(fd, R.buf, W.max_len);
		close(fd);
		if (n < 0)
			continue;
		struct loop_origin o = {.op = LOOP_OP_SYNC, .src = -1, .src2 = -1};
		W.sh->trace.n = 0;
		added |= loop_run_one(&W.L, R.buf, (size_t)n, &o) > 0;
	}
	closedir(dir);
	if (added)
		status_line("RELOAD", NULL);
}

static void reload_start(void)
{
	R.on = W.o->reload > 0 && W.o->n_dirs > 0 && W.test < 0;
	if (!R.on)
		return;
	R.buf = malloc(W.max_len ? W.max_len : 1);
	if (!R.buf) {
		R.on = 0;
		return;
	}
	reload_scan(0);
	R.next_ns = clock_ns() + (uint64_t)W.o->reload * 1000000000ull;
}

/* Between two entries' turns, when the interval has passed (on_tick). */
static void reload_if_due(void)
{
	if (!R.due)
		return;
	R.due = 0;
	reload_scan(1);
	R.next_ns = clock_ns() + (uint64_t)W.o->reload * 1000000000ull;
}

/*
 * -exit_on_src_pos and -exit_on_item, checked where libFuzzer checks them
 * (its CheckExitOnSrcPosOrItem): after each seed has run, and after each
 * entry found later (NEW, REDUCE, an import), once it is on its way to
 * disk. A position is covered when the corpus reached one of its counters
 * (a virgin byte no longer 0xff: what every kept input, the seeds and the
 * "\n" of an empty corpus too, ever set). As libFuzzer (_Exit(0)): the
 * line, then exit 0, no Done line, no final stats, stdout not flushed.
 * Costs a look at those few counters per entry kept, nothing per input.
 */
static void check_exit(void)
{
	const char *what = NULL, *fmt = NULL;
	for (size_t i = 0; i < W.n_src && !what; i++)
		if (W.L.virgin[W.src_idx[i]] != 0xff) {
			what = W.o->exit_on_src_pos;
			fmt = "INFO: found line matching '%s', exiting.\n";
		}
	if (!what && W.item_kept) {
		what = W.o->exit_on_item;
		fmt = "INFO: found item with checksum '%s', exiting.\n";
	}
	if (!what)
		return;
	say(fmt, what);
	W.sh->found = 1;
	W.sh->done = 1;
	_exit(0);
}

/* -exit_on_item: whether these bytes are the item's. */
static int is_item(const uint8_t *d, size_t n)
{
	char sha[41];
	if (!*W.o->exit_on_item)
		return 0;
	sha1_hex(d, n, sha);
	return !strcmp(sha, W.o->exit_on_item);
}

/*
 * The functions e covers first (funcs.h), as libFuzzer observes them when
 * an input is added to the corpus. The initial corpus is observed and not
 * printed (libFuzzer turns the lines on after it); other inputs get their
 * NEW_FUNC lines, before their NEW line. With -fork the lines are the
 * supervisor's, after the job's line: the worker hands it the functions,
 * its seeds' flagged (libFuzzer's jobs run with -print_funcs=0). A look at
 * each counter e hit, per entry kept; nothing per execution.
 */
static void new_funcs(const struct entry *e, const struct loop_origin *o)
{
	const uint32_t *fresh;
	size_t n = funcs_cover(e->hit, e->edges, &fresh);
	if (!n)
		return;
	int seed = o->op == LOOP_OP_SEED && !W.init_newline;
	if (W.o->fork > 0) {
		for (size_t i = 0; i < n; i++) {
			uint32_t k = W.sh->funcs.n;
			if (k < CFG_LF_FORK_FUNCS - 1)
				W.sh->funcs.idx[k] = fresh[i] | (seed ? LF_FUNC_SEED : 0);
			W.sh->funcs.n = k + 1;
		}
	} else if (o->op != LOOP_OP_SEED) {
		funcs_print(W.out_fd, fresh, n, W.o->print_funcs, 0);
	}
}

/* A new entry: initial inputs are on disk already; everything else is
 * announced (NEW line) and handed to the supervisor. */
static void on_new_entry(void *ctx, struct entry *e, const struct loop_origin *o)
{
	(void)ctx;
	W.corpus_bytes += e->len;
	W.item_kept |= is_item(e->data, e->len);
	if (W.funcs)
		new_funcs(e, o);
	if (o->op == LOOP_OP_SEED)
		return; /* checked after the seed's run (lf_worker) */
	W.sh->new_units++;
	ring_write(e->len, e->data, e->len);
	reload_know(e->data, e->len);
	if (o->op != LOOP_OP_SYNC) /* an import: one RELOAD line for the lot */
		status_line("NEW   ", e);
	check_exit();
}

/* Passive minimization retired e: forget it on disk too. */
static void on_drop(void *ctx, struct entry *e)
{
	(void)ctx;
	char sha[41];
	sha1_hex(e->data, e->len, sha);
	if (*W.o->exit_on_item && !strcmp(sha, W.o->exit_on_item))
		W.item_kept = 0;
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
	/* the new bytes first: a worker killed between the two records
	 * leaves both files, never neither */
	ring_write(e->len, e->data, e->len);
	if (e->parent >= 0) {
		char sha[41];
		sha1_hex(old, old_len, sha);
		ring_write(LF_RING_REMOVE | 40, (const uint8_t *)sha, 40);
	}
	reload_know(e->data, e->len);
	if (is_item(old, old_len))
		W.item_kept = 0;
	W.item_kept |= is_item(e->data, e->len);
	if (!W.distilling)
		status_line("REDUCE", e);
	check_exit();
}

/* The supervisor names the base unit of a crash ("base unit: <sha1>"). */
static void on_begin_entry(void *ctx, struct entry *e)
{
	(void)ctx;
	sha1_hex(e->data, e->len, W.sh->base_sha);
}

/*
 * Every CFG_INPROC_TICK_EXECS inputs: the clock, for -max_total_time and
 * the pulse lines, the supervisor's stop request, and getppid() in case
 * the harness replaced the parent-death signal. At a million inputs a
 * second a read per input was 8 % of the time; 256 inputs are far below a
 * second. Only stops the loop (or the worker, when its supervisor died).
 */
static void rescue(int in_input) __attribute__((noreturn));

static int on_tick(void *ctx)
{
	(void)ctx;
	if (getppid() != W.supervisor)
		rescue(0); /* the harness took the parent-death signal from us */
	if (W.sh->stop)
		return 1; /* SIGUSR1 or SIGUSR2 (supervisor.h) */
	uint64_t t = clock_ns();
	if (W.deadline_ns && t >= W.deadline_ns)
		W.out_of_time = 1;
	if (R.on && t >= R.next_ns)
		R.due = 1;
	if (W.sh->execs >= W.next_pulse) {
		while (W.next_pulse <= W.sh->execs)
			W.next_pulse *= 2;
		if (t - W.start_ns > 2000000000ull)
			status_line("pulse ", NULL);
	}
	return W.out_of_time;
}

/* ---- the supervisor's death ---- */

/* The worker's parent-death signal: catchable, unlike the SIGKILL child_fork
 * sets, and a real-time one that harnesses and sanitizers leave alone. */
#define PDEATH_SIG (SIGRTMIN + 4)

/* Writes the records of the ring the supervisor had not copied out, as its
 * drain() would (a removal unlinks). Returns the entries written. */
static size_t flush_ring(void)
{
	struct lf_shared *sh = W.sh;
	uint64_t head = sh->ring_head, t = sh->ring_tail;
	uint8_t *buf = W.scratch + W.max_len + 64;
	size_t saved = 0;
	uint32_t tag;
	while ((tag = lf_ring_tag(sh, t, head)) != 0xffffffffu) {
		uint32_t n = tag & ~LF_RING_REMOVE;
		if (n > W.max_len + 64)
			break;
		lf_ring_copy(sh, t + 4, buf, n);
		t += 4 + (uint64_t)n;
		if (!W.o->n_dirs)
			continue;
		char sha[41], path[4096];
		if (tag & LF_RING_REMOVE) {
			if (n != 40)
				break;
			memcpy(sha, buf, 40);
			sha[40] = 0;
			if (lf_is_sha1_hex(sha) &&
			    (size_t)snprintf(path, sizeof(path), "%s/%s", W.o->dirs[0], sha) <
				    sizeof(path))
				unlink(path);
			continue;
		}
		sha1_hex(buf, n, sha);
		saved += store_write(W.o->dirs[0], sha, buf, n) == 0;
	}
	sh->ring_tail = t;
	return saved;
}

/*
 * Runs d once more in a grandchild whose parent is a stand-in that only
 * waits, both in a process group of their own: returns 1 when the stand-in
 * was killed while the grandchild ran (the input kills its parent), 0
 * when it was not within CFG_RESCUE_RUN_SEC. _Fork, because this runs in a
 * signal handler that may have interrupted the harness inside malloc; the
 * grandchild may then block on the same lock, which reads as "no".
 */
static int kills_its_parent(const uint8_t *d, size_t len)
{
	pid_t me = getpid();
	pid_t stand_in = _Fork();
	if (stand_in < 0)
		return 0;
	if (stand_in == 0) {
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		if (getppid() != me)
			_exit(0);
		pid_t parent = getpid(), runner = _Fork();
		if (runner == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
			if (getppid() == parent)
				lf_harness(d, len);
			_exit(0);
		}
		while (runner > 0 && waitpid(runner, NULL, 0) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	setpgid(stand_in, stand_in);
	int ended = 0;
	for (int ms = 0; ms < CFG_RESCUE_RUN_SEC * 1000 && !ended; ms++) {
		siginfo_t si;
		si.si_pid = 0;
		ended = waitid(P_PID, (id_t)stand_in, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
			si.si_pid == stand_in;
		if (!ended) {
			struct timespec one_ms = {0, 1000000};
			nanosleep(&one_ms, NULL);
		}
	}
	kill(-stand_in, SIGKILL); /* unreaped, its group id is still ours */
	int status = 0;
	while (waitpid(stand_in, &status, 0) < 0 && errno == EINTR)
		;
	return ended && WIFSIGNALED(status);
}

/*
 * The supervisor died, which only its parent-death signal (or getppid() at
 * a tick) tells: the worker does what the supervisor would have done, then
 * exits. The entries announced NEW and still in the ring go to the corpus
 * directory. When an input was running (in_input), it may be what killed
 * the supervisor, or the supervisor may have been killed from outside: it
 * is run once more under a stand-in parent, and only if that kills the
 * stand-in is it written as crash-<sha1>. Runs in a signal handler: raw
 * writes and no allocation, stdio only for lines and the artifact (glibc's
 * stdio locks are recursive), and SIGALRM with its default action bounds
 * the whole rescue. Never returns.
 */
static void rescue(int in_input)
{
	signal(SIGALRM, SIG_DFL);
	alarm(CFG_RESCUE_RUN_SEC + 20);
	struct lf_shared *sh = W.sh;
	size_t len = sh->in_len < W.max_len ? sh->in_len : W.max_len;
	memcpy(W.scratch, sh->input, len); /* before anything can touch it */
	size_t saved = flush_ring();
	say("INFO: the supervisor (pid %d) died; the worker saved %zu new corpus entries and "
	    "exits\n",
	    (int)W.supervisor, saved);
	if (!in_input) {
		say("INFO: it died between inputs: no input is blamed\n");
		_exit(1);
	}
	if (W.test >= 0) {
		say("INFO: a FERRET_TEST's input in flight is not run again\n");
		_exit(1);
	}
	if (!kills_its_parent(W.scratch, len)) {
		say("INFO: the input in flight, run again, did not kill its parent: not a "
		    "finding\n");
		_exit(1);
	}
	say("==%d== ERROR: libFuzzer: fuzz target killed its parent process (the supervisor)\n",
	    (int)getpid());
	artifact_write(W.o, "crash", NULL, W.scratch, len);
	say("SUMMARY: libFuzzer: fuzz target killed its parent process\n");
	_exit(W.o->error_exitcode ? (int)W.o->error_exitcode : 1);
}

static void on_parent_death(int sig)
{
	(void)sig;
	rescue(W.sh->running != 0);
}

/* Takes over the parent-death signal from child_fork's SIGKILL, then checks
 * that the supervisor did not die before (it would have been SIGKILL). */
static void watch_supervisor(void)
{
	W.supervisor = getppid();
	W.copy = mmap(NULL, W.max_len + 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		      0);
	if (W.copy == MAP_FAILED)
		_exit(1);
	W.scratch = mmap(NULL, 2 * W.max_len + 64, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (W.scratch == MAP_FAILED)
		_exit(1);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_parent_death;
	sigfillset(&sa.sa_mask);
	sigaction(PDEATH_SIG, &sa, NULL);
	prctl(PR_SET_PDEATHSIG, PDEATH_SIG, 0, 0, 0);
	if (getppid() != W.supervisor)
		rescue(0);
}

/* -exit_on_src_pos: the counters on that position (srcpos.h), found once
 * at start-up; with no symbolizer, one warning and the flag does nothing. */
static void find_src_pos(const char *pattern)
{
	long n = srcpos_match(pattern, W.edge_bytes, &W.src_idx);
	if (n < 0)
		say("WARNING: -exit_on_src_pos needs llvm-symbolizer or addr2line on PATH; "
		    "ignoring it\n");
	W.n_src = n > 0 ? (size_t)n : 0;
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

/* AFL++ custom mutators (AFL_CUSTOM_MUTATOR_LIBRARY), loaded by the
 * supervisor before the first fork; each worker initialises its own. */
static struct custom lf_cm;

void lf_custom_load(char *const *argv, const char *corpus_dir)
{
	const char *list = getenv("AFL_CUSTOM_MUTATOR_LIBRARY");
	const char *only = getenv("AFL_CUSTOM_MUTATOR_ONLY");
	if (!list || !*list) {
		if (only && *only)
			die("AFL_CUSTOM_MUTATOR_ONLY needs a custom mutator: set "
			    "AFL_CUSTOM_MUTATOR_LIBRARY");
		return;
	}
	struct custom_info info = {.argv = argv, .input = NULL, .out = corpus_dir};
	char why[512];
	if (custom_load(&lf_cm, list, NULL, 0, &info, why, sizeof(why)))
		die("%s", why);
	lf_cm.only = only && *only;
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
		.touch = &W.touch,
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
	char why[512];
	if (lf_cm.n && custom_init(&lf_cm, (uint64_t)o->seed, why, sizeof(why))) {
		fprintf(stderr, "ERROR: %s\n", why);
		_exit(1);
	}
	custom_hooks(&lf_cm, &ls.mut);
	if (loop_init(&W.L, &ls))
		_exit(1);
	if (!o->cross_over)
		W.L.p.splice_one_in = 0; /* libFuzzer's -cross_over=0 */
	if (*o->dict && dictfile_load(&W.L.dict, o->dict, 0) < 0)
		_exit(1);
	W.L.user_tokens = W.L.dict.n;
}

/*
 * -distill=1 (ferret's): the corpus distilled when the run ends by its
 * budget (loop_distill: every entry run once more, a cover of their
 * features by the fewest bytes kept; the other entries of this run go, and
 * with them their files, through on_drop). Not in a job of -jobs, whose
 * files other jobs may have taken in place of their own, nor without a
 * corpus directory (nothing on disk to shrink). Its runs are not
 * fuzzing: the count of executions stays that of -runs.
 */
static void distill(void)
{
	uint64_t execs = W.sh->execs, runs;
	size_t before = W.L.active;
	uint64_t bytes = W.corpus_bytes;
	W.distilling = 1;
	W.next_pulse = UINT64_MAX; /* its runs are not -runs' executions: no pulse line */
	/* the supervisor kills a worker CFG_LF_GRACE_MS past -max_total_time
	 * (CHILD_OVERTIME): the tick stops the distillation halfway there,
	 * and on a stop request (SIGUSR1/2) */
	if (W.deadline_ns) {
		W.deadline_ns += CFG_LF_GRACE_MS * 1000000ull / 2;
		W.out_of_time = clock_ns() >= W.deadline_ns;
	}
	long dropped = loop_distill(&W.L, execs / CFG_DISTILL_TRIM_SHARE, &runs);
	W.distilling = 0;
	W.sh->execs = execs;
	if (dropped >= 0 && W.corpus_bytes < bytes)
		say("INFO: distilled the corpus: %zu of %zu inputs kept (%llu of %llu bytes), "
		    "every "
		    "feature kept (%llu runs)\n",
		    W.L.active, before, (unsigned long long)W.corpus_bytes,
		    (unsigned long long)bytes, (unsigned long long)runs);
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
	watch_supervisor();
	if (o->close_fd_mask & 2) {
		W.out_fd = dup(2);
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 2);
		/* a sanitizer's report stays visible, as in libFuzzer */
		if (__sanitizer_set_report_fd)
			__sanitizer_set_report_fd((void *)(intptr_t)W.out_fd);
	}
	if (o->close_fd_mask & 1) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
	}
	lf_leaks_start(o->detect_leaks && W.test < 0); /* leaks.h */
	/* UBSan alone (a plain -fsanitize=fuzzer build) reports deadly
	 * signals but checks no heap access: the private copy stays */
	W.sanitized = __sanitizer_get_allocated_size != NULL;
	if (__sanitizer_set_death_callback)
		__sanitizer_set_death_callback(on_death);
	lf_malloc_limit_start(o, &sh->malloc_oom, &sh->malloc_oom_size);
	atexit(on_exit_call);

	/* Coverage: the runtime's private counters, plus value-profile
	 * counters after them, plus the stack-depth counters, plus a compare
	 * log only this process uses. */
	W.edge_bytes = ferret__map_used();
	W.map_bytes = W.edge_bytes + (o->use_value_profile ? FERRET_VP_BYTES : 0);
	W.map_bytes += CFG_STACK_DEPTH_COUNTERS;
	ferret__map_reserve(W.map_bytes);
	W.map = ferret__map;
	W.depth = W.map + W.map_bytes - CFG_STACK_DEPTH_COUNTERS;
	if (o->use_value_profile)
		ferret__vp = W.map + W.edge_bytes;
	W.map_save = mmap(NULL, W.map_bytes ? W.map_bytes : 1, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (W.map_save == MAP_FAILED)
		_exit(1);
	/* The touch list of W.map: each run's counters are classified and
	 * cleared from it (cov.h), so a run costs what it touched, not the
	 * size of the binary. Installed on a cleared map: a counter left
	 * non-zero from before would never be listed. */
	uint32_t *list = mmap(NULL, (W.map_bytes ? W.map_bytes : 1) * sizeof(uint32_t),
			      PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (list == MAP_FAILED)
		_exit(1);
	if (!getenv(COV_WHOLE_MAP_ENV)) {
		W.touch = (struct cov_touch){list, &W.touch_n, (uint32_t)W.map_bytes};
		ferret__touch = (struct ferret_touch){list, &W.touch_n, (uint32_t)W.map_bytes};
	}
	cov_full_clear(W.map, W.map_bytes, &W.touch);
	ferret__cmp_log = mmap(NULL, FERRET_CMP_SITES * sizeof(struct ferret_cmp_site),
			       PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ferret__cmp_log == MAP_FAILED)
		_exit(1);
	ferret__cmp_flag = &W.cmp_on;
	setup_loop(o);
	load_known();
	if (*o->exit_on_src_pos && W.test < 0)
		find_src_pos(o->exit_on_src_pos);
	/* -print_funcs: the function entries, followed from the first seed */
	W.funcs = W.test < 0 && (o->print_funcs > 0 || o->fork > 0) && funcs_init(W.edge_bytes);
	ferret__modules_scan(); /* compare sites named per module (runtime/modules.c) */
	W.start_ns = clock_ns();
	if (o->max_total_time > 0)
		W.deadline_ns = W.start_ns + (uint64_t)o->max_total_time * 1000000000ull;
	W.next_pulse = 1;

	/* The initial corpus: every input that adds coverage is kept. As in
	 * libFuzzer it always runs whole, whatever -runs says. */
	struct loop_origin seed = {.op = LOOP_OP_SEED, .src = -1, .src2 = -1};
	reload_start(); /* the names there now are not imports */
	W.in_init = 1;
	if (W.test < 0) {
		/* libFuzzer runs the empty input first and never again: a
		 * harness that crashes only on it is found at once. Its
		 * coverage is not kept (nor is it in libFuzzer). */
		struct loop_verdict v;
		loop_exec_raw(&W.L, sh->input, 0, 0, &seed, &v);
		cov_sparse_clear(W.map, W.map_bytes, &W.touch);
	}
	for (size_t i = 0; i < n_seeds; i++) {
		size_t len = seed_lens[i] < max_len ? seed_lens[i] : max_len;
		sh->trace.n = 0;
		if (o->keep_seed)
			loop_run_keep(&W.L, seeds[i], len, &seed); /* -keep_seed=1 */
		else
			loop_run_one(&W.L, seeds[i], len, &seed);
		check_exit();
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
		W.init_newline = 1;
		loop_keep(&W.L, sh->input, len, COV_NEW_EDGE, &v, &seed);
		W.init_newline = 0;
	}
	W.in_init = 0;
	status_line("INITED", NULL);
	if (!count_features() && o->runs != 0) {
		/* libFuzzer's check: a harness built without coverage
		 * would otherwise be "fuzzed" blind at full speed */
		say("ERROR: no interesting inputs were found. Is the code instrumented for "
		    "coverage? Exiting.\n");
		sh->no_coverage = 1;
		sh->done = 1;
		_exit(0);
	}

	if (o->runs != 0 && !sh->stop)
		while (!W.L.stop) {
			reload_if_due();
			if (loop_fuzz_one(&W.L))
				break;
		}
	if (!sh->stop && o->distill && !o->jobs_job && o->n_dirs && W.test < 0 && W.L.active > 1)
		distill();
	if (!sh->stop) {
		/* stopped by a signal, libFuzzer prints neither line; the
		 * supervisor prints the final stats in every case */
		status_line("DONE  ", NULL);
		uint64_t secs = (clock_ns() - W.start_ns) / 1000000000ull;
		say("Done %llu runs in %llu second(s)\n", (unsigned long long)sh->execs,
		    (unsigned long long)secs);
	}
	fflush(stdout); /* what the harness printed, when stdout is a pipe or a file */
	/* LeakSanitizer's check at the end, as libFuzzer's process gets at
	 * exit (-detect_leaks=0 too): a leak dies with no input in flight, so
	 * the unit is empty, as libFuzzer's (leaks.h). Not for a FERRET_TEST,
	 * whose leaks are not looked for. */
	sh->in_len = 0;
	if (W.test < 0)
		lf_leaks_at_exit(-1);
	sh->done = 1;
	_exit(0);
}
