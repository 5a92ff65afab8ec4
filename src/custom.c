/*
 * custom.c - AFL++ custom mutator libraries (see custom.h).
 *
 * Each hook is resolved once with dlsym and called through a typed
 * pointer; a hook a library lacks stays NULL and costs nothing. The call
 * shims below are what the loop sees (struct loop_mutators): they walk the
 * libraries in the listed order, as AFL++ does, and copy only where the
 * ABI lets a library write into memory that is not its own (post_process
 * gets a copy, because the bytes it is given may be a corpus entry's).
 *
 * afl_state_t: every library gets NULL. ferret has no afl_state_t, and a
 * stub could only be a block of zeros in which a mutator that reaches
 * into AFL++'s state would read nonsense silently; NULL makes that
 * mistake a crash at the first access, in the mutator, where it is found.
 * Mutators that only keep the pointer (AFL++'s own examples) work.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "custom.h"
#include "rng.h"
#include "banned.h"

/* The ABI's types: u8 = uint8_t, u32 = uint32_t, s32 = int32_t. */
typedef void *(*init_fn)(void *afl, unsigned int seed);
typedef uint32_t (*fuzz_count_fn)(void *data, const uint8_t *buf, size_t len);
typedef void (*splice_optout_fn)(void *data);
typedef size_t (*fuzz_fn)(void *data, uint8_t *buf, size_t len, uint8_t **out, uint8_t *add,
			  size_t add_len, size_t max);
typedef const char *(*describe_fn)(void *data, size_t max);
typedef size_t (*post_process_fn)(void *data, uint8_t *buf, size_t len, uint8_t **out);
typedef int32_t (*init_trim_fn)(void *data, uint8_t *buf, size_t len);
typedef size_t (*trim_fn)(void *data, uint8_t **out);
typedef int32_t (*post_trim_fn)(void *data, uint8_t success);
typedef size_t (*havoc_fn)(void *data, uint8_t *buf, size_t len, uint8_t **out, size_t max);
typedef uint8_t (*havoc_prob_fn)(void *data);
typedef uint8_t (*queue_get_fn)(void *data, const uint8_t *filename);
typedef void (*fuzz_send_fn)(void *data, const uint8_t *buf, size_t len);
typedef void (*post_run_fn)(void *data);
typedef uint8_t (*queue_new_entry_fn)(void *data, const uint8_t *path, const uint8_t *orig);
typedef const char *(*introspection_fn)(void *data);
typedef void (*deinit_fn)(void *data);

struct custom_lib {
	char *path;
	void *dl;
	void *data; /* what afl_custom_init returned */
	int inited;
	init_fn init;
	fuzz_count_fn fuzz_count;
	splice_optout_fn splice_optout;
	fuzz_fn fuzz;
	describe_fn describe;
	post_process_fn post_process;
	init_trim_fn init_trim;
	trim_fn trim;
	post_trim_fn post_trim;
	havoc_fn havoc;
	havoc_prob_fn havoc_prob;
	queue_get_fn queue_get;
	fuzz_send_fn fuzz_send;
	post_run_fn post_run;
	queue_new_entry_fn queue_new_entry;
	introspection_fn introspection;
	deinit_fn deinit;
	unsigned havoc_pct; /* havoc_mutation's probability, 0..100 */
};

/* dlsym's object pointer into a function pointer, the POSIX way. */
#define SYM(lib, field, name)                                                                      \
	do {                                                                                       \
		void *p_ = dlsym((lib)->dl, name);                                                 \
		memcpy(&(lib)->field, &p_, sizeof(p_));                                            \
	} while (0)

size_t custom_sanitize(const char *s, size_t max, char *out, size_t cap)
{
	size_t n = 0;
	if (!cap)
		return 0;
	for (; s && s[n] && n < max && n + 1 < cap; n++) {
		unsigned char ch = (unsigned char)s[n];
		int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			 (ch >= '0' && ch <= '9') || strchr("._:+=-", ch);
		out[n] = ok && ch ? (char)ch : '_';
	}
	out[n] = 0;
	return n;
}

