/*
 * merge.c - the two corpus tools of the libFuzzer command line, both
 * crash-resistant: inputs run in a forked worker, and when it dies the
 * supervisor skips the input in flight and forks another.
 *   -merge=1 OUT IN...   keeps, from the inputs of IN..., those that add
 *                        coverage features to what OUT already has
 *                        (greedy set cover, smaller inputs first);
 *   -minimize_crash=1 F  shrinks a crashing input while it still crashes.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cov.h"
#include "driver.h"
#include "log.h"
#include "rng.h"
#include "rt.h"
#include "sha1.h"
#include "store.h"

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Waits for a worker, killing it when one input runs past the timeout.
 * Returns the wait status. */
static int wait_worker(pid_t pid, struct lf_shared *sh, long long timeout_s)
{
	uint64_t seen = ~0ull, since = now_ms();
	int status;
	for (;;) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return status;
		if (sh->exec_seq != seen || !sh->running) {
			seen = sh->exec_seq;
			since = now_ms();
		} else if (timeout_s > 0 && now_ms() - since > (uint64_t)timeout_s * 1000) {
			kill(pid, SIGKILL);
		}
		usleep(1000);
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

/* Runs one input in-process and returns its classified map. */
static const uint8_t *run_one(struct lf_shared *sh, const uint8_t *d, size_t len, size_t map_bytes)
{
	memset(ferret__map, 0, map_bytes);
	memcpy(sh->input, d, len);
	sh->in_len = (uint32_t)len;
	sh->exec_seq++;
	sh->running = 1;
	LLVMFuzzerTestOneInput(sh->input, len);
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
	int ok;          /* ran without dying */
	uint32_t *feats; /* (edge * 8 + bucket bit) */
	size_t n_feats;
};

static int by_size(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	if (x->initial != y->initial)
		return y->initial - x->initial; /* OUT's inputs first */
	return x->len < y->len ? -1 : x->len > y->len;
}

int lf_merge(const struct lf_opts *o)
{
	if (o->n_dirs < 2)
		die("-merge=1 needs an output directory and at least one input directory");
	struct item *items = NULL;
	size_t n = 0, cap = 0, max_len = 1;
	for (size_t d = 0; d < o->n_dirs; d++) {
		char **names;
		size_t nn;
		if (store_list(o->dirs[d], &names, &nn))
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
			if (!it->path || store_read(it->path, 1u << 20, &it->data, &it->len, NULL))
				continue;
			it->initial = d == 0;
			max_len = it->len > max_len ? it->len : max_len;
			n++;
		}
		store_free_list(names, nn);
	}
	size_t n_initial = 0;
	for (size_t i = 0; i < n; i++)
		n_initial += items[i].initial;
	fprintf(stderr, "MERGE-OUTER: %zu files, %zu in the initial corpus\n", n, n_initial);

	/* Features travel back through a pipe: index, count, features. */
	struct lf_shared *sh = map_shared(max_len);
	size_t map_bytes = ferret__map_used();
	size_t next = 0, crashes = 0;
	while (next < n) {
		int fds[2];
		if (pipe(fds) < 0)
			die("cannot create a pipe");
		pid_t pid = fork();
		if (pid == 0) {
			close(fds[0]);
			for (size_t i = next; i < n; i++) {
				const uint8_t *m = run_one(sh, items[i].data, items[i].len, map_bytes);
				uint32_t hdr[2] = {(uint32_t)i, 0};
				for (size_t b = 0; b < map_bytes; b++)
					hdr[1] += m[b] != 0;
				if (write(fds[1], hdr, sizeof(hdr)) != sizeof(hdr))
					_exit(1);
				for (size_t b = 0; b < map_bytes; b++)
					if (m[b]) {
						uint32_t f = (uint32_t)b * 8 + (uint32_t)__builtin_ctz(m[b]);
						if (write(fds[1], &f, 4) != 4)
							_exit(1);
					}
			}
			_exit(0);
		}
		close(fds[1]);
		FILE *in = fdopen(fds[0], "rb");
		uint32_t hdr[2];
		while (fread(hdr, sizeof(hdr), 1, in) == 1) {
			struct item *it = &items[hdr[0]];
			it->feats = malloc((hdr[1] ? hdr[1] : 1) * sizeof(uint32_t));
			if (!it->feats || fread(it->feats, 4, hdr[1], in) != hdr[1])
				break;
			it->n_feats = hdr[1];
			it->ok = 1;
			next = hdr[0] + 1;
		}
		fclose(in);
		int status = wait_worker(pid, sh, o->timeout);
		if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
			fprintf(stderr, "MERGE-OUTER: skipping an input that crashed or hung: %s\n",
				items[next].path);
			crashes++;
			next++;
		}
	}

	qsort(items, n, sizeof(*items), by_size);
	uint8_t *have = calloc(map_bytes * 8 + 8, 1);
	if (!have)
		die("out of memory");
	size_t added = 0, new_feats = 0, initial_feats = 0;
	for (size_t i = 0; i < n; i++) {
		struct item *it = &items[i];
		if (!it->ok)
			continue;
		size_t adds = 0;
		for (size_t k = 0; k < it->n_feats; k++)
			adds += !have[it->feats[k]];
		if (!it->initial && !adds)
			continue;
		for (size_t k = 0; k < it->n_feats; k++)
			have[it->feats[k]] = 1;
		if (it->initial) {
			initial_feats += adds;
			continue;
		}
		char sha[41];
		sha1_hex(it->data, it->len, sha);
		if (store_write(o->dirs[0], sha, it->data, it->len) == 0) {
			added++;
			new_feats += adds;
		}
	}
	fprintf(stderr, "MERGE-OUTER: %zu new files with %zu new features added; %zu inputs "
			"skipped (crash or timeout)\n",
		added, new_feats, crashes);
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

