/*
 * irtrim.c - drives ir_mutator.so through the AFL++ custom mutator C ABI,
 * as a fuzzer would, without a fuzzer: dlopen(), dlsym() of the afl_custom_
 * names, and calls in the fuzzer's order. For the tests and the README.
 *
 *   irtrim SO IN OUT          afl_custom_init_trim(IN); while the step is
 *                             below the step count: afl_custom_trim(),
 *                             write the candidate to OUT, post_trim(1).
 *                             Prints "trim: N steps, A -> B bytes"; OUT is
 *                             IN unchanged when there are no steps
 *   irtrim -f N SO IN         N calls of afl_custom_fuzz() from IN (each
 *                             output becomes the next input, add_buf = IN);
 *                             prints how many outputs each describe()
 *                             string had, and exits 1 if one did not
 *                             decode (ir_decode)
 */
#include "ir.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void *init_fn(void *afl, unsigned int seed);
typedef size_t fuzz_fn(void *, uint8_t *, size_t, uint8_t **, uint8_t *, size_t, size_t);
typedef const char *describe_fn(void *, size_t);
typedef int32_t init_trim_fn(void *, uint8_t *, size_t);
typedef size_t trim_fn(void *, uint8_t **);
typedef int32_t post_trim_fn(void *, uint8_t);
typedef void deinit_fn(void *);

static void *sym(void *so, const char *name)
{
	void *f = dlsym(so, name);
	if (!f) {
		fprintf(stderr, "irtrim: the mutator does not define '%s'\n", name);
		exit(2);
	}
	return f;
}

static size_t slurp(const char *path, uint8_t *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(2);
	}
	size_t n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

static int do_trim(void *so, void *st, const char *in_path, const char *out_path)
{
	static uint8_t in[1 << 16];
	size_t n = slurp(in_path, in, sizeof in);
	init_trim_fn *init_trim = (init_trim_fn *)sym(so, "afl_custom_init_trim");
	trim_fn *trim = (trim_fn *)sym(so, "afl_custom_trim");
	post_trim_fn *post_trim = (post_trim_fn *)sym(so, "afl_custom_post_trim");
	int32_t steps = init_trim(st, in, n), cur = 0;
	const uint8_t *best = in;
	size_t best_n = n;
	if (steps < 0) {
		fprintf(stderr, "irtrim: init_trim failed (%d)\n", steps);
		return 1;
	}
	while (cur < steps) {
		uint8_t *cand;
		size_t len = trim(st, &cand);
		/* The fuzzer would run the target here and accept the candidate
		 * if the map is unchanged; the test checks that separately. */
		best = cand;
		best_n = len;
		cur = post_trim(st, 1);
		if (cur < 0) {
			fprintf(stderr, "irtrim: post_trim failed (%d)\n", cur);
			return 1;
		}
	}
	FILE *f = fopen(out_path, "wb");
	if (!f || fwrite(best, 1, best_n, f) != best_n || fclose(f)) {
		perror(out_path);
		return 1;
	}
	printf("trim: %d steps, %zu -> %zu bytes\n", steps, n, best_n);
	return 0;
}

static int do_fuzz(void *so, void *st, long rounds, const char *in_path)
{
	static uint8_t seed[1 << 16], cur[1 << 16];
	static struct ir_prog p;
	size_t seed_n = slurp(in_path, seed, sizeof seed), n = seed_n;
	memcpy(cur, seed, n);
	fuzz_fn *fuzz = (fuzz_fn *)sym(so, "afl_custom_fuzz");
	describe_fn *describe = (describe_fn *)sym(so, "afl_custom_describe");
	struct {
		char name[64];
		long count;
	} seen[32];
	size_t nseen = 0;
	long bad = 0, skipped = 0;
	for (long r = 0; r < rounds; r++) {
		uint8_t *out;
		size_t len = fuzz(st, cur, n, &out, seed, seed_n, sizeof cur);
		if (!len) {
			skipped++;
			continue;
		}
		if (ir_decode(&p, out, len, NULL))
			bad++;
		const char *d = describe(st, 60);
		size_t i;
		for (i = 0; i < nseen && strcmp(seen[i].name, d); i++)
			;
		if (i == nseen && nseen < 32) {
			snprintf(seen[i].name, sizeof seen[i].name, "%s", d);
			seen[i].count = 0;
			nseen++;
		}
		if (i < nseen)
			seen[i].count++;
		/* a random walk that stays small: restart from the seed now and then */
		if (len > 256 || r % 16 == 15) {
			memcpy(cur, seed, seed_n);
			n = seed_n;
		} else {
			memmove(cur, out, len);
			n = len;
		}
	}
	for (size_t i = 0; i < nseen; i++)
		printf("%s %ld\n", seen[i].name, seen[i].count);
	printf("skipped %ld\nundecodable %ld\n", skipped, bad);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	long rounds = 0;
	int i = 1;
	if (argc > 2 && !strcmp(argv[1], "-f")) {
		rounds = strtol(argv[2], NULL, 10);
		i = 3;
	}
	if (argc - i != (rounds ? 2 : 3)) {
		fprintf(stderr, "usage: irtrim SO IN OUT | irtrim -f N SO IN\n");
		return 2;
	}
	void *so = dlopen(argv[i], RTLD_NOW | RTLD_LOCAL);
	if (!so) {
		fprintf(stderr, "irtrim: %s\n", dlerror());
		return 2;
	}
	init_fn *init = (init_fn *)sym(so, "afl_custom_init");
	deinit_fn *deinit = (deinit_fn *)sym(so, "afl_custom_deinit");
	void *st = init(NULL, 1);
	if (!st) {
		fprintf(stderr, "irtrim: afl_custom_init failed\n");
		return 2;
	}
	int rc = rounds ? do_fuzz(so, st, rounds, argv[i + 1])
			: do_trim(so, st, argv[i + 1], argv[i + 2]);
	deinit(st);
	dlclose(so);
	return rc;
}
