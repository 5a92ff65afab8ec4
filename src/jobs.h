/*
 * jobs.h - `ferret fuzz -j N`: N instances of the one `ferret fuzz` loop on
 * one output directory, run and stopped as one command (issue 15).
 *
 * The process that parses the command line becomes a supervisor: it forks
 * instance 1 as "-M main" and instances 2..N as "-S s2".."-S sN", each in a
 * process group of its own, each binding its own free CPU (cpu.h's lock
 * files make the choice distinct) and seeded from the user's -s and its
 * index. The instances sync as hand-started -M/-S ones do (fuzz.c); they
 * publish their numbers a few times a second in a shared slot (below),
 * and the supervisor draws one status screen (ui.c) or prints one status
 * line for all. It forwards SIGINT/SIGTERM/SIGHUP, stops the others when
 * one ends with an error, and returns only when every instance has been
 * reaped; an instance whose supervisor dies gets SIGTERM (PDEATHSIG).
 *
 * What it does not own: fuzzing, syncing and the files of an instance
 * (fuzz.c, store.c), drawing (ui.c), choosing a CPU (cpu.c).
 */
#ifndef FERRET_JOBS_H
#define FERRET_JOBS_H

#include <stdatomic.h>
#include <stdint.h>

#include "fuzz.h"
#include "stats.h"
#include "ui.h"

/*
 * One instance's numbers, in memory shared with the supervisor: a
 * sequence lock (odd while being written) over a copy of its stats and
 * its screen's view, string pointers cleared (they point into the
 * instance's memory). An instance writes it through its fuzz_opts'
 * publish hook, a few times a second.
 */
struct jobs_slot {
	atomic_uint seq;
	struct stats s;
	struct ui_view v;
	int cpu; /* the CPU it is bound to, -1: none */
};

/*
 * The seed of instance k (1 = main) from the user's seed: k = 1 keeps it,
 * so `-s 7 -j 1` is the run of `-M main -s 7`; the others get
 * seed ^ (k - 1) * 0xd1b54a32d192ed03 (an odd constant that splitmix64,
 * which seeds the rng, does not add, so no two instances share a stream).
 */
uint64_t jobs_seed(uint64_t seed, unsigned k);

/*
 * Runs o->jobs instances (0: one per free CPU) and supervises them; each
 * runs instance(opts) in its own process (which installs its own signal
 * handling and calls fuzz_run). Dies with one line on a setup error before
 * anything starts; returns the exit status a single instance would have:
 * 0, the first failing instance's status, or 128 + the signal when a
 * second signal killed them.
 */
int jobs_run(const struct fuzz_opts *o, int (*instance)(const struct fuzz_opts *));

#endif
