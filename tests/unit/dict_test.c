/*
 * dict_test.c - unit tests of src/core/dict.c: the token set (dedup,
 * insertion order, limits, ownership of copies) and the dictionary parser
 * (escapes, names, levels, comments, CRLF, every error reason in both
 * modes). Every text is copied into a heap buffer of exactly len bytes
 * before parsing, so that an over-read shows up under ASan; the
 * no-over-read test also parses every prefix of a text covering each
 * construct of the format.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dict.h"
#include "errors.h"

/* A string literal with its length, NULs included. */
#define L(s) s, sizeof(s) - 1

struct warns {
	unsigned n;
	struct dict_error e[16];
};

static void collect(void *ctx, const struct dict_error *e)
{
	struct warns *w = ctx;

	assert_non_null(e->reason);
	if (w->n < 16)
		w->e[w->n] = *e;
	w->n++;
}

/* dict_parse over a heap copy of s[0, len) of exactly len bytes. */
static int parse(struct dict *d, const char *s, size_t len, int strict, struct warns *w,
		 struct dict_error *err)
{
	char *buf = malloc(len ? len : 1);
	int rc;

	assert_non_null(buf);
	if (len)
		memcpy(buf, s, len);
	rc = dict_parse(d, buf, len, strict, w ? collect : NULL, w, err);
	free(buf);
	return rc;
}

static void assert_token(const struct dict *d, size_t i, const void *data, size_t len)
{
	assert_true(i < d->n);
	assert_int_equal(d->v[i].len, len);
	assert_memory_equal(d->v[i].data, data, len);
}

/* Parses one line non-strictly into a fresh dict: it must give exactly one token. */
static void assert_line_gives(const char *line, size_t line_len, const void *tok, size_t tok_len)
{
	struct dict d;
	struct warns w = {0};

	dict_init(&d, 0, 0);
	assert_int_equal(parse(&d, line, line_len, 0, &w, NULL), 1);
	assert_int_equal(w.n, 0);
	assert_int_equal(d.n, 1);
	assert_token(&d, 0, tok, tok_len);
	dict_release(&d);
	/* and the same strictly */
	dict_init(&d, 0, 0);
	assert_int_equal(parse(&d, line, line_len, 1, NULL, NULL), 1);
	assert_token(&d, 0, tok, tok_len);
	dict_release(&d);
}

static void test_add(void **state)
{
	struct dict d;
	uint8_t src[3] = {'a', 'b', 'c'};

	(void)state;
	dict_init(&d, 0, 0);
	assert_int_equal(dict_add(&d, src, 3), 1);
	src[0] = 'x'; /* the dict holds a copy */
	assert_int_equal(dict_add(&d, src, 3), 1);
	assert_int_equal(dict_add(&d, src, 3), 0);
	assert_int_equal(dict_add(&d, (const uint8_t *)"abc", 3), 0);
	assert_int_equal(dict_add(&d, (const uint8_t *)"ab", 2), 1);
	assert_int_equal(dict_add(&d, (const uint8_t *)"", 0), 0);
	assert_int_equal(dict_add(&d, NULL, 0), 0);
	assert_int_equal(dict_add(&d, (const uint8_t *)"\0", 1), 1);
	assert_int_equal(dict_add(&d, (const uint8_t *)"\0\0", 2), 1);
	assert_int_equal(dict_add(&d, (const uint8_t *)"\0", 1), 0);
	assert_int_equal(d.n, 5);
	assert_token(&d, 0, "abc", 3);
	assert_token(&d, 1, "xbc", 3);
	assert_token(&d, 2, "ab", 2);
	assert_token(&d, 3, "\0", 1);
	assert_token(&d, 4, "\0\0", 2);
	dict_release(&d);
	assert_int_equal(d.n, 0);
	dict_release(&d); /* twice is harmless */
}

/* Many tokens: the hash set grows several times and still finds every one. */
static void test_add_many(void **state)
{
	struct dict d;
	char buf[16];

	(void)state;
	dict_init(&d, 0, 0);
	for (unsigned i = 0; i < 5000; i++) {
		int n = snprintf(buf, sizeof(buf), "t%u", i);
		assert_int_equal(dict_add(&d, (const uint8_t *)buf, (size_t)n), 1);
	}
	for (unsigned i = 0; i < 5000; i++) {
		int n = snprintf(buf, sizeof(buf), "t%u", i);
		assert_int_equal(dict_add(&d, (const uint8_t *)buf, (size_t)n), 0);
		assert_token(&d, i, buf, (size_t)n);
	}
	assert_int_equal(d.n, 5000);
	dict_release(&d);
}

