/*
 * pingpong.c - what a round trip between two processes costs on this
 * machine: the floor under an out-of-process persistent loop (ferret fuzz,
 * AFL++), whose engine hands each input to the target and waits for its
 * verdict. The parent sends a word, the child answers it, N times; the
 * parent runs on CPU 0, the child on the CPU given.
 *
 *   cc -O2 -o /tmp/pingpong bench/pingpong.c
 *   /tmp/pingpong pipe 0    pipes, both on CPU 0 (ferret fuzz's protocol)
 *   /tmp/pingpong futex 0   a shared word and futex wait/wake
 *   /tmp/pingpong spin 1    a shared word, each side spinning (two CPUs)
 *
 * Prints round trips a second. Not run by make bench (bench/README.md,
 * "Time to first crash").
 */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <poll.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { N = 300000 };
enum mode { PIPE, FUTEX, SPIN };

static void pin(int cpu)
{
	cpu_set_t s;
	CPU_ZERO(&s);
	CPU_SET(cpu, &s);
	if (sched_setaffinity(0, sizeof(s), &s)) {
		perror("sched_setaffinity");
		exit(1);
	}
}

static void futex(_Atomic uint32_t *w, int op, uint32_t v)
{
	syscall(SYS_futex, w, op, v, NULL, NULL, 0);
}

/* Waits until *w is v: spinning, or sleeping on the futex while it is not. */
static void await(enum mode m, _Atomic uint32_t *w, uint32_t v)
{
	uint32_t now;
	while ((now = atomic_load(w)) != v)
		if (m == FUTEX)
			futex(w, FUTEX_WAIT, now);
}

static void post(enum mode m, _Atomic uint32_t *w, uint32_t v)
{
	atomic_store(w, v);
	if (m == FUTEX)
		futex(w, FUTEX_WAKE, 1);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: pingpong pipe|futex|spin CPU\n");
		return 2;
	}
	enum mode m = !strcmp(argv[1], "pipe") ? PIPE : !strcmp(argv[1], "futex") ? FUTEX : SPIN;
	int cpu = atoi(argv[2]);
	_Atomic uint32_t *w =
		mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int down[2], up[2];
	if (w == MAP_FAILED || pipe(down) || pipe(up)) {
		perror("pingpong");
		return 1;
	}
	pin(0);
	pid_t pid = fork();
	if (pid == 0) {
		pin(cpu);
		for (uint32_t i = 1; i <= N; i++) {
			uint32_t x;
			if (m == PIPE) {
				if (read(down[0], &x, 4) != 4 || write(up[1], &x, 4) != 4)
					_exit(1);
			} else {
				await(m, &w[0], i);
				post(m, &w[1], i);
			}
		}
		_exit(0);
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (uint32_t i = 1; i <= N; i++) {
		if (m == PIPE) {
			uint32_t x = i;
			struct pollfd p = {.fd = up[0], .events = POLLIN};
			if (write(down[1], &x, 4) != 4 || poll(&p, 1, 1000) != 1 ||
			    read(up[0], &x, 4) != 4)
				return 1;
		} else {
			post(m, &w[0], i);
			await(m, &w[1], i);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	waitpid(pid, NULL, 0);
	double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%s, child on CPU %d: %.0f round trips a second\n", argv[1], cpu, N / s);
	return 0;
}
