/*
 * cpu.h - binds the engine (and so the target it forks) to one free CPU,
 * as AFL does. Engine and target then hand the baton back and forth on one
 * core: a pipe write wakes the other side without an inter-processor
 * interrupt, which on a VM is most of the cost of a round trip (measured
 * here: persistent mode 22 K/s unbound, 150 K/s bound).
 */
#ifndef FERRET_CPU_H
#define FERRET_CPU_H

/*
 * Binds the calling process to a CPU no other ferret instance holds. A CPU
 * is held through an flock()ed file /tmp/.ferret-cpu-N.lock (the directory
 * is $FERRET_CPU_LOCK_DIR when set) kept open for the life of the process;
 * never through a symlink, read-only, so it serves every user. want >= 0
 * asks for that CPU only. Returns the CPU, or -1 when none is free or
 * binding failed (the caller goes on unbound).
 */
int cpu_bind(int want);

/* The CPUs this process may run on whose lock no ferret holds right now
 * (only_allowed: all it may run on, held or not), for `-j 0`. A count,
 * not a reservation: each instance then takes its CPU with cpu_bind. */
int cpu_count_free(int only_allowed);

#endif
