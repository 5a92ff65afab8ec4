/*
 * merge.c - the corpus and crash tools of the libFuzzer command line, all
 * crash-resistant: inputs run in a forked worker, and when it dies the
 * supervisor skips the input in flight and forks another.
 *   -merge=1 OUT IN...   keeps, from the inputs of IN..., those that add
 *                        coverage features to what OUT already has
 *                        (smaller inputs first); -set_cover_merge=1 the
 *                        same by a greedy set cover (the input adding the
 *                        most first, the smaller of two that add as many);
 *   -minimize_crash=1 F  shrinks a crashing input while it still crashes,
 *                        running this program as a command per step, as
 *                        libFuzzer (-minimize_crash_internal_step=1 F is
 *                        one step, its candidates in a worker);
 *   -cleanse_crash=1 F   replaces its bytes by ' ' or 0xff while it still
 *                        crashes (each candidate in a worker of its own).
 * Workers are watched children (src/exec/child.c): -timeout on their
 * execution counter, -rss_limit_mb, their process group killed. In a
 * merge, SIGINT and SIGTERM stop it before OUT is written (exit 72);
 * SIGUSR1 and SIGUSR2 are noted and the merge goes on, as libFuzzer's.
 * With -merge_control_file=F the merge is resumable, in libFuzzer's
 * format: the list of inputs first, then, written by the worker as it
 * goes, "STARTED i size" before input i runs and "FT i ..." (its new
 * features) and "COV i ..." (their edges) after; a merge that was killed
 * starts again after the last input started, which is skipped.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "artifact.h"
#include "child.h"
#include "clock.h"
#include "config.h"
#include "cov.h"
#include "cover.h"
#include "harness.h"
#include "inproc.h"
#include "log.h"
#include "merge.h"
#include "options.h"
#include "rng.h"
#include "rt.h"
#include "sha1.h"
#include "store.h"
#include "supervisor.h"
#include "worker.h"
#include "banned.h"

/* The watcher's rules for one worker: -timeout on its execution counter,
 * -rss_limit_mb, and total_ms (0: none) plus the usual grace. */
static struct child_watch watch_of(const struct lf_opts *o, struct lf_shared *sh, uint64_t total_ms)
{
	struct child_watch w = {
		.timeout_ms = o->timeout > 0 ? (uint64_t)o->timeout * 1000 : 0,
		.rss_mb = o->rss_limit_mb > 0 ? (uint64_t)o->rss_limit_mb : 0,
		.total_ms = total_ms,
		.grace_ms = total_ms ? CFG_LF_GRACE_MS : 0,
		.exec_seq = &sh->exec_seq,
		.running = &sh->running,
		.died = &sh->died,
		.oom = &sh->malloc_oom,
	};
	return w;
}

