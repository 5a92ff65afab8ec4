/*
 * afl.c - a ferret-cc program run by afl-fuzz: AFL++'s coverage map and
 * fork server, and the run-time half of AFL++'s harness macros
 * (include/ferret-afl.h).
 *
 * AFL mode is chosen when the program has no ferret engine (FERRET env) but
 * has __AFL_SHM_ID and an open fd 199. The counters then point straight at
 * AFL's System V segment: guards are numbered 1..N, so when N+1 counters fit
 * in the segment (8 MiB as afl-fuzz 4.04c allocates it before it learns the
 * target's size) the instrumentation writes AFL's map with no copy, and
 * the handshake reports what the map needs (at least 64) so afl-fuzz scans
 * only that.
 * The protocol is the option-word one of afl-fuzz 4.04c (FS_OPT_*), which
 * later afl-fuzz versions still accept: one status word (map size, shared
 * test cases), the fuzzer's reply when shared test cases are offered, then
 * per input: was_killed in, child pid and wait status out. Persistent
 * children stop themselves with SIGSTOP between inputs (forkserver.c's
 * loop) and the server continues them. Nothing here runs per input except
 * the protocol's own reads, writes, fork or kill.
 * It does not own the start-ups or the loop (forkserver.c) nor ferret's
 * protocol, which always wins when both are present.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include "afl.h"
#include "afl_proto.h"

/* Defined (weak) by __AFL_FUZZ_INIT() and __AFL_COVERAGE() in the program. */
extern int ferret__afl_tc __attribute__((weak));
extern int ferret__afl_cov_sel __attribute__((weak));

int ferret__afl_tc_shm;
static int afl_mode;
static uint8_t *off_map;                /* where counters go while coverage is off */
static uint8_t *saved_map;              /* the live map while coverage is off */
static struct ferret_touch saved_touch; /* and its touch list */

static int send_word(uint32_t w)
{
	return write(AFL_ST_FD, &w, sizeof(w)) == (ssize_t)sizeof(w);
}

static int recv_word(uint32_t *w)
{
	ssize_t n;
	do
		n = read(AFL_CTL_FD, w, sizeof(*w));
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof(*w);
}

/* Fails the handshake: afl-fuzz prints the message it has for `err`. */
static void afl_fail(uint32_t err, const char *msg)
{
	send_word(AFL_OPT_ERROR | AFL_OPT_SET_ERROR(err));
	ferret__fatal(msg);
}

static void *shm_attach(const char *env, size_t *bytes)
{
	const char *id = getenv(env);
	char *end;
	long n = id ? strtol(id, &end, 10) : -1;
	if (!id || !*id || *end || n < 0)
		return NULL;
	struct shmid_ds ds;
	if (shmctl((int)n, IPC_STAT, &ds) < 0)
		return NULL;
	void *p = shmat((int)n, NULL, 0);
	if (p == (void *)-1)
		return NULL;
	*bytes = ds.shm_segsz;
	return p;
}

int ferret__afl_attach(void)
{
	static int tried;
	if (tried)
		return afl_mode;
	tried = 1;
	if (!getenv(AFL_ENV_SHM) || fcntl(AFL_ST_FD, F_GETFD) < 0)
		return 0;
	size_t bytes;
	uint8_t *map = shm_attach(AFL_ENV_SHM, &bytes);
	if (!map)
		afl_fail(AFL_ERROR_SHMAT, "cannot attach AFL's coverage map (__AFL_SHM_ID)");
	if (ferret__map_used() > bytes || ferret__map_used() > AFL_OPT_MAX_MAP_BYTES)
		afl_fail(AFL_ERROR_MAP_SIZE, "more edges than AFL's coverage map holds");
	ferret__map_adopt(map, bytes);
	afl_mode = 1;
	return 1;
}

int ferret__afl_persistent(void)
{
	return afl_mode && getenv(AFL_ENV_PERSISTENT);
}

int ferret__afl_deferred(void)
{
	return afl_mode && getenv(AFL_ENV_DEFER);
}

/* The handshake. Offers shared test cases when the program reads them
 * (__AFL_FUZZ_INIT) and afl-fuzz made a segment for them; afl-fuzz
 * answers an offer with ENABLED|SHDMEM_FUZZ. */
