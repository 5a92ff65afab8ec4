/*
 * smith_hang.c - a FERRET_TEST that hangs, for the watcher (t6007):
 * hang_on_7 asks one value (label "hang", 0..9). On 7 it starts a
 * grandchild that sleeps forever, waits until that one has appended
 * "PID PGID" to the file named by $SMITH_HANG_PIDS, then spins forever.
 * Any other value passes, and so does the empty stream (its value is 0).
 */
#include <ferret.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static volatile unsigned long spin;

FERRET_TEST(hang_on_7, s)
{
	if (ferret_range_l(s, "hang", 0, 9) != 7)
		return;
	int fds[2];
	if (pipe(fds) < 0)
		abort();
	if (fork() == 0) {
		const char *path = getenv("SMITH_HANG_PIDS");
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
		spin++;
}
