/*
 * triage.c - crash signatures and the bugs index (see triage.h).
 *
 * Frames come from the target (proto.h crash_pc): an offset in the
 * executable, or, at or above bit 40, a shared object's name tag XOR its
 * offset. Frames are named by symbolizer.c (libdw, offline) as "function
 * file:line", the file by its base name so a signature survives a rebuild
 * elsewhere; a frame libdw cannot name, or one in a shared object (whose
 * path the runtime does not record), is "0xADDR" or "obj:TAG+0xOFF".
 * C++ names come demangled. Frames of the runtime itself (functions named
 * ferret__*), _start and a sanitizer's runtime linked into the executable
 * (__asan*, __sanitizer::*, ...) are left out.
 *
 * The kind is the sanitizer's name for the error when the runtime got one
 * (ASan's "heap-buffer-overflow READ 4"), else the UBSan check whose
 * handler reported it ("UBSan add-overflow", from the handler's frame),
 * else the signal ("SIGSEGV"), else "sanitizer". Each distinct set of raw
 * frames is symbolized once and
 * remembered (up to CACHE_MAX sets).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "errors.h"
#include "log.h"
#include "proto.h"
#include "store.h"
#include "symbolizer.h"
#include "triage.h"
#include "banned.h"

#define TOP_FRAMES 3
#define CACHE_MAX 4096
#define SIG_MAX 512
#define OBJ_BIT 40
#define KIND_MAX 64 /* a kind of the header (FERRET_CRASH_KIND_BYTES) or a UBSan check's */

struct bug {
	char *sig;
	uint64_t count, first_unix, first_execs;
	char *repro; /* file name in crashes/, NULL: none */
	size_t repro_len;
};

struct seen { /* one set of raw frames, already filed */
	int signal;
	char kind[KIND_MAX];
	unsigned n;
	uint64_t pc[FERRET_CRASH_FRAMES];
	size_t bug;
};

struct triage {
	char *dir;
	struct symbolizer *sym; /* NULL: a reader of the index */
	struct bug *bugs;
	size_t n, cap;
	struct seen *cache;
	size_t n_cache;
	int dirty;
};

static char *dup_or_die(const char *s)
{
	char *d = strdup(s);
	if (!d)
		die("out of memory");
	return d;
}

/* Whether fn belongs to a sanitizer's runtime (a demangled name): its
 * interface (__asan_report_load4, __ubsan_handle_*), its interceptors, or
 * anything in or of its namespaces (__sanitizer::Die(), a template
 * helper of __ubsan::Value). */
static int sanitizer_fn(const char *fn)
{
	static const char *const prefixes[] = {"__sanitizer",   "__asan",        "__ubsan",
					       "__lsan",        "__msan",        "__tsan",
					       "__interceptor", "___interceptor"};
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(fn, prefixes[i], strlen(prefixes[i])))
			return 1;
	static const char *const spaces[] = {
		"__sanitizer::", "__asan::", "__ubsan::",       "__lsan::",
		"__msan::",      "__tsan::", "__interception::"};
	for (size_t i = 0; i < sizeof(spaces) / sizeof(spaces[0]); i++)
		if (strstr(fn, spaces[i]))
			return 1;
	return 0;
}

/* "UBSan add-overflow" from UBSan's handler __ubsan_handle_add_overflow
 * (or its _abort, _minimal or _v1 forms) */
static void ubsan_kind(const char *fn, char *kind, size_t cap)
{
	static const char handler[] = "__ubsan_handle_";
	if (strncmp(fn, handler, sizeof(handler) - 1) || kind[0])
		return;
	size_t n = (size_t)snprintf(kind, cap, "UBSan %s", fn + sizeof(handler) - 1);
	n = n < cap ? n : cap - 1;
	static const char *const suffixes[] = {"_abort", "_minimal", "_v1"};
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t l = strlen(suffixes[i]);
		if (n > l && !strcmp(kind + n - l, suffixes[i]))
			kind[n -= l] = 0;
	}
	for (char *c = kind; *c; c++)
		*c = *c == '_' ? '-' : *c;
}

/* One frame as "function file:line" into out (see symbolizer.h for what
 * an address libdw cannot name becomes); returns 0 when the frame is the
 * runtime's own or a sanitizer's and must be left out (a UBSan handler's
 * names the kind, in kind when that is still empty). */
