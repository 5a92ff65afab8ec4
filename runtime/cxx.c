/*
 * cxx.c - names the uncaught C++ exception that kills a run. libstdc++
 * ends such a program with std::terminate and abort(): to the fuzzer a
 * SIGABRT like any other. Under ferret's fork server the runtime puts its
 * own terminate handler first; it writes the exception's type into the
 * shared header (crash_note) for the engine's crash line, then hands over
 * to the handler it replaced (libstdc++'s prints "terminate called after
 * throwing ..."), which aborts. Everything here is a weak reference: a C
 * program has no libstdc++, and then nothing is installed.
 */
#include <stdlib.h>

#include "rt.h"

typedef void (*terminate_fn)(void);
/* std::set_terminate(std::terminate_handler) */
extern terminate_fn _ZSt13set_terminatePFvvE(terminate_fn) __attribute__((weak));
extern void *__cxa_current_exception_type(void) __attribute__((weak));
extern char *__cxa_demangle(const char *mangled, char *out, size_t *len, int *status)
	__attribute__((weak));

static terminate_fn previous;

/* named ferret__*: the engine leaves such frames out of a crash's
 * signature (src/triage.c) */
static void ferret__on_terminate(void)
{
	struct ferret_shm *shm = ferret__shm;
	void *ti = __cxa_current_exception_type ? __cxa_current_exception_type() : NULL;
	if (shm && ti) {
		/* std::type_info: a vtable pointer, then the mangled name
		 * (libstdc++ marks a type local to a unit with a leading '*') */
		const char *mangled = ((const char *const *)ti)[1];
		if (mangled && *mangled == '*')
			mangled++;
		int status = -1;
		char *d = mangled && __cxa_demangle ? __cxa_demangle(mangled, NULL, NULL, &status)
						    : NULL;
		const char *name = d && status == 0 ? d : mangled ? mangled : "?";
		size_t i = 0;
		for (; name[i] && i < sizeof(shm->crash_note) - 1; i++)
			shm->crash_note[i] = name[i];
		shm->crash_note[i] = 0;
	}
	if (previous)
		previous();
	abort();
}

void ferret__cxx_hook(void)
{
	if (_ZSt13set_terminatePFvvE)
		previous = _ZSt13set_terminatePFvvE(ferret__on_terminate);
}
