/* libFuzzer harness for -fork (t5004): the empty input, which every job
 * runs first, traps in every process after the first to run it
 * (LF_JOB_MARKER names the file the first one creates), so the second
 * job dies at once and its log, with its seed corpus line, is printed. */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *mark = getenv("LF_JOB_MARKER");
	(void)data;
	if (size || !mark)
		return 0;
	int fd = open(mark, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		__builtin_trap();
	close(fd);
	return 0;
}
