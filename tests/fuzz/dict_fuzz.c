/*
 * dict_fuzz.c - fuzzes the dictionary parser (src/core/dict.c). Takes each
 * test case (a FERRET_LOOP: persistent under ferret fuzz, stdin when run
 * alone), up to 64 KiB, into a buffer of exactly its size (so a sanitizer
 * sees any read past len), parses it non-strictly and strictly into fresh
 * dictionaries, and calls abort() when an invariant breaks:
 *   - every token has 1..max_len bytes and no two tokens are equal;
 *   - non-strict mode returns the number of tokens it added, and warns with
 *     increasing line numbers that exist in the text;
 *   - strict mode either adds exactly the tokens non-strict mode added (when
 *     there was no warning) or fails at the first warned line with the same
 *     reason, adding nothing;
 *   - parsing the same text again adds nothing.
 * Built by the e2e tests with ferret-cc together with dict.c and errors.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ferret.h>

#include "dict.h"
#include "errors.h"

#define MAX_INPUT (64 * 1024)
#define MAX_TOKENS 1000 /* small enough that some inputs fill the dict */
#define MAX_LEN 64

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "dict_fuzz: %s:%d: %s\n", __FILE__, __LINE__, #cond);      \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

struct warns {
	unsigned n, lines;
	struct dict_error first, last;
};

static void on_warn(void *ctx, const struct dict_error *e)
{
	struct warns *w = ctx;

	CHECK(e->reason != NULL && e->reason[0] != '\0');
	CHECK(e->line >= 1 && e->line <= w->lines);
	CHECK(w->n == 0 || e->line > w->last.line);
	if (w->n == 0)
		w->first = *e;
	w->last = *e;
	w->n++;
}

static int cmp_tokens(const void *a, const void *b)
{
	const struct mutate_token *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->data, y->data, n);

	if (c)
		return c;
	return (x->len > y->len) - (x->len < y->len);
}

/* Every token within limits, and no duplicates (sorted copy, neighbours differ). */
static void check_tokens(const struct dict *d)
{
	struct mutate_token *sorted;

	CHECK(d->n <= MAX_TOKENS);
	for (size_t i = 0; i < d->n; i++)
		CHECK(d->v[i].len >= 1 && d->v[i].len <= MAX_LEN && d->v[i].data != NULL);
	if (d->n < 2)
		return;
	sorted = malloc(d->n * sizeof(*sorted));
	if (!sorted)
		exit(0);
	memcpy(sorted, d->v, d->n * sizeof(*sorted));
	qsort(sorted, d->n, sizeof(*sorted), cmp_tokens);
	for (size_t i = 1; i < d->n; i++)
		CHECK(cmp_tokens(&sorted[i - 1], &sorted[i]) != 0);
	free(sorted);
}

static void check_text(const uint8_t *in, size_t len)
{
	char *text = malloc(len ? len : 1);
	struct dict lax, strict;
	struct warns w = {0, 1, {0, NULL}, {0, NULL}};
	struct dict_error err = {0, NULL};
	int rc_lax, rc_strict;

	if (!text)
		return;
	memcpy(text, in, len);
	for (size_t i = 0; i < len; i++)
		w.lines += in[i] == '\n';

	dict_init(&lax, MAX_TOKENS, MAX_LEN);
	dict_init(&strict, MAX_TOKENS, MAX_LEN);
	rc_lax = dict_parse(&lax, text, len, 0, on_warn, &w, NULL);
	if (rc_lax == FERRET_ENOMEM)
		goto out;
	CHECK(rc_lax >= 0 && (size_t)rc_lax == lax.n);
	check_tokens(&lax);
	CHECK(dict_parse(&lax, text, len, 0, NULL, NULL, NULL) == 0);
	CHECK((size_t)rc_lax == lax.n);

	rc_strict = dict_parse(&strict, text, len, 1, NULL, NULL, &err);
	if (rc_strict == FERRET_ENOMEM)
		goto out;
	check_tokens(&strict);
	if (w.n == 0) {
		CHECK(rc_strict == rc_lax && strict.n == lax.n);
		for (size_t i = 0; i < lax.n; i++)
			CHECK(cmp_tokens(&strict.v[i], &lax.v[i]) == 0);
	} else {
		CHECK(rc_strict == FERRET_EPARSE && strict.n == 0);
		CHECK(err.line == w.first.line && err.reason != NULL);
		CHECK(strcmp(err.reason, w.first.reason) == 0);
	}
out:
	dict_release(&strict);
	dict_release(&lax);
	free(text);
}

int main(void)
{
	while (FERRET_LOOP(10000)) {
		size_t len = FERRET_TESTCASE_LEN;
		check_text(FERRET_TESTCASE_BUF, len < MAX_INPUT ? len : MAX_INPUT);
	}
	return 0;
}