static void test_add_limits(void **state)
{
	struct dict d;

	(void)state;
	dict_init(&d, 2, 3);
	assert_int_equal(d.max_tokens, 2);
	assert_int_equal(d.max_len, 3);
	assert_int_equal(dict_add(&d, (const uint8_t *)"abcd", 4), 0);
	assert_int_equal(dict_add(&d, (const uint8_t *)"abc", 3), 1);
	assert_int_equal(dict_add(&d, (const uint8_t *)"a", 1), 1);
	assert_int_equal(dict_add(&d, (const uint8_t *)"b", 1), 0); /* full */
	assert_int_equal(dict_add(&d, (const uint8_t *)"a", 1), 0); /* full and duplicate */
	assert_int_equal(dict_add(&d, (const uint8_t *)"c", 1), 0); /* full */
	assert_int_equal(d.n, 2);
	assert_int_equal(d.dropped, 2); /* "b" and "c": new tokens kept out, not the duplicate */
	dict_release(&d);

	/* 0 means no limit; max_len never exceeds what a mutate_token can hold */
	dict_init(&d, 0, 0);
	assert_int_equal(d.max_tokens, SIZE_MAX);
	assert_int_equal(d.max_len, UINT32_MAX);
	dict_release(&d);
}

static void test_escapes(void **state)
{
	(void)state;
	assert_line_gives(L("\"\\\\\""), "\\", 1);
	assert_line_gives(L("\"\\\"\""), "\"", 1);
	assert_line_gives(L("\"\\x41\""), "A", 1);
	assert_line_gives(L("\"\\xff\""), "\xff", 1);
	assert_line_gives(L("\"\\xAb\""), "\xab", 1);
	assert_line_gives(L("\"\\x00\""), "\0", 1);
	assert_line_gives(L("\"a\\x00b\""), "a\0b", 3);
	/* printable ASCII stands for itself, including space, '~', '#', '=', '\'' */
	assert_line_gives(L("\" ~#='@x\""), " ~#='@x", 7);
	assert_line_gives(L("\"GET \\\\\\\"\\x0d\\x0A\""), "GET \\\"\r\n", 8);
	/* \x takes exactly two digits: the third is a plain byte */
	assert_line_gives(L("\"\\x414\""), "A4", 2);
}

static void test_names_and_levels(void **state)
{
	(void)state;
	assert_line_gives(L("\"v\""), "v", 1);
	assert_line_gives(L("kw=\"v\""), "v", 1);
	assert_line_gives(L("kw = \"v\""), "v", 1);
	assert_line_gives(L("kw\t=\t\"v\""), "v", 1);
	assert_line_gives(L("kw \"v\""), "v", 1);
	assert_line_gives(L("kw\"v\""), "v", 1);
	assert_line_gives(L("=\"v\""), "v", 1);
	assert_line_gives(L(" = \"v\""), "v", 1);
	assert_line_gives(L("A_z09=\"v\""), "v", 1);
	assert_line_gives(L("_=\"v\""), "v", 1);
	assert_line_gives(L("kw@1=\"v\""), "v", 1);
	assert_line_gives(L("kw@12 = \"v\""), "v", 1);
	assert_line_gives(L("kw@0\"v\""), "v", 1);
	assert_line_gives(L("@3\"v\""), "v", 1);
	assert_line_gives(L("@99999999999999999999999=\"v\""), "v", 1);
	assert_line_gives(L("  \t kw_9@0\t=\t\"v\"  \t"), "v", 1);
	assert_line_gives(L("kw=\"v\"\n"), "v", 1);
}

