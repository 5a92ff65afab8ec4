/*
 * cpu.c - picks and binds a free CPU (see cpu.h). Instances coordinate
 * through lock files rather than by scanning /proc for other processes'
 * affinity as AFL does: a lock dies with its holder, so a crashed instance
 * never keeps a CPU reserved.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <unistd.h>

#include "cpu.h"
#include "banned.h"

/*
 * The lock file of cpu, opened for flock. Another user's ferret shares it,
 * so it lives in a shared directory (/tmp, or $FERRET_CPU_LOCK_DIR); in
 * such a directory nothing is trusted: a symlink planted there is never
 * followed (O_NOFOLLOW), and the file is opened read-only (flock needs no
 * more), so one created by root with mode 0644 still serves everyone. A
 * file another user owns in a sticky directory cannot be opened with
 * O_CREAT under protected_regular: then it is opened as it is.
 */
static int open_lock(int cpu)
{
	char path[4096];
	const char *dir = getenv("FERRET_CPU_LOCK_DIR");
	snprintf(path, sizeof(path), "%s/.ferret-cpu-%d.lock", dir && *dir ? dir : "/tmp", cpu);
	int fd = open(path, O_RDONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 && errno == EACCES)
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	return fd;
}

static int try_cpu(int cpu)
{
	int fd = open_lock(cpu);
	if (fd < 0)
		return 0;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		return 0;
	}
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0) {
		close(fd);
		return 0;
	}
	return 1; /* fd stays open: the lock lasts as long as we do */
}

int cpu_bind(int want)
{
	cpu_set_t allowed;
	if (sched_getaffinity(0, sizeof(allowed), &allowed) < 0)
		return -1;
	if (want >= 0)
		return want < CPU_SETSIZE && CPU_ISSET(want, &allowed) && try_cpu(want) ? want : -1;
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &allowed) && try_cpu(cpu))
			return cpu;
	return -1;
}

int cpu_count_free(int only_allowed)
{
	cpu_set_t allowed;
	if (sched_getaffinity(0, sizeof(allowed), &allowed) < 0)
		return 1;
	int n = 0;
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &allowed))
			continue;
		if (only_allowed) {
			n++;
			continue;
		}
		int fd = open_lock(cpu);
		if (fd < 0)
			continue;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			n++; /* free: closing the file lets the lock go */
		close(fd);
	}
	return n;
}
