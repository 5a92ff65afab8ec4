/*
 * forkserver.c - the target's side of the control protocol (proto.h).
 *
 * Three start-ups, chosen by the engine through the environment:
 *   - fork server from a constructor, before main (any program);
 *   - deferred: the server starts at FERRET_INIT(), after costly set-up;
 *   - persistent: the server starts at the first FERRET_LOOP(); each child
 *     then runs up to N inputs from shared memory, answering every "run"
 *     word itself, and the server only forks a new child when one dies or
 *     ends its N inputs.
 * The server reports a child's wait status when it dies (DEATH with the
 * sequence number of the input the child last started, kept in the region's
 * run_seq). A persistent child reports ITER with its input's number after
 * each input. The engine clears the counters and enforces timeouts; nothing
 * here allocates or prints per input.
 * Outside the engine none of this runs: FERRET_LOOP runs once on stdin.
 * Under afl-fuzz (no ferret engine) the same start-ups run AFL's fork
 * server instead (afl.c), and a persistent child stops itself between
 * inputs as AFL++'s do.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "afl.h"

static int server_started;
static void stdin_buffer(void);
static int persistent_server;

static int send_word(uint32_t w)
{
	return write(FERRET_ST_FD, &w, sizeof(w)) == (ssize_t)sizeof(w);
}

/* Both words of a death in one write: a pipe write of 8 bytes is atomic,
 * so the engine never reads one without the other. */
static int send_death(uint32_t seq, uint32_t status)
{
	uint32_t w[2] = {FERRET_ST_DEATH | (seq & FERRET_SEQ_MASK), status};
	return write(FERRET_ST_FD, w, sizeof(w)) == (ssize_t)sizeof(w);
}

static int recv_word(uint32_t *w)
{
	ssize_t n;
	do
		n = read(FERRET_CTL_FD, w, sizeof(*w));
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof(*w);
}

/*
 * Runs the fork server. Returns in each child (and returns at once if no
 * engine answers); the server process itself never returns: it exits when
 * the engine closes the control pipe.
 */
static void run_server(int persistent)
{
	struct ferret_shm *shm = ferret__shm;
	if (server_started)
		return;
	server_started = 1;
	persistent_server = persistent;

	ferret__modules_scan(); /* before the first fork: children inherit it */
	ferret__crash_hook();   /* and the crash handlers (crash.c) */
	size_t used = ferret__map_used();
	uint32_t vp_offset = 0;
	const char *vp = getenv(FERRET_ENV_VALUE_PROFILE);
	if (vp && vp[0] == '1') {
		vp_offset = (uint32_t)used;
		used += FERRET_VP_BYTES;
	}
	if (used > shm->map_cap) {
		send_word(FERRET_ERROR | FERRET_RT_EMAP);
		ferret__fatal("more edges than the coverage map holds");
	}
	shm->map_bytes = (uint32_t)used;
	shm->vp_offset = vp_offset;
	if (vp_offset)
		ferret__vp = ferret__map + vp_offset;
	shm->edges = ferret__edges + (vp_offset ? FERRET_VP_BYTES : 0);
	if (shm->pcs_offset && shm->pcs_cap) /* after modules_scan: addresses relative */
		shm->pcs_n = ferret__edge_pcs((uint64_t *)((uint8_t *)shm + shm->pcs_offset),
					      shm->pcs_cap);
	shm->rt_flags = ferret__rt_flags | FERRET_RT_CMP | (persistent ? FERRET_RT_PERSISTENT : 0) |
			(vp_offset ? FERRET_RT_VALUE_PROFILE : 0) |
			(ferret__touch_live.cap ? FERRET_RT_TOUCH : 0);
	if (!send_word(FERRET_HELLO | FERRET_PROTO_VERSION)) {
		ferret__shm = NULL; /* no engine listening: behave as standalone */
		return;
	}

	for (;;) {
		uint32_t cmd;
		if (!recv_word(&cmd) || (cmd & FERRET_TAG_MASK) != FERRET_CMD_RUN)
			_exit(0);
		shm->run_seq = cmd & FERRET_SEQ_MASK; /* the child's first input */
		pid_t server = getpid();
		pid_t pid = fork();
		if (pid < 0) {
			send_word(FERRET_ERROR | FERRET_RT_EFORK);
			_exit(FERRET_RT_EXIT);
		}
		if (pid == 0) {
			/* dies with the server: after a kill -9 of ferret,
			 * which takes the server with it, no child runs on */
			prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
			if (getppid() != server)
				_exit(FERRET_RT_EXIT); /* the server died before the line above */
			if (!persistent) {
				close(FERRET_CTL_FD);
				close(FERRET_ST_FD);
			}
			shm->iterations = 1;
			ferret__afl_child_start();
			return;
		}
		shm->child_pid = pid;
		int status;
		while (waitpid(pid, &status, 0) < 0)
			if (errno != EINTR)
				_exit(FERRET_RT_EXIT);
		if (persistent && shm->recycle) {
			/* The child ran its N inputs and left; the next "run"
			 * word is read above and served by a fresh child. */
			shm->recycle = 0;
			continue;
		}
		if (!send_death(shm->run_seq, (uint32_t)status & 0xffffu))
			_exit(0);
	}
}