static struct lf_shared *map_shared(size_t max_len)
{
	struct lf_shared *sh = mmap(NULL, sizeof(*sh) + max_len, PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		die("cannot map the shared area");
	return sh;
}

/* Forks a watched worker (watch_of's rules, total_ms) with the shared
 * counters reset; dies when it cannot. Returns the pid (0 in the worker). */
static pid_t fork_worker(const struct lf_opts *o, struct lf_shared *sh, uint64_t total_ms,
			 struct child *ch)
{
	sh->execs = sh->exec_seq = 0;
	sh->running = sh->died = sh->malloc_oom = sh->done = 0;
	struct child_watch w = watch_of(o, sh, total_ms);
	pid_t pid = child_fork(ch, &w);
	if (pid < 0)
		die_errno("cannot fork");
	return pid;
}

/* Runs one input in-process and returns its classified map. */
static const uint8_t *run_one(struct lf_shared *sh, const uint8_t *d, size_t len, size_t map_bytes)
{
	memset(ferret__map, 0, map_bytes);
	memcpy(sh->input, d, len);
	sh->in_len = (uint32_t)len;
	sh->exec_seq++;
	sh->running = 1;
	lf_harness_run(sh->input, len);
	sh->running = 0;
	cov_classify(ferret__map, map_bytes);
	return ferret__map;
}

/* ---- merge ---- */

struct item {
	char *path;
	uint8_t *data;
	size_t len;
	int initial;     /* already in OUT */
	size_t listed;   /* its place in the directories' listings (readdir order) */
	int ok;          /* ran without dying */
	int known;       /* its features come from the control file: not run again */
	int fresh;       /* ran in this process's workers (not an earlier merge's) */
	uint32_t *feats; /* cov_feature()s */
	size_t n_feats;
	size_t first_edges; /* set cover: edges no input run before it reached */
};

/* The order inputs run in, as libFuzzer's inner merge runs them: OUT's
 * first, then the others, each part by size; equal sizes in the order the
 * directories list them (libFuzzer's sort keeps it for a small corpus). */
static int run_order(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	if (x->initial != y->initial)
		return y->initial - x->initial;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->listed < y->listed ? -1 : x->listed > y->listed;
}

/* The order of libFuzzer's greedy pass over the new inputs: smaller first,
 * then those with more features (the ones no earlier input had). */
static int pick_order(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	if (x->initial != y->initial)
		return y->initial - x->initial;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	if (x->n_feats != y->n_feats)
		return x->n_feats > y->n_feats ? -1 : 1;
	return x->listed < y->listed ? -1 : x->listed > y->listed;
}

/* Bytes read from a merge worker's pipe and not parsed yet. */
struct feed {
	uint8_t *buf;
	size_t n, cap;
	int bad; /* a record was out of range: the rest is ignored */
};

/* Reads what the pipe holds now. Returns 0 at EOF, else 1. */
static int feed_read(struct feed *f, int fd)
{
	for (;;) {
		if (f->cap - f->n < 65536) {
			f->cap = f->cap ? f->cap * 2 : 1u << 17;
			f->buf = realloc(f->buf, f->cap);
			if (!f->buf)
				die("out of memory");
		}
		ssize_t r = read(fd, f->buf + f->n, f->cap - f->n);
		if (r > 0) {
			f->n += (size_t)r;
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		return r == 0 ? 0 : 1; /* EOF, or EAGAIN: nothing more for now */
	}
}

/*
 * Takes the whole records out of f: u32 index, u32 count, count u32
 * features, and sets *next past the last input recorded. The records come
 * from the worker, so an index, a count or a feature out of range marks
 * the feed bad and drops the rest: the merge goes on with the next input.
 */
static void feed_parse(struct feed *f, struct item *items, size_t n_items, size_t map_bytes,
		       size_t *next)
{
	size_t off = 0;
	while (!f->bad && f->n - off >= 8) {
		uint32_t hdr[2];
		memcpy(hdr, f->buf + off, sizeof(hdr));
		if (hdr[0] >= n_items || hdr[1] > map_bytes) {
			f->bad = 1;
			break;
		}
		size_t need = 8 + (size_t)hdr[1] * 4;
		if (f->n - off < need)
			break;
		struct item *it = &items[hdr[0]];
		uint32_t *feats = malloc((hdr[1] ? hdr[1] : 1) * sizeof(uint32_t));
		if (!feats)
			die("out of memory");
		memcpy(feats, f->buf + off + 8, (size_t)hdr[1] * 4);
		int bad = 0;
		for (uint32_t k = 0; k < hdr[1]; k++)
			bad |= feats[k] >= map_bytes * 8;
		if (bad) {
			free(feats);
			f->bad = 1;
			break;
		}
		free(it->feats);
		it->feats = feats;
		it->n_feats = hdr[1];
		it->ok = it->fresh = 1;
		*next = (size_t)hdr[0] + 1;
		off += need;
	}
	if (f->bad)
		off = f->n;
	memmove(f->buf, f->buf + off, f->n - off);
	f->n -= off;
}

/* ---- the control file (-merge_control_file) ---- */

/* Appends one line to the control file with a single write (O_APPEND), so
 * a killed process leaves whole lines. */
static void ctl_line(int fd, const char *line, size_t len)
{
	if (fd >= 0 && write(fd, line, len) != (ssize_t)len)
		_exit(1);
}

/* The worker's "STARTED i size" line, before input i runs. */
static void ctl_started(int fd, size_t i, size_t size)
{
	char line[64];
	int len = snprintf(line, sizeof(line), "STARTED %zu %zu\n", i, size);
	ctl_line(fd, line, (size_t)len);
}

/* The worker's "FT i f..." and "COV i e..." lines for input i. */
static void ctl_features(int fd, size_t i, const uint32_t *ft, size_t n)
{
	if (fd < 0)
		return;
	size_t cap = 32 + n * 11;
	char *line = malloc(cap);
	if (!line)
		_exit(1);
	for (int cov = 0; cov < 2; cov++) {
		size_t len = (size_t)snprintf(line, cap, "%s %zu", cov ? "COV" : "FT", i);
		uint32_t last = ~0u;
		for (size_t k = 0; k < n; k++) {
			uint32_t v = cov ? ft[k] / 8 : ft[k];
			if (cov && v == last)
				continue; /* the features of an edge are adjacent */
			last = v;
			len += (size_t)snprintf(line + len, cap - len, " %u", v);
		}
		line[len++] = '\n';
		ctl_line(fd, line, len);
	}
	free(line);
}

/* Writes a new control file: the number of inputs, how many are OUT's,
 * their paths in the order they run. Returns its fd (O_APPEND). */
static int ctl_create(const char *path, const struct item *items, size_t n, size_t n_initial)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		die_errno("cannot write the control file '%s'", path);
	FILE *f = fdopen(dup(fd), "w");
	if (!f)
		die_errno("cannot write the control file '%s'", path);
	fprintf(f, "%zu\n%zu\n", n, n_initial);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s\n", items[i].path);
	if (fclose(f))
		die_errno("cannot write the control file '%s'", path);
	return fd;
}

/* What a control file says: its inputs, and what ran. */
struct ctl {
	char **paths;
	size_t n, n_initial;
	uint32_t **feats; /* NULL: no FT line (not run, or it died) */
	size_t *n_feats;
	size_t first_not_done; /* after the last input started */
	long failed;           /* the last input started with no FT line, or -1 */
};

/* Parses a control file; returns 0, or -1 when it is not one (or its
 * features are not of this program's map). */
static int ctl_parse(const char *path, size_t map_bytes, struct ctl *c)
{
	memset(c, 0, sizeof(*c));
	c->failed = -1;
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int bad = 0;
	long started = -1;
	unsigned long long n, ni;
	if (getline(&line, &cap, f) < 0 || sscanf(line, "%llu", &n) != 1 ||
	    getline(&line, &cap, f) < 0 || sscanf(line, "%llu", &ni) != 1 || ni > n ||
	    n > (1u << 24))
		bad = 1;
	if (!bad) {
		c->n = n, c->n_initial = ni;
		c->paths = calloc(n + 1, sizeof(char *));
		c->feats = calloc(n + 1, sizeof(uint32_t *));
		c->n_feats = calloc(n + 1, sizeof(size_t));
		if (!c->paths || !c->feats || !c->n_feats)
			die("out of memory");
	}
	for (size_t i = 0; !bad && i < c->n; i++) {
		if ((len = getline(&line, &cap, f)) <= 1) {
			bad = 1;
			break;
		}
		line[len - 1] = 0;
		c->paths[i] = strdup(line);
	}
	while (!bad && (len = getline(&line, &cap, f)) > 0) {
		char *p = line, *end;
		int ft = !strncmp(p, "FT ", 3), st = !strncmp(p, "STARTED ", 8);
		if (!ft && !st && strncmp(p, "COV ", 4)) {
			bad = 1;
			break;
		}
		p = strchr(p, ' ') + 1;
		unsigned long long i = strtoull(p, &end, 10);
		if (end == p || i >= c->n) {
			bad = 1;
			break;
		}
		if (st) {
			if (started >= 0 && !c->feats[started])
				c->failed = started;
			started = (long)i;
			c->failed = -1;
			continue;
		}
		if (!ft || (long)i != started)
			continue; /* COV: the edges follow from the features */
		uint32_t *v = malloc((size_t)len * sizeof(uint32_t));
		size_t k = 0;
		if (!v)
			die("out of memory");
		for (p = end; !bad;) {
			unsigned long long x = strtoull(p, &end, 10);
			if (end == p)
				break;
			bad = x >= map_bytes * 8;
			v[k++] = (uint32_t)x;
			p = end;
		}
		free(c->feats[i]);
		c->feats[i] = v, c->n_feats[i] = k;
	}
	if (started >= 0 && !c->feats[started])
		c->failed = started;
	c->first_not_done = (size_t)(started + 1);
	free(line);
	fclose(f);
	return bad ? -1 : 0;
}

/* Copies a kept input to OUT under its SHA-1: 1 when written. */
static int keep_input(const struct lf_opts *o, const struct item *it)
{
	char sha[41];
	sha1_hex(it->data, it->len, sha);
	return store_write(o->dirs[0], sha, it->data, it->len) == 0;
}

/* The lines a merge ends with, libFuzzer's, then ferret's count of the
 * inputs it skipped. */
static void say_merged(size_t added, size_t feats, size_t edges, size_t crashes)
{
	fprintf(stderr,
		"MERGE-OUTER: %zu new files with %zu new features added; %zu new coverage edges\n",
		added, feats, edges);
	if (crashes)
		fprintf(stderr, "MERGE-OUTER: %zu inputs skipped (crash or timeout)\n", crashes);
}

/*
 * -set_cover_merge=1's choice, as LLVM 14's libFuzzer makes it: OUT's
 * features are covered; then, until no input adds one, the input (not of
 * OUT) with the most features not covered yet is kept, the smaller of two
 * with as many, the earlier in run order of two of one size. Its "new
 * coverage edges" are the edges the kept inputs reached first in the run
 * (the inputs' full feature lists are in run order here).
 */
static int set_cover_pick(const struct lf_opts *o, struct item *items, size_t n, size_t map_bytes,
			  size_t crashes)
{
	uint8_t *edge = calloc(map_bytes + 1, 1);
	if (!edge)
		die("out of memory");
	for (size_t i = 0; i < n; i++) {
		struct item *it = &items[i];
		it->first_edges = 0;
		for (size_t k = 0; it->ok && k < it->n_feats; k++) {
			uint32_t ft = it->feats[k];
			if (!edge[ft / 8]) {
				edge[ft / 8] = 1;
				it->first_edges++;
			}
		}
	}
	struct cover_set *sets = calloc(n + 1, sizeof(*sets));
	size_t *order = calloc(n + 1, sizeof(*order)), *adds = calloc(n + 1, sizeof(*adds));
	if (!sets || !order || !adds)
		die("out of memory");
	for (size_t i = 0; i < n; i++)
		if (items[i].ok)
			sets[i] = (struct cover_set){items[i].feats, items[i].n_feats, items[i].len,
						     items[i].initial};
	long picked = cover_pick(sets, n, map_bytes * 8 + 8, COVER_MOST_NEW, order, adds);
	if (picked < 0)
		die("out of memory");
	size_t added = 0, new_feats = 0, new_edges = 0;
	for (long j = 0; j < picked; j++) {
		struct item *it = &items[order[j]];
		if (keep_input(o, it)) {
			added++;
			new_feats += adds[j];
			new_edges += it->first_edges;
		}
	}
	free(sets);
	free(order);
	free(adds);
	say_merged(added, new_feats, new_edges, crashes);
	free(edge);
	return 0;
}

int lf_merge(const struct lf_opts *o_in)
{
	struct lf_opts opts = *o_in, *o = &opts;
	if (o->n_dirs < 2)
		die("-merge=1 needs an output directory and at least one input directory");
	lf_say_start(o);
	struct item *items = NULL;
	size_t n = 0, cap = 0, max_len = 1;
	for (size_t d = 0; d < o->n_dirs; d++) {
		char **names;
		size_t nn;
		if (store_list_readdir(o->dirs[d], &names, &nn))
			continue;
		for (size_t i = 0; i < nn; i++) {
			if (n == cap) {
				cap = cap ? cap * 2 : 256;
				items = realloc(items, cap * sizeof(*items));
				if (!items)
					die("out of memory");
			}
			struct item *it = &items[n];
			memset(it, 0, sizeof(*it));
			it->path = path_join(o->dirs[d], names[i]);
			if (!it->path ||
			    store_read(it->path, CFG_MAX_INPUT_BYTES, &it->data, &it->len, NULL))
				continue;
			it->initial = d == 0;
			it->listed = n;
			max_len = it->len > max_len ? it->len : max_len;
			n++;
		}
		store_free_list(names, nn);
	}
	size_t n_initial = 0;
	for (size_t i = 0; i < n; i++)
		n_initial += items[i].initial;
	qsort(items, n, sizeof(*items), run_order);
	int set_cover = o->set_cover_merge != 0;
	size_t map_bytes = ferret__map_used();
	size_t next = 0, crashes = 0, earlier = 0;
	int ctl_fd = -1, resumed = 0;
	const char *cf = o->merge_control_file;
	struct stat st;
	if (*cf && stat(cf, &st) == 0 && st.st_size > 0) {
		fprintf(stderr, "MERGE-OUTER: non-empty control file provided: '%s'\n", cf);
		struct ctl c;
		if (ctl_parse(cf, map_bytes, &c) < 0) {
			fprintf(stderr, "MERGE-OUTER: bad control file, will overwrite it\n");
		} else {
			fprintf(stderr,
				"MERGE-OUTER: control file ok, %zu files total, first not "
				"processed "
				"file %zu\n",
				c.n, c.first_not_done);
			if (c.failed >= 0)
				fprintf(stderr,
					"MERGE-OUTER: '%s' will be skipped as unlucky (merge has "
					"stumbled on it the last time)\n",
					c.paths[c.failed]);
			if (c.first_not_done >= c.n && c.n == n) {
				fprintf(stderr, "MERGE-OUTER: nothing to do, merge has been "
						"completed before\n");
				return 0;
			}
			if (c.first_not_done < c.n) {
				/* a merge in progress: its inputs, in its order */
				resumed = 1;
				n = c.n, n_initial = c.n_initial, next = c.first_not_done;
				items = realloc(items, (n ? n : 1) * sizeof(*items));
				if (!items)
					die("out of memory");
				for (size_t i = 0; i < n; i++) {
					struct item *it = &items[i];
					memset(it, 0, sizeof(*it));
					it->path = c.paths[i];
					it->initial = i < n_initial;
					it->listed = i;
					it->ok = i < next && c.feats[i];
					it->feats = c.feats[i];
					it->n_feats = c.n_feats[i];
					if (store_read(it->path, CFG_MAX_INPUT_BYTES, &it->data,
						       &it->len, NULL))
						it->known = 1; /* gone: neither run nor kept */
					max_len = it->len > max_len ? it->len : max_len;
				}
				ctl_fd = open(cf, O_WRONLY | O_APPEND | O_CLOEXEC);
				if (ctl_fd < 0)
					die_errno("cannot write the control file '%s'", cf);
			} else {
				/* the inputs changed: what the file knows is not run
				 * again */
				fprintf(stderr, "MERGE-OUTER: starting merge from scratch, but "
						"reusing coverage information from the given "
						"control file\n");
				for (size_t k = 0; k < c.n; k++)
					for (size_t i = 0; i < n; i++)
						if (!items[i].known &&
						    !strcmp(items[i].path, c.paths[k])) {
							/* as in libFuzzer, which
							 * adds them after its
							 * first corpus: OUT's
							 * too count as new */
							items[i].known = 1;
							items[i].ok = c.feats[k] != NULL;
							items[i].initial = 0;
							items[i].feats = c.feats[k];
							items[i].n_feats = c.n_feats[k];
							earlier++;
							break;
						}
			}
		}
	}
	if (!resumed)
		fprintf(stderr,
			"MERGE-OUTER: %zu files, %zu in the initial corpus, %zu processed "
			"earlier\n",
			n, n_initial, earlier);
	if (*cf && !resumed)
		ctl_fd = ctl_create(cf, items, n, n_initial);

	/* Features travel back through a pipe: index, count, features. */
	struct lf_shared *sh = map_shared(max_len);
	struct feed f = {0};
	lf_signals_install(NULL);
	while (next < n) {
		while (next < n && items[next].known)
			next++;
		if (next == n)
			break;
		int fds[2];
		if (pipe2(fds, O_CLOEXEC) < 0)
			die_errno("cannot create a pipe");
		struct child ch;
		pid_t pid = fork_worker(o, sh, 0, &ch);
		if (pid == 0) {
			lf_signals_default();
			close(fds[0]);
			/* as libFuzzer's inner merge: each input reports only the
			 * features no input before it in this worker had; all of
			 * them for a set cover */
			uint8_t *seen = calloc(map_bytes ? map_bytes : 1, 1);
			if (!seen)
				_exit(1);
			uint32_t *fts = malloc((map_bytes + 1) * sizeof(uint32_t));
			if (!fts)
				_exit(1);
			for (size_t i = next; i < n; i++) {
				if (items[i].known) {
					/* from the control file: written again, not run */
					if (items[i].ok) {
						ctl_started(ctl_fd, i, items[i].len);
						ctl_features(ctl_fd, i, items[i].feats,
							     items[i].n_feats);
					}
					continue;
				}
				ctl_started(ctl_fd, i, items[i].len);
				const uint8_t *m =
					run_one(sh, items[i].data, items[i].len, map_bytes);
				uint32_t hdr[2] = {(uint32_t)i, 0};
				for (size_t b = 0; b < map_bytes; b++)
					if (m[b] & (set_cover ? 0xff : ~seen[b])) {
						fts[hdr[1]++] = cov_feature(b, m[b]);
						seen[b] |= m[b];
					}
				size_t bytes = (size_t)hdr[1] * 4;
				if (write(fds[1], hdr, sizeof(hdr)) != sizeof(hdr) ||
				    (bytes && write(fds[1], fts, bytes) != (ssize_t)bytes))
					_exit(1);
				ctl_features(ctl_fd, i, fts, hdr[1]);
			}
			_exit(0);
		}
		close(fds[1]);
		fcntl(fds[0], F_SETFL, O_NONBLOCK);
		/* Read while watching: a hanging input must not block the
		 * read, or the timeout would never fire. */
		f.n = 0;
		f.bad = 0;
		for (;;) {
			if (lf_interrupted())
				kill(-pid, SIGKILL); /* came before the watcher's handler was in */
			int ended = child_poll(&ch);
			int open = feed_read(&f, fds[0]);
			feed_parse(&f, items, n, map_bytes, &next);
			if (!open || ended)
				break; /* EOF; or the group is dead and its bytes are all read */
			struct pollfd p = {.fd = fds[0], .events = POLLIN};
			poll(&p, 1, CFG_CHILD_POLL_MS);
		}
		close(fds[0]);
		/* A worker that stopped short (crash, hang, out of memory, an
		 * exit() in the harness, a bad record) was stopped by
		 * items[next]: skip it, so every worker makes progress. */
		const struct child_result *r = child_wait(&ch);
		if (lf_interrupted()) {
			/* SIGINT or SIGTERM: the worker's group is dead; nothing
			 * was written to OUT yet */
			lf_say_interrupted();
			return LF_INTERRUPT_EXIT_CODE;
		}
		while (next < n && items[next].known)
			next++; /* the worker did not run them */
		if (next < n) {
			char how[128];
			fprintf(stderr,
				"MERGE-OUTER: skipping an input that crashed or hung: %s (%s)\n",
				items[next].path, child_describe(r, how, sizeof(how)));
			crashes++;
			next++;
		}
	}
	free(f.buf);

	/* the line libFuzzer's inner merge ends with: runs, and the edges and
	 * features of all the inputs it ran (not those of an earlier merge
	 * the control file holds) */
	size_t all_feats = 0, all_edges = 0, ran = 0;
	{
		uint8_t *edge = calloc(map_bytes + 1, 1);
		if (!edge)
			die("out of memory");
		for (size_t i = 0; i < n; i++) {
			if (!items[i].fresh)
				continue;
			ran++;
			all_feats += items[i].n_feats; /* once per worker: a restart counts again */
			for (size_t k = 0; k < items[i].n_feats; k++)
				if (!edge[items[i].feats[k] / 8]++)
					all_edges++;
		}
		free(edge);
		struct rusage ru;
		long rss = getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss >> 10 : 0;
		if (set_cover) /* its inner merge counts no features: no ft: */
			fprintf(stderr, "#%zu\tDONE   cov: %zu exec/s: 0 rss: %ldMb\n", ran,
				all_edges, rss);
		else
			fprintf(stderr, "#%zu\tDONE   cov: %zu ft: %zu exec/s: 0 rss: %ldMb\n", ran,
				all_edges, all_feats, rss);
	}
	if (set_cover)
		return set_cover_pick(o, items, n, map_bytes, crashes);

	/* libFuzzer's greedy pass: OUT's features are known; the new inputs,
	 * smaller first and then richer first, are kept when they add one */
	qsort(items, n, sizeof(*items), pick_order);
	uint8_t *have = calloc(map_bytes * 8 + 8, 1);
	uint8_t *initial_edge = calloc(map_bytes + 1, 1), *new_edge = calloc(map_bytes + 1, 1);
	if (!have || !initial_edge || !new_edge)
		die("out of memory");
	size_t added = 0, new_feats = 0, new_edges = 0;
	for (size_t i = 0; i < n; i++) {
		struct item *it = &items[i];
		if (!it->ok)
			continue;
		size_t adds = 0;
		for (size_t k = 0; k < it->n_feats; k++) {
			uint32_t ft = it->feats[k];
			adds += !have[ft];
			have[ft] = 1;
			if (it->initial)
				initial_edge[ft / 8] = 1;
			else if (!initial_edge[ft / 8] && !new_edge[ft / 8])
				new_edge[ft / 8] = 1, new_edges++;
		}
		if (it->initial || !adds)
			continue;
		if (keep_input(o, it)) {
			added++;
			new_feats += adds;
		}
	}
	say_merged(added, new_feats, new_edges, crashes);
	free(have);
	free(initial_edge);
	free(new_edge);
	return 0;
}

/* ---- minimize_crash ---- */

/*
 * -minimize_crash=1 runs as LLVM 14's libFuzzer does, by running this
 * program again as a command (through /bin/sh, its output read from a
 * pipe), twice per step: once on the current input alone, which must
 * crash, then with -minimize_crash_internal_step=1, which looks for a
 * smaller input that crashes and writes it to the -exact_artifact_path it
 * is given. The next step starts from that file; a step that finds
 * nothing ends it. Each command is printed as it is run ("CRASH_MIN:
 * executing: ..."), with its arguments quoted for the shell where they
 * need it (libFuzzer never quotes them). The crash identity compared is
 * the first DEDUP_TOKEN line of each command's output, which a sanitizer
 * prints when its options set dedup_token_length (libFuzzer does not set
 * it: observed, any crash counts then).
 */

/* A command line being built: its words, the shell text is made from. */
struct cmd {
	const char **w;
	size_t n, cap;
};

static void cmd_add(struct cmd *c, const char *word)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 16;
		c->w = realloc(c->w, c->cap * sizeof(*c->w));
		if (!c->w)
			die("out of memory");
	}
	c->w[c->n++] = word;
}

