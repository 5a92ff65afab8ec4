/* Two crash sites with the same signal, for `ferret tmin` (t4001): abort()
 * in bug_one() when stdin starts with "BUG!", abort() in bug_two() when a
 * '!' comes anywhere else. Cutting "BUG" from "BUG!..." still aborts, but
 * in the other function: another bug, which tmin must not shrink into. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__attribute__((noinline)) static void bug_one(void)
{
	abort();
}

__attribute__((noinline)) static void bug_two(void)
{
	abort();
}

int main(void)
{
	char buf[256];
	ssize_t n = read(0, buf, sizeof(buf));
	if (n >= 4 && !memcmp(buf, "BUG!", 4))
		bug_one();
	if (n > 0 && memchr(buf, '!', (size_t)n))
		bug_two();
	return 0;
}
