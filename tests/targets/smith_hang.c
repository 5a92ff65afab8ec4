/*
 * smith_hang.c - a FERRET_TEST that hangs, for the watcher (t6007):
 * hang_on_7 asks one value (label "hang", 0..9). On 7 it starts a
 * grandchild that sleeps forever, waits until that one has appended
 * "PID PGID" to the file named by $SMITH_HANG_PIDS, then sleeps forever.
 * Any other value passes, and so does the empty stream (its value is 0).
 */
#include <ferret.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "grandchild.h"

FERRET_TEST(hang_on_7, s)
{
	if (ferret_range_l(s, "hang", 0, 9) != 7)
		return;
	hang_with_grandchild("SMITH_HANG_PIDS");
}
