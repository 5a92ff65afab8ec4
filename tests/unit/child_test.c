/*
 * child_test.c - unit tests of src/exec/child.c, the one watcher of forked
 * children: the wait-status classification shared with target.c; each
 * limit (wall-time timeout, a stalled execution counter with time outside
 * inputs not counted, RSS, total budget plus grace) and each flag (died,
 * oom) gives its ending; a grandchild left sleeping, by a child that hangs
 * or by one that exits cleanly, is gone (killed and reaped) when
 * child_wait returns; SIGTERM to a watching process kills the watched
 * group before that process dies. Limits are a few hundred ms and every
 * assertion is on an ordering the watcher guarantees, never on luck.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"

/* What a test's children share with it. */
struct shared {
	volatile uint64_t exec_seq;
	volatile uint32_t running, died, oom;
	volatile pid_t pids[4]; /* grandchildren, as they report themselves */
	volatile uint32_t ready;
};

static struct shared *sh;
static char *volatile sink;

static int setup(void **state)
{
	(void)state;
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return -1;
	memset((void *)sh, 0, sizeof(*sh));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return munmap((void *)sh, sizeof(*sh));
}

static void hang(void)
{
	for (;;)
		pause();
}

/* Whether pid is gone: not even a zombie of ours or anyone's. */
static int gone(pid_t pid)
{
	return kill(pid, 0) < 0 && errno == ESRCH;
}

static void test_classify(void **state)
{
	(void)state;
	int code = -1;
	assert_int_equal(child_classify(0, &code), CHILD_EXITED);
	assert_int_equal(code, 0);
	assert_int_equal(child_classify(3 << 8, &code), CHILD_EXITED);
	assert_int_equal(code, 3);
	assert_int_equal(child_classify(CHILD_MSAN_EXIT_CODE << 8, &code), CHILD_SANITIZER);
	assert_int_equal(code, CHILD_MSAN_EXIT_CODE);
	assert_int_equal(child_classify(SIGSEGV, &code), CHILD_SIGNALED);
	assert_int_equal(code, SIGSEGV);
}

static void test_exit_and_signal(void **state)
{
	(void)state;
	struct child_watch w = {.timeout_ms = 10000};
	struct child c;
	char buf[128];
	if (child_fork(&c, &w) == 0)
		_exit(3);
	const struct child_result *r = child_wait(&c);
	assert_int_equal(r->end, CHILD_EXITED);
	assert_int_equal(r->exit_code, 3);
	assert_string_equal(child_describe(r, buf, sizeof(buf)), "exit 3");
	assert_int_equal(child_poll(&c), 1); /* again: nothing changes */

	if (child_fork(&c, &w) == 0)
		abort();
	r = child_wait(&c);
	assert_int_equal(r->end, CHILD_SIGNALED);
	assert_int_equal(r->signal, SIGABRT);
	assert_string_equal(child_describe(r, buf, sizeof(buf)), "signal 6 (SIGABRT)");
}

static void test_wall_timeout(void **state)
{
	(void)state;
	struct child_watch w = {.timeout_ms = 200};
	struct child c;
	char buf[128];
	if (child_fork(&c, &w) == 0)
		hang();
	const struct child_result *r = child_wait(&c);
	assert_int_equal(r->end, CHILD_TIMEOUT);
	assert_int_equal(r->signal, SIGKILL);
	assert_true(r->run_ms >= 200);
	assert_string_equal(child_describe(r, buf, sizeof(buf)), "timeout after 200 ms");
}

/* The deadline is on the counter: 30 inputs of 10 ms each (300 ms in all)
 * pass a 500 ms timeout, so does 600 ms outside any input; then one input
 * that stalls is killed. */
static void test_counter_timeout(void **state)
{
	(void)state;
	struct child_watch w = {
		.timeout_ms = 500, .exec_seq = &sh->exec_seq, .running = &sh->running};
	struct child c;
	if (child_fork(&c, &w) == 0) {
		usleep(600000); /* start-up: running is 0 */
		for (int i = 0; i < 30; i++) {
			sh->exec_seq++;
			sh->running = 1;
			usleep(10000);
			sh->running = 0;
		}
		sh->exec_seq++;
		sh->running = 1;
		hang();
	}
	const struct child_result *r = child_wait(&c);
	assert_int_equal(r->end, CHILD_TIMEOUT);
	assert_true(r->run_ms >= 600 + 300 + 500);
	assert_int_equal(sh->exec_seq, 31);
}

/* A child that hangs after starting a grandchild that sleeps: when the
 * watcher returns, the grandchild is gone too (killed with the group and
 * reaped, since the watcher is its subreaper). */