static int symbolize(struct triage *tr, uint64_t pc, char *out, size_t cap, char *kind,
		     size_t kind_cap)
{
	char fn[256], loc[120];
	if (!tr->sym) {
		snprintf(out, cap, "0x%" PRIx64, pc);
		return 1;
	}
	if (!symbolizer_name(tr->sym, pc, fn, sizeof(fn), loc, sizeof(loc)))
		return 0;
	if (sanitizer_fn(fn)) {
		ubsan_kind(fn, kind, kind_cap);
		return 0;
	}
	if (pc >> OBJ_BIT || !strncmp(fn, "0x", 2))
		snprintf(out, cap, "%s", fn);
	else if (strcmp(loc, "?"))
		snprintf(out, cap, "%s %s", fn, loc);
	else
		snprintf(out, cap, "%s 0x%" PRIx64, fn, pc);
	return 1;
}

static void signature(struct triage *tr, int signal, const char *kind_in, const uint64_t *pcs,
		      unsigned n, char *out, size_t cap)
{
	char frames[SIG_MAX], kind[KIND_MAX];
	snprintf(kind, sizeof(kind), "%s", kind_in ? kind_in : "");
	size_t len = 0;
	int shown = 0;
	frames[0] = 0;
	for (unsigned i = 0; i < n && shown < TOP_FRAMES && len < sizeof(frames); i++) {
		char frame[400];
		if (!symbolize(tr, pcs[i], frame, sizeof(frame), kind, sizeof(kind)))
			continue;
		len += (size_t)snprintf(frames + len, sizeof(frames) - len, "%s%s",
					shown ? " / " : " ", frame);
		shown++;
	}
	if (!shown)
		snprintf(frames, sizeof(frames), " ?");
	if (!kind[0] && signal > 0) {
		const char *abbrev = sigabbrev_np(signal);
		snprintf(kind, sizeof(kind), "SIG%s", abbrev ? abbrev : "?");
	} else if (!kind[0]) {
		snprintf(kind, sizeof(kind), "sanitizer");
	}
	snprintf(out, cap, "%s:%s", kind, frames);
	/* a tab or newline (a C++ name, the target's kind) would break the
	 * index's lines */
	for (char *c = out; *c; c++)
		if (*c < 0x20 || *c == 0x7f)
			*c = '?';
}

static size_t find_or_add(struct triage *tr, const char *sig, int *is_new)
{
	for (size_t i = 0; i < tr->n; i++)
		if (!strcmp(tr->bugs[i].sig, sig)) {
			*is_new = 0;
			return i;
		}
	if (tr->n == tr->cap) {
		tr->cap = tr->cap ? 2 * tr->cap : 16;
		tr->bugs = realloc(tr->bugs, tr->cap * sizeof(*tr->bugs));
		if (!tr->bugs)
			die("out of memory");
	}
	tr->bugs[tr->n] = (struct bug){.sig = dup_or_die(sig)};
	*is_new = 1;
	return tr->n++;
}

/* Loads an index a previous run wrote (a resume): bad lines are skipped. */
static void load(struct triage *tr)
{
	char *path = path_join(tr->dir, "bugs");
	FILE *fp = path ? fopen(path, "r") : NULL;
	free(path);
	if (!fp)
		return;
	char line[SIG_MAX + 1024];
	while (fgets(line, sizeof(line), fp)) {
		line[strcspn(line, "\n")] = 0;
		char *f[5], *p = line;
		int k = 0;
		for (; k < 5 && p; k++) {
			f[k] = p;
			p = strchr(p, '\t');
			if (p)
				*p++ = 0;
		}
		if (k < 5 || !*f[0])
			continue;
		int is_new;
		size_t b = find_or_add(tr, f[0], &is_new);
		struct bug *g = &tr->bugs[b];
		g->count += strtoull(f[1], NULL, 10);
		g->first_unix = strtoull(f[2], NULL, 10);
		g->first_execs = strtoull(f[3], NULL, 10);
		/* a file name in crashes/, never a path: the index may come
		 * from elsewhere, and triage writes beside what it names */
		int plain = !strchr(f[4], '/') && strcmp(f[4], ".") && strcmp(f[4], "..");
		if (strcmp(f[4], "-") && plain && !g->repro) {
			g->repro = dup_or_die(f[4]);
			g->repro_len = SIZE_MAX; /* unknown: any new one may replace it */
		}
	}
	fclose(fp);
}

