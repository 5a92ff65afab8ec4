/*
 * afl_test.c - unit tests of src/exec/afl.c, the AFL++ flavour's start-up:
 * every kind of first word (classic, options word with its map size and
 * offers, versioned, both error forms), the versioned options word, and
 * whole handshakes over real pipes, the server's words written in advance:
 * the 4.04c option word with shared-memory test cases and an
 * autodictionary (and the reply it must get), the versioned handshake of
 * 4.10+ (reply, map size, dictionary, terminator), and each way a server
 * can break them (bad terminator, dictionary length, map too large,
 * nothing sent). Also the dictionary iterator on truncated records.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "afl.h"
#include "errors.h"

/* The options word as AFL++ 4.04c builds it (FS_OPT_SET_MAPSIZE). */
static uint32_t opt_word(uint32_t map, uint32_t offers)
{
	return AFL_OPT_ENABLED | AFL_OPT_MAPSIZE | ((map - 1) << 1) | offers | 0x02000000u;
}

static void test_parse_hello(void **state)
{
	(void)state;
	struct afl_hello h;
	assert_int_equal(afl_parse_hello(0, &h), 0);
	assert_int_equal(h.kind, AFL_HELLO_CLASSIC);
	assert_int_equal(h.map_bytes, 0);
	assert_int_equal(afl_parse_hello(0x12345678u, &h), 0);
	assert_int_equal(h.kind, AFL_HELLO_CLASSIC);

	assert_int_equal(afl_parse_hello(0xc200001bu, &h), 0); /* seen from 4.04c */
	assert_int_equal(h.kind, AFL_HELLO_OPTIONS);
	assert_int_equal(h.map_bytes, 14);
	assert_false(h.shm_fuzz);
	assert_false(h.autodict);
	assert_int_equal(afl_parse_hello(0xc3000025u, &h), 0); /* __AFL_LOOP + __AFL_FUZZ_INIT */
	assert_int_equal(h.map_bytes, 19);
	assert_true(h.shm_fuzz);
	assert_int_equal(afl_parse_hello(opt_word(AFL_OPT_MAX_MAP_BYTES, AFL_OPT_AUTODICT), &h), 0);
	assert_int_equal(h.map_bytes, AFL_OPT_MAX_MAP_BYTES);
	assert_true(h.autodict);
	/* ENABLED without MAPSIZE: no size */
	assert_int_equal(afl_parse_hello(AFL_OPT_ENABLED | AFL_OPT_SHDMEM_FUZZ, &h), 0);
	assert_int_equal(h.map_bytes, 0);
	assert_true(h.shm_fuzz);
	/* an old AFL++'s four bits are not offers */
	assert_int_equal(afl_parse_hello(opt_word(100, AFL_OPT_OLD_AFLPP), &h), 0);
	assert_false(h.shm_fuzz);

	assert_int_equal(afl_parse_hello(AFL_OPT_ERROR | (1u << 8), &h), 0);
	assert_int_equal(h.kind, AFL_HELLO_ERROR);
	assert_int_equal(h.error, AFL_ERROR_MAP_SIZE);
	assert_int_equal(afl_parse_hello(AFL_NEW_ERROR | 4u, &h), 0);
	assert_int_equal(h.kind, AFL_HELLO_ERROR);
	assert_int_equal(h.error, 4);

	assert_int_equal(afl_parse_hello(0x41464c01u, &h), 0);
	assert_int_equal(h.kind, AFL_HELLO_VERSIONED);
	assert_int_equal(h.version, 1);
	assert_int_equal(afl_parse_hello(0x41464c00u, &h), FERRET_EVERSION);
	assert_int_equal(afl_parse_hello(0x41464c02u, &h), FERRET_EVERSION);
}

static void test_parse_options(void **state)
{
	(void)state;
	struct afl_hello h = {0};
	assert_int_equal(afl_parse_options(AFL_NEW_OPT_MAPSIZE, &h), 0);
	assert_false(h.shm_fuzz || h.autodict);
	assert_int_equal(afl_parse_options(AFL_NEW_OPT_MAPSIZE | AFL_NEW_OPT_SHDMEM_FUZZ |
						   AFL_NEW_OPT_AUTODICT,
					   &h),
			 0);
	assert_true(h.shm_fuzz && h.autodict);
	assert_int_equal(afl_parse_options(AFL_NEW_OPT_SHDMEM_FUZZ, &h), FERRET_EPROTO);
}

/* A fake server: what it sends is in st (written in advance), what the
 * fuzzer answers is read back from ctl. */
struct wire {
	int st[2], ctl[2];
	struct afl_shm s;
};

static int setup(void **state)
{
	static struct wire w;
	memset(&w, 0, sizeof(w));
	if (pipe2(w.st, O_CLOEXEC) || pipe2(w.ctl, O_CLOEXEC | O_NONBLOCK))
		return -1;
	w.s.map_cap = 1u << 20;
	w.s.map_id = w.s.tc_id = -1;
	*state = &w;
	return 0;
}

