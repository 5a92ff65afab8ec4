/* An AFL++ custom mutator for the tests, written against AFL++'s C ABI
 * only (its own typedefs, no AFL++ header), built with
 * `cc -shared -fPIC`. afl_custom_fuzz replaces the first byte by a random
 * one, and one time in 32 writes "CUSTOM-MUTATOR!!" (custom_magic.c's
 * crash) over the start; describe() names which, with a '/' and a space
 * that ferret must make safe for file names. The trim takes one step: the
 * first 16 bytes. With $CUSTOM_MUTATOR_POST set, post_process appends a
 * '#' to every input (in its own buffer). With $CUSTOM_MUTATOR_LOG set, init (with the
 * AFL_CUSTOM_INFO_* it sees), the trim hooks, queue_new_entry and deinit
 * append a line each to that file. -DNO_FUZZ builds a library without a
 * fuzz entry point, which ferret must refuse. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC "CUSTOM-MUTATOR!!"
#define MAGIC_LEN 16

struct state {
	uint64_t rng;
	uint8_t *buf; /* out_buf: ours */
	size_t cap;
	uint8_t *trim_in;
	size_t trim_len;
	int magic; /* what the last fuzz did, for describe */
	int post;  /* $CUSTOM_MUTATOR_POST: post_process appends '#' */
	uint8_t *post_buf;
	size_t post_cap;
	FILE *log;
};

static uint64_t next(struct state *s)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	return s->rng;
}

static void say(struct state *s, const char *fmt, const char *a, const char *b)
{
	if (s->log) {
		fprintf(s->log, fmt, a ? a : "(null)", b ? b : "(null)");
		fflush(s->log);
	}
}

static int grow(struct state *s, size_t n)
{
	if (n <= s->cap)
		return 0;
	uint8_t *p = realloc(s->buf, n);
	if (!p)
		return -1;
	s->buf = p;
	s->cap = n;
	return 0;
}

void *afl_custom_init(void *afl, unsigned int seed)
{
	(void)afl;
	struct state *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->rng = seed * 2654435761u + 1;
	const char *path = getenv("CUSTOM_MUTATOR_LOG");
	if (path && *path)
		s->log = fopen(path, "a");
	s->post = getenv("CUSTOM_MUTATOR_POST") != NULL;
	say(s, "init program=%s argv=%s\n", getenv("AFL_CUSTOM_INFO_PROGRAM"),
	    getenv("AFL_CUSTOM_INFO_PROGRAM_ARGV"));
	say(s, "init out=%s input=%s\n", getenv("AFL_CUSTOM_INFO_OUT"),
	    getenv("AFL_CUSTOM_INFO_PROGRAM_INPUT"));
	return s;
}

unsigned int afl_custom_fuzz_count(void *data, const uint8_t *buf, size_t buf_size)
{
	(void)data;
	(void)buf;
	(void)buf_size;
	return 32;
}

#ifndef NO_FUZZ
size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
		       uint8_t *add_buf, size_t add_buf_size, size_t max_size)
{
	struct state *s = data;
	(void)add_buf;
	(void)add_buf_size;
	size_t len = buf_size ? buf_size : 1;
	uint64_t r = next(s);
	s->magic = r % 32 == 0;
	if (s->magic && len < MAGIC_LEN)
		len = MAGIC_LEN;
	if (len > max_size || grow(s, len))
		return 0;
	memset(s->buf, 'x', len);
	memcpy(s->buf, buf, buf_size < len ? buf_size : len);
	if (s->magic)
		memcpy(s->buf, MAGIC, MAGIC_LEN);
	else
		s->buf[0] = (uint8_t)(r >> 8);
	*out_buf = s->buf;
	return len;
}
#endif

const char *afl_custom_describe(void *data, size_t max_description_len)
{
	struct state *s = data;
	(void)max_description_len;
	return s->magic ? "probe/v1 magic" : "probe/v1 byte";
}

int32_t afl_custom_init_trim(void *data, uint8_t *buf, size_t buf_size)
{
	struct state *s = data;
	char n[32];
	snprintf(n, sizeof(n), "%zu", buf_size);
	say(s, "init_trim %s%s\n", n, "");
	free(s->trim_in);
	s->trim_in = malloc(buf_size ? buf_size : 1);
	if (!s->trim_in)
		return -1;
	memcpy(s->trim_in, buf, buf_size);
	s->trim_len = buf_size;
	return buf_size > MAGIC_LEN ? 1 : 0;
}

size_t afl_custom_trim(void *data, uint8_t **out_buf)
{
	struct state *s = data;
	say(s, "trim%s%s\n", "", "");
	*out_buf = s->trim_in;
	return MAGIC_LEN;
}

int32_t afl_custom_post_trim(void *data, uint8_t success)
{
	struct state *s = data;
	say(s, "post_trim %s%s\n", success ? "1" : "0", "");
	return 1;
}

size_t afl_custom_post_process(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf)
{
	struct state *s = data;
	if (!s->post) {
		*out_buf = buf;
		return buf_size;
	}
	if (buf_size + 1 > s->post_cap) {
		uint8_t *p = realloc(s->post_buf, buf_size + 1);
		if (!p)
			return 0;
		s->post_buf = p;
		s->post_cap = buf_size + 1;
	}
	memcpy(s->post_buf, buf, buf_size);
	s->post_buf[buf_size] = '#';
	*out_buf = s->post_buf;
	return buf_size + 1;
}

uint8_t afl_custom_queue_new_entry(void *data, const uint8_t *filename_new_queue,
				   const uint8_t *filename_orig_queue)
{
	say(data, "new %s %s\n", (const char *)filename_new_queue,
	    (const char *)filename_orig_queue);
	return 0;
}

void afl_custom_deinit(void *data)
{
	struct state *s = data;
	say(s, "deinit%s%s\n", "", "");
	if (s->log)
		fclose(s->log);
	free(s->buf);
	free(s->trim_in);
	free(s->post_buf);
	free(s);
}
