/*
 * count.c - counts the executions of a FERRET_TEST up to its first failure,
 * for bench/hypothesis.sh. Linked into the test binary with
 * -Wl,--wrap=ferret__register -Wl,--wrap=ferret__fail: the registration of
 * the binary's first test swaps in a trampoline that counts each run, and
 * the first failing FERRET_ASSERT stops the count. With HYP_COUNT_FILE set
 * the counts live in that file, mapped shared, so the supervisor and its
 * forked workers add to one counter (as bench/structured_count.c does):
 *   bytes 0..7   executions so far (u64, native endian)
 *   bytes 8..15  the execution that failed first, 0 if none
 * Shrinking after the failure is not counted. Without HYP_COUNT_FILE the
 * test runs unchanged.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <ferret.h>

void __real_ferret__register(const char *name, ferret_test_fn fn, const char *file, int line);
void __real_ferret__fail(const char *file, int line, const char *cond) __attribute__((noreturn));

static volatile uint64_t *count;
static ferret_test_fn counted_fn;

static void count_open(void)
{
	const char *path = getenv("HYP_COUNT_FILE");
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

static void counting_test(ferret_smith *s)
{
	if (count && !count[1])
		count[0]++;
	counted_fn(s);
}

void __wrap_ferret__register(const char *name, ferret_test_fn fn, const char *file, int line)
{
	if (!counted_fn) { /* the first test only: one trampoline */
		count_open();
		counted_fn = fn;
		fn = counting_test;
	}
	__real_ferret__register(name, fn, file, line);
}

void __wrap_ferret__fail(const char *file, int line, const char *cond)
{
	if (count && !count[1])
		count[1] = count[0];
	__real_ferret__fail(file, line, cond);
}
