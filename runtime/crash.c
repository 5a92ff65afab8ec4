/*
 * crash.c - where a fork-server child died: what crash triage (issue 12,
 * src/triage.c) needs from inside the target. Before its first fork the
 * server installs a handler for each deadly signal (SIGSEGV, SIGBUS,
 * SIGILL, SIGFPE, SIGABRT). Where the program has left the default, the
 * handler records and re-raises, so the child still dies of its signal.
 * Where a sanitizer's runtime handles the signal (ASan and UBSan install
 * their handlers before main), ours records and then calls theirs, which
 * reports and ends the child; should the handler return (a program's own
 * handler of recoverable faults, installed before the fork server), the
 * capture is dropped. Any other handler the program installed stays
 * alone, as does one it installs later: then the engine gets no frames,
 * only the signal. A sanitizer's report that is no signal (a heap
 * overflow, an integer overflow) is caught by its death callback, which
 * also takes the sanitizer's name for the error (ASan's debugging
 * interface; UBSan names it only through its handler's frame, which the
 * engine reads); registering it replaces a death callback the program set
 * before the fork server.
 *
 * A capture is the thread's backtrace from glibc's backtrace(), kept to the
 * frames in the target's own code (ferret__own_pc: not libc, libstdc++, the
 * loader or a shared sanitizer runtime), written into the shared header
 * with the signal and the input's number (proto.h crash_*). The first
 * capture of an input wins: the abort() that ends a sanitizer's report
 * must not hide the fault it reported. Nothing here runs per execution,
 * and nothing outside ferret's fork server (standalone, under afl-fuzz)
 * installs anything.
 */
#include <execinfo.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>

#include "rt.h"

#define ALT_STACK_BYTES (64u * 1024u)
#define MAX_DEPTH 96

/* A sanitizer's interface, when one is linked in (weak: else NULL; of
 * default visibility, or -fvisibility=hidden would keep gcc's shared
 * libasan from resolving them) */
#define SANITIZER_API __attribute__((weak, visibility("default")))
void __sanitizer_set_death_callback(void (*cb)(void)) SANITIZER_API;
int __asan_report_present(void) SANITIZER_API;
const char *__asan_get_report_description(void) SANITIZER_API;
int __asan_get_report_access_type(void) SANITIZER_API;
size_t __asan_get_report_access_size(void) SANITIZER_API;