/* libFuzzer's Command::addFlag: a flag goes before -ignore_remaining_args=1
 * (what follows it is the harness's), else at the end. */
static void cmd_add_flag(struct cmd *c, const char *flag)
{
	size_t at = c->n;
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->w[i], "-ignore_remaining_args=1")) {
			at = i;
			break;
		}
	cmd_add(c, flag);
	memmove(c->w + at + 1, c->w + at, (c->n - 1 - at) * sizeof(*c->w));
	c->w[at] = flag;
}

static struct cmd cmd_copy(const struct cmd *c)
{
	struct cmd d = {0};
	for (size_t i = 0; i < c->n; i++)
		cmd_add(&d, c->w[i]);
	return d;
}

/* Appends word to out (at *at, cap bytes), in single quotes unless it is
 * made only of characters the shell takes literally. */
static void put_word(char *out, size_t cap, size_t *at, const char *word)
{
	int plain = *word != 0;
	for (const char *p = word; *p; p++)
		plain &= !!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				  "0123456789_-+=/.,:@%^",
				  *p);
	if (plain) {
		*at += (size_t)snprintf(out + *at, cap - *at, "%s", word);
		return;
	}
	*at += (size_t)snprintf(out + *at, cap - *at, "'");
	for (const char *p = word; *p && *at < cap; p++)
		*at += (size_t)(*p == '\'' ? snprintf(out + *at, cap - *at, "'\\''")
					   : snprintf(out + *at, cap - *at, "%c", *p));
	*at += (size_t)snprintf(out + *at, cap - *at, "'");
}

