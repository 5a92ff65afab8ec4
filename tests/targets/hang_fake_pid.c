/* Fork server, hostile: an input starting with 'H' writes the pid in
 * $HOSTILE_VICTIM into the shared region's child_pid (the field the fork
 * server fills after each fork) and then hangs. On the timeout ferret must
 * kill the child that hangs, not whatever process that pid names
 * (tests/e2e/t1006-hostile.sh). Built with -I common for proto.h. */
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "proto.h"

int main(void)
{
	unsigned char c = 0;
	if (read(0, &c, 1) != 1 || c != 'H')
		return 0;
	const char *victim = getenv("HOSTILE_VICTIM");
	struct ferret_shm *h = mmap(NULL, FERRET_SHM_HDR_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED,
				    FERRET_SHM_FD, 0);
	if (victim && h != MAP_FAILED)
		h->child_pid = atoi(victim);
	for (;;)
		pause();
}