static void setenv_joined(const char *name, char *const *argv)
{
	size_t n = 1;
	for (char *const *a = argv; *a; a++)
		n += strlen(*a) + 1;
	char *s = malloc(n), *p = s;
	if (!s)
		return;
	*p = 0;
	for (char *const *a = argv; *a; a++) {
		size_t l = strlen(*a);
		if (p != s)
			*p++ = ' ';
		memcpy(p, *a, l + 1);
		p += l;
	}
	setenv(name, s, 1);
	free(s);
}

/* AFL++'s AFL_CUSTOM_INFO_*: set before any library is loaded, so that
 * constructors and afl_custom_init both see them. */
static void set_info(const struct custom_info *info)
{
	if (!info)
		return;
	if (info->argv && info->argv[0]) {
		setenv("AFL_CUSTOM_INFO_PROGRAM", info->argv[0], 1);
		setenv_joined("AFL_CUSTOM_INFO_PROGRAM_ARGV", info->argv + 1);
	}
	setenv("AFL_CUSTOM_INFO_PROGRAM_INPUT", info->input ? info->input : "", 1);
	if (info->out)
		setenv("AFL_CUSTOM_INFO_OUT", info->out, 1);
}

static int load_one(struct custom *c, const char *path, size_t path_len, char *why, size_t why_cap)
{
	if (c->n == CFG_CUSTOM_MAX) {
		snprintf(why, why_cap, "too many custom mutators (at most %d)", CFG_CUSTOM_MAX);
		return -1;
	}
	struct custom_lib *l = &c->v[c->n];
	memset(l, 0, sizeof(*l));
	/* dlopen searches the library path for a name without '/':
	 * AFL++ wants full paths, and a relative one means this directory */
	int rel = !memchr(path, '/', path_len);
	if (!(l->path = malloc(path_len + 3))) {
		snprintf(why, why_cap, "out of memory");
		return -1;
	}
	snprintf(l->path, path_len + 3, "%s%.*s", rel ? "./" : "", (int)path_len, path);
	const char *shown = l->path + (rel ? 2 : 0);
	c->n++; /* released with c from here on */
	if (access(l->path, R_OK) != 0) {
		snprintf(why, why_cap, "cannot load custom mutator '%s': %s", shown,
			 strerror(errno));
		return -1;
	}
	if (!(l->dl = dlopen(l->path, RTLD_NOW | RTLD_LOCAL))) {
		const char *e = dlerror();
		snprintf(why, why_cap, "cannot load custom mutator '%s': %s", shown,
			 e ? e : "dlopen failed");
		return -1;
	}
	SYM(l, init, "afl_custom_init");
	SYM(l, fuzz_count, "afl_custom_fuzz_count");
	SYM(l, splice_optout, "afl_custom_splice_optout");
	SYM(l, fuzz, "afl_custom_fuzz");
	if (!l->fuzz)
		SYM(l, fuzz, "afl_custom_mutator"); /* the legacy name */
	SYM(l, describe, "afl_custom_describe");
	SYM(l, post_process, "afl_custom_post_process");
	SYM(l, init_trim, "afl_custom_init_trim");
	SYM(l, trim, "afl_custom_trim");
	SYM(l, post_trim, "afl_custom_post_trim");
	SYM(l, havoc, "afl_custom_havoc_mutation");
	SYM(l, havoc_prob, "afl_custom_havoc_mutation_probability");
	SYM(l, queue_get, "afl_custom_queue_get");
	SYM(l, fuzz_send, "afl_custom_fuzz_send");
	SYM(l, post_run, "afl_custom_post_run");
	SYM(l, queue_new_entry, "afl_custom_queue_new_entry");
	SYM(l, introspection, "afl_custom_introspection");
	SYM(l, deinit, "afl_custom_deinit");
	if (!l->fuzz) {
		snprintf(why, why_cap,
			 "custom mutator '%s' has no afl_custom_fuzz (nor the legacy "
			 "afl_custom_mutator)",
			 shown);
		return -1;
	}
	/* trimming is all or nothing, as in AFL++ */
	if (!l->init_trim || !l->trim || !l->post_trim)
		l->init_trim = NULL, l->trim = NULL, l->post_trim = NULL;
	return 0;
}

