/*
 * smith.c - the Smith: serves a FERRET_TEST its values from a value stream
 * and logs what it consumed, both in the format of common/vstream.h (shared
 * with the engine's codec, src/core/valstream.c).
 *
 * Per run, one pass over the input builds a per-uid chain of its records
 * (fixed arrays allocated once; a generation counter empties the uid table
 * without clearing it). A request takes the next record of its uid; a
 * missing, FRESH or out-of-range record is replaced by a fresh value drawn
 * from splitmix64(seed, request index) within the weights. Every served
 * value is appended to the log, preceded the first time by a NAME record
 * for its uid, so the log is the stream the test actually consumed.
 * libc only: this file is also linked alone (libferret-smith.a) for the
 * byte bridge under libFuzzer or AFL++.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "smith.h"
#include "vstream.h"

#define MAX_TESTS 256
#define MAX_EXAMPLES 1024
#define MAX_RECORDS (1u << 16)
#define UID_SLOTS (1u << 17)
#define EOS_AFTER 4096

static struct {
	const char *name;
	ferret_test_fn fn;
} tests[MAX_TESTS];
static size_t n_tests;
static struct ferret__example examples[MAX_EXAMPLES];
static size_t n_examples;

struct uid_slot {
	uint32_t uid, gen;
	int32_t next_rec; /* next record to serve, -1 none */
	int32_t last_rec; /* while building: tail of the chain */
	uint8_t named;
};

struct ferret_smith {
	const uint8_t *in;
	size_t in_len;
	uint64_t seed;
	uint32_t n_rec, gen, requests;
	uint32_t *rec_off; /* offset of each record */
	int32_t *rec_next; /* next record of the same uid */
	struct uid_slot *slots;
	uint8_t *log;
	size_t log_cap;
	volatile uint32_t *log_len;
	uint32_t log_pos;
	int bridge; /* raw bytes, Zig's replay format */
	size_t bridge_pos;
};

static struct ferret_smith S;

/* Where FERRET_ASSERT writes its file:line (ferret__smith_fail_site). */
static char *fail_site;
static size_t fail_site_cap;

__attribute__((visibility("default"))) void ferret__register(const char *name, ferret_test_fn fn,
							     const char *file, int line)
{
	(void)file, (void)line;
	if (n_tests < MAX_TESTS) {
		tests[n_tests].name = name;
		tests[n_tests].fn = fn;
		n_tests++;
	}
}

/* Runs in a constructor, maybe before the test's own: kept by name, looked
 * up when ./tests runs. Examples past MAX_EXAMPLES are dropped. */
__attribute__((visibility("default"))) void ferret__register_example(const char *test,
								     const unsigned char *data,
								     size_t len, const char *file,
								     int line)
{
	if (n_examples < MAX_EXAMPLES)
		examples[n_examples++] = (struct ferret__example){test, data, len, file, line};
}

size_t ferret__example_count(void)
{
	return n_examples;
}
const struct ferret__example *ferret__example_get(size_t i)
{
	return i < n_examples ? &examples[i] : NULL;
}

size_t ferret__test_count(void)
{
	return n_tests;
}
const char *ferret__test_name(size_t i)
{
	return i < n_tests ? tests[i].name : NULL;
}
ferret_test_fn ferret__test_fn(size_t i)
{
	return i < n_tests ? tests[i].fn : NULL;
}
long ferret__test_find(const char *name)
{
	for (size_t i = 0; i < n_tests; i++)
		if (!strcmp(tests[i].name, name))
			return (long)i;
	return -1;
}

static const char *base_name(const char *p)
{
	const char *b = p;
	for (; *p; p++)
		if (*p == '/')
			b = p + 1;
	return b;
}

/* Writes v in decimal ending just before end; returns where it starts. */
static char *utoa_end(char *end, unsigned v)
{
	do
		*--end = (char)('0' + v % 10);
	while (v /= 10);
	return end;
}