__attribute__((constructor)) static void forkserver_auto_init(void)
{
	if (ferret__attach()) {
		ferret__cxx_hook();
		if (!getenv(FERRET_ENV_PERSISTENT) && !getenv(FERRET_ENV_DEFER))
			run_server(0);
		return;
	}
	if (ferret__afl_attach() && !ferret__afl_deferred())
		ferret__afl_server(ferret__afl_persistent());
	/* an AFL++ harness takes the buffer's address once, before its loop */
	if (ferret__afl_uses_tc() && !ferret__afl_tc_shm)
		stdin_buffer();
}

/* FERRET_INIT and __AFL_INIT. In persistent mode the loop starts the
 * server instead. */
FERRET_EXPORT void ferret__manual_init(void)
{
	if (ferret__attach()) {
		if (!getenv(FERRET_ENV_PERSISTENT))
			run_server(0);
		return;
	}
	if (ferret__afl_attach())
		ferret__afl_server(ferret__afl_persistent());
}

/*
 * The test case is all of stdin: outside any fuzzer, in a fork-server
 * child, and in an AFL persistent child without shared test cases (afl-fuzz
 * rewinds the input file before each input). The buffer is made once, 1 MiB
 * (AFL's largest input; pages cost only when touched), so its address stays
 * the same for every input up to that size; each call reads from scratch.
 */
static unsigned char *in_buf;
static size_t in_cap;
static uint32_t in_len;

static void stdin_buffer(void)
{
	if (!in_buf) {
		in_cap = 1 << 20;
		in_buf = mmap(NULL, in_cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
			      0);
		if (in_buf == MAP_FAILED)
			ferret__fatal("cannot map the test case buffer");
	}
	ferret__tc_buf = in_buf;
	ferret__tc_len = &in_len;
}

