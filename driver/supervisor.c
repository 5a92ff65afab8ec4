/*
 * supervisor.c - the process a libFuzzer-style harness starts as. It owns
 * everything durable: it reads the corpus, forks the worker (which inherits
 * the initialised harness and the inputs), writes the entries the worker
 * hands over to the first corpus directory, enforces -timeout and
 * -rss_limit_mb from outside, and when the worker dies writes the input in
 * flight as crash-/timeout-/oom-<sha1> and reports it as libFuzzer does.
 * With -fork (or -ignore_crashes) it then forks a fresh worker from the same
 * fork point and goes on; otherwise it exits with libFuzzer's exit codes.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "driver.h"
#include "errors.h"
#include "log.h"
#include "sha1.h"
#include "store.h"

size_t lf_rss_mb(int pid)
{
	char path[64];
	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/statm", pid);
	else
		snprintf(path, sizeof(path), "/proc/self/statm");
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	unsigned long size = 0, rss = 0;
	int ok = fscanf(f, "%lu %lu", &size, &rss) == 2;
	fclose(f);
	return ok ? (size_t)rss * (size_t)sysconf(_SC_PAGESIZE) >> 20 : 0;
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

struct inputs {
	uint8_t **data;
	size_t *lens;
	size_t n, cap;
};

static void inputs_add(struct inputs *in, uint8_t *data, size_t len)
{
	if (in->n == in->cap) {
		in->cap = in->cap ? in->cap * 2 : 64;
		in->data = realloc(in->data, in->cap * sizeof(*in->data));
		in->lens = realloc(in->lens, in->cap * sizeof(*in->lens));
		if (!in->data || !in->lens)
			die("out of memory");
	}
	in->data[in->n] = data;
	in->lens[in->n++] = len;
}

int lf_read_dir(const char *dir, uint8_t ***data, size_t **lens, size_t *n, size_t max_len)
{
	struct inputs in = {0};
	char **names;
	size_t nn;
	int err = store_list(dir, &names, &nn);
	if (!err) {
		for (size_t i = 0; i < nn; i++) {
			char *p = path_join(dir, names[i]);
			uint8_t *d;
			size_t len;
			if (p && !store_read(p, max_len, &d, &len, NULL))
				inputs_add(&in, d, len);
			free(p);
		}
		store_free_list(names, nn);
	}
	*data = in.data;
	*lens = in.lens;
	*n = in.n;
	return err == 0 || err == FERRET_EEMPTY ? 0 : err;
}

static void print_base64(const uint8_t *d, size_t n)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	fprintf(stderr, "Base64: ");
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)d[i] << 16 | (i + 1 < n ? (uint32_t)d[i + 1] << 8 : 0) |
			     (i + 2 < n ? d[i + 2] : 0);
		fputc(tab[v >> 18 & 63], stderr);
		fputc(tab[v >> 12 & 63], stderr);
		fputc(i + 1 < n ? tab[v >> 6 & 63] : '=', stderr);
		fputc(i + 2 < n ? tab[v & 63] : '=', stderr);
	}
	fputc('\n', stderr);
}

char lf_last_artifact[4096];

int lf_write_artifact(const struct lf_opts *o, const char *kind, const uint8_t *data, size_t len)
{
	char sha[41], path[4096];
	sha1_hex(data, len, sha);
	if (*o->exact_artifact_path)
		snprintf(path, sizeof(path), "%s", o->exact_artifact_path);
	else
		snprintf(path, sizeof(path), "%s%s-%s", *o->artifact_prefix ? o->artifact_prefix : "./",
			 kind, sha);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "ERROR: cannot write artifact '%s': %s\n", path, strerror(errno));
		return -1;
	}
	snprintf(lf_last_artifact, sizeof(lf_last_artifact), "%s", path);
	fprintf(stderr, "artifact_prefix='%s'; Test unit written to %s\n",
		*o->artifact_prefix ? o->artifact_prefix : "./", path);
	if (len <= 4096)
		print_base64(data, len);
	return 0;
}

/* Saves new entries from the ring: in memory (for restarted workers) and,
 * when a corpus directory was given, as <dir>/<sha1>. */
