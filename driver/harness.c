/*
 * harness.c - the harness's entry point when the program defines none (a
 * FERRET_TEST binary): a weak LLVMFuzzerTestOneInput that is an alias of
 * ferret__lf_no_harness. A weak definition, not a weak reference, because
 * ferret-cc asks the linker for the symbol before the user's archives
 * (a harness in a static library must be pulled in, as libFuzzer's strong
 * reference pulls it); the program's own definition wins over this one.
 * Also the sanitizers' crash-state lock, for a build without a sanitizer,
 * and the one frame files and -minimize_crash steps call the harness from.
 */
#include "harness.h"
#include "banned.h"

int ferret__lf_no_harness(const uint8_t *data, size_t size)
{
	(void)data, (void)size;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
	__attribute__((weak, alias("ferret__lf_no_harness")));

__attribute__((noinline)) int lf_harness_run(const uint8_t *data, size_t size)
{
	int rc = LLVMFuzzerTestOneInput(data, size);
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
