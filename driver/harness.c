/*
 * harness.c - the harness's entry point when the program defines none (a
 * FERRET_TEST binary): a weak LLVMFuzzerTestOneInput that is an alias of
 * ferret__lf_no_harness. A weak definition, not a weak reference, because
 * ferret-cc asks the linker for the symbol before the user's archives
 * (a harness in a static library must be pulled in, as libFuzzer's strong
 * reference pulls it); the program's own definition wins over this one.
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