static void drain(struct lf_shared *sh, const struct lf_opts *o, struct inputs *in)
{
	uint64_t head = __atomic_load_n(&sh->ring_head, __ATOMIC_ACQUIRE), t = sh->ring_tail;
	while (t < head) {
		uint8_t hdr[4];
		for (int i = 0; i < 4; i++)
			hdr[i] = sh->ring[(t + (uint64_t)i) % LF_RING_BYTES];
		uint32_t len;
		memcpy(&len, hdr, 4);
		if (len & LF_RING_REMOVE) {
			/* passive minimization dropped an entry */
			char sha[41] = {0};
			uint32_t n = len & ~LF_RING_REMOVE;
			for (uint32_t i = 0; i < n && i < 40; i++)
				sha[i] = (char)sh->ring[(t + 4 + i) % LF_RING_BYTES];
			t += 4 + (uint64_t)n;
			if (o->n_dirs) {
				char *p = path_join(o->dirs[0], sha);
				if (p)
					unlink(p);
				free(p);
			}
			continue;
		}
		uint8_t *d = malloc(len ? len : 1);
		if (!d)
			die("out of memory");
		for (uint32_t i = 0; i < len; i++)
			d[i] = sh->ring[(t + 4 + i) % LF_RING_BYTES];
		t += 4 + (uint64_t)len;
		inputs_add(in, d, len);
		if (o->n_dirs) {
			char sha[41];
			sha1_hex(d, len, sha);
			store_write(o->dirs[0], sha, d, len);
		}
	}
	__atomic_store_n(&sh->ring_tail, t, __ATOMIC_RELEASE);
}

enum death { D_CRASH, D_TIMEOUT, D_OOM, D_EXIT };

static void report(const struct lf_opts *o, struct lf_shared *sh, enum death kind, int pid,
		   int status, size_t rss)
{
	size_t len = sh->in_len;
	const uint8_t *d = sh->input;
	if (o->smith_test >= 0) {
		/* a FERRET_TEST's finding is the stream it consumed */
		len = sh->slog_len;
		d = sh->slog;
	}
	switch (kind) {
	case D_TIMEOUT:
		fprintf(stderr, "==%d== ERROR: libFuzzer: timeout after %lld seconds\n", pid,
			o->timeout);
		break;
	case D_OOM:
		if (sh->malloc_oom)
			fprintf(stderr,
				"==%d== ERROR: libFuzzer: out-of-memory (malloc(%llu))\n", pid,
				(unsigned long long)sh->malloc_oom_size);
		else
			fprintf(stderr,
				"==%d== ERROR: libFuzzer: out-of-memory (used: %zuMb; exceeds: "
				"%lldMb)\n",
				pid, rss, o->rss_limit_mb);
		break;
	case D_EXIT:
		fprintf(stderr, "==%d== ERROR: libFuzzer: fuzz target exited\n", pid);
		break;
	case D_CRASH:
		if (WIFSIGNALED(status) && !sh->died)
			fprintf(stderr, "==%d== ERROR: libFuzzer: deadly signal (%s)\n", pid,
				sigabbrev_np(WTERMSIG(status)) ? sigabbrev_np(WTERMSIG(status))
							       : "?");
		break;
	}
	if (sh->from_i2s) {
		fprintf(stderr, "MS: 1 CMP-");
	} else {
		fprintf(stderr, "MS: %u ", sh->trace.n);
		for (unsigned i = 0; i < sh->trace.n && i < 64; i++)
			fprintf(stderr, "%s-", mutate_name(sh->trace.ops[i]));
	}
	fprintf(stderr, "; base unit: %s\n", sh->base_sha[0] ? sh->base_sha : "0");
	if (len <= 64 && o->smith_test < 0) {
		for (size_t i = 0; i < len; i++)
			fprintf(stderr, "0x%x,", d[i]);
		fputc('\n', stderr);
	}
	lf_write_artifact(o, kind == D_TIMEOUT ? "timeout" : kind == D_OOM ? "oom" : "crash", d,
			  len);
	fprintf(stderr, "SUMMARY: libFuzzer: %s\n",
		kind == D_TIMEOUT ? "timeout"
		: kind == D_OOM   ? "out-of-memory"
		: kind == D_EXIT  ? "fuzz target exited"
				  : "deadly signal");
}

static size_t pick_max_len(const struct lf_opts *o, const struct inputs *in)
{
	if (o->max_len > 0)
		return (size_t)o->max_len;
	size_t m = 0;
	for (size_t i = 0; i < in->n; i++)
		m = in->lens[i] > m ? in->lens[i] : m;
	if (m <= 4096) {
		fprintf(stderr, "INFO: -max_len is not provided; libFuzzer will not generate inputs "
				"larger than 4096 bytes\n");
		return 4096;
	}
	return m > (1u << 20) ? 1u << 20 : m;
}

