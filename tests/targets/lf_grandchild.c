/*
 * lf_grandchild.c - libFuzzer harness that leaves a process behind and
 * hangs (for the watcher's process-group kill, t5008): when the input
 * starts with 'G' it starts a child that sleeps forever, waits until that
 * child has appended "PID PGID" to the file named by $LF_GRANDCHILD_PIDS,
 * then sleeps forever. Other inputs return at once; "CRASH" aborts (for
 * artifacts).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grandchild.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 5 && !memcmp(data, "CRASH", 5))
		abort();
	if (size < 1 || data[0] != 'G')
		return 0;
	hang_with_grandchild("LF_GRANDCHILD_PIDS");
}