/* The shell text of c, its stderr joined to its stdout (libFuzzer's
 * "2>&1"), malloc'd. */
static char *cmd_text(const struct cmd *c)
{
	size_t cap = 16;
	for (size_t i = 0; i < c->n; i++)
		cap += 4 * strlen(c->w[i]) + 3;
	char *out = malloc(cap);
	if (!out)
		die("out of memory");
	size_t at = 0;
	for (size_t i = 0; i < c->n; i++) {
		put_word(out, cap, &at, c->w[i]);
		at += (size_t)snprintf(out + at, cap - at, " ");
	}
	snprintf(out + at, cap - at, "2>&1");
	return out;
}

/* Runs text through /bin/sh, its output (stdout and stderr) into *out
 * (malloc'd, NUL-terminated). Returns 1 when it exited 0. */
static int run_command(const char *text, char **out)
{
	fflush(NULL);
	FILE *p = popen(text, "r");
	if (!p)
		die_errno("cannot run '%s'", text);
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	if (!buf)
		die("out of memory");
	for (size_t got; (got = fread(buf + len, 1, cap - len - 1, p)) > 0;) {
		len += got;
		if (cap - len < 2) {
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf)
				die("out of memory");
		}
	}
	buf[len] = 0;
	*out = buf;
	return pclose(p) == 0;
}

