/* The program of t1009: reads stdin and passes it to shlib_check() of
 * tests/targets/shlib_lib.c, linked as a shared library, or with
 * -DSHLIB_DLOPEN loaded by dlopen() from $SHLIB_PATH, then FERRET_INIT():
 * the fork server starts once the library is in, so its edges have their
 * counters (a library loaded in each child after the server started would
 * find the map's size fixed already). */
#include <stdio.h>
#include <stdlib.h>
#ifdef SHLIB_DLOPEN
#include <dlfcn.h>

#include <ferret.h>
#endif

int shlib_check(const char *s, int n);

int main(void)
{
#ifndef SHLIB_DLOPEN
	int (*check)(const char *, int) = shlib_check;
#else
	int (*check)(const char *, int);
	void *h = dlopen(getenv("SHLIB_PATH"), RTLD_NOW);
	if (!h) {
		fprintf(stderr, "%s\n", dlerror());
		return 1;
	}
	*(void **)&check = dlsym(h, "shlib_check");
	FERRET_INIT();
#endif
	char buf[64];
	int n = (int)fread(buf, 1, sizeof buf, stdin);
	return check(buf, n);
}
