/*
 * tmin.c - the minimiser behind `ferret tmin` and `ferret triage` (see
 * tmin.h): afl-tmin's three stages, repeated while they help, with "the
 * same" decided as crash triage decides it in crash mode. Owns the
 * minimisation loop only; it keeps no state between runs besides the best
 * input so far, and is deterministic: the same program and input always
 * take the same steps.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cov.h"
#include "errors.h"
#include "log.h"
#include "tmin.h"
#include "triage.h"
#include "banned.h"

/* afl-tmin's constants (AFL config.h): blocks deleted start at len/16
 * rounded up to a power of two; every replaced byte becomes '0'. */
#define TMIN_DEL_STEPS 16
#define TMIN_FILL '0'

/* afl-tmin's progress lines, when there is a log */
__attribute__((format(printf, 2, 3))) static void say(const struct tmin *m, const char *fmt, ...)
{
	if (!m->log)
		return;
	va_list ap;
	va_start(ap, fmt);
	vfprintf(m->log, fmt, ap);
	va_end(ap);
}

static int crashed(const struct tmin *m, const struct run_result *r)
{
	return r->kind == RUN_CRASH || (r->kind == RUN_OK && m->exit_is_crash && r->exit_code);
}

/* The crash r just had, as a bug of m->tri: its signature (kind and top
 * frames in the program's code, triage.h) decides which. */
static size_t crash_bug(struct tmin *m, const struct run_result *r)
{
	uint64_t pcs[FERRET_CRASH_FRAMES];
	int sig;
	char kind[FERRET_CRASH_KIND_BYTES];
	unsigned n = target_crash_frames(&m->t, pcs, FERRET_CRASH_FRAMES, &sig, kind, sizeof(kind));
	size_t bug;
	triage_crash(m->tri, sig ? sig : r->signal, kind, pcs, n, m->execs, &bug);
	return bug;
}

/*
 * Whether the candidate crashed "the same way" as the input: the same kind
 * of end, signal and exit code, and the same signature as crash triage
 * states it (the sanitizer's error type or signal, and the top frames in
 * the program's code): a cut that reaches another bug is not taken. A
 * target whose runtime recorded no frames (a libFuzzer-style harness, which
 * handles its crashes itself) has the signature of its kind alone.
 */
static int same_crash(struct tmin *m, const struct run_result *got)
{
	const struct run_result *want = &m->want;
	return want->kind == got->kind && want->signal == got->signal &&
	       want->exit_code == got->exit_code && crash_bug(m, got) == m->want_bug;
}

/* Keeps only whether each edge was hit (-e). */
static void to_edges(uint8_t *map, size_t n)
{
	for (size_t i = 0; i < n; i++)
		map[i] = map[i] != 0;
}

/*
 * Runs one candidate and says whether it behaves as the input did. Costs
 * one run plus, in non-crash mode, one classify pass and one compare over
 * the map. A timeout is never the same (afl-tmin), nor is a crash in
 * non-crash mode.
 */
static int same(struct tmin *m, const uint8_t *buf, size_t len)
{
	struct run_result r;
	int err = target_run(&m->t, buf, len, &r);
	if (err)
		die("cannot run target '%s': %s", m->t.argv[0], ferret_strerror(err));
	m->execs++;
	if (r.kind == RUN_HANG) {
		m->fruitless_hang++;
		return 0;
	}
	if (m->crash_mode) {
		if (crashed(m, &r) && same_crash(m, &r))
			return 1;
		m->fruitless_crash++;
		return 0;
	}
	if (crashed(m, &r)) {
		m->fruitless_crash++;
		return 0;
	}
	cov_classify(m->t.map, m->t.map_bytes);
	if (m->edges_only)
		to_edges(m->t.map, m->t.map_bytes);
	if (!memcmp(m->t.map, m->want_map, m->t.map_bytes))
		return 1;
	m->fruitless_map++;
	return 0;
}

static size_t next_pow2(size_t n)
{
	size_t p = 1;
	while (p < n)
		p <<= 1;
	return p;
}

/*
 * Stage 1: deletes blocks, from len/16 (a power of two) down to one byte.
 * A block equal to the one just before it, which could not be deleted,
 * is skipped (afl-tmin's shortcut for runs of one byte). Returns whether
 * anything was deleted; tmp has room for *len bytes.
 */