static int teardown(void **state)
{
	struct wire *w = *state;
	close(w->st[0]), close(w->st[1]), close(w->ctl[0]), close(w->ctl[1]);
	afl_shm_release(&w->s);
	return 0;
}

static void send_words(struct wire *w, const uint32_t *v, size_t n)
{
	assert_int_equal(write(w->st[1], v, n * 4), (ssize_t)(n * 4));
}

static void send_bytes(struct wire *w, const void *p, size_t n)
{
	assert_int_equal(write(w->st[1], p, n), (ssize_t)n);
}

/* The words the fuzzer wrote back, up to cap; returns how many. */
static size_t replies(struct wire *w, uint32_t *v, size_t cap)
{
	ssize_t n = read(w->ctl[0], v, cap * 4);
	return n > 0 ? (size_t)n / 4 : 0;
}

static int shake(struct wire *w, struct afl_hello *h)
{
	uint32_t first;
	assert_int_equal(read(w->st[0], &first, 4), 4);
	return afl_handshake(&w->s, w->ctl[1], w->st[0], first, 100, h);
}

static const uint8_t dict[] = {4, 'F', 'U', 'Z', 'Z', 3, 'a', 'b', 'c'};

static void expect_dict(const struct afl_shm *s)
{
	size_t off = 0, len;
	const uint8_t *tok;
	assert_true(afl_dict_next(s->dict, s->dict_len, &off, &tok, &len));
	assert_int_equal(len, 4);
	assert_memory_equal(tok, "FUZZ", 4);
	assert_true(afl_dict_next(s->dict, s->dict_len, &off, &tok, &len));
	assert_int_equal(len, 3);
	assert_memory_equal(tok, "abc", 3);
	assert_false(afl_dict_next(s->dict, s->dict_len, &off, &tok, &len));
}

static void test_classic(void **state)
{
	struct wire *w = *state;
	struct afl_hello h;
	uint32_t hello = 0, r[4];
	send_words(w, &hello, 1);
	assert_int_equal(shake(w, &h), 0);
	assert_int_equal(h.kind, AFL_HELLO_CLASSIC);
	assert_int_equal(h.map_bytes, AFL_MAP_DEFAULT_BYTES);
	assert_int_equal(replies(w, r, 4), 0); /* nothing to answer */
}

static void test_options_plain(void **state)
{
	struct wire *w = *state;
	struct afl_hello h;
	uint32_t hello = 0xc200001bu, r[4];
	send_words(w, &hello, 1);
	assert_int_equal(shake(w, &h), 0);
	assert_int_equal(h.map_bytes, 64); /* 14, rounded up */
	assert_int_equal(replies(w, r, 4), 0);
}

static void test_options_shm_and_dict(void **state)
{
	struct wire *w = *state;
	struct afl_hello h;
	uint32_t v[2] = {opt_word(1000, AFL_OPT_SHDMEM_FUZZ | AFL_OPT_AUTODICT), sizeof(dict)};
	uint32_t r[4];
	send_words(w, v, 2);
	send_bytes(w, dict, sizeof(dict));
	assert_int_equal(shake(w, &h), 0);
	assert_int_equal(h.map_bytes, 1024);
	assert_true(h.shm_fuzz);
	assert_int_equal(replies(w, r, 4), 1);
	assert_int_equal(r[0], AFL_OPT_ENABLED | AFL_OPT_SHDMEM_FUZZ | AFL_OPT_AUTODICT);
	expect_dict(&w->s);
}

static void test_options_bad(void **state)
{
	struct wire *w = *state;
	struct afl_hello h;
	/* a map larger than the segment */
	uint32_t v[2] = {opt_word(w->s.map_cap + 1, 0), 0};
	send_words(w, v, 1);
	assert_int_equal(shake(w, &h), FERRET_EMAPSIZE);
	/* dictionary lengths outside 2..0xffffff, and one never sent */
	v[0] = opt_word(64, AFL_OPT_AUTODICT);
	v[1] = 1;
	send_words(w, v, 2);
	assert_int_equal(shake(w, &h), FERRET_EPROTO);
	v[1] = 0x1000000u;
	send_words(w, v, 2);
	assert_int_equal(shake(w, &h), FERRET_EPROTO);
	v[1] = 100;
	send_words(w, v, 2);
	send_bytes(w, dict, sizeof(dict)); /* 9 of 100 bytes, then nothing */
	assert_int_equal(shake(w, &h), FERRET_EPROTO);
	assert_null(w->s.dict);
	/* the server's own errors */
	v[0] = AFL_OPT_ERROR | (AFL_ERROR_MAP_SIZE << 8);
	send_words(w, v, 1);
	assert_int_equal(shake(w, &h), FERRET_EMAPSIZE);
	v[0] = AFL_NEW_ERROR | 8u;
	send_words(w, v, 1);
	assert_int_equal(shake(w, &h), FERRET_ESPAWN);
}

