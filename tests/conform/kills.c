/* Conformance (t5012): a merge killed midway. On an input starting with
 * 'K', when the environment variable KILL_ONCE names a file that does not
 * exist yet, creates it and SIGKILLs the outermost process running this
 * same program (the merge itself, above any process it runs inputs in),
 * then itself; otherwise a few branches, as quiet.c. */
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The parent of process pid, from /proc (0 when unknown). */
static pid_t parent_of(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	char *p = strrchr(buf, ')');
	int ppid = 0;
	if (!p || sscanf(p + 1, " %*c %d", &ppid) != 1)
		return 0;
	return (pid_t)ppid;
}

static int same_program(pid_t pid, const char *self)
{
	char path[64], exe[4096];
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	ssize_t n = readlink(path, exe, sizeof(exe) - 1);
	if (n < 0)
		return 0;
	exe[n] = 0;
	return !strcmp(exe, self);
}

static volatile int sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *once = getenv("KILL_ONCE");
	if (size && data[0] == 'K' && once) {
		int fd = open(once, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd >= 0) {
			char self[4096];
			ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
			self[n > 0 ? n : 0] = 0;
			pid_t top = getpid();
			for (pid_t p = parent_of(top); p > 1; p = parent_of(p))
				if (same_program(p, self))
					top = p;
			kill(top, SIGKILL);
			raise(SIGKILL);
		}
	}
	if (size > 0 && data[0] == 'a')
		sink++;
	if (size > 1 && data[1] == 'b')
		sink += 2;
	if (size > 2)
		sink += 3;
	return 0;
}
