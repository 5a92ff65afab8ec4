/*
 * merge.c - the two corpus tools of the libFuzzer command line, both
 * crash-resistant: inputs run in a forked worker, and when it dies the
 * supervisor skips the input in flight and forks another.
 *   -merge=1 OUT IN...   keeps, from the inputs of IN..., those that add
 *                        coverage features to what OUT already has
 *                        (greedy set cover, smaller inputs first);
 *   -minimize_crash=1 F  shrinks a crashing input while it still crashes;
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
	};
	return w;
}

/* Whether a worker's end is a finding (a crash of the input in flight), as
 * opposed to a clean exit, a hang, a memory blow-up or a budget spent. */
static int crashed(const struct child_result *r)
{
	switch (r->end) {
	case CHILD_SIGNALED:
	case CHILD_SANITIZER:
		return 1;
	case CHILD_EXITED:
		return r->exit_code != 0;
	default:
		return 0;
	}
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
	sh->running = 0;
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
	lf_harness(sh->input, len);
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
	uint32_t *feats; /* (edge * 8 + bucket bit) */
	size_t n_feats;
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
			 * features no input before it in this worker had */
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
					if (m[b] & ~seen[b]) {
						fts[hdr[1]++] = (uint32_t)b * 8 +
								(uint32_t)__builtin_ctz(m[b]);
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
		fprintf(stderr, "#%zu\tDONE   cov: %zu ft: %zu exec/s: 0 rss: %ldMb\n", ran,
			all_edges, all_feats, rss);
	}

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
		char sha[41];
		sha1_hex(it->data, it->len, sha);
		if (store_write(o->dirs[0], sha, it->data, it->len) == 0) {
			added++;
			new_feats += adds;
		}
	}
	fprintf(stderr,
		"MERGE-OUTER: %zu new files with %zu new features added; %zu new coverage edges\n",
		added, new_feats, new_edges);
	if (crashes)
		fprintf(stderr, "MERGE-OUTER: %zu inputs skipped (crash or timeout)\n", crashes);
	free(have);
	free(initial_edge);
	free(new_edge);
	return 0;
}

