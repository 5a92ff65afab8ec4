/* Fork-server mode, hostile: an input starting with 'X' SIGKILLs the
 * process that forked it (the fork server), one starting with 'D' closes
 * the protocol's descriptors and puts /dev/null in their place, 'A'
 * aborts. ferret must save 'X' and 'D' as findings, start a new server and
 * go on (tests/e2e/t1006-hostile.sh). */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

int main(void)
{
	unsigned char c = 0;
	if (read(0, &c, 1) != 1)
		return 0;
	if (c == 'X')
		kill(getppid(), SIGKILL);
	if (c == 'D') {
		int fd = open("/dev/null", O_RDWR);
		for (int k = 198; k < 204; k++)
			dup2(fd, k);
	}
	if (c == 'A')
		abort();
	return 0;
}