/* The first DEDUP_TOKEN line of a command's output (up to its newline,
 * which it needs), into tok; "" when there is none. */
static void dedup_token(const char *output, char *tok, size_t cap)
{
	const char *t = strstr(output, "DEDUP_TOKEN:");
	const char *nl = t ? strchr(t, '\n') : NULL;
	tok[0] = 0;
	if (nl)
		snprintf(tok, cap, "%.*s", (int)(nl - t), t);
}

/* -minimize_crash=1 in the process the user started: the steps. */
int lf_minimize_crash(const struct lf_opts *o)
{
	struct lf_opts said = *o; /* lf_say_start may note what it said */
	lf_say_start(&said);
	if (o->n_files != 1) {
		fprintf(stderr, "ERROR: -minimize_crash should be given one input file\n");
		return 1;
	}
	/* libFuzzer's base command: this one without -minimize_crash,
	 * -exact_artifact_path and the input */
	struct cmd base = {0};
	for (int i = 0; i < o->argc; i++) {
		const char *a = o->argv[i];
		if (i && (!strncmp(a, "-minimize_crash=", 16) ||
			  !strncmp(a, "-exact_artifact_path=", 21) || !strcmp(a, o->files[0])))
			continue;
		cmd_add(&base, a);
	}
	if (o->runs <= 0 && o->max_total_time == 0) {
		fprintf(stderr, "INFO: you need to specify -runs=N or -max_total_time=N with "
				"-minimize_crash=1\n"
				"INFO: defaulting to -max_total_time=600\n");
		cmd_add_flag(&base, "-max_total_time=600");
	}
	const char *prefix = *o->artifact_prefix ? o->artifact_prefix : "./";
	char *cur = strdup(o->files[0]);
	for (;;) {
		uint8_t *u;
		size_t len;
		if (!cur || store_read(cur, CFG_MAX_INPUT_BYTES, &u, &len, NULL))
			die("cannot read '%s'", cur ? cur : "");
		fprintf(stderr, "CRASH_MIN: minimizing crash input: '%s' (%zu bytes)\n", cur, len);
		struct cmd c = cmd_copy(&base);
		cmd_add_flag(&c, cur);
		char *text = cmd_text(&c), *out;
		fprintf(stderr, "CRASH_MIN: executing: %s\n", text);
		if (run_command(text, &out)) {
			fprintf(stderr, "ERROR: the input %s did not crash\n", cur);
			return 1;
		}
		fprintf(stderr,
			"CRASH_MIN: '%s' (%zu bytes) caused a crash. Will try to minimize it "
			"further\n",
			cur, len);
		char tok1[1024], tok2[1024];
		dedup_token(out, tok1, sizeof(tok1));
		if (*tok1)
			fprintf(stderr, "CRASH_MIN: DedupToken1: %s\n", tok1);
		free(out);
		free(text);

		/* the step: a smaller crash, written to the next path */
		char next[4096], sha[41], step[4096 + 32];
		sha1_hex(u, len, sha);
		if (*o->exact_artifact_path)
			snprintf(next, sizeof(next), "%s", o->exact_artifact_path);
		else
			snprintf(next, sizeof(next), "%sminimized-from-%s", prefix, sha);
		snprintf(step, sizeof(step), "-exact_artifact_path=%s", next);
		cmd_add_flag(&c, "-minimize_crash_internal_step=1");
		cmd_add_flag(&c, step);
		text = cmd_text(&c);
		fprintf(stderr, "CRASH_MIN: executing: %s\n", text);
		int none = run_command(text, &out);
		fputs(out, stderr);
		dedup_token(out, tok2, sizeof(tok2));
		free(out);
		free(text);
		free(c.w);
		const char *end = NULL;
		if (none)
			end = "failed";
		else {
			if (*tok2)
				fprintf(stderr, "CRASH_MIN: DedupToken2: %s\n", tok2);
			if (strcmp(tok1, tok2))
				end = "mismatch";
		}
		if (end) {
			/* the input of this step is the result: with
			 * -exact_artifact_path, written there (silently, as
			 * libFuzzer) */
			if (*o->exact_artifact_path) {
				if (store_write_path(o->exact_artifact_path, u, len))
					die_errno("cannot write '%s'", o->exact_artifact_path);
				free(cur);
				cur = strdup(o->exact_artifact_path);
			}
			if (*end == 'f')
				fprintf(stderr,
					"CRASH_MIN: failed to minimize beyond %s (%zu bytes), "
					"exiting\n",
					cur, len);
			else
				fprintf(stderr, "CRASH_MIN: mismatch in dedup tokens (looks like a "
						"different bug). Won't minimize further\n");
			free(u);
			free(cur);
			free(base.w);
			return 0;
		}
		free(u);
		free(cur);
		cur = strdup(next);
		fprintf(stderr, "*********************************\n");
	}
}