/* FNV-1a, never 0 (0 marks an uncached uid in FERRET__UID). */
static uint32_t fnv(uint32_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

__attribute__((visibility("default"))) uint32_t ferret__uid(const char *file, int line,
							    const char *label)
{
	uint32_t h;
	if (label) {
		h = fnv(2166136261u, label);
	} else {
		char num[16];
		num[15] = 0;
		h = fnv(fnv(fnv(2166136261u, base_name(file)), ":"),
			utoa_end(num + 15, (unsigned)line));
	}
	return h ? h : 1;
}

__attribute__((visibility("default"))) void ferret__fail(const char *file, int line,
							 const char *cond)
{
	char msg[512];
	size_t n = 0;
	const char *parts[] = {
		"ferret: assertion failed: ", base_name(file), ":", NULL, ": ", cond, "\n"};
	char num[16];
	num[15] = 0;
	parts[3] = utoa_end(num + 15, (unsigned)line);
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		for (const char *p = parts[i]; *p && n < sizeof(msg); p++)
			msg[n++] = *p;
	if (fail_site && fail_site_cap) {
		size_t k = 0;
		for (size_t i = 1; i <= 3; i++)
			for (const char *p = parts[i]; *p && k + 1 < fail_site_cap; p++)
				fail_site[k++] = *p;
		fail_site[k] = 0;
	}
	(void)!write(2, msg, n);
	abort();
}

void ferret__smith_fail_site(char *buf, size_t cap)
{
	fail_site = buf;
	fail_site_cap = buf ? cap : 0;
}

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* The k-th random word of the current request. */
static uint64_t fresh_word(uint32_t k)
{
	return mix(S.seed ^ mix((uint64_t)S.requests << 8 | k));
}

static struct uid_slot *slot_of(uint32_t uid, int create)
{
	for (uint32_t i = uid * 2654435761u % UID_SLOTS, probes = 0; probes < UID_SLOTS;
	     i = (i + 1) % UID_SLOTS, probes++) {
		struct uid_slot *sl = &S.slots[i];
		if (sl->gen != S.gen) {
			if (!create)
				return NULL;
			sl->gen = S.gen;
			sl->uid = uid;
			sl->next_rec = sl->last_rec = -1;
			sl->named = 0;
			return sl;
		}
		if (sl->uid == uid)
			return sl;
	}
	return NULL;
}

static void log_bytes(const void *p, size_t n)
{
	if (!S.log || S.log_pos + n > S.log_cap) {
		S.log_cap = 0; /* full: stop logging rather than log a hole */
		return;
	}
	memcpy(S.log + S.log_pos, p, n);
	S.log_pos += (uint32_t)n;
}

static void log_commit(void)
{
	if (S.log_len)
		*S.log_len = S.log_pos;
}

/*
 * A record goes into the log field by field (head, then length or value,
 * then bytes), each through log_bytes: when the log fills up mid-record it
 * keeps the fields that fit and stops, and the engine's decoder drops the
 * cut record.
 */
static void log_head(uint32_t uid, uint8_t kind)
{
	uint8_t h[FERRET_VS_HEAD_BYTES];
	vstream_put_head(h, uid, kind);
	log_bytes(h, sizeof(h));
}

static void log_u32(uint32_t v)
{
	uint8_t b[FERRET_VS_LEN_BYTES];
	vstream_put32(b, v);
	log_bytes(b, sizeof(b));
}

static void log_u64(uint64_t v)
{
	uint8_t b[FERRET_VS_INT_BYTES];
	vstream_put64(b, v);
	log_bytes(b, sizeof(b));
}

static void log_name(struct uid_slot *sl, const char *file, int line, const char *label)
{
	if (!sl || sl->named)
		return;
	sl->named = 1;
	char name[256];
	size_t n = 0;
	const char *src = label ? label : base_name(file);
	for (; *src && n < sizeof(name) - 16; src++)
		name[n++] = *src;
	if (!label) {
		char num[16];
		name[n++] = ':';
		for (const char *d = utoa_end(num + 15, (unsigned)line); d < num + 15; d++)
			name[n++] = *d;
	}
	log_head(sl->uid, FERRET_VS_NAME);
	log_u32((uint32_t)n);
	log_bytes(name, n);
}

/* Builds the per-uid chains of the input's records, keeping only their
 * offsets: whole records, up to the first damaged one, NAMEs skipped. */
static void index_input(void)
{
	struct vs_record r;
	size_t len;

	S.n_rec = 0;
	if (!vstream_get_header(S.in, S.in_len, &S.seed))
		return;
	for (size_t p = FERRET_VS_HEADER_BYTES; p < S.in_len && S.n_rec < MAX_RECORDS; p += len) {
		len = vstream_rec_decode(S.in + p, S.in_len - p, &r);
		if (!len)
			return;
		if (r.kind == FERRET_VS_NAME)
			continue;
		struct uid_slot *sl = slot_of(r.uid, 1);
		if (!sl)
			return;
		S.rec_off[S.n_rec] = (uint32_t)p;
		S.rec_next[S.n_rec] = -1;
		if (sl->last_rec >= 0)
			S.rec_next[sl->last_rec] = (int32_t)S.n_rec;
		else
			sl->next_rec = (int32_t)S.n_rec;
		sl->last_rec = (int32_t)S.n_rec;
		S.n_rec++;
	}
}

/* Decodes the next record of this uid into *r; r->kind is 0 when there is
 * none. The record was checked by index_input(), so decoding it again is a
 * few loads, cheaper than keeping every decoded record. */
static void take(struct uid_slot *sl, struct vs_record *r)
{
	*r = (struct vs_record){0};
	if (!sl || sl->next_rec < 0)
		return;
	int32_t i = sl->next_rec;
	sl->next_rec = S.rec_next[i];
	vstream_rec_decode(S.in + S.rec_off[i], S.in_len - S.rec_off[i], r);
}

static int in_weights(uint64_t v, const struct ferret_weight *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (w[i].weight && v >= w[i].min && v <= w[i].max)
			return 1;
	return 0;
}

/* A fresh value within the weights: mostly by weight, one time in eight
 * an edge of a range (0, max, boundaries are where bugs live). */
static uint64_t fresh_int(const struct ferret_weight *w, size_t n)
{
	unsigned __int128 total = 0;
	size_t live = 0;
	for (size_t i = 0; i < n; i++)
		if (w[i].weight && w[i].min <= w[i].max) {
			total += ((unsigned __int128)(w[i].max - w[i].min) + 1) * w[i].weight;
			live++;
		}
	if (!live)
		return n ? w[0].min : 0;
	if (!S.seed) {
		/* seed 0: missing values are minimal (what shrinking wants) */
		for (size_t i = 0; i < n; i++)
			if (w[i].weight && w[i].min <= w[i].max)
				return w[i].min;
	}
	uint64_t r0 = fresh_word(0);
	if ((r0 & 7) == 0) {
		size_t pick = (size_t)(fresh_word(1) % live);
		for (size_t i = 0; i < n; i++)
			if (w[i].weight && w[i].min <= w[i].max && pick-- == 0)
				return (fresh_word(2) & 1) ? w[i].max : w[i].min;
	}
	unsigned __int128 r = ((unsigned __int128)fresh_word(3) << 64 | fresh_word(4)) % total;
	for (size_t i = 0; i < n; i++) {
		if (!w[i].weight || w[i].min > w[i].max)
			continue;
		unsigned __int128 span =
			((unsigned __int128)(w[i].max - w[i].min) + 1) * w[i].weight;
		if (r < span)
			return w[i].min + (uint64_t)(r / w[i].weight);
		r -= span;
	}
	return w[0].min;
}

static uint64_t bridge_take(size_t n, int *ok)
{
	uint64_t v = 0;
	*ok = S.bridge_pos + n <= S.in_len;
	for (size_t i = 0; i < n && S.bridge_pos < S.in_len; i++)
		v |= (uint64_t)S.in[S.bridge_pos++] << (8 * i);
	return v;
}

__attribute__((visibility("default"))) uint64_t ferret__int(ferret_smith *s, uint32_t uid,
							    const char *file, int line,
							    const char *label,
							    const struct ferret_weight *w, size_t n)
{
	(void)s;
	uint64_t v;
	if (S.bridge) {
		int ok;
		v = bridge_take(8, &ok);
		if (!in_weights(v, w, n)) {
			v = 0;
			for (size_t i = 0; i < n; i++)
				if (w[i].weight) {
					v = w[i].min;
					break;
				}
		}
		return v;
	}
	struct uid_slot *sl = slot_of(uid, 1);
	struct vs_record r;
	take(sl, &r);
	if (r.kind == FERRET_VS_INT && in_weights(r.value, w, n))
		v = r.value;
	else
		v = fresh_int(w, n);
	S.requests++;
	log_name(sl, file, line, label);
	log_head(uid, FERRET_VS_INT);
	log_u64(v);
	log_commit();
	return v;
}

__attribute__((visibility("default"))) int ferret__eos(ferret_smith *s, uint32_t uid,
						       const char *file, int line,
						       const char *label, uint64_t w_false,
						       uint64_t w_true)
{
	(void)s;
	if (S.bridge) {
		int ok;
		uint64_t v = bridge_take(1, &ok);
		return !ok || v != 0;
	}
	struct uid_slot *sl = slot_of(uid, 1);
	struct vs_record r;
	uint64_t v;
	take(sl, &r);
	if (S.requests >= EOS_AFTER)
		v = 1;
	else if (r.kind == FERRET_VS_INT)
		v = r.value != 0;
	else if (!w_true)
		v = 0;
	else if (!S.seed)
		v = 1;
	else
		v = fresh_word(0) % (w_false + w_true) < w_true;
	S.requests++;
	log_name(sl, file, line, label);
	log_head(uid, FERRET_VS_INT);
	log_u64(v);
	log_commit();
	return (int)v;
}

__attribute__((visibility("default"))) size_t ferret__bytes(ferret_smith *s, uint32_t uid,
							    const char *file, int line,
							    const char *label, void *buf,
							    size_t min_len, size_t max_len)
{
	(void)s;
	uint8_t *out = buf;
	size_t n;
	if (S.bridge) {
		int ok;
		n = min_len == max_len ? min_len : (size_t)bridge_take(4, &ok);
		if (n > max_len)
			n = max_len;
		for (size_t i = 0; i < n; i++)
			out[i] = S.bridge_pos < S.in_len ? S.in[S.bridge_pos++] : 0;
		return n;
	}
	struct uid_slot *sl = slot_of(uid, 1);
	struct vs_record r;
	size_t have = 0;
	const uint8_t *src = NULL;
	take(sl, &r);
	if (r.kind == FERRET_VS_BYTES) {
		have = r.len;
		src = r.bytes;
		n = have < min_len ? min_len : have > max_len ? max_len : have;
	} else if (min_len == max_len || !S.seed) {
		n = min_len;
	} else {
		/* fresh length: short most of the time, any length sometimes */
		uint64_t r = fresh_word(0);
		size_t span = max_len - min_len;
		n = min_len + (size_t)((r & 3) ? (r >> 8) % (span < 16 ? span + 1 : 17)
					       : (r >> 8) % (span + 1));
	}
	for (size_t i = 0; i < n; i++)
		out[i] = i < have ? src[i]
			 : S.seed ? (uint8_t)(fresh_word(1 + (uint32_t)(i / 8)) >> (8 * (i % 8)))
				  : 0;
	S.requests++;
	log_name(sl, file, line, label);
	log_head(uid, FERRET_VS_BYTES);
	log_u32((uint32_t)n);
	log_bytes(out, n);
	log_commit();
	return n;
}

static int ensure_tables(void)
{
	if (S.slots)
		return 1;
	S.slots = calloc(UID_SLOTS, sizeof(*S.slots));
	S.rec_off = calloc(MAX_RECORDS, sizeof(*S.rec_off));
	S.rec_next = calloc(MAX_RECORDS, sizeof(*S.rec_next));
	return S.slots && S.rec_off && S.rec_next;
}

size_t ferret__smith_run(size_t i, const uint8_t *in, size_t len, uint8_t *log, size_t log_cap,
			 volatile uint32_t *log_len)
{
	if (i >= n_tests || !ensure_tables())
		return 0;
	S.in = in;
	S.in_len = len;
	S.bridge = 0;
	S.requests = 0;
	if (++S.gen == 0)
		S.gen = 1;
	index_input();
	S.log = log;
	S.log_cap = log_cap;
	S.log_len = log_len;
	S.log_pos = 0;
	if (log && log_cap >= FERRET_VS_HEADER_BYTES) {
		vstream_put_header(log, S.seed);
		S.log_pos = FERRET_VS_HEADER_BYTES;
	}
	log_commit();
	tests[i].fn(&S);
	return S.requests;
}

__attribute__((visibility("default"))) void ferret__bridge_run(ferret_test_fn fn,
							       const uint8_t *data, size_t len)
{
	S.in = data;
	S.in_len = len;
	S.bridge = 1;
	S.bridge_pos = 0;
	S.requests = 0;
	S.log = NULL;
	S.log_len = NULL;
	fn(&S);
}
