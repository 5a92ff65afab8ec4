/*
 * dict.c - the token set and the dictionary parser (see dict.h).
 *
 * Tokens live in an array in insertion order, which is what the mutators
 * index; dedup goes through an open-addressing hash set of indices into
 * that array (linear probing, FNV-1a, kept at most half full), so adding a
 * token costs one hash of its bytes and, on a hit, one memcmp. Nothing here
 * is on the per-execution path: dictionaries are loaded once at start-up
 * and the mutators read v[] directly.
 *
 * The parser walks the text line by line and never reads past len. Each
 * line is decoded into a scratch buffer and handed to dict_add. Strict mode
 * is all-or-nothing by rollback rather than by a second pass: the tokens
 * this text added are the tail of v[], so on failure they are freed and the
 * hash set is rebuilt from what remains.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "dict.h"
#include "errors.h"
#include "banned.h"

static const char R_NAME[] = "bad name";
static const char R_LEVEL[] = "bad level";
static const char R_QUOTE[] = "expected a quoted value";
static const char R_ESCAPE[] = "bad escape";
static const char R_BYTE[] = "non-printable byte, use \\xNN";
static const char R_UNTERM[] = "unterminated value";
static const char R_TRAILING[] = "text after the closing quote";
static const char R_EMPTY[] = "empty value";
static const char R_LONG[] = "value too long";

void dict_init(struct dict *d, size_t max_tokens, size_t max_len)
{
	memset(d, 0, sizeof(*d));
	d->max_tokens = max_tokens ? max_tokens : SIZE_MAX;
	d->max_len = max_len && max_len < UINT32_MAX ? max_len : UINT32_MAX;
}

void dict_release(struct dict *d)
{
	for (size_t i = 0; i < d->n; i++)
		free((void *)d->v[i].data);
	free(d->v);
	free(d->slots);
	d->v = NULL;
	d->slots = NULL;
	d->n = d->cap = d->n_slots = 0;
}

/* 64-bit FNV-1a: short tokens, no need for anything stronger. */
static uint64_t hash_bytes(const uint8_t *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

/* Puts index i of v[] into the first free slot of its probe sequence. */
static void slot_insert(size_t *slots, size_t n_slots, const struct mutate_token *t, size_t i)
{
	size_t s = (size_t)hash_bytes(t->data, t->len) & (n_slots - 1);

	while (slots[s])
		s = (s + 1) & (n_slots - 1);
	slots[s] = i + 1;
}

/* Makes room for one more token in v[] and in the hash set. */
static int reserve_one(struct dict *d)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		struct mutate_token *v = realloc(d->v, cap * sizeof(*v));

		if (!v)
			return FERRET_ENOMEM;
		d->v = v;
		d->cap = cap;
	}
	if (2 * (d->n + 1) > d->n_slots) {
		size_t n_slots = d->n_slots ? d->n_slots * 2 : 32;
		size_t *slots = calloc(n_slots, sizeof(*slots));

		if (!slots)
			return FERRET_ENOMEM;
		for (size_t i = 0; i < d->n; i++)
			slot_insert(slots, n_slots, &d->v[i], i);
		free(d->slots);
		d->slots = slots;
		d->n_slots = n_slots;
	}
	return 0;
}

int dict_add(struct dict *d, const uint8_t *data, size_t len)
{
	size_t s;
	uint8_t *copy;
	int rc;

	if (len == 0 || len > d->max_len)
		return 0;
	if (d->n_slots) {
		s = (size_t)hash_bytes(data, len) & (d->n_slots - 1);
		for (; d->slots[s]; s = (s + 1) & (d->n_slots - 1)) {
			const struct mutate_token *t = &d->v[d->slots[s] - 1];

			if (t->len == len && memcmp(t->data, data, len) == 0)
				return 0;
		}
	}
	if (d->n >= d->max_tokens) {
		d->dropped++; /* a new token the limit keeps out */
		return 0;
	}
	rc = reserve_one(d);
	if (rc < 0)
		return rc;
	copy = malloc(len);
	if (!copy)
		return FERRET_ENOMEM;
	memcpy(copy, data, len);
	d->v[d->n].data = copy;
	d->v[d->n].len = (uint32_t)len;
	slot_insert(d->slots, d->n_slots, &d->v[d->n], d->n);
	d->n++;
	return 1;
}

