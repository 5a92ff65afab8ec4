/* grandchild.h - what lf_grandchild.c and smith_hang.c do when they hang:
 * fork a child that records "PID PGID" in the file the environment
 * variable env names (for the e2e tests' assert_none_left), waits for it to
 * have written, then sleep forever (a hang is the same to a watcher of
 * wall time, and costs the test suite no CPU). The child sleeps until
 * killed too, so a watcher that kills only its own child leaves it
 * behind. */
#ifndef GRANDCHILD_H
#define GRANDCHILD_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

__attribute__((noreturn)) static void hang_with_grandchild(const char *env)
{
	int fds[2];
	if (pipe(fds) < 0)
		abort();
	if (fork() == 0) {
		const char *path = getenv(env);
		FILE *f = path ? fopen(path, "a") : NULL;
		if (f) {
			fprintf(f, "%d %d\n", (int)getpid(), (int)getpgrp());
			fclose(f);
		}
		(void)!write(fds[1], "x", 1);
		for (;;)
			pause();
	}
	char c;
	(void)!read(fds[0], &c, 1);
	for (;;)
		pause();
}

#endif
