/*
 * dict.h - the dictionary: a deduplicated set of tokens kept in insertion
 * order, and the parser of dictionary text (AFL's format, a superset of
 * libFuzzer's). The tokens feed the dict-* mutators through
 * struct mutate_env (mutate.h); this module owns the token bytes, their
 * dedup and the limits on their number and size. It does not own reading
 * files or printing warnings: the caller passes the text and a callback.
 *
 * Pure core code: no I/O, no globals but const tables; it allocates with
 * malloc. Invariants: every token has 1..max_len bytes, no two tokens are
 * equal, n <= max_tokens, and v[0..n) is in the order tokens were added.
 * Any negative return leaves the dictionary exactly as it was before the
 * call.
 */
#ifndef FERRET_DICT_H
#define FERRET_DICT_H

#include <stddef.h>
#include <stdint.h>

#include "mutate.h"

struct dict {
	struct mutate_token *v; /* the tokens; v[i].data is owned by the dict */
	size_t n, cap;
	size_t max_tokens, max_len; /* limits set by dict_init, never 0 */
	size_t dropped;             /* new tokens refused: max_tokens reached */
	size_t *slots;              /* open-addressing hash set: index + 1, 0 = empty */
	size_t n_slots;             /* 0 or a power of two, at least twice n */
};

/*
 * Prepares an empty dictionary holding at most max_tokens tokens of at most
 * max_len bytes each. 0 means no limit for either; max_len is capped at
 * UINT32_MAX since struct mutate_token stores a uint32_t length. Allocates
 * nothing (the first dict_add does), so it cannot fail.
 */
void dict_init(struct dict *d, size_t max_tokens, size_t max_len);

/* Frees the tokens' bytes and the tables; d may then be dict_init'ed again. */
void dict_release(struct dict *d);

/*
 * Adds a copy of data[0, len) at the end of the dictionary. Returns 1 when
 * added; 0 when len is 0, len > max_len, an equal token is already there, or
 * the dictionary holds max_tokens tokens; FERRET_ENOMEM when out of memory
 * (nothing added). data is only read and may be freed after the call.
 */
int dict_add(struct dict *d, const uint8_t *data, size_t len);

/* A malformed dictionary line: line number (from 1) and a static reason. */
struct dict_error {
	unsigned line;
	const char *reason;
};

/*
 * Told about each malformed line in non-strict mode, so that the caller can
 * print "file:line: reason". e and e->reason are only valid during the call.
 */
typedef void (*dict_warn_fn)(void *ctx, const struct dict_error *e);

/*
 * Parses dictionary text and adds its tokens with dict_add (duplicates and
 * tokens beyond max_tokens are silently dropped, as dict_add does).
 *
 * Format, one entry per line ("\n" or "\r\n"; a lone "\r" at the end of the
 * text is also dropped): blank lines and lines whose first non-blank byte is
 * '#' are ignored. An entry is, with spaces or tabs allowed around it:
 *   [name][@level][spaces][=][spaces]"value"
 * name is [A-Za-z0-9_]* and is ignored, as both AFL and libFuzzer do. level
 * is one or more digits and is parsed but ignored: AFL skips entries whose
 * level exceeds the N of "-x file@N", ferret loads them all. AFL's "[n]"
 * suffix is not accepted. The value is one or more bytes between double
 * quotes; inside, bytes 0x20..0x7e stand for themselves, except that '\'
 * starts one of the escapes \\ \" or \xNN (exactly two hex digits, either
 * case). Only spaces and tabs may follow the closing quote (so no trailing
 * comment). The text need not be NUL-terminated: nothing at or past
 * text[len] is read, and a NUL byte inside it is just a bad byte.
 *
 * A malformed line has one of these reasons (static strings): "bad name",
 * "bad level", "expected a quoted value", "bad escape",
 * "non-printable byte, use \\xNN", "unterminated value",
 * "text after the closing quote", "empty value", "value too long" (more
 * than max_len bytes once decoded).
 *
 * strict = 0 (AFL): each malformed line is reported through warn (may be
 * NULL) and skipped; returns the number of tokens added (>= 0).
 * strict = 1 (libFuzzer): the first malformed line fails the whole text:
 * returns FERRET_EPARSE, fills *err (may be NULL) and adds nothing from this
 * text; warn is not called. On success returns the number of tokens added.
 * Both modes return FERRET_ENOMEM when out of memory, with nothing added,
 * and FERRET_EINVAL when d is NULL or text is NULL with len > 0.
 */
int dict_parse(struct dict *d, const char *text, size_t len, int strict, dict_warn_fn warn,
	       void *ctx, struct dict_error *err);

#endif