static void test_grandchild_of_hanging_child(void **state)
{
	(void)state;
	struct child_watch w = {.timeout_ms = 200};
	struct child c;
	pid_t pid = child_fork(&c, &w);
	if (pid == 0) {
		pid_t g = fork();
		if (g == 0) {
			sh->pids[0] = getpid();
			hang();
		}
		while (!sh->pids[0])
			usleep(1000);
		sh->ready = 1;
		hang();
	}
	const struct child_result *r = child_wait(&c);
	assert_int_equal(r->end, CHILD_TIMEOUT);
	assert_int_equal(sh->ready, 1); /* the timeout came after the grandchild started */
	assert_true(gone(sh->pids[0]));
	assert_true(gone(pid));
	assert_true(kill(-pid, 0) < 0 && errno == ESRCH); /* nothing left in the group */
}

/* A child that exits cleanly, leaving two generations behind it. */
static void test_grandchildren_of_clean_child(void **state)
{
	(void)state;
	struct child_watch w = {.timeout_ms = 10000};
	struct child c;
	pid_t pid = child_fork(&c, &w);
	if (pid == 0) {
		if (fork() == 0) {
			if (fork() == 0) {
				sh->pids[1] = getpid();
				hang();
			}
			sh->pids[0] = getpid();
			hang();
		}
		while (!sh->pids[0] || !sh->pids[1])
			usleep(1000);
		_exit(0);
	}
	const struct child_result *r = child_wait(&c);
	assert_int_equal(r->end, CHILD_EXITED);
	assert_int_equal(r->exit_code, 0);
	assert_true(gone(sh->pids[0]));
	assert_true(gone(sh->pids[1]));
	assert_true(kill(-pid, 0) < 0 && errno == ESRCH);
}

static void test_flags(void **state)
{
	(void)state;
	struct child_watch w = {.died = &sh->died, .oom = &sh->oom};
	struct child c;
	char buf[128];
	if (child_fork(&c, &w) == 0) {
		sh->died = 1;
		_exit(1);
	}
	const struct child_result *r = child_wait(&c);
	assert_int_equal(r->end, CHILD_SANITIZER);
	assert_string_equal(child_describe(r, buf, sizeof(buf)), "sanitizer report, exit 1");

	sh->died = 0;
	if (child_fork(&c, &w) == 0) {
		sh->oom = 1;
		_exit(77);
	}
	r = child_wait(&c);
	assert_int_equal(r->end, CHILD_OOM);
	assert_int_equal(r->exit_code, 77);
	assert_int_equal(r->rss_mb, 0);
}

static void test_rss_limit(void **state)
{
	(void)state;
	struct child_watch w = {.rss_mb = 16, .timeout_ms = 20000};
	struct child c;
	if (child_fork(&c, &w) == 0) {
		size_t n = 64u << 20;
		char *p = malloc(n);
		if (!p)
			_exit(2);
		memset(p, 1, n);
		sink = p; /* or the compiler drops the allocation */
		hang();
	}
	const struct child_result *r = child_wait(&c);
	assert_int_equal(r->end, CHILD_OOM);
	assert_true(r->rss_mb > 16);
	assert_int_equal(r->limit, 16);
}

static void test_overtime(void **state)
{
	(void)state;
	struct child_watch w = {.total_ms = 100, .grace_ms = 200};
	struct child c;
	if (child_fork(&c, &w) == 0)
		hang();
	const struct child_result *r = child_wait(&c);
	assert_int_equal(r->end, CHILD_OVERTIME);
	assert_true(r->run_ms >= 300);
	assert_int_equal(r->limit, 300);
}

/* SIGTERM to a process watching a child: the watched group dies (SIGKILL)
 * before the watcher does, and the watcher dies of SIGTERM as before. */
static void test_stop_signal_kills_group(void **state)
{
	(void)state;
	/* the watched child's orphans must come back to this process */
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), 0);
	pid_t watcher = fork();
	if (watcher == 0) {
		struct child_watch w = {.timeout_ms = 60000};
		struct child c;
		pid_t pid = child_fork(&c, &w);
		if (pid == 0) {
			if (fork() == 0) {
				sh->pids[1] = getpid();
				hang();
			}
			hang();
		}
		sh->pids[0] = pid;
		child_wait(&c);
		_exit(0); /* not reached */
	}
	while (!sh->pids[0] || !sh->pids[1])
		usleep(1000);
	assert_int_equal(kill(watcher, SIGTERM), 0);
	int status;
	assert_int_equal(waitpid(watcher, &status, 0), watcher);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGTERM);
	/* The watched child and its child were SIGKILLed; orphans now, they
	 * came back to this process. */
	int st;
	assert_int_equal(waitpid(sh->pids[0], &st, 0), sh->pids[0]);
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	assert_int_equal(waitpid(sh->pids[1], &st, 0), sh->pids[1]);
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_classify),
		T(test_exit_and_signal),
		T(test_wall_timeout),
		T(test_counter_timeout),
		T(test_grandchild_of_hanging_child),
		T(test_grandchildren_of_clean_child),
		T(test_flags),
		T(test_rss_limit),
		T(test_overtime),
		T(test_stop_signal_kills_group),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