static const int deadly[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
static struct sigaction chained[sizeof(deadly) / sizeof(deadly[0])];

/* Whether this input's crash is recorded already (a sanitizer's report
 * before its abort, a fault before the sanitizer's handler ran). */
static int captured(const struct ferret_shm *shm)
{
	return shm->crash_signal && shm->crash_seq == shm->run_seq;
}

/* Records what the caller's frames say: pcs[skip..n) of a backtrace, the
 * first of them exact when exact_first (the faulting instruction after a
 * signal frame), the others return addresses, one past their call. */
static void record(struct ferret_shm *shm, uint32_t what, void **pcs, int n, int skip,
		   int exact_first)
{
	uint32_t kept = 0;
	uint64_t rel;
	for (int i = skip; i < n && kept < FERRET_CRASH_FRAMES; i++) {
		uintptr_t pc = (uintptr_t)pcs[i] - (i == skip && exact_first ? 0 : 1);
		if (ferret__own_pc(pc, &rel))
			shm->crash_pc[kept++] = rel;
	}
	shm->crash_frames = kept;
	shm->crash_seq = shm->run_seq;
	shm->crash_kind[0] = 0;
	shm->crash_signal = what;
}

static volatile sig_atomic_t capturing;

/* The chained handler returned: the program handled the fault (a guard
 * page, a GC's write barrier) and goes on, so the capture names no crash
 * and must not stand for this input's later one. */
static void survived(struct ferret_shm *shm, int captured_here)
{
	if (captured_here) {
		shm->crash_signal = 0;
		capturing = 0;
	}
}

/* (named ferret__*: the engine leaves the runtime's frames out) */
static void ferret__crash_on_signal(int sig, siginfo_t *si, void *uc)
{
	struct ferret_shm *shm = ferret__shm;
	/* a fault inside the capture itself (a smashed stack) is not
	 * captured again: with a sanitizer's SA_NODEFER it would recurse */
	int capture = shm && !capturing && !captured(shm);
	if (capture) {
		capturing = 1;
		void *pcs[MAX_DEPTH];
		int n = backtrace(pcs, MAX_DEPTH);
		/* pcs[0] is this handler, then the signal trampoline (libc's
		 * __restore_rt): the frames that matter start after the
		 * first one outside our own code, with the faulting one */
		int i = 0;
		uint64_t rel;
		while (i < n && ferret__own_pc((uintptr_t)pcs[i], &rel))
			i++;
		record(shm, (uint32_t)sig, pcs, n, i + 1, 1);
	}
	for (size_t k = 0; k < sizeof(deadly) / sizeof(deadly[0]); k++) {
		if (deadly[k] != sig)
			continue;
		const struct sigaction *sa = &chained[k];
		if (sa->sa_flags & SA_SIGINFO) {
			sa->sa_sigaction(sig, si, uc); /* a sanitizer's: reports, ends */
			survived(shm, capture);
			return;
		}
		if (sa->sa_handler != SIG_DFL && sa->sa_handler != SIG_IGN) {
			sa->sa_handler(sig);
			survived(shm, capture);
			return;
		}
	}
	/* SA_RESETHAND put the default back; the signal stays blocked until
	 * we return, then kills the child (a fault also recurs) */
	raise(sig);
}

/* ASan's "heap-buffer-overflow READ 4", as ClusterFuzz states the type. */
static void asan_kind(struct ferret_shm *shm)
{
	if (!__asan_report_present || !__asan_get_report_description || !__asan_report_present())
		return;
	const char *d = __asan_get_report_description();
	size_t cap = sizeof(shm->crash_kind), n = 0;
	for (; d && d[n] && n + 1 < cap; n++)
		shm->crash_kind[n] = d[n];
	/* the access, when there is one (not after a fault: "null-deref") */
	if (__asan_get_report_access_type && __asan_get_report_access_size &&
	    __asan_get_report_access_size() && n + 16 < cap) {
		const char *rw = __asan_get_report_access_type() ? " WRITE " : " READ ";
		while (*rw)
			shm->crash_kind[n++] = *rw++;
		char digits[20];
		size_t d_n = 0;
		for (size_t size = __asan_get_report_access_size(); d_n < sizeof(digits);
		     size /= 10) {
			digits[d_n++] = (char)('0' + size % 10);
			if (size < 10)
				break;
		}
		while (d_n && n + 1 < cap)
			shm->crash_kind[n++] = digits[--d_n];
	}
	shm->crash_kind[n] = 0;
}

/* A sanitizer has reported an error and is about to end the child. */
static void ferret__crash_on_report(void)
{
	struct ferret_shm *shm = ferret__shm;
	if (!shm)
		return;
	if (!captured(shm)) {
		void *pcs[MAX_DEPTH];
		int n = backtrace(pcs, MAX_DEPTH);
		record(shm, FERRET_CRASH_SANITIZER, pcs, n, 1, 0); /* pcs[0]: this */
	}
	asan_kind(shm);
}

void ferret__crash_hook(void)
{
	void *warm[1];
	backtrace(warm, 1); /* loads libgcc_s now, not in a crashing child */
	/* an alternate stack, for a fault that is a stack overflow, unless
	 * one is set already (a sanitizer's) */
	stack_t ss = {0};
	int on_stack = sigaltstack(NULL, &ss) == 0 && !(ss.ss_flags & SS_DISABLE);
	if (!on_stack) {
		ss = (stack_t){.ss_size = ALT_STACK_BYTES};
		ss.ss_sp = mmap(NULL, ALT_STACK_BYTES, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		on_stack = ss.ss_sp != MAP_FAILED && sigaltstack(&ss, NULL) == 0;
	}
	int sanitizer = __sanitizer_set_death_callback != NULL;
	for (size_t k = 0; k < sizeof(deadly) / sizeof(deadly[0]); k++) {
		struct sigaction old, sa;
		if (sigaction(deadly[k], NULL, &old) != 0)
			continue;
		int dfl = !(old.sa_flags & SA_SIGINFO) && old.sa_handler == SIG_DFL;
		/* a handler with siginfo where a sanitizer is linked is the
		 * sanitizer's (installed before main); the program's own stay */
		if (!dfl && !(sanitizer && (old.sa_flags & SA_SIGINFO)))
			continue;
		chained[k] = old;
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = ferret__crash_on_signal;
		/* chained: the sanitizer's own flags, which its handler expects */
		if (dfl)
			sa.sa_flags =
				(int)(SA_SIGINFO | SA_RESETHAND) | (on_stack ? SA_ONSTACK : 0);
		else
			sa.sa_flags = old.sa_flags | SA_SIGINFO;
		sa.sa_mask = old.sa_mask;
		sigaction(deadly[k], &sa, NULL);
	}
	if (sanitizer)
		__sanitizer_set_death_callback(ferret__crash_on_report);
}
