/* Fork server, hostile: an input starting with 'F' forks a child that
 * leaves the process group and the session (setsid), appends its pid to
 * the file $ORPHAN_PIDS and sleeps; the input itself returns at once. No
 * such process may outlive ferret (tests/e2e/t1006-hostile.sh). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void)
{
	unsigned char c = 0;
	if (read(0, &c, 1) != 1 || c != 'F')
		return 0;
	if (fork() == 0) {
		setsid();
		const char *path = getenv("ORPHAN_PIDS");
		FILE *f = path ? fopen(path, "a") : NULL;
		if (f) {
			fprintf(f, "%d\n", (int)getpid());
			fclose(f);
		}
		sleep(300);
		_exit(0);
	}
	return 0;
}
