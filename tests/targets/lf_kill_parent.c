/*
 * lf_kill_parent.c - libFuzzer harness for the supervisor's signals and
 * its death (t5010). With $LF_KILL_PARENT set, an input starting with "KILL"
 * SIGKILLs the process's parent (in ferret, the supervisor) and returns
 * 100 ms later; each byte
 * towards it is a branch of its own, and the first byte picks among a few
 * more, so fuzzing finds new entries before it gets there.
 * Every process that runs an input records "PID PGID" once in the file
 * $LF_KILL_PARENT_PIDS (the worker, merge workers, a process re-running
 * an input), for assert_none_left. With $LF_SLOW_MS each input sleeps that
 * many milliseconds, so a signal lands while a run is under way.
 */
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static volatile int sink;

static void record(void)
{
	static pid_t done;
	if (done == getpid())
		return;
	done = getpid();
	const char *path = getenv("LF_KILL_PARENT_PIDS");
	FILE *f = path ? fopen(path, "a") : NULL;
	if (f) {
		fprintf(f, "%d %d\n", (int)getpid(), (int)getpgrp());
		fclose(f);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int slow_ms = -1;
	record();
	if (slow_ms < 0)
		slow_ms = getenv("LF_SLOW_MS") ? (int)strtol(getenv("LF_SLOW_MS"), NULL, 10) : 0;
	if (slow_ms > 0)
		usleep((useconds_t)slow_ms * 1000);
	if (size < 1)
		return 0;
	/* one branch per byte: each step towards "KILL" is a new entry */
	if (size >= 4 && data[0] == 'K') {
		sink++;
		if (data[1] == 'I') {
			sink++;
			if (data[2] == 'L') {
				sink++;
				if (data[3] == 'L' && getenv("LF_KILL_PARENT")) {
					/* and goes on for 100 ms: the parent's
					 * death is noticed during this input */
					kill(getppid(), SIGKILL);
					usleep(100000);
				}
			}
		}
	}
	switch (data[0] >> 5) {
	case 1:
		sink += size > 2 ? 1 : 2;
		break;
	case 2:
		sink += size > 3 ? 3 : 4;
		break;
	case 3:
		sink += 5;
		break;
	case 5:
		sink += 6;
		break;
	}
	return 0;
}
