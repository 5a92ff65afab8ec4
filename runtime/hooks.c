/*
 * hooks.c - catches the libc compare routines so their operands reach the
 * compare log, in plain builds (no sanitizer calls the weak hooks there).
 * ferret-cc links with -Wl,--wrap=NAME for each routine below, so calls in
 * the instrumented code go to __wrap_NAME, which calls the real libc
 * function (__real_NAME) and logs the operands when the engine asked for it.
 * Only the program's own calls are caught, not libc's internal ones, which
 * is the signal wanted. ferret-cc also passes -fno-builtin-NAME so compilers
 * keep the calls instead of inlining them into byte compares.
 */
#include <string.h>
#include <strings.h>

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

int __real_memcmp(const void *a, const void *b, size_t n);
int __real_bcmp(const void *a, const void *b, size_t n);
int __real_strcmp(const char *a, const char *b);
int __real_strncmp(const char *a, const char *b, size_t n);
int __real_strcasecmp(const char *a, const char *b);
int __real_strncasecmp(const char *a, const char *b, size_t n);
char *__real_strstr(const char *h, const char *n);
void *__real_memmem(const void *h, size_t hl, const void *n, size_t nl);

FERRET_EXPORT int __wrap_memcmp(const void *a, const void *b, size_t n)
{
	int r = __real_memcmp(a, b, n);
	if (LOGGING() && r)
		ferret__cmp_mem(PC, a, n, b, n);
	return r;
}

FERRET_EXPORT int __wrap_bcmp(const void *a, const void *b, size_t n)
{
	int r = __real_bcmp(a, b, n);
	if (LOGGING() && r)
		ferret__cmp_mem(PC, a, n, b, n);
	return r;
}

FERRET_EXPORT int __wrap_strcmp(const char *a, const char *b)
{
	int r = __real_strcmp(a, b);
	if (LOGGING() && r)
		ferret__cmp_mem(PC, a, bounded_strlen(a, FERRET_CMP_BYTES), b,
				bounded_strlen(b, FERRET_CMP_BYTES));
	return r;
}

FERRET_EXPORT int __wrap_strncmp(const char *a, const char *b, size_t n)
{
	int r = __real_strncmp(a, b, n);
	if (LOGGING() && r) {
		size_t max = n < FERRET_CMP_BYTES ? n : FERRET_CMP_BYTES;
		ferret__cmp_mem(PC, a, bounded_strlen(a, max), b, bounded_strlen(b, max));
	}
	return r;
}

FERRET_EXPORT int __wrap_strcasecmp(const char *a, const char *b)
{
	int r = __real_strcasecmp(a, b);
	if (LOGGING() && r)
		ferret__cmp_mem(PC, a, bounded_strlen(a, FERRET_CMP_BYTES), b,
				bounded_strlen(b, FERRET_CMP_BYTES));
	return r;
}

FERRET_EXPORT int __wrap_strncasecmp(const char *a, const char *b, size_t n)
{
	int r = __real_strncasecmp(a, b, n);
	if (LOGGING() && r) {
		size_t max = n < FERRET_CMP_BYTES ? n : FERRET_CMP_BYTES;
		ferret__cmp_mem(PC, a, bounded_strlen(a, max), b, bounded_strlen(b, max));
	}
	return r;
}

/* A failed search logs the haystack's start against the needle: the
 * engine may put the needle there, and it joins the dictionary. */
FERRET_EXPORT char *__wrap_strstr(const char *h, const char *n)
{
	char *r = __real_strstr(h, n);
	if (LOGGING() && !r) {
		size_t nl = bounded_strlen(n, FERRET_CMP_BYTES);
		ferret__cmp_mem(PC, h, bounded_strlen(h, nl), n, nl);
	}
	return r;
}

FERRET_EXPORT void *__wrap_memmem(const void *h, size_t hl, const void *n, size_t nl)
{
	void *r = __real_memmem(h, hl, n, nl);
	if (LOGGING() && !r)
		ferret__cmp_mem(PC, h, hl < nl ? hl : nl, n, nl);
	return r;
}
