/*
 * structured_count.c - counts executions to the bug the same way for every
 * engine, for bench/structured.sh. Built with -DCOUNT_DEQUE or -DCOUNT_LEASE
 * and linked into each build with -Wl,--wrap=deque_init (or lease_init)
 * -Wl,--wrap=abort: every test run, FERRET_TEST or byte harness, calls the
 * example's init function once, and the model check fails through abort()
 * (FERRET_ASSERT calls it too). With STRUCT_COUNT_FILE set, the counts live
 * in that file, mapped shared, so a supervisor and its forked workers add
 * to one counter:
 *   bytes 0..7   executions so far (u64, native endian)
 *   bytes 8..15  the execution that first called abort(), 0 if none
 * After the first abort() the counter stops, so ferret's shrinking runs after
 * the crash do not count. Without STRUCT_COUNT_FILE it does nothing.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

static volatile uint64_t *count;

__attribute__((constructor)) static void count_open(void)
{
	const char *path = getenv("STRUCT_COUNT_FILE");
	if (!path || !*path)
		return;
	int fd = open(path, O_RDWR | O_CREAT, 0644);
	if (fd < 0 || ftruncate(fd, 16))
		return;
	void *p = mmap(NULL, 16, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p != MAP_FAILED)
		count = p;
}

static void count_run(void)
{
	if (count && !count[1])
		count[0]++;
}

#if defined(COUNT_DEQUE)
#include "deque.h"

void __real_deque_init(struct deque *d);

void __wrap_deque_init(struct deque *d)
{
	count_run();
	__real_deque_init(d);
}
#elif defined(COUNT_LEASE)
#include "lease.h"

void __real_lease_init(struct lease *c, uint32_t seed, uint64_t now_s);

void __wrap_lease_init(struct lease *c, uint32_t seed, uint64_t now_s)
{
	count_run();
	__real_lease_init(c, seed, now_s);
}
#else
#error "build with -DCOUNT_DEQUE or -DCOUNT_LEASE"
#endif

void __real_abort(void) __attribute__((noreturn));

void __wrap_abort(void)
{
	if (count && !count[1])
		count[1] = count[0];
	__real_abort();
}