static void test_comments_and_blanks(void **state)
{
	struct dict d;
	struct warns w = {0};
	/* comments may hold anything, even bytes a value may not */
	static const char text[] = "# a comment\n"
				   "\n"
				   "   \n"
				   "\t\n"
				   "  \t# indented \"comment\" \x01\xff\n"
				   "#\n"
				   "a=\"1\"\n"
				   "#kw=\"2\"\n"
				   "\n";

	(void)state;
	dict_init(&d, 0, 0);
	assert_int_equal(parse(&d, text, sizeof(text) - 1, 0, &w, NULL), 1);
	assert_int_equal(w.n, 0);
	assert_int_equal(d.n, 1);
	assert_token(&d, 0, "1", 1);
	dict_release(&d);

	dict_init(&d, 0, 0);
	assert_int_equal(parse(&d, text, sizeof(text) - 1, 1, NULL, NULL), 1);
	dict_release(&d);

	dict_init(&d, 0, 0);
	assert_int_equal(parse(&d, L("\n\n\n"), 0, &w, NULL), 0);
	assert_int_equal(parse(&d, L("# only a comment"), 1, NULL, NULL), 0);
	assert_int_equal(parse(&d, L(" \t "), 1, NULL, NULL), 0);
	assert_int_equal(w.n, 0);
	assert_int_equal(d.n, 0);
	dict_release(&d);
}

static void test_crlf(void **state)
{
	struct dict d;
	struct warns w = {0};
	struct dict_error err = {0, NULL};

	(void)state;
	dict_init(&d, 0, 0);
	assert_int_equal(parse(&d, L("a=\"1\"\r\n\r\n# c\r\nb=\"2\" \t\r\n\"3\"\r"), 0, &w, NULL),
			 3);
	assert_int_equal(w.n, 0);
	assert_token(&d, 0, "1", 1);
	assert_token(&d, 1, "2", 1);
	assert_token(&d, 2, "3", 1);
	dict_release(&d);

	/* a \r inside a value is a raw control byte; line numbers count \n */
	dict_init(&d, 0, 0);
	assert_int_equal(parse(&d, L("\"1\"\r\n\"a\rb\"\r\n\"2\"\r\n"), 0, &w, NULL), 2);
	assert_int_equal(w.n, 1);
	assert_int_equal(w.e[0].line, 2);
	assert_string_equal(w.e[0].reason, "non-printable byte, use \\xNN");
	assert_int_equal(parse(&d, L("\"4\"\r\n\"a\rb\"\r\n"), 1, NULL, &err), FERRET_EPARSE);
	assert_int_equal(err.line, 2);
	assert_int_equal(d.n, 2);
	dict_release(&d);

	/* only one \r belongs to the terminator */
	dict_init(&d, 0, 0);
	w.n = 0;
	assert_int_equal(parse(&d, L("\"1\"\r\r\n"), 0, &w, NULL), 0);
	assert_int_equal(w.n, 1);
	assert_string_equal(w.e[0].reason, "text after the closing quote");
	dict_release(&d);
}

static void test_no_trailing_newline(void **state)
{
	struct dict d;

	(void)state;
	dict_init(&d, 0, 0);
	assert_int_equal(parse(&d, L("\"a\"\n\"b\""), 0, NULL, NULL), 2);
	assert_token(&d, 1, "b", 1);
	assert_int_equal(parse(&d, L("\"c\"  "), 1, NULL, NULL), 1);
	assert_token(&d, 2, "c", 1);
	dict_release(&d);
}

