/*
 * deque_count.c - counts executions to the bug the same way for every engine.
 * Linked into each bench/deque.sh build with -Wl,--wrap=deque_init
 * -Wl,--wrap=abort: every test run calls deque_init() once, and the model
 * check fails through abort() (FERRET_ASSERT calls it too). With
 * DEQUE_COUNT_FILE set, the counts live in that file, mapped shared, so a
 * supervisor and its forked workers add to one counter:
 *   bytes 0..7   executions so far (u64, native endian)
 *   bytes 8..15  the execution that first called abort(), 0 if none
 * After the first abort() the counter stops, so ferret's shrinking runs after
 * the crash do not count. Without DEQUE_COUNT_FILE it does nothing.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "deque.h"

void __real_deque_init(struct deque *d);
void __real_abort(void) __attribute__((noreturn));

static volatile uint64_t *count;

__attribute__((constructor)) static void count_open(void)
{
	const char *path = getenv("DEQUE_COUNT_FILE");
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

void __wrap_deque_init(struct deque *d)
{
	if (count && !count[1])
		count[0]++;
	__real_deque_init(d);
}

void __wrap_abort(void)
{
	if (count && !count[1])
		count[1] = count[0];
	__real_abort();
}