struct triage *triage_new(const char *exe_path, const char *dir)
{
	struct triage *tr = calloc(1, sizeof(*tr));
	if (!tr)
		return NULL;
	tr->dir = dir ? dup_or_die(dir) : NULL;
	if (exe_path && !(tr->sym = symbolizer_new(exe_path)))
		die("out of memory");
	if (tr->dir)
		load(tr);
	return tr;
}

void triage_free(struct triage *tr)
{
	if (!tr)
		return;
	symbolizer_free(tr->sym);
	for (size_t i = 0; i < tr->n; i++) {
		free(tr->bugs[i].sig);
		free(tr->bugs[i].repro);
	}
	free(tr->bugs);
	free(tr->cache);
	free(tr->dir);
	free(tr);
}

int triage_crash(struct triage *tr, int signal, const char *kind, const uint64_t *pcs, unsigned n,
		 uint64_t execs, size_t *bug)
{
	kind = kind ? kind : "";
	n = n < FERRET_CRASH_FRAMES ? n : FERRET_CRASH_FRAMES;
	int is_new = 0;
	size_t b = SIZE_MAX;
	for (size_t i = 0; i < tr->n_cache; i++) {
		const struct seen *s = &tr->cache[i];
		if (s->signal == signal && s->n == n && !strncmp(s->kind, kind, KIND_MAX - 1) &&
		    !memcmp(s->pc, pcs, n * sizeof(*pcs))) {
			b = s->bug;
			break;
		}
	}
	if (b == SIZE_MAX) {
		char sig[SIG_MAX];
		signature(tr, signal, kind, pcs, n, sig, sizeof(sig));
		b = find_or_add(tr, sig, &is_new);
		if (!tr->cache && !(tr->cache = calloc(CACHE_MAX, sizeof(*tr->cache))))
			die("out of memory");
		if (tr->n_cache < CACHE_MAX) {
			struct seen *s = &tr->cache[tr->n_cache++];
			s->signal = signal;
			snprintf(s->kind, sizeof(s->kind), "%s", kind);
			s->n = n;
			memcpy(s->pc, pcs, n * sizeof(*pcs));
			s->bug = b;
		}
	}
	struct bug *g = &tr->bugs[b];
	if (is_new) {
		g->first_unix = (uint64_t)time(NULL);
		g->first_execs = execs;
	}
	g->count++;
	tr->dirty = 1;
	*bug = b;
	return is_new;
}

const char *triage_signature(const struct triage *tr, size_t bug)
{
	return tr->bugs[bug].sig;
}

int triage_wants(const struct triage *tr, size_t bug, size_t len)
{
	return !tr->bugs[bug].repro || len < tr->bugs[bug].repro_len;
}

void triage_reproducer(struct triage *tr, size_t bug, const char *name, size_t len)
{
	struct bug *g = &tr->bugs[bug];
	free(g->repro);
	g->repro = dup_or_die(name);
	g->repro_len = len;
	tr->dirty = 1;
}

size_t triage_bugs(const struct triage *tr)
{
	return tr->n;
}

uint64_t triage_count(const struct triage *tr, size_t bug)
{
	return tr->bugs[bug].count;
}

const char *triage_repro(const struct triage *tr, size_t bug)
{
	return tr->bugs[bug].repro;
}

int triage_write(struct triage *tr)
{
	if (!tr->dirty || !tr->dir)
		return 0;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	if (!mem)
		die("out of memory");
	for (size_t i = 0; i < tr->n; i++) {
		const struct bug *g = &tr->bugs[i];
		fprintf(mem, "%s\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\t%s\n", g->sig, g->count,
			g->first_unix, g->first_execs, g->repro ? g->repro : "-");
	}
	if (fclose(mem) != 0)
		die("out of memory");
	int err = store_write(tr->dir, "bugs", buf, len);
	free(buf);
	if (err)
		return err;
	tr->dirty = 0;
	return 0;
}
