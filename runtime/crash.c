/*
 * crash.c - where a fork-server child died: the first layer of crash
 * triage (issue 12). Before its first fork the server installs a handler
 * for each deadly signal (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT) that
 * the program has left at its default; a handler the program installs
 * later replaces ours, and then the engine gets no frames, only the
 * signal. On a crash the handler takes the thread's backtrace with glibc's
 * backtrace(), keeps the frames in the target's own code (ferret__own_pc:
 * not libc, libstdc++ or the loader), writes the signal and up to
 * FERRET_CRASH_FRAMES of them into the shared header and re-raises, so the
 * child still dies of its signal. The engine (src/triage.c) symbolizes
 * them. Nothing here runs per execution, and nothing outside ferret's
 * fork server (standalone, under afl-fuzz) installs anything.
 */
#include <execinfo.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>

#include "rt.h"

#define ALT_STACK_BYTES (64u * 1024u)
#define MAX_DEPTH 64

static const int deadly[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};

static void on_deadly(int sig, siginfo_t *si, void *uc)
{
	(void)si, (void)uc;
	struct ferret_shm *shm = ferret__shm;
	void *pcs[MAX_DEPTH];
	int n = shm ? backtrace(pcs, MAX_DEPTH) : 0;
	/* pcs[0] is this handler, then the signal trampoline (libc's
	 * __restore_rt): the frames that matter start after the first one
	 * outside our own code. The first of them is the faulting
	 * instruction; the others are return addresses, one past their call. */
	int i = 0;
	uint64_t rel;
	while (i < n && ferret__own_pc((uintptr_t)pcs[i], &rel))
		i++;
	uint32_t kept = 0;
	for (int first = i + 1; ++i < n && kept < FERRET_CRASH_FRAMES;) {
		uintptr_t pc = (uintptr_t)pcs[i] - (i == first ? 0 : 1);
		if (ferret__own_pc(pc, &rel))
			shm->crash_pc[kept++] = rel;
	}
	if (shm) {
		shm->crash_frames = kept;
		shm->crash_signal = (uint32_t)sig;
	}
	/* SA_RESETHAND put the default back; the signal stays blocked until
	 * we return, then kills the child (a fault also recurs) */
	raise(sig);
}

void ferret__crash_hook(void)
{
	void *warm[1];
	backtrace(warm, 1); /* loads libgcc_s now, not in a crashing child */
	stack_t ss = {.ss_size = ALT_STACK_BYTES};
	ss.ss_sp = mmap(NULL, ALT_STACK_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			-1, 0);
	int on_stack = ss.ss_sp != MAP_FAILED && sigaltstack(&ss, NULL) == 0;
	for (size_t k = 0; k < sizeof(deadly) / sizeof(deadly[0]); k++) {
		struct sigaction old, sa;
		if (sigaction(deadly[k], NULL, &old) != 0 || (old.sa_flags & SA_SIGINFO) ||
		    old.sa_handler != SIG_DFL)
			continue; /* the program's own handler stays */
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = on_deadly;
		sa.sa_flags = SA_SIGINFO | SA_RESETHAND | (on_stack ? SA_ONSTACK : 0);
		sigemptyset(&sa.sa_mask);
		sigaction(deadly[k], &sa, NULL);
	}
}