int lf_minimize_crash(const struct lf_opts *o)
{
	if (o->n_files != 1)
		die("-minimize_crash=1 needs exactly one input file");
	uint8_t *best;
	size_t best_len;
	if (store_read(o->files[0], 1u << 20, &best, &best_len, NULL))
		die("cannot read '%s'", o->files[0]);
	char orig_sha[41];
	sha1_hex(best, best_len, orig_sha);
	fprintf(stderr, "CRASH_MIN: minimizing crash input: '%s' (%zu bytes)\n", o->files[0],
		best_len);
	struct lf_shared *sh = map_shared(best_len + 1);
	size_t map_bytes = ferret__map_used();
	uint64_t start = now_ms(), tried = 0;
	int crashed_once = 0;
	for (;;) {
		uint64_t budget = o->runs >= 0 ? (uint64_t)o->runs : ~0ull;
		if (tried >= budget ||
		    (o->max_total_time > 0 && now_ms() - start > (uint64_t)o->max_total_time * 1000))
			break;
		sh->execs = 0;
		pid_t pid = fork();
		if (pid == 0) {
			struct rng r;
			rng_seed(&r, (uint64_t)o->seed + tried);
			if (!crashed_once) {
				run_one(sh, best, best_len, map_bytes);
				_exit(0); /* the original did not crash */
			}
			uint8_t *buf = malloc(best_len + 1);
			for (uint64_t k = 0; tried + k < budget; k++) {
				size_t n = candidate(best, best_len, k, &r, buf);
				if (!n)
					break;
				if (n == (size_t)-1)
					n = 0;
				sh->execs = k + 1;
				run_one(sh, buf, n, map_bytes);
			}
			_exit(0);
		}
		int status = wait_worker(pid, sh, o->timeout);
		tried += sh->execs ? sh->execs : 1;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
			if (!crashed_once) {
				fprintf(stderr, "ERROR: the input '%s' did not crash\n", o->files[0]);
				return 1;
			}
			break; /* a whole sweep without a crash: done */
		}
		if (!crashed_once) {
			crashed_once = 1;
			continue;
		}
		size_t n = sh->in_len;
		if (n < best_len) {
			memcpy(best, sh->input, n);
			best_len = n;
			fprintf(stderr, "CRASH_MIN: shrunk to %zu bytes\n", best_len);
		}
	}
	fprintf(stderr, "CRASH_MIN: failed to minimize beyond %zu bytes, exiting\n", best_len);
	struct lf_opts out = *o;
	char prefixed[4096];
	if (!*o->exact_artifact_path) {
		snprintf(prefixed, sizeof(prefixed), "%sminimized-from-%s",
			 *o->artifact_prefix ? o->artifact_prefix : "./", orig_sha);
		out.exact_artifact_path = prefixed;
	}
	return lf_write_artifact(&out, "minimized-from", best, best_len) ? 1 : 0;
}