/* Drops the tokens added after the first n and rebuilds the hash set; no allocation. */
static void dict_truncate(struct dict *d, size_t n)
{
	if (d->n == n)
		return;
	while (d->n > n)
		free((void *)d->v[--d->n].data);
	memset(d->slots, 0, d->n_slots * sizeof(*d->slots));
	for (size_t i = 0; i < d->n; i++)
		slot_insert(d->slots, d->n_slots, &d->v[i], i);
}

static int is_blank(uint8_t c)
{
	return c == ' ' || c == '\t';
}

static int is_name(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* What may follow a name or a level: a separator or the opening quote. */
static int ends_name(const uint8_t *p, size_t i, size_t n)
{
	return i == n || is_blank(p[i]) || p[i] == '=' || p[i] == '"';
}

static int hex_value(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Parses one line p[0, n) (without its line terminator). Returns NULL and
 * sets *out_len to the decoded length (0 for a blank or comment line), or
 * returns the reason the line is malformed. The value is decoded into out,
 * of which only the first min(max_len, n) bytes are written: longer values
 * are measured to the closing quote, so that a syntax error later on the
 * line wins over "value too long".
 */
static const char *parse_line(const uint8_t *p, size_t n, uint8_t *out, size_t max_len,
			      size_t *out_len)
{
	size_t i = 0, k = 0;

	*out_len = 0;
	while (i < n && is_blank(p[i]))
		i++;
	if (i == n || p[i] == '#')
		return NULL;
	while (i < n && is_name(p[i]))
		i++;
	if (i < n && p[i] == '@') {
		size_t digits = ++i;

		while (i < n && p[i] >= '0' && p[i] <= '9')
			i++;
		if (i == digits || !ends_name(p, i, n))
			return R_LEVEL;
	} else if (!ends_name(p, i, n)) {
		return R_NAME;
	}
	while (i < n && is_blank(p[i]))
		i++;
	if (i < n && p[i] == '=')
		i++;
	while (i < n && is_blank(p[i]))
		i++;
	if (i == n || p[i] != '"')
		return R_QUOTE;
	i++;
	for (;;) {
		uint8_t c;

		if (i == n)
			return R_UNTERM;
		c = p[i++];
		if (c == '"')
			break;
		if (c == '\\') {
			if (i == n)
				return R_UNTERM;
			c = p[i++];
			if (c == 'x') {
				if (n - i < 2 || hex_value(p[i]) < 0 || hex_value(p[i + 1]) < 0)
					return R_ESCAPE;
				c = (uint8_t)(hex_value(p[i]) << 4 | hex_value(p[i + 1]));
				i += 2;
			} else if (c != '\\' && c != '"') {
				return R_ESCAPE;
			}
		} else if (c < 0x20 || c > 0x7e) {
			return R_BYTE;
		}
		if (k < max_len)
			out[k] = c;
		k++;
	}
	while (i < n && is_blank(p[i]))
		i++;
	if (i < n)
		return R_TRAILING;
	if (k == 0)
		return R_EMPTY;
	if (k > max_len)
		return R_LONG;
	*out_len = k;
	return NULL;
}

int dict_parse(struct dict *d, const char *text, size_t len, int strict, dict_warn_fn warn,
	       void *ctx, struct dict_error *err)
{
	const uint8_t *t = (const uint8_t *)text;
	size_t n0, pos = 0, added = 0;
	unsigned line = 0;
	uint8_t *scratch;

	if (!d || (!text && len))
		return FERRET_EINVAL;
	if (len == 0)
		return 0;
	n0 = d->n;
	scratch = malloc(len < d->max_len ? len : d->max_len);
	if (!scratch)
		return FERRET_ENOMEM;
	while (pos < len) {
		const uint8_t *p = t + pos;
		const uint8_t *eol = memchr(p, '\n', len - pos);
		size_t n = eol ? (size_t)(eol - p) : len - pos, k;
		const char *reason;
		int rc;

		pos += n + (eol != NULL);
		line++;
		if (n && p[n - 1] == '\r')
			n--;
		reason = parse_line(p, n, scratch, d->max_len, &k);
		if (reason) {
			struct dict_error e = {line, reason};

			if (strict) {
				dict_truncate(d, n0);
				free(scratch);
				if (err)
					*err = e;
				return FERRET_EPARSE;
			}
			if (warn)
				warn(ctx, &e);
			continue;
		}
		if (k == 0)
			continue;
		rc = dict_add(d, scratch, k);
		if (rc < 0) {
			dict_truncate(d, n0);
			free(scratch);
			return rc;
		}
		added += (size_t)rc;
	}
	free(scratch);
	return added > (size_t)INT_MAX ? INT_MAX : (int)added;
}
