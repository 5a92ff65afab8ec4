/* A harness whose program defines functions and data under names the
 * engine also uses inside the driver (die, log_info, path_join,
 * store_read, loop_fuzz, mutators), as a real library may: it must link
 * and run with ferret-cc -fsanitize=fuzzer as with libFuzzer, whose names
 * are in a C++ namespace, and each call must reach the program's own
 * definition. Prints "names: own" once every input of size 3. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int mutators = 7;

int die(int x)
{
	return x + 1;
}

int log_info(int x)
{
	return x * 2;
}

const char *path_join(void)
{
	return "own";
}

int store_read(void)
{
	return 3;
}

int loop_fuzz(void)
{
	return 4;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)data;
	if (size == 3 && die(1) == 2 && log_info(2) == 4 && store_read() == 3 && loop_fuzz() == 4 &&
	    mutators == 7) {
		printf("names: %s\n", path_join());
		fflush(stdout);
	}
	return 0;
}