/* Candidate k of a shrinking sweep over an input of len bytes: remove a
 * block (sizes len/2 down to 1, at every position), then zero-ish bytes.
 * Returns 0 when the sweep is over. */
static size_t candidate(const uint8_t *in, size_t len, uint64_t k, struct rng *r, uint8_t *out)
{
	for (size_t block = len / 2 ? len / 2 : 1; block >= 1; block /= 2) {
		size_t positions = len >= block ? len - block + 1 : 0;
		if (k < positions) {
			memcpy(out, in, k);
			memcpy(out + k, in + k + block, len - k - block);
			return len - block ? len - block : (size_t)-1;
		}
		k -= positions;
		if (block == 1)
			break;
	}
	if (k < 4096 && len > 1) {
		/* random: drop one to four bytes somewhere */
		size_t drop = 1 + (size_t)rng_below(r, len < 4 ? len - 1 : 4);
		size_t at = (size_t)rng_below(r, len - drop + 1);
		memcpy(out, in, at);
		memcpy(out + at, in + at + drop, len - at - drop);
		return len - drop;
	}
	return 0;
}

/*
 * -minimize_crash_internal_step=1 FILE: one step, in a watched worker.
 * It runs smaller inputs made from FILE (candidate()'s order: blocks of
 * half the size down to single bytes removed at every position, then
 * random drops) until one crashes, within -runs and -max_total_time; that
 * one is reported as a crash found fuzzing is (lf_report_death: the
 * lines, the artifact to -exact_artifact_path) and the exit code is the
 * crash's. Nothing crashing: exit 0. libFuzzer mutates at random here.
 */