static int handshake(void)
{
	size_t used = ferret__map_used();
	uint32_t status = AFL_OPT_ENABLED | AFL_OPT_MAPSIZE |
			  AFL_OPT_SET_MAPSIZE((uint32_t)(used < 64 ? 64 : used));
	int offer = ferret__afl_uses_tc() && getenv(AFL_ENV_SHM_FUZZ);
	if (offer)
		status |= AFL_OPT_SHDMEM_FUZZ;
	if (!send_word(status))
		return 0;
	if (!offer)
		return 1;
	uint32_t reply;
	if (!recv_word(&reply))
		_exit(1);
	if ((reply & (AFL_OPT_ENABLED | AFL_OPT_SHDMEM_FUZZ)) ==
	    (AFL_OPT_ENABLED | AFL_OPT_SHDMEM_FUZZ)) {
		size_t bytes;
		uint8_t *tc = shm_attach(AFL_ENV_SHM_FUZZ, &bytes);
		if (!tc || bytes < sizeof(uint32_t) + 1)
			ferret__fatal("cannot attach AFL's test-case memory (__AFL_SHM_FUZZ_ID)");
		ferret__tc_len = (uint32_t *)tc;
		ferret__tc_buf = tc + sizeof(uint32_t);
		ferret__afl_tc_shm = 1;
	}
	return 1;
}

int ferret__afl_server(int persistent)
{
	ferret__modules_scan(); /* before the first fork: children inherit it */
	static int started, in_child;
	if (started || !afl_mode)
		return in_child;
	started = 1;
	if (!handshake())
		return 0; /* nobody listening: run standalone */

	pid_t child = -1;
	int stopped = 0, status;
	for (;;) {
		uint32_t was_killed;
		if (!recv_word(&was_killed))
			_exit(0);
		if (stopped && was_killed) {
			/* afl-fuzz killed the stopped child (a timeout) */
			stopped = 0;
			while (waitpid(child, &status, 0) < 0)
				if (errno != EINTR)
					_exit(1);
		}
		if (!stopped) {
			pid_t server = getpid();
			child = fork();
			if (child < 0)
				_exit(1);
			if (child == 0) {
				prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
				if (getppid() != server)
					_exit(FERRET_RT_EXIT);
				close(AFL_CTL_FD);
				close(AFL_ST_FD);
				ferret__afl_child_start();
				in_child = 1;
				return 1;
			}
		} else {
			kill(child, SIGCONT);
			stopped = 0;
		}
		if (!send_word((uint32_t)child))
			_exit(1);
		while (waitpid(child, &status, persistent ? WUNTRACED : 0) < 0)
			if (errno != EINTR)
				_exit(1);
		if (WIFSTOPPED(status))
			stopped = 1;
		if (!send_word((uint32_t)status))
			_exit(1);
	}
}

/* A private buffer as large as the map itself, made once: a module
 * loaded later may index up to the map's end (cov_guard.c); pages cost
 * only when touched. */
static uint8_t *private_map(void)
{
	if (!off_map) {
		size_t n = ferret__map_cap() > ferret__map_used() ? ferret__map_cap()
								  : ferret__map_used();
		n = n ? n : 64;
		void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			ferret__fatal("cannot map a private coverage buffer");
		off_map = p;
	}
	return off_map;
}

void ferret__afl_detach(void)
{
	ferret__map = private_map();
	ferret__touch = ferret__touch_sink();
	saved_map = NULL;
}

/* ----- AFL++'s harness macros (include/ferret-afl.h) --------------------- */

/* __AFL_LOOP: the harness reads __AFL_FUZZ_TESTCASE_BUF/LEN when it used
 * __AFL_FUZZ_INIT(), stdin otherwise. */
FERRET_EXPORT int ferret__afl_loop(unsigned int max_iterations)
{
	return ferret__loop_input(max_iterations, ferret__afl_uses_tc());
}

/* Selective coverage. While off, counters land in a private buffer; the
 * live map (ferret's region or AFL's) waits in saved_map. */

FERRET_EXPORT void ferret__afl_cov_off(void)
{
	if (saved_map)
		return;
	uint8_t *off = private_map();
	if (ferret__map == off)
		return;
	saved_map = ferret__map;
	saved_touch = ferret__touch;
	ferret__map = off;
	ferret__touch = ferret__touch_sink();
}

FERRET_EXPORT void ferret__afl_cov_on(void)
{
	if (!saved_map)
		return;
	ferret__map = saved_map;
	ferret__touch = saved_touch;
	saved_map = NULL;
}

/* Forgets the coverage of the current input so far. */
FERRET_EXPORT void ferret__afl_cov_discard(void)
{
	uint8_t *live = saved_map ? saved_map : ferret__map;
	memset(live, 0, ferret__map_used());
	*(saved_map ? saved_touch : ferret__touch).n = 0; /* nothing is touched now */
}

/* The current input is not interesting, whatever it does from here. */
FERRET_EXPORT void ferret__afl_cov_skip(void)
{
	ferret__afl_cov_discard();
	ferret__afl_cov_off();
}

int ferret__afl_uses_tc(void)
{
	return &ferret__afl_tc != NULL;
}

void ferret__afl_child_start(void)
{
	if (&ferret__afl_cov_sel != NULL)
		ferret__afl_cov_off();
}