static void load_stdin_testcase(void)
{
	size_t n = 0;
	stdin_buffer();
	for (;;) {
		if (n == in_cap) {
			unsigned char *bigger = mremap(in_buf, in_cap, in_cap * 2, MREMAP_MAYMOVE);
			if (bigger == MAP_FAILED)
				break;
			in_buf = ferret__tc_buf = bigger;
			in_cap *= 2;
		}
		ssize_t r = read(0, in_buf + n, in_cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	in_len = (uint32_t)n;
}

/*
 * A persistent child under `ferret fuzz` whose harness reads stdin itself
 * (an __AFL_LOOP harness without __AFL_FUZZ_INIT): stdin becomes a memfd
 * that gets each input from the region, rewound. Three syscalls per input,
 * which only such harnesses pay.
 */
static void stdin_to_memfd(void)
{
	int fd = memfd_create("ferret-stdin", 0);
	if (fd < 0 || dup2(fd, 0) < 0)
		ferret__fatal("cannot give the persistent child a stdin");
	if (fd != 0)
		close(fd);
}

static void feed_stdin(void)
{
	uint32_t len = *ferret__tc_len;
	if (pwrite(0, ferret__tc_buf, len, 0) != (ssize_t)len || ftruncate(0, len) < 0 ||
	    lseek(0, 0, SEEK_SET) < 0)
		ferret__fatal("cannot write the test case to stdin");
}

/*
 * A private mapping as large as the counters, made once per child (pages
 * cost only when touched), where the instrumentation writes when what runs
 * belongs to no input: the warm-up pass of a child's first input and
 * whatever runs after its last one. NULL when the mapping fails.
 */
static uint8_t *scratch_counters(void)
{
	static uint8_t *scratch;
	if (!scratch) {
		/* the whole map, not map_bytes: a module loaded later may
		 * index up to its end (cov_guard.c) */
		size_t n = ferret__map_cap() > ferret__shm->map_bytes ? ferret__map_cap()
								      : ferret__shm->map_bytes;
		n = n ? n : 1;
		void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		scratch = p == MAP_FAILED ? NULL : p;
	}
	return scratch;
}

/* Points the counters (and value profile) at `map`, with its touch list,
 * and the compare flag at `cmp_flag`. */
static void counters_to(uint8_t *map, struct ferret_touch touch, volatile uint32_t *cmp_flag)
{
	if (ferret__vp)
		ferret__vp = map + (ferret__vp - ferret__map);
	ferret__map = map;
	ferret__touch = touch;
	ferret__cmp_flag = cmp_flag;
}

static volatile uint32_t cmp_off;

/*
 * Before the last input of a persistent child is reported: whatever runs
 * after the loop (the rest of main, exit handlers) must not land in that
 * input's counters, which the engine reads as soon as the report arrives;
 * if it did, the input's coverage would depend on who ran first, and a
 * seed would not replay its run. The counters, value profile and compare
 * flag move to the scratch mapping for the rest of the child's life. Best
 * effort: when the mapping fails, things stay as they were.
 */
static void detach_counters(void)
{
	uint8_t *p = scratch_counters();
	if (p)
		counters_to(p, ferret__touch_sink(), &cmp_off);
}

FERRET_EXPORT int ferret__loop(unsigned int max_iterations)
{
	return ferret__loop_input(max_iterations, 1);
}

/*
 * FERRET_LOOP and __AFL_LOOP. The first call starts the persistent server
 * of whichever fuzzer runs the program (ferret's, else AFL's) and returns
 * in its child. In a ferret child, each later call ends an input: report
 * it, then wait for the engine's next "run" word; after max_iterations
 * inputs the child flags a recycle and returns 0 so the program exits
 * normally and the server forks a fresh child. In an AFL child, each later
 * call stops the child (SIGSTOP) until afl-fuzz has the next input; after
 * max_iterations it returns 0 and the exit reports the last input. With
 * no fuzzer the body runs once.
 */
int ferret__loop_input(unsigned int max_iterations, int tc)
{
	static enum { FIRST, WARMUP, FERRET, AFL, DONE } state = FIRST;
	static unsigned int left;
	static int feed;
	static uint8_t *shared_map;

	if (state == FIRST) {
		left = max_iterations ? max_iterations : 1;
		if (ferret__attach() && getenv(FERRET_ENV_PERSISTENT))
			run_server(1);
		if (ferret__shm && persistent_server) {
			state = FERRET;
			if (!tc) {
				feed = 1;
				stdin_to_memfd();
				feed_stdin();
			}
			uint8_t *scratch = scratch_counters();
			if (scratch) { /* the warm-up pass (its end, below) */
				shared_map = ferret__map;
				counters_to(scratch, ferret__touch_sink(), &cmp_off);
				state = WARMUP;
			}
			return 1;
		}
		if (ferret__afl_persistent() && ferret__afl_server(1)) {
			/* what the child ran before its loop belongs to no input */
			memset(ferret__map, 0, ferret__map_used());
			*ferret__touch.n = 0;
			state = AFL;
			if (tc && !ferret__afl_tc_shm)
				load_stdin_testcase();
			return 1;
		}
		state = DONE;
		if (tc && !ferret__afl_tc_shm)
			load_stdin_testcase();
		return 1;
	}
	if (state == DONE)
		return 0;

	/*
	 * The end of the warm-up pass. A child's first input is run twice:
	 * once into the scratch counters, then again, as if it were a later
	 * input, into the shared ones, which the engine reads. Without it the
	 * first input of every child has another trace than the same input
	 * later in the same child: a compiler that rotates the loop (clang
	 * and gcc at -O1 and up) puts a block between FERRET_LOOP's return
	 * and the body that runs only from the second pass on, and gcc's
	 * edge history comes from the code before the loop on the first pass
	 * only. Calibration saw that as a variable edge, in every persistent
	 * target (stability 90 %, corpus_variable 1, where the fork server
	 * said 100 %). No report and no round trip: the engine still waits
	 * for this input; the input is in the region (or stdin) unchanged. It
	 * costs one more run per child (one in FERRET_LOOP's N); a crash or a
	 * hang of the first pass is the input's, as it would be later.
	 */
	if (state == WARMUP) {
		counters_to(shared_map, ferret__touch_live, &ferret__shm->cmp_on);
		state = FERRET;
		if (ferret__iter_hook)
			ferret__iter_hook();
		if (feed)
			feed_stdin();
		return 1;
	}

	if (state == AFL) {
		if (--left == 0) {
			ferret__afl_detach();
			state = DONE;
			return 0;
		}
		raise(SIGSTOP);
		if (ferret__iter_hook)
			ferret__iter_hook();
		if (tc && !ferret__afl_tc_shm)
			load_stdin_testcase();
		return 1;
	}

	if (left == 1)
		detach_counters();
	send_word(FERRET_ST_ITER | ferret__shm->run_seq);
	if (--left == 0) {
		ferret__shm->recycle = 1;
		state = DONE;
		return 0;
	}
	uint32_t cmd;
	if (!recv_word(&cmd) || (cmd & FERRET_TAG_MASK) != FERRET_CMD_RUN)
		_exit(0);
	ferret__shm->run_seq = cmd & FERRET_SEQ_MASK;
	ferret__shm->iterations++;
	if (ferret__iter_hook)
		ferret__iter_hook();
	if (feed)
		feed_stdin();
	return 1;
}