void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak, visibility("default")));

static struct lf_shared *step_sh; /* in the worker: where its death is noted */

static void on_step_death(void)
{
	if (step_sh)
		step_sh->died = 1;
}

int lf_minimize_crash_step(const struct lf_opts *o)
{
	struct lf_opts said = *o;
	lf_say_start(&said);
	if (o->n_files < 1)
		die("-minimize_crash_internal_step=1 needs an input file");
	uint8_t *u;
	size_t len;
	if (store_read(o->files[0], CFG_MAX_INPUT_BYTES, &u, &len, NULL))
		die("cannot read '%s'", o->files[0]);
	fprintf(stderr, "INFO: Starting MinimizeCrashInputInternalStep: %zu\n", len);
	if (len < 2) {
		fprintf(stderr, "INFO: The input is small enough, exiting\n");
		return 0;
	}
	if (o->max_len <= 0)
		fprintf(stderr,
			"INFO: -max_len is not provided; libFuzzer will not generate inputs "
			"larger than %zu bytes\n",
			len);
	struct lf_shared *sh = map_shared(len);
	size_t map_bytes = ferret__map_used();
	uint64_t total_ms = o->max_total_time > 0 ? (uint64_t)o->max_total_time * 1000 : 0;
	lf_signals_install(NULL);
	struct child ch;
	pid_t pid = fork_worker(o, sh, total_ms, &ch);
	if (pid == 0) {
		lf_signals_default();
		step_sh = sh;
		if (__sanitizer_set_death_callback)
			__sanitizer_set_death_callback(on_step_death);
		lf_malloc_limit_start(o, &sh->malloc_oom, &sh->malloc_oom_size);
		struct rng r;
		rng_seed(&r, (uint64_t)said.seed); /* the seed it printed */
		uint8_t *buf = malloc(len);
		uint64_t start = clock_ms();
		sh->trace.n = 1;
		sh->trace.ops[0] = MUT_DEL; /* every candidate is one deletion */
		for (uint64_t k = 0; o->runs < 0 || k < (uint64_t)o->runs; k++) {
			if (total_ms && clock_ms() - start >= total_ms)
				break;
			size_t n = buf ? candidate(u, len, k, &r, buf) : 0;
			if (!n)
				break;
			run_one(sh, buf, n, map_bytes);
			sh->execs = k + 1;
		}
		sh->done = 1;
		_exit(0);
	}
	if (lf_interrupted())
		kill(-pid, SIGKILL); /* came before the watcher's handler was in */
	const struct child_result *r = child_wait(&ch);
	if (lf_interrupted() || r->end == CHILD_INTERRUPTED) {
		lf_say_interrupted();
		return LF_INTERRUPT_EXIT_CODE;
	}
	int rc = 0;
	if (!(sh->done && r->end == CHILD_EXITED && r->exit_code == 0))
		rc = lf_report_death(o, sh, len, r, pid);
	if (!rc)
		fprintf(stderr, "INFO: Done MinimizeCrashInputInternalStep, no crashes found\n");
	return rc;
}