static void test_empty_text(void **state)
{
	struct dict d;
	struct warns w = {0};

	(void)state;
	dict_init(&d, 0, 0);
	assert_int_equal(parse(&d, "", 0, 0, &w, NULL), 0);
	assert_int_equal(parse(&d, "", 0, 1, &w, NULL), 0);
	assert_int_equal(dict_parse(&d, NULL, 0, 0, NULL, NULL, NULL), 0);
	assert_int_equal(dict_parse(&d, NULL, 0, 1, NULL, NULL, NULL), 0);
	assert_int_equal(w.n, 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(dict_parse(&d, NULL, 1, 0, NULL, NULL, NULL), FERRET_EINVAL);
	assert_int_equal(dict_parse(NULL, "\"a\"", 3, 0, NULL, NULL, NULL), FERRET_EINVAL);
	dict_release(&d);
}

/* Every malformed line, with its reason; max_len is 8 in test_errors. */
static const struct bad_line {
	const char *s;
	size_t len;
	const char *reason;
} bad_lines[] = {
	{L("fo-o=\"x\""), "bad name"},
	{L("kw.x \"x\""), "bad name"},
	{L("-\"x\""), "bad name"},
	{L("kw\0=\"x\""), "bad name"},
	{L("\0"), "bad name"},
	{L("\x01"), "bad name"},
	{L("kw@=\"x\""), "bad level"},
	{L("kw@\"x\""), "bad level"},
	{L("kw@1x=\"x\""), "bad level"},
	{L("kw@-1=\"x\""), "bad level"},
	{L("kw"), "expected a quoted value"},
	{L("kw="), "expected a quoted value"},
	{L("kw=x"), "expected a quoted value"},
	{L("kw==\"x\""), "expected a quoted value"},
	{L("kw bar=\"x\""), "expected a quoted value"},
	{L("kw='x'"), "expected a quoted value"},
	{L("="), "expected a quoted value"},
	{L("\"\\n\""), "bad escape"},
	{L("\"\\0\""), "bad escape"},
	{L("\"\\q\""), "bad escape"},
	{L("\"\\X41\""), "bad escape"},
	{L("\"\\x4\""), "bad escape"},
	{L("\"\\xg1\""), "bad escape"},
	{L("\"\\x1g\""), "bad escape"},
	{L("\"\\x"), "bad escape"},
	{L("\"\\x4"), "bad escape"},
	{L("\"\\\x01\""), "bad escape"},
	{L("\"a\x01\""), "non-printable byte, use \\xNN"},
	{L("\"a\x7f\""), "non-printable byte, use \\xNN"},
	{L("\"a\xff\""), "non-printable byte, use \\xNN"},
	{L("\"a\x80\""), "non-printable byte, use \\xNN"},
	{L("\"a\tb\""), "non-printable byte, use \\xNN"},
	{L("\"a\0b\""), "non-printable byte, use \\xNN"},
	{L("\"abc"), "unterminated value"},
	{L("\""), "unterminated value"},
	{L("kw=\"abc\\\""), "unterminated value"},
	{L("\"abc\\"), "unterminated value"},
	{L("\"x\" y"), "text after the closing quote"},
	{L("\"x\" # comment"), "text after the closing quote"},
	{L("\"x\"\""), "text after the closing quote"},
	{L("\"x\"\"y\""), "text after the closing quote"},
	{L("\"x\"\0"), "text after the closing quote"},
	{L("\"\""), "empty value"},
	{L("kw@1 = \"\"  "), "empty value"},
	{L("\"123456789\""), "value too long"},
	{L("\"\\x41\\x41\\x41\\x41\\x41\\x41\\x41\\x41\\x41\""), "value too long"},
};
#define N_BAD (sizeof(bad_lines) / sizeof(bad_lines[0]))

/*
 * Each bad line sits on line 3, between good lines, after a token already
 * in the dict. Non-strict: one warning at line 3, the good lines kept.
 * Strict: FERRET_EPARSE at line 3, the dict exactly as before (and its
 * hash set still right).
 */
static void test_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_BAD; i++) {
		const struct bad_line *b = &bad_lines[i];
		static const char head[] = "\"before\"\n# comment\n";
		static const char tail[] = "\n\"12345678\"\r\nkw=\"after\"";
		size_t len = sizeof(head) - 1 + b->len + sizeof(tail) - 1;
		char *text = malloc(len);
		struct dict d;
		struct warns w = {0};
		struct dict_error err = {0, NULL};

		assert_non_null(text);
		memcpy(text, head, sizeof(head) - 1);
		memcpy(text + sizeof(head) - 1, b->s, b->len);
		memcpy(text + sizeof(head) - 1 + b->len, tail, sizeof(tail) - 1);

		dict_init(&d, 0, 8);
		assert_int_equal(dict_add(&d, (const uint8_t *)"pre", 3), 1);
		assert_int_equal(parse(&d, text, len, 0, &w, &err), 3);
		assert_int_equal(w.n, 1);
		assert_int_equal(w.e[0].line, 3);
		assert_string_equal(w.e[0].reason, b->reason);
		assert_int_equal(err.line, 0); /* err is for strict mode only */
		assert_int_equal(d.n, 4);
		assert_token(&d, 1, "before", 6);
		assert_token(&d, 2, "12345678", 8);
		assert_token(&d, 3, "after", 5);
		dict_release(&d);

		dict_init(&d, 0, 8);
		assert_int_equal(dict_add(&d, (const uint8_t *)"pre", 3), 1);
		w.n = 0;
		assert_int_equal(parse(&d, text, len, 1, &w, &err), FERRET_EPARSE);
		assert_int_equal(w.n, 0);
		assert_int_equal(err.line, 3);
		assert_string_equal(err.reason, b->reason);
		assert_int_equal(d.n, 1);
		assert_token(&d, 0, "pre", 3);
		assert_int_equal(dict_add(&d, (const uint8_t *)"pre", 3), 0);
		assert_int_equal(dict_add(&d, (const uint8_t *)"before", 6), 1);
		/* NULL err and NULL warn are allowed */
		assert_int_equal(parse(&d, text, len, 1, NULL, NULL), FERRET_EPARSE);
		assert_int_equal(d.n, 2);
		dict_release(&d);
		free(text);
	}
}