/* ---- minimize_crash ---- */

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
 * The crash identity -minimize_crash compares. LLVM 14's libFuzzer
 * compares the DEDUP_TOKEN lines of the original crash and of each
 * reduction, which the sanitizer prints only when its options set
 * dedup_token_length (libFuzzer does not set it: observed, any crash
 * counts then); on a mismatch it keeps the input before and stops. The
 * options read are those of the sanitizer that reports: ASAN_OPTIONS
 * under ASan, MSAN_OPTIONS under MSan, else UBSAN_OPTIONS (libFuzzer's
 * stack traces in a build without a sanitizer come from UBSan's runtime).
 * The worker's stderr goes to a file the helper reads for the token and
 * then copies to stderr, as libFuzzer prints each step's output. A build
 * whose crash prints no token (no sanitizer in ferret's build) is named by
 * ferret's own capture instead (runtime/crash.c, in a header of its own):
 * the first dedup_token_length frames of the crashing thread.
 */
void __asan_init(void) __attribute__((weak));
void __msan_init(void) __attribute__((weak));

struct crash_id {
	long frames;            /* dedup_token_length; 0: any crash counts */
	struct ferret_shm *hdr; /* ferret's capture, shared with the worker */
	FILE *out;              /* the worker's stderr */
};

static long dedup_frames(void)
{
	const char *opts = getenv(__asan_init   ? "ASAN_OPTIONS"
				  : __msan_init ? "MSAN_OPTIONS"
						: "UBSAN_OPTIONS");
	const char *last = NULL;
	for (const char *p = opts; p && (p = strstr(p, "dedup_token_length=")); p++)
		last = p; /* the last setting wins, as in the sanitizers' parser */
	return last ? strtol(last + strlen("dedup_token_length="), NULL, 10) : 0;
}

/* Before a worker is forked: a fresh file for its stderr, no capture. */
static void crash_id_arm(struct crash_id *c)
{
	if (c->frames <= 0)
		return;
	c->out = tmpfile();
	c->hdr->crash_signal = 0;
}

/* In the worker: stderr to the file, ferret's capture on. */
static void crash_id_child(struct crash_id *c)
{
	if (c->frames <= 0)
		return;
	if (c->out)
		dup2(fileno(c->out), 2);
	ferret__modules_scan(); /* which frames are the program's (runtime/modules.c) */
	ferret__shm = c->hdr;
	ferret__crash_hook();
}

/* After the worker ended: copies its stderr out and leaves in tok (cap
 * bytes) its DEDUP_TOKEN line, else ferret's frames in the same form, else
 * "" (no name, as libFuzzer's when the output has none). */
static void crash_id_token(struct crash_id *c, char *tok, size_t cap)
{
	tok[0] = 0;
	if (c->frames <= 0)
		return;
	if (c->out) {
		char line[1024];
		rewind(c->out);
		while (fgets(line, sizeof(line), c->out)) {
			fputs(line, stderr);
			char *t = strstr(line, "DEDUP_TOKEN:");
			if (t) {
				t[strcspn(t, "\n")] = 0;
				snprintf(tok, cap, "%s", t);
			}
		}
		fclose(c->out);
		c->out = NULL;
	}
	uint32_t n = c->hdr->crash_frames;
	if (tok[0] || !c->hdr->crash_signal || !n)
		return;
	n = n < FERRET_CRASH_FRAMES ? n : FERRET_CRASH_FRAMES;
	n = (long)n < c->frames ? n : (uint32_t)c->frames;
	size_t at = (size_t)snprintf(tok, cap, "DEDUP_TOKEN: ");
	for (uint32_t i = 0; i < n && at < cap; i++)
		at += (size_t)snprintf(tok + at, cap - at, "%s0x%llx", i ? "--" : "",
				       (unsigned long long)c->hdr->crash_pc[i]);
}

/* libFuzzer's lines as one of its steps starts on path (n bytes): the
 * first, and once the input is known to crash, the others. */
static void say_step(const char *path, size_t n)
{
	fprintf(stderr, "CRASH_MIN: minimizing crash input: '%s' (%zu bytes)\n", path, n);
}

static void say_crashed(const char *path, size_t n, const char *tok)
{
	fprintf(stderr,
		"CRASH_MIN: '%s' (%zu bytes) caused a crash. Will try to minimize it further\n",
		path, n);
	if (*tok)
		fprintf(stderr, "CRASH_MIN: DedupToken1: %s\n", tok);
}

int lf_minimize_crash(const struct lf_opts *o)
{
	if (o->n_files != 1)
		die("-minimize_crash=1 needs exactly one input file");
	uint8_t *best;
	size_t best_len;
	if (store_read(o->files[0], CFG_MAX_INPUT_BYTES, &best, &best_len, NULL))
		die("cannot read '%s'", o->files[0]);
	char orig_sha[41];
	sha1_hex(best, best_len, orig_sha);
	struct lf_shared *sh = map_shared(best_len + 1);
	struct crash_id id = {.frames = dedup_frames()};
	if (id.frames > 0) {
		id.hdr = mmap(NULL, sizeof(*id.hdr), PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (id.hdr == MAP_FAILED)
			die("cannot map the shared area");
	}
	char tok1[512] = "", tok2[512];
	say_step(o->files[0], best_len);
	size_t map_bytes = ferret__map_used();
	uint64_t start = clock_ms(), tried = 0;
	uint64_t first = 0; /* the candidate a worker's sweep starts from */
	uint64_t total_ms = o->max_total_time > 0 ? (uint64_t)o->max_total_time * 1000 : 0;
	uint64_t budget = o->runs >= 0 ? (uint64_t)o->runs : ~0ull;
	int crashed_once = 0;
	for (;;) {
		uint64_t spent_ms = clock_ms() - start;
		if (tried >= budget || (total_ms && spent_ms >= total_ms))
			break;
		struct child ch;
		crash_id_arm(&id);
		pid_t pid = fork_worker(o, sh, total_ms ? total_ms - spent_ms : 0, &ch);
		if (pid == 0) {
			crash_id_child(&id);
			struct rng r;
			rng_seed(&r, (uint64_t)o->seed + tried);
			if (!crashed_once) {
				run_one(sh, best, best_len, map_bytes);
				_exit(0); /* the original did not crash */
			}
			uint8_t *buf = malloc(best_len + 1);
			for (uint64_t k = first; tried + (k - first) < budget; k++) {
				size_t n = candidate(best, best_len, k, &r, buf);
				if (!n)
					break;
				if (n == (size_t)-1)
					n = 0;
				sh->execs = k - first + 1;
				run_one(sh, buf, n, map_bytes);
			}
			_exit(0);
		}
		const struct child_result *r = child_wait(&ch);
		crash_id_token(&id, tok2, sizeof(tok2));
		uint64_t ran = sh->execs ? sh->execs : 1;
		tried += ran;
		if (r->end == CHILD_EXITED && r->exit_code == 0) {
			if (!crashed_once) {
				fprintf(stderr, "ERROR: the input %s did not crash\n", o->files[0]);
				return 1;
			}
			break; /* a whole sweep without a crash: done */
		}
		if (r->end == CHILD_OVERTIME || r->end == CHILD_INTERRUPTED)
			break;
		if (!crashed(r)) {
			/* a hang or an out-of-memory is not the crash we keep */
			char how[128];
			if (!crashed_once) {
				fprintf(stderr, "ERROR: the input %s did not crash (%s)\n",
					o->files[0], child_describe(r, how, sizeof(how)));
				return 1;
			}
			first += ran; /* go on after the candidate that hung */
			continue;
		}
		if (!crashed_once) {
			crashed_once = 1;
			memcpy(tok1, tok2, sizeof(tok1));
			say_crashed(o->files[0], best_len, tok1);
			continue;
		}
		size_t n = sh->in_len;
		if (*tok2)
			fprintf(stderr, "CRASH_MIN: DedupToken2: %s\n", tok2);
		if (strcmp(tok1, tok2)) {
			/* another bug: libFuzzer keeps the input before and stops */
			if (artifact_write(o, "minimized-from", orig_sha, best, best_len))
				return 1;
			fprintf(stderr, "CRASH_MIN: mismatch in dedup tokens (looks like a "
					"different bug). Won't minimize further\n");
			return 0;
		}
		if (n < best_len) {
			memcpy(best, sh->input, n);
			best_len = n;
			first = 0;
			/* one of libFuzzer's steps is over: its result is on disk */
			if (artifact_write(o, "minimized-from", orig_sha, best, best_len))
				return 1;
			fprintf(stderr, "*********************************\n");
			say_step(artifact_last(), best_len);
			say_crashed(artifact_last(), best_len, tok1);
		}
	}
	if (artifact_write(o, "minimized-from", orig_sha, best, best_len))
		return 1;
	fprintf(stderr, "CRASH_MIN: failed to minimize beyond %s (%zu bytes), exiting\n",
		artifact_last(), best_len);
	return 0;
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