int lf_supervise(const struct lf_opts *o_in)
{
	struct lf_opts opts = *o_in, *o = &opts;
	if (!o->seed)
		o->seed = (long long)((uint64_t)time(NULL) ^ (uint64_t)getpid() << 16) & 0x7fffffff;
	fprintf(stderr, "INFO: Seed: %lld\n", o->seed);
	fprintf(stderr, "INFO: ferret engine: in-process worker under a supervisor\n");

	struct inputs in = {0};
	for (size_t i = 0; i < o->n_dirs; i++) {
		uint8_t **d;
		size_t *l, n;
		lf_read_dir(o->dirs[i], &d, &l, &n, 1u << 20);
		fprintf(stderr, "INFO: %8zu files found in %s\n", n, o->dirs[i]);
		for (size_t k = 0; k < n; k++)
			inputs_add(&in, d[k], l[k]);
		free(d);
		free(l);
	}
	if (!in.n)
		fprintf(stderr, "INFO: A corpus is not provided, starting from an empty corpus\n");
	size_t max_len = pick_max_len(o, &in);

	struct lf_shared *sh = mmap(NULL, sizeof(*sh) + max_len, PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		die("cannot map the shared area");
	uint64_t start = now_ms(), execs_before = 0;
	signal(SIGPIPE, SIG_IGN);
	for (;;) {
		/* What the next worker may still spend. */
		struct lf_opts wo = *o;
		if (o->runs >= 0)
			wo.runs = o->runs - (long long)execs_before > 0 ? o->runs - (long long)execs_before : 0;
		if (o->max_total_time > 0) {
			long long left = o->max_total_time - (long long)((now_ms() - start) / 1000);
			wo.max_total_time = left > 0 ? left : 1;
		}
		wo.seed = o->seed + (long long)execs_before;
		sh->execs = 0;
		sh->done = sh->died = sh->malloc_oom = 0;
		sh->running = 0;
		pid_t pid = fork();
		if (pid < 0)
			die("cannot fork the worker");
		if (pid == 0)
			lf_worker(&wo, sh, max_len, in.data, in.lens, in.n);

		enum death kind = D_CRASH;
		int status = 0, killed = 0;
		size_t rss = 0;
		uint64_t seen_seq = ~0ull, seq_since = now_ms(), next_rss = now_ms() + 1000;
		for (;;) {
			drain(sh, o, &in);
			pid_t r = waitpid(pid, &status, WNOHANG);
			if (r == pid)
				break;
			uint64_t t = now_ms();
			if (sh->exec_seq != seen_seq || !sh->running) {
				seen_seq = sh->exec_seq;
				seq_since = t;
			} else if (o->timeout > 0 && !killed &&
				   t - seq_since > (uint64_t)o->timeout * 1000) {
				kind = D_TIMEOUT;
				killed = 1;
				kill(pid, SIGKILL);
			}
			if (o->rss_limit_mb > 0 && t >= next_rss && !killed) {
				next_rss = t + 1000;
				rss = lf_rss_mb(pid);
				if (rss > (size_t)o->rss_limit_mb) {
					kind = D_OOM;
					killed = 1;
					kill(pid, SIGKILL);
				}
			}
			if (o->max_total_time > 0 && !killed &&
			    t - start > (uint64_t)(o->max_total_time + 10) * 1000) {
				killed = 1;
				kill(pid, SIGKILL); /* the worker should have stopped by itself */
				kind = D_EXIT;
			}
			usleep(2000);
		}
		drain(sh, o, &in);
		execs_before += sh->execs;
		if (sh->done && WIFEXITED(status) && WEXITSTATUS(status) == 0)
			return 0;
		if (!killed) {
			if (sh->malloc_oom)
				kind = D_OOM;
			else if (WIFEXITED(status) && !sh->died)
				kind = D_EXIT;
			else
				kind = D_CRASH;
		}
		if (kind == D_EXIT && killed) /* out of time, not a finding */
			return 0;
		report(o, sh, kind, pid, status, rss);
		int go_on = o->ignore_crashes;
		if (kind == D_TIMEOUT)
			go_on = o->fork && o->ignore_timeouts;
		else if (kind == D_OOM)
			go_on = o->fork && o->ignore_ooms;
		if (!go_on || (o->runs >= 0 && execs_before >= (uint64_t)o->runs) ||
		    (o->max_total_time > 0 && now_ms() - start >= (uint64_t)o->max_total_time * 1000))
			return kind == D_TIMEOUT ? (int)o->timeout_exitcode
			       : kind == D_OOM   ? LF_OOM_EXIT_CODE
						 : (int)o->error_exitcode;
		fprintf(stderr, "INFO: restarting the worker (-fork)\n");
	}
}
