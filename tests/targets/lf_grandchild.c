/*
 * lf_grandchild.c - libFuzzer harness that leaves a process behind and
 * hangs (for the watcher's process-group kill, t5008): when the input
 * starts with 'G' it starts a child that sleeps forever, waits until that
 * child has appended "PID PGID" to the file named by $LF_GRANDCHILD_PIDS,
 * then spins forever. Other inputs return at once; "CRASH" aborts (for
 * artifacts).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile unsigned long spin;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 5 && !memcmp(data, "CRASH", 5))
		abort();
	if (size < 1 || data[0] != 'G')
		return 0;
	int fds[2];
	if (pipe(fds) < 0)
		abort();
	if (fork() == 0) {
		const char *path = getenv("LF_GRANDCHILD_PIDS");
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