int custom_load(struct custom *c, const char *list, const char *const *paths, size_t n,
		const struct custom_info *info, char *why, size_t why_cap)
{
	memset(c, 0, sizeof(*c));
	if (!(c->v = calloc(CFG_CUSTOM_MAX, sizeof(*c->v)))) {
		snprintf(why, why_cap, "out of memory");
		return -1;
	}
	set_info(info);
	for (const char *p = list; p && *p;) {
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len && load_one(c, p, len, why, why_cap))
			goto fail;
		p += len + (end != NULL);
	}
	for (size_t i = 0; i < n; i++)
		if (load_one(c, paths[i], strlen(paths[i]), why, why_cap))
			goto fail;
	return 0;
fail:
	custom_release(c);
	return -1;
}

int custom_init(struct custom *c, uint64_t seed, char *why, size_t why_cap)
{
	struct rng r;
	rng_seed(&r, seed ^ 0x6375737430617a6cull); /* its own stream: the loop's is untouched */
	for (size_t i = 0; i < c->n; i++) {
		struct custom_lib *l = &c->v[i];
		unsigned s = (unsigned)rng_next(&r);
		if (l->init) {
			l->data = l->init(NULL, s);
			if (!l->data) {
				snprintf(why, why_cap,
					 "custom mutator '%s': afl_custom_init failed", l->path);
				return -1;
			}
		}
		l->inited = 1;
		unsigned pct = CFG_CUSTOM_HAVOC_PCT;
		if (l->havoc && l->havoc_prob)
			pct = l->havoc_prob(l->data);
		l->havoc_pct = pct > 100 ? 100 : pct;
	}
	return 0;
}

/* ---- the shims the loop calls (struct loop_mutators) ---- */

static int cm_want(void *ctx, const struct entry *e)
{
	struct custom *c = ctx;
	snprintf(c->path, sizeof(c->path), "%s/%s", c->queue_dir ? c->queue_dir : ".",
		 e->name ? e->name : "");
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].queue_get && !c->v[i].queue_get(c->v[i].data, (const uint8_t *)c->path))
			return 0;
	return 1;
}

static uint32_t cm_count(void *ctx, unsigned k, const struct entry *e, uint32_t energy)
{
	struct custom_lib *l = &((struct custom *)ctx)->v[k];
	return l->fuzz_count ? l->fuzz_count(l->data, e->data, e->len) : energy;
}

static int cm_splice(void *ctx, unsigned k)
{
	return !((struct custom *)ctx)->v[k].splice_optout;
}

static size_t cm_fuzz(void *ctx, unsigned k, uint8_t *buf, size_t len, uint8_t *add, size_t add_len,
		      size_t max, const uint8_t **out)
{
	struct custom_lib *l = &((struct custom *)ctx)->v[k];
	uint8_t *o = NULL;
	size_t n = l->fuzz(l->data, buf, len, &o, add, add_len, max);
	*out = o;
	return n;
}

static int32_t cm_trim_init(void *ctx, unsigned k, uint8_t *buf, size_t len)
{
	struct custom_lib *l = &((struct custom *)ctx)->v[k];
	return l->init_trim ? l->init_trim(l->data, buf, len) : -1;
}

static size_t cm_trim(void *ctx, unsigned k, const uint8_t **out)
{
	struct custom_lib *l = &((struct custom *)ctx)->v[k];
	uint8_t *o = NULL;
	size_t n = l->trim(l->data, &o);
	*out = o;
	return n;
}

static int32_t cm_trim_post(void *ctx, unsigned k, int success)
{
	struct custom_lib *l = &((struct custom *)ctx)->v[k];
	return l->post_trim(l->data, success ? 1 : 0);
}

/* AFL++ stacks each havoc_mutation into havoc with its probability; here
 * once per built-in havoc or splice candidate. */