static void test_several_errors(void **state)
{
	struct dict d;
	struct warns w = {0};
	struct dict_error err = {0, NULL};
	static const char text[] = "\"a\"\n"
				   "bad\n"
				   "\"b\"\n"
				   "\n"
				   "\"\\n\"\n"
				   "\"\"\n"
				   "\"c\"";

	(void)state;
	dict_init(&d, 0, 0);
	assert_int_equal(parse(&d, L(text), 0, NULL, NULL), 3);
	assert_int_equal(parse(&d, L(text), 0, &w, NULL), 0); /* all duplicates now */
	assert_int_equal(w.n, 3);
	assert_int_equal(w.e[0].line, 2);
	assert_string_equal(w.e[0].reason, "expected a quoted value");
	assert_int_equal(w.e[1].line, 5);
	assert_string_equal(w.e[1].reason, "bad escape");
	assert_int_equal(w.e[2].line, 6);
	assert_string_equal(w.e[2].reason, "empty value");
	dict_release(&d);

	dict_init(&d, 0, 0);
	assert_int_equal(parse(&d, L(text), 1, NULL, &err), FERRET_EPARSE);
	assert_int_equal(err.line, 2);
	assert_string_equal(err.reason, "expected a quoted value");
	assert_int_equal(d.n, 0);
	dict_release(&d);
}

static void test_dedup(void **state)
{
	struct dict d;
	static const char text[] =
		"\"a\"\nx=\"a\"\n\"\\x61\"\n\"b\"\n\"a\"\n\"\\x62\\x00\"\n\"b\\x00\"";

	(void)state;
	dict_init(&d, 0, 0);
	assert_int_equal(parse(&d, L(text), 0, NULL, NULL), 3);
	assert_int_equal(d.n, 3);
	assert_token(&d, 0, "a", 1);
	assert_token(&d, 1, "b", 1);
	assert_token(&d, 2, "b\0", 2);
	assert_int_equal(parse(&d, L(text), 0, NULL, NULL), 0);
	assert_int_equal(parse(&d, L(text), 1, NULL, NULL), 0);
	assert_int_equal(d.n, 3);
	dict_release(&d);
}

static void test_parse_limits(void **state)
{
	struct dict d;
	struct warns w = {0};
	struct dict_error err = {0, NULL};

	(void)state;
	/* a full dict is not an error: the extra tokens are dropped */
	dict_init(&d, 2, 0);
	assert_int_equal(parse(&d, L("\"a\"\n\"b\"\n\"c\"\n"), 0, &w, NULL), 2);
	assert_int_equal(w.n, 0);
	assert_int_equal(parse(&d, L("\"d\"\n"), 1, NULL, NULL), 0);
	assert_int_equal(d.n, 2);
	/* but a bad line after it still fails strict mode */
	assert_int_equal(parse(&d, L("\"e\"\n\"f\n"), 1, NULL, &err), FERRET_EPARSE);
	assert_int_equal(err.line, 2);
	dict_release(&d);

	/* max_len counts decoded bytes */
	dict_init(&d, 0, 4);
	assert_int_equal(parse(&d,
			       L("\"abcd\"\n\"abcde\"\n\"\\x41\\x42\\x43\\x44\"\n"
				 "\"\\\\\\\\\\\\\\\\\"\n\"\\\\\\\\\\\\\\\\\\\\\"\n"),
			       0, &w, NULL),
			 3);
	assert_int_equal(w.n, 2);
	assert_int_equal(w.e[0].line, 2);
	assert_string_equal(w.e[0].reason, "value too long");
	assert_int_equal(w.e[1].line, 5);
	assert_string_equal(w.e[1].reason, "value too long");
	assert_token(&d, 1, "ABCD", 4);
	assert_token(&d, 2, "\\\\\\\\", 4);
	/* a syntax error later on the line wins over the length */
	w.n = 0;
	assert_int_equal(parse(&d, L("\"abcdefgh\\q\""), 0, &w, NULL), 0);
	assert_string_equal(w.e[0].reason, "bad escape");
	dict_release(&d);
}

