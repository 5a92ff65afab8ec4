/*
 * hooks.c - catches the libc compare routines so their operands reach the
 * compare log, in plain builds (no sanitizer calls the weak hooks there).
 * The routines are those of common/cmp_hooks.def, each expanded below into
 * a __wrap_NAME. ferret-cc links with -Wl,--wrap=NAME for each, so calls in
 * the instrumented code go to __wrap_NAME, which calls the real libc
 * function (__real_NAME) and logs the operands when the engine asked for it.
 * Only the program's own calls are caught, not libc's internal ones, which
 * is the signal wanted. ferret-cc also passes -fno-builtin-NAME so compilers
 * keep the calls instead of inlining them into byte compares.
 *
 * libstdc++'s routines are weak references (hooks_real.h): a C program has
 * no std::string compare, and a wrapper nobody calls must not make its
 * link fail.
 *
 * What a call logs depends on its shape (the table's second column), one
 * static inline log_SHAPE() each below; the wrappers themselves are all the
 * same: call libc, then one load and one predicted branch when not logging.
 */
#include <string.h>
#include <strings.h>

#include "hooks_real.h"
#include "rt.h"

#define PC ((uintptr_t)__builtin_return_address(0))
#define LOGGING() __builtin_expect(ferret__vp != 0 || *ferret__cmp_flag != 0, 0)

static size_t bounded_strlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

static inline void log_MEM(uintptr_t pc, int r, const void *a, const void *b, size_t n)
{
	if (r)
		ferret__cmp_mem(pc, a, n, b, n);
}

static inline void log_STR(uintptr_t pc, int r, const char *a, const char *b)
{
	if (r)
		ferret__cmp_mem(pc, a, bounded_strlen(a, FERRET_CMP_BYTES), b,
				bounded_strlen(b, FERRET_CMP_BYTES));
}

static inline void log_STRN(uintptr_t pc, int r, const char *a, const char *b, size_t n)
{
	if (r) {
		size_t max = n < FERRET_CMP_BYTES ? n : FERRET_CMP_BYTES;
		ferret__cmp_mem(pc, a, bounded_strlen(a, max), b, bounded_strlen(b, max));
	}
}

/* A failed search logs the haystack's start against the needle: the
 * engine may put the needle there, and it joins the dictionary. */
static inline void log_STRSTR(uintptr_t pc, const char *r, const char *h, const char *n)
{
	if (!r) {
		size_t nl = bounded_strlen(n, FERRET_CMP_BYTES);
		ferret__cmp_mem(pc, h, bounded_strlen(h, nl), n, nl);
	}
}

static inline void log_MEMMEM(uintptr_t pc, const void *r, const void *h, size_t hl, const void *n,
			      size_t nl)
{
	if (!r)
		ferret__cmp_mem(pc, h, hl < nl ? hl : nl, n, nl);
}

/* libstdc++'s std::string (C++11 ABI): a pointer to the bytes, then the
 * length; the layout those mangled names promise. */
static inline void cxx_string(const void *s, const char **p, size_t *n)
{
	*p = *(const char *const *)s;
	*n = *(const size_t *)((const char *)s + sizeof(char *));
}

static inline void log_CXXSTR_CSTR(uintptr_t pc, int r, const void *self, const char *s)
{
	if (r) {
		const char *p;
		size_t n;
		cxx_string(self, &p, &n);
		ferret__cmp_mem(pc, p, n < FERRET_CMP_BYTES ? n : FERRET_CMP_BYTES, s,
				bounded_strlen(s, FERRET_CMP_BYTES));
	}
}

static inline void log_CXXSTR_STR(uintptr_t pc, int r, const void *self, const void *other)
{
	if (r) {
		const char *p, *q;
		size_t n, m;
		cxx_string(self, &p, &n);
		cxx_string(other, &q, &m);
		ferret__cmp_mem(pc, p, n < FERRET_CMP_BYTES ? n : FERRET_CMP_BYTES, q,
				m < FERRET_CMP_BYTES ? m : FERRET_CMP_BYTES);
	}
}

/* The parameter names of a table row, without their parentheses. */
#define ARGS(...) __VA_ARGS__

#define HOOK(name, shape, ret, params, args)                                                       \
	ret __real_##name params REAL_##shape;                                                     \
	FERRET_EXPORT ret __wrap_##name params                                                     \
	{                                                                                          \
		ret r = __real_##name args;                                                        \
		if (LOGGING())                                                                     \
			log_##shape(PC, r, ARGS args);                                             \
		return r;                                                                          \
	}
#include "cmp_hooks.def"
#undef HOOK
