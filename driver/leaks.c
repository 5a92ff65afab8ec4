/*
 * leaks.c - libFuzzer's leak detection (see leaks.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "leaks.h"
#include "banned.h"

/* The sanitizer's interface, when one is linked in (weak: else NULL; of
 * default visibility, or -fvisibility=hidden would keep a shared runtime
 * from resolving them). */
#define SANITIZER_API __attribute__((weak, visibility("default")))
int __sanitizer_install_malloc_and_free_hooks(void (*m)(const volatile void *, size_t),
					      void (*f)(const volatile void *)) SANITIZER_API;
void __lsan_enable(void) SANITIZER_API;
void __lsan_disable(void) SANITIZER_API;
int __lsan_do_recoverable_leak_check(void) SANITIZER_API;
void __lsan_do_leak_check(void) SANITIZER_API;
void __sanitizer_set_report_fd(void *fd) SANITIZER_API;

static uint64_t mallocs, frees;
static int on;

/* every thread's allocations: atomic, or updates are lost */
static void count_malloc(const volatile void *p, size_t size)
{
	(void)p, (void)size;
	__atomic_fetch_add(&mallocs, 1, __ATOMIC_RELAXED);
}

static void count_free(const volatile void *p)
{
	if (p)
		__atomic_fetch_add(&frees, 1, __ATOMIC_RELAXED);
}

int lf_leaks_start(int detect)
{
	on = detect && __sanitizer_install_malloc_and_free_hooks && __lsan_enable &&
	     __lsan_disable && __lsan_do_recoverable_leak_check &&
	     __sanitizer_install_malloc_and_free_hooks(count_malloc, count_free);
	return on;
}

void lf_leak_mark(struct lf_leak_mark *k)
{
	k->mallocs = __atomic_load_n(&mallocs, __ATOMIC_RELAXED);
	k->frees = __atomic_load_n(&frees, __ATOMIC_RELAXED);
}

int lf_leak_suspect(const struct lf_leak_mark *k)
{
	return on && __atomic_load_n(&mallocs, __ATOMIC_RELAXED) - k->mallocs >
			     __atomic_load_n(&frees, __ATOMIC_RELAXED) - k->frees;
}

int lf_leak_confirm(const uint8_t *data, size_t len)
{
	uint8_t *copy = on ? malloc(len ? len : 1) : NULL;
	if (!copy)
		return 0;
	memcpy(copy, data, len);
	struct lf_leak_mark k;
	__lsan_disable(); /* a real leak is not reported twice */
	lf_leak_mark(&k);
	lf_harness(copy, len);
	int suspect = lf_leak_suspect(&k);
	__lsan_enable();
	free(copy);
	return suspect && __lsan_do_recoverable_leak_check();
}

void lf_leak_say(int fd, int initial)
{
	if (initial)
		dprintf(fd, "\nINFO: a leak has been found in the initial corpus.\n\n");
	dprintf(fd, "INFO: to ignore leaks on libFuzzer side use -detect_leaks=0.\n\n");
}

void lf_leaks_at_exit(int report_fd)
{
	if (!__lsan_do_leak_check)
		return;
	if (report_fd >= 0 && __sanitizer_set_report_fd)
		__sanitizer_set_report_fd((void *)(intptr_t)report_fd);
	__lsan_do_leak_check();
}
