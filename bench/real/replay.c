/*
 * replay.c - main() for the coverage build of a libFuzzer harness (bench/real.sh).
 * Runs every file named on the command line once through
 * LLVMFuzzerTestOneInput, in order, and exits 0. Built with clang
 * -fprofile-instr-generate -fcoverage-mapping together with the harness and
 * its library; the profile is written at exit (LLVM_PROFILE_FILE). No
 * fuzzing engine is involved, so the coverage of each fuzzer's corpus is
 * measured the same way.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

int main(int argc, char **argv)
{
	int n = 0;

	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		if (!f) {
			perror(argv[i]);
			continue;
		}
		if (fseek(f, 0, SEEK_END) != 0) {
			fclose(f);
			continue;
		}
		long len = ftell(f);
		rewind(f);
		/* an exact-size heap copy, as libFuzzer passes it */
		uint8_t *buf = malloc(len > 0 ? (size_t)len : 1);
		if (!buf || (len > 0 && fread(buf, 1, (size_t)len, f) != (size_t)len)) {
			free(buf);
			fclose(f);
			continue;
		}
		fclose(f);
		LLVMFuzzerTestOneInput(buf, (size_t)(len > 0 ? len : 0));
		free(buf);
		n++;
	}
	fprintf(stderr, "replay: %d of %d inputs run\n", n, argc - 1);
	return 0;
}