static int delete_blocks(struct tmin *m, uint8_t *buf, size_t *len, uint8_t *tmp)
{
	int changed = 0;
	size_t before = *len;
	say(m, "[*] Stage #1: removing blocks of data...\n");
	for (size_t del = next_pow2(*len / TMIN_DEL_STEPS); del >= 1; del /= 2) {
		say(m, "    block length = %zu, remaining size = %zu\n", del, *len);
		int failed_prev = 0;
		for (size_t pos = 0; pos < *len;) {
			size_t n = del < *len - pos ? del : *len - pos;
			if (failed_prev && pos >= del && !memcmp(buf + pos - del, buf + pos, n)) {
				pos += del;
				continue;
			}
			memcpy(tmp, buf, pos);
			memcpy(tmp + pos, buf + pos + n, *len - pos - n);
			if (same(m, tmp, *len - n)) {
				*len -= n;
				memcpy(buf, tmp, *len);
				changed = 1;
				failed_prev = 0;
			} else {
				pos += del;
				failed_prev = 1;
			}
		}
		if (del == 1)
			break;
	}
	say(m, "[+] Block removal complete, %zu bytes deleted.\n", before - *len);
	return changed;
}

/* Stage 2: each distinct byte value, all occurrences at once, to '0'. */
static int minimize_alphabet(struct tmin *m, uint8_t *buf, size_t len, uint8_t *tmp)
{
	size_t count[256] = {0}, symbols = 0, replaced = 0, bytes = 0;
	for (size_t i = 0; i < len; i++)
		symbols += !count[buf[i]]++;
	say(m, "[*] Stage #2: minimizing symbols (%zu code points)...\n", symbols);
	for (int c = 0; c < 256; c++) {
		if (c == TMIN_FILL || !count[c])
			continue;
		memcpy(tmp, buf, len);
		for (size_t i = 0; i < len; i++)
			if (tmp[i] == c)
				tmp[i] = TMIN_FILL;
		if (same(m, tmp, len)) {
			memcpy(buf, tmp, len);
			replaced++;
			bytes += count[c];
		}
	}
	say(m, "[+] Symbol minimization finished, %zu symbols (%zu bytes) replaced.\n", replaced,
	    bytes);
	return replaced > 0;
}

/* Stage 3: each byte on its own to '0'. */
static int minimize_chars(struct tmin *m, uint8_t *buf, size_t len)
{
	size_t replaced = 0;
	say(m, "[*] Stage #3: character minimization...\n");
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == TMIN_FILL)
			continue;
		uint8_t old = buf[i];
		buf[i] = TMIN_FILL;
		if (same(m, buf, len))
			replaced++;
		else
			buf[i] = old;
	}
	say(m, "[+] Character minimization done, %zu bytes replaced.\n", replaced);
	return replaced > 0;
}

void tmin_minimize(struct tmin *m, uint8_t *buf, size_t *len)
{
	uint8_t *tmp = malloc(*len ? *len : 1);
	if (!tmp)
		die("out of memory");
	for (int pass = 1;; pass++) {
		say(m, "[*] --- Pass #%d ---\n", pass);
		int changed = delete_blocks(m, buf, len, tmp);
		changed |= minimize_alphabet(m, buf, *len, tmp);
		changed |= minimize_chars(m, buf, *len);
		if (m->log)
			fflush(m->log);
		if (!changed)
			break;
	}
	free(tmp);
}

int tmin_dry_run(struct tmin *m, const uint8_t *buf, size_t len)
{
	struct run_result r;
	int err = target_run(&m->t, buf, len, &r);
	if (err)
		die("cannot run target '%s': %s", m->t.argv[0], ferret_strerror(err));
	m->execs++;
	char how[64];
	target_describe(&r, how, sizeof(how));
	if (r.kind == RUN_HANG)
		return -1;
	if (crashed(m, &r)) {
		m->crash_mode = 1;
		m->want = r;
		if (!(m->tri = triage_new(m->t.argv[0], NULL)))
			die("out of memory");
		m->want_bug = crash_bug(m, &r);
		say(m, "[+] The target crashes: %s; crash mode: keeping that crash (%s).\n", how,
		    triage_signature(m->tri, m->want_bug));
		return 1;
	}
	m->want_map = malloc(m->t.map_bytes);
	if (!m->want_map)
		die("out of memory");
	cov_classify(m->t.map, m->t.map_bytes);
	if (m->edges_only)
		to_edges(m->t.map, m->t.map_bytes);
	memcpy(m->want_map, m->t.map, m->t.map_bytes);
	say(m, "[+] The target does not crash: %s; keeping its %s (%u edges).\n", how,
	    m->edges_only ? "edges" : "coverage map", cov_count_edges(m->want_map, m->t.map_bytes));
	return 0;
}

const char *tmin_signature(const struct tmin *m)
{
	return m->crash_mode ? triage_signature(m->tri, m->want_bug) : NULL;
}

void tmin_release(struct tmin *m)
{
	free(m->want_map);
	m->want_map = NULL;
	if (m->tri)
		triage_free(m->tri);
	m->tri = NULL;
	m->crash_mode = 0;
}
