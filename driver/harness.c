/*
 * harness.c - the harness's entry point when the program defines none (a
 * FERRET_TEST binary): a weak LLVMFuzzerTestOneInput that is an alias of
 * ferret__lf_no_harness. A weak definition, not a weak reference, because
 * ferret-cc asks the linker for the symbol before the user's archives
 * (a harness in a static library must be pulled in, as libFuzzer's strong
 * reference pulls it); the program's own definition wins over this one.
 * A harness in a shared library is looked up at start-up (lf_harness).
 * Also the sanitizers' crash-state lock, for a build without a sanitizer,
 * and the one frame files and -minimize_crash steps call the harness from.
 */
#include <dlfcn.h>

#include "harness.h"
#include "banned.h"

int ferret__lf_no_harness(const uint8_t *data, size_t size)
{
	(void)data, (void)size;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
	__attribute__((weak, alias("ferret__lf_no_harness"), visibility("default")));

lf_harness_fn lf_harness = LLVMFuzzerTestOneInput;

/* The executable's references to LLVMFuzzerTestOneInput were bound to the
 * stand-in when it was linked; a harness in a shared library it loads (a
 * build that links the fuzz target's code as a .so) is found after it in
 * the dynamic linker's search order. */
void lf_harness_resolve(void)
{
	if (LLVMFuzzerTestOneInput != ferret__lf_no_harness)
		return;
	void *sym = dlsym(RTLD_NEXT, "LLVMFuzzerTestOneInput");
	if (sym && sym != (void *)ferret__lf_no_harness)
		lf_harness = (lf_harness_fn)sym;
}

__attribute__((noinline)) int lf_harness_run(const uint8_t *data, size_t size)
{
	int rc = lf_harness(data, size);
	__asm__ volatile("" ::: "memory"); /* no tail call: this frame stays */
	return rc;
}

/* sanitizer/common_interface_defs.h: the first caller gets 1, every later
 * one 0. Without a sanitizer nothing else defines it, and a harness may
 * call it; a sanitizer linked in has its own (strong) definition, which
 * wins. A harness that takes it and then exits asks for its exit not to
 * be reported (lf_quiet_exit). */
__attribute__((weak, visibility("default"))) int __sanitizer_acquire_crash_state(void)
{
	static int taken;
	return !__atomic_exchange_n(&taken, 1, __ATOMIC_SEQ_CST);
}

int lf_quiet_exit(void)
{
	return !__sanitizer_acquire_crash_state();
}
