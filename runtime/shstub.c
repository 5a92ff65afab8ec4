/*
 * shstub.c - what ferret-cc links into a -shared object instead of the
 * runtime: weak no-op coverage callbacks and compare wrappers that call the
 * real routine. The object then has no undefined ferret symbol, so a build
 * with -Wl,--no-undefined (Meson's default, many CMake projects) links it,
 * and a program without ferret's runtime (python loading an extension)
 * can load it. Loaded by a ferret-cc program, these lose: the program
 * exports the runtime's own (ferret-cc's --export-dynamic-symbol) and the
 * dynamic linker looks in the program before the library, so every module
 * counts in the program's one map. Nothing here keeps state.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "hooks_real.h"

#define STUB __attribute__((weak, visibility("default")))

STUB void __sanitizer_cov_trace_pc_guard_init(uint32_t *start, uint32_t *stop)
{
	(void)start;
	(void)stop;
}
STUB void __sanitizer_cov_trace_pc_guard(uint32_t *guard)
{
	(void)guard;
}
STUB void __sanitizer_cov_trace_pc(void)
{
}
STUB void __sanitizer_cov_pcs_init(const uintptr_t *beg, const uintptr_t *end)
{
	(void)beg;
	(void)end;
}
STUB void __sanitizer_cov_trace_cmp1(uint8_t a, uint8_t b)
{
	(void)a, (void)b;
}
STUB void __sanitizer_cov_trace_cmp2(uint16_t a, uint16_t b)
{
	(void)a, (void)b;
}
STUB void __sanitizer_cov_trace_cmp4(uint32_t a, uint32_t b)
{
	(void)a, (void)b;
}
STUB void __sanitizer_cov_trace_cmp8(uint64_t a, uint64_t b)
{
	(void)a, (void)b;
}
STUB void __sanitizer_cov_trace_const_cmp1(uint8_t a, uint8_t b)
{
	(void)a, (void)b;
}
STUB void __sanitizer_cov_trace_const_cmp2(uint16_t a, uint16_t b)
{
	(void)a, (void)b;
}
STUB void __sanitizer_cov_trace_const_cmp4(uint32_t a, uint32_t b)
{
	(void)a, (void)b;
}
STUB void __sanitizer_cov_trace_const_cmp8(uint64_t a, uint64_t b)
{
	(void)a, (void)b;
}
STUB void __sanitizer_cov_trace_cmpf(float a, float b)
{
	(void)a, (void)b;
}
STUB void __sanitizer_cov_trace_cmpd(double a, double b)
{
	(void)a, (void)b;
}
STUB void __sanitizer_cov_trace_switch(uint64_t v, uint64_t *cases)
{
	(void)v, (void)cases;
}
STUB void __sanitizer_cov_trace_div4(uint32_t v)
{
	(void)v;
}
STUB void __sanitizer_cov_trace_div8(uint64_t v)
{
	(void)v;
}
STUB void __sanitizer_cov_trace_gep(uintptr_t i)
{
	(void)i;
}
/* stack-depth's variable; the executable's runtime exports the real one */
STUB __thread uintptr_t __sancov_lowest_stack;

/* The compare wrappers: the routine itself, nothing logged (references
 * as hooks_real.h says). */
#define HOOK(name, shape, ret, params, args)                                                       \
	ret __real_##name params REAL_##shape;                                                     \
	STUB ret __wrap_##name params                                                              \
	{                                                                                          \
		return __real_##name args;                                                         \
	}
#include "cmp_hooks.def"
#undef HOOK
