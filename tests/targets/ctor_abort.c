/* Built with ferret-cc, but it aborts in a constructor that runs before
 * the runtime's (priority 101 runs first), so its fork server never
 * starts: ferret must say that, not "not instrumented" (t3003). */
#include <stdlib.h>

__attribute__((constructor(101))) static void early(void)
{
	abort();
}

int main(void)
{
	return 0;
}