/* A failed strict parse after growth of both tables leaves the old tokens findable. */
static void test_strict_rollback(void **state)
{
	struct dict d;
	struct dict_error err = {0, NULL};
	size_t cap = 200 * 12 + 16, len = 0;
	char *text = malloc(cap);
	char buf[16];

	(void)state;
	assert_non_null(text);
	dict_init(&d, 0, 0);
	for (unsigned i = 0; i < 20; i++) {
		int n = snprintf(buf, sizeof(buf), "t%u", i);
		assert_int_equal(dict_add(&d, (const uint8_t *)buf, (size_t)n), 1);
	}
	for (unsigned i = 0; i < 200; i++)
		len += (size_t)snprintf(text + len, cap - len, "\"t%u\"\n", i);
	memcpy(text + len, "\"x", 2);
	len += 2;
	assert_int_equal(parse(&d, text, len, 1, NULL, &err), FERRET_EPARSE);
	assert_int_equal(err.line, 201);
	assert_string_equal(err.reason, "unterminated value");
	assert_int_equal(d.n, 20);
	for (unsigned i = 0; i < 20; i++) {
		int n = snprintf(buf, sizeof(buf), "t%u", i);
		assert_int_equal(dict_add(&d, (const uint8_t *)buf, (size_t)n), 0);
	}
	/* the same text minus its bad line now adds the 180 tokens it did not hold */
	assert_int_equal(parse(&d, text, len - 2, 1, NULL, &err), 180);
	assert_int_equal(d.n, 200);
	dict_release(&d);
	free(text);
}

/*
 * len need not cover the whole string: parse every prefix of a text that
 * holds each construct, from an exact-size buffer (ASan catches a read
 * past it), in both modes, and check the cut is seen where it falls.
 */
static void test_no_overread(void **state)
{
	static const char text[] = "# c\r\n  kw_1@12 = \"a\\\\b\\\"c\\x41\\xfF\"  \r\n"
				   "\"z\"\n\"\\x0";
	struct dict d;
	struct dict_error err;
	int rc;

	(void)state;
	for (size_t len = 0; len <= sizeof(text) - 1; len++) {
		dict_init(&d, 0, 0);
		rc = parse(&d, text, len, 0, NULL, NULL);
		assert_true(rc >= 0 && rc <= 2);
		assert_int_equal((size_t)rc, d.n);
		dict_release(&d);
		dict_init(&d, 0, 0);
		rc = parse(&d, text, len, 1, NULL, &err);
		assert_true(rc == FERRET_EPARSE || (rc >= 0 && rc <= 2));
		dict_release(&d);
	}

	/* a complete value whose text goes on past len */
	dict_init(&d, 0, 0);
	assert_int_equal(parse(&d, "\"ab\"garbage", 4, 1, NULL, NULL), 1);
	assert_token(&d, 0, "ab", 2);
	/* cut inside an escape */
	assert_int_equal(parse(&d, "\"\\x41\"", 4, 1, NULL, &err), FERRET_EPARSE);
	assert_string_equal(err.reason, "bad escape");
	assert_int_equal(parse(&d, "\"cd\\\\\"", 4, 1, NULL, &err), FERRET_EPARSE);
	assert_string_equal(err.reason, "unterminated value");
	assert_int_equal(parse(&d, "kw@1=\"x\"", 4, 1, NULL, &err), FERRET_EPARSE);
	assert_string_equal(err.reason, "expected a quoted value");
	assert_int_equal(d.n, 1);
	dict_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_add_many),
		cmocka_unit_test(test_add_limits),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_names_and_levels),
		cmocka_unit_test(test_comments_and_blanks),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_no_trailing_newline),
		cmocka_unit_test(test_empty_text),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_several_errors),
		cmocka_unit_test(test_dedup),
		cmocka_unit_test(test_parse_limits),
		cmocka_unit_test(test_strict_rollback),
		cmocka_unit_test(test_no_overread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
