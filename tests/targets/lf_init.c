/* libFuzzer harness with LLVMFuzzerInitialize: each call appends a line
 * to the file named by $LF_INIT_MARKER, and the target aborts if it runs
 * in a process where Initialize did not run. It crashes (SIGSEGV) on any
 * input of at least 4 bytes starting with 'A' (many different crashing
 * inputs, found again after each restart), and has a few paths on the
 * second byte and the length, so -fork runs restart and make progress. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int inited;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *marker = getenv("LF_INIT_MARKER");
	if (marker) {
		FILE *f = fopen(marker, "a");
		if (f) {
			fprintf(f, "init pid %d\n", (int)getpid());
			fclose(f);
		}
	}
	inited = 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!inited)
		abort(); /* the worker did not inherit the initialised state */
	static volatile unsigned sink;
	if (size >= 2) {
		if (data[1] < 32)
			sink += 1;
		else if (data[1] < 128)
			sink += 2;
		else
			sink += 3;
	}
	if (size > 16)
		sink += 4;
	if (size >= 4 && data[0] == 'A') {
		volatile int *volatile p = NULL;
		*p = 1; /* SIGSEGV */
	}
	return 0;
}