/* ---- cleanse_crash ---- */

/* Whether data crashes a worker of its own, run as libFuzzer runs each
 * candidate of -cleanse_crash (a new process, its output thrown away): any
 * end but a clean exit counts (a timeout or an out-of-memory too). *stop
 * is set when SIGINT or SIGTERM came. */
static int crashes_alone(const struct lf_opts *o, struct lf_shared *sh, const uint8_t *d,
			 size_t len, size_t map_bytes, int *stop)
{
	struct child ch;
	pid_t pid = fork_worker(o, sh, 0, &ch);
	if (pid == 0) {
		lf_signals_default();
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		run_one(sh, d, len, map_bytes);
		_exit(0);
	}
	if (lf_interrupted())
		kill(-pid, SIGKILL); /* came before the watcher's handler was in */
	const struct child_result *r = child_wait(&ch);
	*stop = lf_interrupted() || r->end == CHILD_INTERRUPTED;
	return !*stop && !(r->end == CHILD_EXITED && r->exit_code == 0);
}

int lf_cleanse_crash(const struct lf_opts *o)
{
	struct lf_opts said = *o; /* lf_say_start may note what it said */
	lf_say_start(&said);
	if (o->n_files != 1 || !*o->exact_artifact_path) {
		fprintf(stderr, "ERROR: -cleanse_crash should be given one input file and "
				"-exact_artifact_path\n");
		return 1;
	}
	uint8_t *u;
	size_t len;
	if (store_read(o->files[0], CFG_MAX_INPUT_BYTES, &u, &len, NULL))
		die("cannot read '%s'", o->files[0]);
	static const uint8_t with[] = {' ', 0xff};
	struct lf_shared *sh = map_shared(len + 1);
	size_t map_bytes = ferret__map_used();
	lf_signals_install(NULL);
	int stop = 0;
	/* libFuzzer's passes: at most CFG_LF_CLEANSE_PASSES, each over every
	 * byte not yet ' ' or 0xff, until one replaces nothing */
	for (int pass = 0, changed = 1; changed && !stop && pass < CFG_LF_CLEANSE_PASSES; pass++) {
		changed = 0;
		for (size_t i = 0; i < len && !stop; i++) {
			fprintf(stderr, "CLEANSE[%d]: Trying to replace byte %zu of %zu\n", pass, i,
				len);
			uint8_t was = u[i];
			if (was == with[0] || was == with[1])
				continue;
			for (size_t k = 0; k < sizeof(with) && !stop; k++) {
				u[i] = with[k];
				if (crashes_alone(o, sh, u, len, map_bytes, &stop)) {
					changed = 1;
					fprintf(stderr, "CLEANSE: Replaced byte %zu with 0x%x\n", i,
						with[k]);
					if (store_write_path(o->exact_artifact_path, u, len))
						return 1;
					break;
				}
				u[i] = was;
			}
		}
	}
	if (stop) {
		lf_say_interrupted();
		return LF_INTERRUPT_EXIT_CODE;
	}
	free(u);
	return 0;
}
