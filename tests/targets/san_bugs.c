/* Three bugs a sanitizer reports, for crash triage (t4003): a heap
 * overflow (ASan) in heap_over() on 'H' and 8 bytes or more, a signed
 * overflow (UBSan) in add_over() on 'U', a NULL store in null_store() on
 * 'S' (a fault ASan reports). noinline keeps each bug in a frame of its
 * own at -O1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
__attribute__((noinline)) static int heap_over(const unsigned char *buf, size_t n)
{
	char *p = malloc(4);
	memcpy(p, buf, 4);
	int r = p[n]; /* heap-buffer-overflow READ 1 when n >= 4 */
	free(p);
	return r;
}
__attribute__((noinline)) static int add_over(int a)
{
	return a + INT_MAX; /* signed overflow when a > 0 */
}
__attribute__((noinline)) static void null_store(void)
{
	volatile int *volatile p = NULL;
	*p = 1;
}
int main(void)
{
	unsigned char buf[256];
	size_t n = fread(buf, 1, sizeof(buf), stdin);
	if (n >= 8 && buf[0] == 'H')
		return heap_over(buf, n);
	if (n >= 2 && buf[0] == 'U')
		return add_over(buf[1]);
	if (n >= 1 && buf[0] == 'S')
		null_store();
	return 0;
}
