/*
 * cpu.c - picks and binds a free CPU (see cpu.h). Instances coordinate
 * through lock files rather than by scanning /proc for other processes'
 * affinity as AFL does: a lock dies with its holder, so a crashed instance
 * never keeps a CPU reserved.
 */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <sys/file.h>
#include <unistd.h>

#include "cpu.h"
#include "banned.h"

static int try_cpu(int cpu)
{
	char path[64];
	snprintf(path, sizeof(path), "/tmp/.ferret-cpu-%d.lock", cpu);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
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
