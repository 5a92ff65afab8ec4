/* Conformance (t5012): leaks 32 bytes on an input starting with 'L' (a
 * finding under ASan, -detect_leaks=1 being libFuzzer's default).
 *
 * LeakSanitizer scans stacks conservatively: a copy of the pointer left in
 * a dead stack slot that a later frame of the fuzzer does not overwrite
 * hides the leak (libFuzzer's side missed it once in t5012). So the block
 * is allocated in a frame of its own, and the stack below the harness's
 * frame is zeroed after it returns. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void *volatile conform_keep;

static __attribute__((noinline)) void leak(const uint8_t *data, size_t size)
{
	char *p = malloc(32);
	memcpy(p, data, size < 32 ? size : 32);
	conform_keep = p;
	conform_keep = NULL;
}

static __attribute__((noinline)) void scrub_stack(void)
{
	volatile char pad[8192];
	for (size_t i = 0; i < sizeof(pad); i++)
		pad[i] = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size && data[0] == 'L') {
		leak(data, size);
		scrub_stack();
	}
	return 0;
}