static size_t cm_havoc(void *ctx, struct rng *r, uint8_t *buf, size_t len, size_t cap)
{
	struct custom *c = ctx;
	for (size_t i = 0; i < c->n; i++) {
		struct custom_lib *l = &c->v[i];
		if (!l->havoc || rng_below(r, 100) >= l->havoc_pct)
			continue;
		uint8_t *o = NULL;
		size_t n = l->havoc(l->data, buf, len, &o, cap);
		if (!n || !o)
			continue;
		n = n < cap ? n : cap;
		if (o != buf)
			memmove(buf, o, n);
		len = n;
	}
	return len;
}

/* The post_process chain on a copy: the bytes given may be an entry's. */
static const uint8_t *cm_post(void *ctx, const uint8_t *buf, size_t len, size_t *out_len)
{
	struct custom *c = ctx;
	if (len > c->post_cap) {
		uint8_t *p = realloc(c->post_buf, len);
		if (!p)
			return NULL;
		c->post_buf = p;
		c->post_cap = len;
	}
	memcpy(c->post_buf, buf, len);
	uint8_t *cur = c->post_buf;
	for (size_t i = 0; i < c->n; i++) {
		struct custom_lib *l = &c->v[i];
		if (!l->post_process)
			continue;
		uint8_t *o = NULL;
		len = l->post_process(l->data, cur, len, &o);
		if (!len || !o)
			return NULL;
		cur = o;
	}
	*out_len = len;
	return cur;
}

static int cm_send(void *ctx, const uint8_t *buf, size_t len)
{
	struct custom *c = ctx;
	int sent = 0;
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].fuzz_send) {
			c->v[i].fuzz_send(c->v[i].data, buf, len);
			sent = 1;
		}
	return sent;
}

static void cm_post_run(void *ctx)
{
	struct custom *c = ctx;
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].post_run)
			c->v[i].post_run(c->v[i].data);
}

void custom_hooks(struct custom *c, struct loop_mutators *m)
{
	memset(m, 0, sizeof(*m));
	if (!c->n)
		return;
	int want = 0, post = 0, send = 0, post_run = 0, havoc = 0;
	for (size_t i = 0; i < c->n; i++) {
		const struct custom_lib *l = &c->v[i];
		want |= l->queue_get != NULL;
		post |= l->post_process != NULL;
		send |= l->fuzz_send != NULL;
		post_run |= l->post_run != NULL;
		havoc |= l->havoc != NULL;
		m->n_trim += l->init_trim != NULL;
	}
	m->n = (unsigned)c->n;
	m->only = c->only;
	m->want = want ? cm_want : NULL;
	m->count = cm_count;
	m->splice = cm_splice;
	m->fuzz = cm_fuzz;
	m->trim_init = cm_trim_init;
	m->trim = cm_trim;
	m->trim_post = cm_trim_post;
	m->havoc = havoc ? cm_havoc : NULL;
	m->post = post ? cm_post : NULL;
	m->send = send ? cm_send : NULL;
	m->post_run = post_run ? cm_post_run : NULL;
	m->ctx = c;
}

void custom_describe(struct custom *c, unsigned k, char *out, size_t cap)
{
	const char *d = NULL;
	if (k < c->n && c->v[k].describe)
		d = c->v[k].describe(c->v[k].data, CFG_CUSTOM_DESC_MAX);
	custom_sanitize(d, CFG_CUSTOM_DESC_MAX, out, cap);
}

const char *custom_introspection(struct custom *c, unsigned k)
{
	if (k >= c->n || !c->v[k].introspection)
		return NULL;
	return c->v[k].introspection(c->v[k].data);
}

void custom_new_entry(struct custom *c, const char *path, const char *parent)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].queue_new_entry)
			c->v[i].queue_new_entry(c->v[i].data, (const uint8_t *)path,
						(const uint8_t *)parent);
}

void custom_release(struct custom *c)
{
	for (size_t i = 0; c->v && i < c->n; i++) {
		struct custom_lib *l = &c->v[i];
		if (l->inited && l->deinit)
			l->deinit(l->data);
		if (l->dl)
			dlclose(l->dl);
		free(l->path);
	}
	free(c->v);
	free(c->post_buf);
	memset(c, 0, sizeof(*c));
}