static void test_versioned(void **state)
{
	struct wire *w = *state;
	struct afl_hello h;
	uint32_t hello = AFL_NEW_HELLO | AFL_NEW_VERSION, r[4];
	uint32_t v[4] = {hello,
			 AFL_NEW_OPT_MAPSIZE | AFL_NEW_OPT_SHDMEM_FUZZ | AFL_NEW_OPT_AUTODICT,
			 70000, sizeof(dict)};
	send_words(w, v, 4);
	send_bytes(w, dict, sizeof(dict));
	send_words(w, &hello, 1);
	assert_int_equal(shake(w, &h), 0);
	assert_int_equal(h.kind, AFL_HELLO_VERSIONED);
	assert_int_equal(h.map_bytes, 70016);
	assert_true(h.shm_fuzz);
	assert_int_equal(replies(w, r, 4), 1);
	assert_int_equal(r[0], hello ^ 0xffffffffu);
	expect_dict(&w->s);

	/* no dictionary; a restart's second dictionary is read, not kept */
	uint32_t plain[4] = {hello, AFL_NEW_OPT_MAPSIZE, 64, hello};
	send_words(w, plain, 4);
	assert_int_equal(shake(w, &h), 0);
	assert_int_equal(h.map_bytes, 64);
	assert_false(h.autodict);
	send_words(w, v, 4);
	send_bytes(w, "\2xy\0\0\0\0\0\0", sizeof(dict));
	send_words(w, &hello, 1);
	assert_int_equal(shake(w, &h), 0);
	expect_dict(&w->s);
}

static void test_versioned_bad(void **state)
{
	struct wire *w = *state;
	struct afl_hello h;
	uint32_t hello = AFL_NEW_HELLO | AFL_NEW_VERSION;
	uint32_t bad_end[4] = {hello, AFL_NEW_OPT_MAPSIZE, 64, hello + 1};
	send_words(w, bad_end, 4);
	assert_int_equal(shake(w, &h), FERRET_EPROTO);
	uint32_t no_map[2] = {hello, AFL_NEW_OPT_SHDMEM_FUZZ};
	send_words(w, no_map, 2);
	assert_int_equal(shake(w, &h), FERRET_EPROTO);
	uint32_t zero[4] = {hello, AFL_NEW_OPT_MAPSIZE, 0, hello};
	send_words(w, zero, 4);
	assert_int_equal(shake(w, &h), FERRET_EMAPSIZE);
	assert_int_equal(read(w->st[0], zero, 4), 4); /* the terminator it did not get to */
	uint32_t huge[4] = {hello, AFL_NEW_OPT_MAPSIZE, 0xffffffffu, hello};
	send_words(w, huge, 4);
	assert_int_equal(shake(w, &h), FERRET_EMAPSIZE);
	uint32_t cut[2] = {hello, AFL_NEW_OPT_MAPSIZE}; /* then silence */
	send_words(w, cut, 2);
	assert_int_equal(shake(w, &h), FERRET_EPROTO);
	uint32_t v2 = AFL_NEW_HELLO | 2u;
	send_words(w, &v2, 1);
	assert_int_equal(shake(w, &h), FERRET_EVERSION);
}

static void test_dict_next(void **state)
{
	(void)state;
	const uint8_t d[] = {2, 'h', 'i', 0, 5, 'a', 'b'};
	size_t off = 0, len;
	const uint8_t *tok;
	assert_true(afl_dict_next(d, sizeof(d), &off, &tok, &len));
	assert_int_equal(len, 2);
	assert_true(afl_dict_next(d, sizeof(d), &off, &tok, &len));
	assert_int_equal(len, 0);
	assert_false(afl_dict_next(d, sizeof(d), &off, &tok, &len)); /* 5 bytes, 2 left */
	off = 0;
	assert_false(afl_dict_next(NULL, 0, &off, &tok, &len));
}

static void test_shm(void **state)
{
	(void)state;
	struct afl_shm s;
	assert_int_equal(afl_shm_create(&s, 1u << 16, 1u << 10), 0);
	assert_true(s.map_id >= 0 && s.tc_id >= 0);
	s.map[(1u << 16) - 1] = 1;
	s.tc[(1u << 10) + 3] = 1;
	afl_shm_release(&s);
	assert_null(s.map);
	afl_shm_release(&s); /* twice is fine */
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_hello),
		cmocka_unit_test(test_parse_options),
		T(test_classic),
		T(test_options_plain),
		T(test_options_shm_and_dict),
		T(test_options_bad),
		T(test_versioned),
		T(test_versioned_bad),
		cmocka_unit_test(test_dict_next),
		cmocka_unit_test(test_shm),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
