/*
 * fuzz.c - the AFL-style fuzzing loop (see fuzz.h).
 *
 * Data flow: seeds (or the queue of a previous run) -> calibration ->
 * corpus -> corpus_next() -> havoc/splice -> target_run() -> feedback.
 * Feedback per execution is one pass over the counters that buckets them
 * and compares with the virgin map (cov_classify_and_update), plus a path
 * hash for the "fast" schedule; everything else (saving, culling, stats)
 * happens only when something new is found or a timer fires.
 *
 * Crashes are unique when they show a new signal or hit an edge no earlier
 * crash hit, hangs likewise, so a bug reached a thousand ways is saved a
 * handful of times, not a thousand. Every saved file is written whole and
 * renamed into place (store.c) before it is reported.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "cov.h"
#include "cpu.h"
#include "dict.h"
#include "dictfile.h"
#include "i2s.h"
#include "errors.h"
#include "fuzz.h"
#include "log.h"
#include "mutate.h"
#include "stats.h"
#include "store.h"
#include "target.h"
#include "banned.h"

#define CFG_SYNC_SEC 30

volatile sig_atomic_t fuzz_stop_requested;

/* Where a candidate came from, for file names and entry records. */
struct origin {
	int32_t src, src2; /* parent ids (src2: splice partner), -1 none */
	const char *op;    /* "havoc", "splice", "seed", "sync" */
	unsigned rep;
	const struct mutate_trace *trace;
	const char *orig; /* seed file name */
	const char *peer; /* sync source */
};

struct fuzzer {
	const struct fuzz_opts *o;
	struct target t;
	struct store st;
	struct corpus c;
	struct stats s;
	struct rng rng;
	size_t map_bytes;
	uint8_t *virgin, *crash_seen, *hang_seen, *var_bytes, *cal_trace;
	uint64_t crash_sigs, hang_seen_any;
	uint8_t *buf;
	uint64_t start_ms, start_unix, run_time_base, execs_base;
	uint64_t execs;
	uint64_t next_status_ms, next_stats_ms, next_sync_ms;
	uint64_t last_period_ms, last_period_execs;
	uint64_t crashes, hangs, found, imported;
	uint64_t cycles_at_last_find;
	uint64_t cal_ms, trim_ms;
	uint64_t crash_execs; /* execs_done at the last saved crash */
	uint64_t cmp_ms;
	struct dict dict;   /* -x tokens first, then the automatic ones */
	size_t user_tokens; /* how many of dict came from -x */
	int stop;
};

static uint64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t elapsed_ms(const struct fuzzer *f)
{
	return mono_ms() - f->start_ms;
}

/* AFL's describe_op: the part of a file name after id (and sig). */
static void describe(const struct fuzzer *f, const struct origin *o, char *out, size_t cap)
{
	size_t n = 0;
	if (o->peer) {
		n = (size_t)snprintf(out, cap, "sync:%s,src:%06d", o->peer, o->src);
		return;
	}
	if (o->orig) {
		snprintf(out, cap, "time:0,execs:%llu,orig:%s",
			 (unsigned long long)(f->execs_base + f->execs), o->orig);
		return;
	}
	if (o->src2 >= 0)
		n = (size_t)snprintf(out, cap, "src:%06d+%06d", o->src, o->src2);
	else
		n = (size_t)snprintf(out, cap, "src:%06d", o->src);
	n += (size_t)snprintf(out + n, cap - n, ",time:%llu,execs:%llu,op:%s,rep:%u",
			      (unsigned long long)elapsed_ms(f),
			      (unsigned long long)(f->execs_base + f->execs), o->op, o->rep);
	if (o->trace && o->trace->n && n < cap) {
		n += (size_t)snprintf(out + n, cap - n, ",mut:");
		unsigned shown = o->trace->n < 4 ? o->trace->n : 4;
		for (unsigned i = 0; i < shown && n < cap; i++)
			n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? "+" : "",
					      mutate_name(o->trace->ops[i]));
		if (o->trace->n > shown && n < cap)
			snprintf(out + n, cap - n, "+...");
	}
}

static void update_stats(struct fuzzer *f)
{
	struct stats *s = &f->s;
	uint64_t now_ms = elapsed_ms(f);
	s->last_update = (uint64_t)time(NULL);
	s->run_time = f->run_time_base + now_ms / 1000;
	s->fuzzer_pid = (uint64_t)getpid();
	s->cycles_done = f->c.cycles;
	s->cycles_wo_finds = f->c.cycles - f->cycles_at_last_find;
	s->time_wo_finds = s->last_find ? s->last_update - s->last_find : now_ms / 1000;
	s->fuzz_time = now_ms / 1000;
	s->calibration_time = f->cal_ms / 1000;
	s->trim_time = f->trim_ms / 1000;
	s->cmplog_time = f->cmp_ms / 1000;
	s->auto_dict_entries = f->dict.n - f->user_tokens;
	s->execs_done = f->execs_base + f->execs;
	s->execs_per_sec = now_ms ? (double)f->execs * 1000.0 / (double)now_ms : 0;
	uint64_t dt = now_ms - f->last_period_ms;
	if (dt >= 1000 || !f->last_period_ms) {
		s->execs_ps_last_min =
		    dt ? (double)(f->execs - f->last_period_execs) * 1000.0 / (double)dt : 0;
		f->last_period_ms = now_ms;
		f->last_period_execs = f->execs;
	}
	s->corpus_count = f->c.n;
	s->corpus_favored = f->c.n_favored;
	s->corpus_found = f->found;
	s->corpus_imported = f->imported;
	uint64_t pending = 0, variable = 0, depth = 0, bytes = 0;
	for (size_t i = 0; i < f->c.n; i++) {
		const struct entry *e = f->c.v[i];
		pending += !e->was_fuzzed;
		variable += e->variable;
		depth = e->depth > depth ? e->depth : depth;
		bytes += e->len;
	}
	s->corpus_variable = variable;
	s->max_depth = depth;
	s->pending_favs = f->c.pending_favored;
	s->pending_total = pending;
	uint32_t seen = cov_count_seen(f->virgin, f->map_bytes);
	uint32_t var = cov_count_edges(f->var_bytes, f->map_bytes);
	s->edges_found = seen;
	s->total_edges = f->t.edges;
	s->var_byte_count = var;
	s->stability = seen ? 100.0 * (double)(seen - (var < seen ? var : seen)) / seen : 100.0;
	s->bitmap_cvg = f->t.edges ? 100.0 * (double)seen / (double)f->t.edges : 0;
	s->saved_crashes = f->crashes;
	s->saved_hangs = f->hangs;
	s->execs_since_crash = s->execs_done - f->crash_execs;
	s->exec_timeout = f->t.timeout_ms;
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		s->peak_rss_mb = (uint64_t)ru.ru_maxrss / 1024;
	s->testcache_size = bytes;
	s->testcache_count = f->c.n;
}

static void write_stats(struct fuzzer *f)
{
	update_stats(f);
	stats_write(&f->s, f->st.dir);
	uint64_t pct = f->t.edges ? (uint64_t)(10000.0 * f->s.edges_found / f->t.edges) : 0;
	stats_plot(&f->s, f->st.dir, elapsed_ms(f) / 1000, pct);
}

static void print_status(struct fuzzer *f)
{
	update_stats(f);
	log_info("[%llus] execs %llu (%.0f/s) corpus %llu (fav %llu) edges %llu/%llu "
		 "crashes %llu hangs %llu cycle %llu",
		 (unsigned long long)(elapsed_ms(f) / 1000),
		 (unsigned long long)f->s.execs_done, f->s.execs_ps_last_min,
		 (unsigned long long)f->s.corpus_count, (unsigned long long)f->s.corpus_favored,
		 (unsigned long long)f->s.edges_found, (unsigned long long)f->s.total_edges,
		 (unsigned long long)f->crashes, (unsigned long long)f->hangs,
		 (unsigned long long)f->c.cycles);
}

static void check_timers(struct fuzzer *f);

/* Counts one execution; reaching -E stops the run whatever stage ran it. */
static void count_exec(struct fuzzer *f)
{
	f->execs++;
	if (f->o->max_execs && f->execs >= f->o->max_execs)
		f->stop = 1;
}

static void save_crash(struct fuzzer *f, const uint8_t *buf, size_t len,
		       const struct run_result *res, const struct origin *o)
{
	int sig = res->signal & 63;
	int novel = !(f->crash_sigs & (1ull << sig));
	novel |= cov_new_edges_vs(f->t.map, f->crash_seen, f->map_bytes);
	if (!novel)
		return;
	f->crash_sigs |= 1ull << sig;
	char desc[400], name[512], how[64];
	describe(f, o, desc, sizeof(desc));
	snprintf(name, sizeof(name), "id:%06llu,sig:%02d,%s", (unsigned long long)f->crashes,
		 res->signal, desc);
	if (store_write(f->st.crashes, name, buf, len))
		die("cannot save a crash in '%s'", f->st.crashes);
	f->crashes++;
	f->s.last_crash = (uint64_t)time(NULL);
	f->crash_execs = f->execs_base + f->execs;
	log_info("crash (%s) saved: %s/%s", target_describe(res, how, sizeof(how)),
		 f->st.crashes, name);
	if (f->o->stop_on_crash)
		f->stop = 1;
}

static void save_hang(struct fuzzer *f, const uint8_t *buf, size_t len, const struct origin *o)
{
	int novel = !f->hang_seen_any;
	novel |= cov_new_edges_vs(f->t.map, f->hang_seen, f->map_bytes);
	if (!novel)
		return;
	f->hang_seen_any = 1;
	char desc[400], name[512];
	describe(f, o, desc, sizeof(desc));
	snprintf(name, sizeof(name), "id:%06llu,%s", (unsigned long long)f->hangs, desc);
	if (store_write(f->st.hangs, name, buf, len))
		die("cannot save a hang in '%s'", f->st.hangs);
	f->hangs++;
	f->s.last_hang = (uint64_t)time(NULL);
	log_info("hang saved: %s/%s", f->st.hangs, name);
}

/* Adds the input that just ran (its classified trace is in the map). */
static struct entry *keep(struct fuzzer *f, const uint8_t *buf, size_t len, int news,
			  uint64_t exec_ns, uint64_t path_hash, const struct origin *o,
			  const char *fixed_name)
{
	struct entry *e = entry_new(buf, len);
	if (!e)
		die("out of memory");
	/* With a fixed seed the schedule must not depend on how fast the
	 * machine was at that moment: treat every input as equally fast, so
	 * the same seed and budget repeat the same run. */
	e->exec_us = f->o->seed_set ? 1 : exec_ns / 1000;
	e->path_hash = path_hash;
	e->new_cov = news == COV_NEW_EDGE;
	e->parent = o->src;
	e->rep = (uint16_t)o->rep;
	e->op = o->trace && o->trace->n ? o->trace->ops[0] : 0;
	if (o->src >= 0 && (size_t)o->src < f->c.n)
		e->depth = f->c.v[o->src]->depth + 1;
	char name[512];
	if (fixed_name) {
		snprintf(name, sizeof(name), "%s", fixed_name);
	} else {
		char desc[400];
		describe(f, o, desc, sizeof(desc));
		snprintf(name, sizeof(name), "id:%06zu,%s%s", f->c.n, desc,
			 e->new_cov ? ",+cov" : "");
	}
	if (!(e->name = strdup(name)) || corpus_add(&f->c, e, f->t.map))
		die("out of memory");
	if (!fixed_name && store_write(f->st.queue, name, buf, len))
		die("cannot write to queue '%s'", f->st.queue);
	return e;
}

/*
 * Runs one candidate and acts on the result. The common case (nothing new)
 * costs the run, one classify-and-compare pass and one hash.
 */
static void run_candidate(struct fuzzer *f, const uint8_t *buf, size_t len,
			  const struct origin *o)
{
	struct run_result res;
	int err = target_run(&f->t, buf, len, &res);
	if (err)
		die("cannot run target '%s': %s", f->o->argv[0], ferret_strerror(err));
	count_exec(f);
	if (res.kind == RUN_CRASH) {
		save_crash(f, buf, len, &res, o);
	} else if (res.kind == RUN_HANG) {
		save_hang(f, buf, len, o);
	} else {
		int news = cov_classify_and_update(f->t.map, f->virgin, f->map_bytes);
		uint64_t h = 0;
		if (f->o->schedule == SCHED_FAST || news) {
			h = cov_hash(f->t.map, f->map_bytes);
			corpus_note_path(&f->c, h);
		}
		if (news) {
			keep(f, buf, len, news, res.exec_ns, h, o, NULL);
			f->found++;
			f->s.last_find = (uint64_t)time(NULL);
			f->cycles_at_last_find = f->c.cycles;
		}
		uint64_t ms = res.exec_ns / 1000000;
		if (ms > f->s.slowest_exec_ms)
			f->s.slowest_exec_ms = ms;
	}
	if (fuzz_stop_requested)
		f->stop = 1;
}

/*
 * Calibrates one seed: runs it CFG_CAL_RUNS times (more if its coverage
 * varies), records the average time and which edges vary, and adds it to
 * the corpus. Returns the kind of the first run, so the caller can skip
 * seeds that crash or hang.
 */
static enum run_kind calibrate(struct fuzzer *f, const uint8_t *buf, size_t len,
			       const char *seed_name, const char *queue_name)
{
	struct run_result res;
	uint64_t total_ns = 0, first_hash = 0, t0 = mono_ms();
	int runs = CFG_CAL_RUNS, variable = 0;
	for (int i = 0; i < runs; i++) {
		int err = target_run(&f->t, buf, len, &res);
		if (err)
			die("cannot run target '%s': %s", f->o->argv[0], ferret_strerror(err));
		count_exec(f);
		if (res.kind != RUN_OK) {
			if (i == 0)
				return res.kind;
			continue; /* flaky crash: keep what the good runs said */
		}
		total_ns += res.exec_ns;
		if (i == 0) {
			cov_classify_and_update(f->t.map, f->virgin, f->map_bytes);
			memcpy(f->cal_trace, f->t.map, f->map_bytes);
			first_hash = cov_hash(f->t.map, f->map_bytes);
			continue;
		}
		cov_classify(f->t.map, f->map_bytes);
		if (cov_hash(f->t.map, f->map_bytes) != first_hash) {
			for (size_t b = 0; b < f->map_bytes; b++)
				if (f->t.map[b] != f->cal_trace[b])
					f->var_bytes[b] = 1;
			if (!variable)
				runs = CFG_CAL_RUNS_VARIABLE;
			variable = 1;
		}
	}
	/* Put the first run's trace back: it is what the entry is judged by. */
	memcpy(f->t.map, f->cal_trace, f->map_bytes);
	struct origin o = {.src = -1, .src2 = -1, .op = "seed", .orig = seed_name};
	res.exec_ns = total_ns / (uint64_t)runs;
	struct entry *e = keep(f, buf, len, COV_NEW_EDGE, res.exec_ns, first_hash, &o, queue_name);
	e->variable = (unsigned)variable;
	corpus_note_path(&f->c, first_hash);
	f->cal_ms += mono_ms() - t0;
	return RUN_OK;
}

static void load_inputs(struct fuzzer *f, int resuming)
{
	const char *dir = resuming ? f->st.queue : f->o->in_dir;
	char **names;
	size_t n;
	int err = store_list(dir, &names, &n);
	if (err == FERRET_EEMPTY)
		die("seed directory '%s' is empty", dir);
	if (err)
		die("cannot read seed directory '%s'", dir);
	size_t crashed = 0, hung = 0, kept = 0;
	const char *first_bad = NULL;
	enum run_kind *kinds = calloc(n, sizeof(*kinds));
	if (!kinds)
		die("out of memory");
	for (size_t i = 0; i < n; i++) {
		char *path = path_join(dir, names[i]);
		uint8_t *data;
		size_t len;
		int truncated;
		if (!path || store_read(path, CFG_MAX_INPUT_BYTES, &data, &len, &truncated))
			die("cannot read seed '%s'", path ? path : names[i]);
		if (truncated)
			log_warn("seed '%s' is larger than %u bytes; truncated", path,
				 CFG_MAX_INPUT_BYTES);
		char qname[512];
		if (!resuming)
			snprintf(qname, sizeof(qname), "id:%06zu,time:0,execs:0,orig:%s", f->c.n,
				 names[i]);
		enum run_kind k = calibrate(f, data, len, names[i], resuming ? names[i] : qname);
		kinds[i] = k;
		if (k == RUN_OK) {
			kept++;
			if (!resuming && store_write(f->st.queue, qname, data, len))
				die("cannot write to queue '%s'", f->st.queue);
		} else {
			if (!first_bad)
				first_bad = names[i];
			if (k == RUN_CRASH)
				crashed++;
			else
				hung++;
		}
		free(data);
		free(path);
	}
	if (!kept) {
		if (crashed == n)
			die("every seed in '%s' crashes the target (first: '%s')", dir, first_bad);
		die("no usable seed in '%s': %zu crash, %zu time out (raise -t?)", dir, crashed,
		    hung);
	}
	/* Only now that fuzzing can go on are skipped seeds worth a warning. */
	for (size_t i = 0; i < n; i++)
		if (kinds[i] != RUN_OK)
			log_warn("seed '%s/%s' %s; skipped", dir, names[i],
				 kinds[i] == RUN_CRASH ? "crashes the target" : "times out");
	free(kinds);
	store_free_list(names, n);
	log_info("%s %zu inputs from '%s' (%zu skipped), %u of %u edges seen",
		 resuming ? "resumed" : "loaded", kept, dir, n - kept,
		 cov_count_seen(f->virgin, f->map_bytes), f->t.edges);
}

/* Imports new queue entries of the other instances under OUT (AFL's sync):
 * the main instance reads everyone, a secondary only the main. */
static void sync_peers(struct fuzzer *f)
{
	char **peers;
	size_t np;
	if (store_list_dirs(f->st.root, &peers, &np))
		return;
	for (size_t i = 0; i < np && !f->stop; i++) {
		if (!strcmp(peers[i], f->o->name))
			continue;
		char *pdir = path_join(f->st.root, peers[i]);
		char *marker = pdir ? path_join(pdir, "is_main_node") : NULL;
		int peer_is_main = marker && access(marker, F_OK) == 0;
		free(marker);
		if (!pdir || (f->o->role == ROLE_SECONDARY && !peer_is_main)) {
			free(pdir);
			continue;
		}
		char *pq = path_join(pdir, "queue");
		char synced_dir[4096], synced_name[8192];
		snprintf(synced_dir, sizeof(synced_dir), "%s/.synced", f->st.dir);
		snprintf(synced_name, sizeof(synced_name), "%s/%s", synced_dir, peers[i]);
		long next_id = 0;
		FILE *sf = fopen(synced_name, "r");
		if (sf) {
			if (fscanf(sf, "%ld", &next_id) != 1)
				next_id = 0;
			fclose(sf);
		}
		char **names;
		size_t n;
		long max_id = next_id - 1;
		if (pq && store_list(pq, &names, &n) == 0) {
			for (size_t k = 0; k < n && !f->stop; k++) {
				char *end;
				if (strncmp(names[k], "id:", 3))
					continue;
				long id = strtol(names[k] + 3, &end, 10);
				if (id < next_id || strstr(names[k], ",sync:"))
					continue;
				if (id > max_id)
					max_id = id;
				char *path = path_join(pq, names[k]);
				uint8_t *data;
				size_t len;
				if (path && !store_read(path, CFG_MAX_INPUT_BYTES, &data, &len, NULL)) {
					struct origin o = {.src = (int32_t)id, .src2 = -1,
							   .op = "sync", .peer = peers[i]};
					size_t before = f->c.n;
					run_candidate(f, data, len, &o);
					f->imported += f->c.n - before;
					f->found -= f->c.n - before;
					free(data);
				}
				free(path);
			}
			store_free_list(names, n);
		}
		if (max_id + 1 > next_id && !store_mkdirs(synced_dir)) {
			char num[32];
			int m = snprintf(num, sizeof(num), "%ld\n", max_id + 1);
			store_write(synced_dir, peers[i], num, (size_t)m);
		}
		free(pq);
		free(pdir);
	}
	store_free_list(peers, np);
}

static void check_timers(struct fuzzer *f)
{
	uint64_t now = elapsed_ms(f);
	if (now >= f->next_status_ms) {
		print_status(f);
		f->next_status_ms = now + CFG_STATUS_SEC * 1000;
	}
	if (now >= f->next_stats_ms) {
		write_stats(f);
		f->next_stats_ms = now + CFG_STATS_SEC * 1000;
	}
	if (f->o->role != ROLE_ALONE && now >= f->next_sync_ms) {
		sync_peers(f);
		f->next_sync_ms = elapsed_ms(f) + CFG_SYNC_SEC * 1000;
	}
	if (f->o->max_seconds && now >= f->o->max_seconds * 1000)
		f->stop = 1;
}

/*
 * AFL's trim: before an entry is fuzzed the first time, drop blocks (from
 * len/16 down to len/1024, at least 4 bytes) while the path hash stays the
 * same. Short entries make every later mutation likelier to land on the
 * bytes that matter. Costs a few dozen runs per new entry.
 */
static void trim_entry(struct fuzzer *f, struct entry *e)
{
	e->trimmed = 1;
	if (e->len < 5 || e->variable)
		return;
	size_t pow2 = 1;
	while (pow2 < e->len)
		pow2 <<= 1;
	size_t step = pow2 / 16 > 4 ? pow2 / 16 : 4;
	size_t min_step = pow2 / 1024 > 4 ? pow2 / 1024 : 4;
	size_t before = e->len;
	uint64_t t0 = mono_ms();
	for (; step >= min_step && !f->stop; step >>= 1) {
		for (size_t pos = 0; pos < e->len && e->len > 1 && !f->stop;) {
			size_t cut = step < e->len - pos ? step : e->len - pos;
			if (cut >= e->len)
				break;
			memcpy(f->buf, e->data, pos);
			memcpy(f->buf + pos, e->data + pos + cut, e->len - pos - cut);
			size_t len = e->len - cut;
			struct run_result res;
			if (target_run(&f->t, f->buf, len, &res))
				die("cannot run target '%s'", f->o->argv[0]);
			count_exec(f);
			if (res.kind == RUN_OK) {
				cov_classify(f->t.map, f->map_bytes);
				if (cov_hash(f->t.map, f->map_bytes) == e->path_hash) {
					memcpy(e->data, f->buf, len);
					e->len = (uint32_t)len;
					continue;
				}
			}
			pos += step;
		}
	}
	if (e->len != before && store_write(f->st.queue, e->name, e->data, e->len))
		die("cannot write to queue '%s'", f->st.queue);
	f->trim_ms += mono_ms() - t0;
}

struct i2s_ctx {
	struct fuzzer *f;
	struct entry *e;
};

static int i2s_emit(void *ctx, const uint8_t *buf, size_t len)
{
	struct i2s_ctx *c = ctx;
	struct origin o = {.src = (int32_t)c->e->id, .src2 = -1, .op = "i2s", .rep = 1};
	run_candidate(c->f, buf, len, &o);
	return c->f->stop;
}

static void add_auto_token(void *ctx, const uint8_t *data, size_t len)
{
	dict_add(&((struct fuzzer *)ctx)->dict, data, len);
}

/*
 * Compare feedback for a new entry: one run with the compare log on, then
 * the input-to-state candidates of that log, and its constants into the
 * automatic dictionary. The log is read in place: runs with logging off
 * leave it alone. Clearing it means resetting each site's count only.
 */
static void cmp_stage(struct fuzzer *f, struct entry *e)
{
	e->cmp_done = 1;
	uint64_t t0 = mono_ms();
	struct ferret_cmp_site *log = shm_cmp(&f->t.shm);
	for (size_t i = 0; i < FERRET_CMP_SITES; i++)
		log[i].n = 0;
	struct run_result res;
	f->t.shm.hdr->cmp_on = 1;
	int err = target_run(&f->t, e->data, e->len, &res);
	f->t.shm.hdr->cmp_on = 0;
	if (err)
		die("cannot run target '%s': %s", f->o->argv[0], ferret_strerror(err));
	count_exec(f);
	if (res.kind != RUN_OK)
		return; /* variable behaviour: the entry ran fine before */
	i2s_tokens(log, FERRET_CMP_SITES, add_auto_token, f);
	struct i2s_ctx ctx = {f, e};
	i2s_run(e->data, e->len, log, FERRET_CMP_SITES, f->buf, CFG_MAX_INPUT_BYTES,
		CFG_I2S_MAX_CANDIDATES, i2s_emit, &ctx);
	f->cmp_ms += mono_ms() - t0;
}

/* One scheduled entry: its energy in havoc (and splice) candidates. */
static void fuzz_entry(struct fuzzer *f, struct entry *e)
{
	uint32_t energy = corpus_energy(&f->c, e, f->o->schedule, CFG_HAVOC_CYCLES,
					CFG_HAVOC_MAX_MULT);
	if (energy < 16)
		energy = 16;
	f->s.cur_item = e->id;
	if (!e->trimmed)
		trim_entry(f, e);
	if (!e->cmp_done && !f->o->no_cmp && !f->stop)
		cmp_stage(f, e);
	struct mutate_env env = {.tokens = f->dict.v, .n_tokens = f->dict.n};
	struct mutate_trace trace;
	for (uint32_t i = 0; i < energy && !f->stop; i++) {
		memcpy(f->buf, e->data, e->len);
		size_t len = e->len;
		struct origin o = {.src = (int32_t)e->id, .src2 = -1, .op = "havoc",
				   .trace = &trace};
		trace.n = 0;
		if (f->c.n > 1 && rng_below(&f->rng, 8) == 0) {
			struct entry *other = f->c.v[rng_below(&f->rng, f->c.n)];
			env.splice = other->data;
			env.splice_len = other->len;
			size_t nl = mutate_splice(&f->rng, f->buf, len, CFG_MAX_INPUT_BYTES, &env,
						  &trace);
			if (nl) {
				len = nl;
				o.op = "splice";
				o.src2 = (int32_t)other->id;
			}
			env.splice = NULL;
			env.splice_len = 0;
			env.tokens = f->dict.v;
			env.n_tokens = f->dict.n;
		}
		if (o.src2 < 0)
			len = mutate_havoc(&f->rng, f->buf, len, CFG_MAX_INPUT_BYTES, &env, &trace);
		o.rep = trace.n;
		run_candidate(f, f->buf, len, &o);
		if ((i & 63) == 0)
			check_timers(f);
	}
	corpus_mark_fuzzed(&f->c, e);
}

static void write_cmdline(struct fuzzer *f)
{
	char buf[8192];
	size_t n = 0;
	for (char *const *a = f->o->argv; *a && n < sizeof(buf); a++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s\n", *a);
	if (n > sizeof(buf))
		n = sizeof(buf);
	store_write(f->st.dir, "cmdline", buf, n);
}

static void write_crash_readme(struct fuzzer *f)
{
	char buf[8192];
	size_t n = (size_t)snprintf(buf, sizeof(buf),
				    "Crashes found by ferret for:\n\n  ");
	for (char *const *a = f->o->argv; *a && n < sizeof(buf); a++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s ", *a);
	if (n < sizeof(buf))
		n += (size_t)snprintf(buf + n, sizeof(buf) - n,
				      "\n\nReproduce one with:\n\n  ferret run -t %u -- ",
				      f->o->timeout_ms);
	for (char *const *a = f->o->argv; *a && n < sizeof(buf); a++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s ", *a);
	if (n < sizeof(buf))
		n += (size_t)snprintf(buf + n, sizeof(buf) - n,
				      "-- FILE\n\n(with @@ in the command, FILE replaces it; "
				      "otherwise FILE is the program's stdin)\n");
	if (n > sizeof(buf))
		n = sizeof(buf);
	store_write(f->st.crashes, "README.txt", buf, n);
}

int fuzz_run(const struct fuzz_opts *o)
{
	static struct fuzzer fz;
	struct fuzzer *f = &fz;
	memset(f, 0, sizeof(*f));
	f->o = o;
	f->start_ms = mono_ms();
	f->start_unix = (uint64_t)time(NULL);
	rng_seed(&f->rng, o->seed_set ? o->seed : (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32);

	/* Everything the user can get wrong is checked before anything is
	 * created or started, so a bad command line leaves no trace. */
	char **qnames;
	size_t qn = 0;
	char *qdir = path_join(o->out_dir, o->name), *qpath = qdir ? path_join(qdir, "queue") : NULL;
	int resuming = qpath && store_list(qpath, &qnames, &qn) == 0;
	free(qdir);
	free(qpath);
	if (resuming) {
		store_free_list(qnames, qn);
	} else {
		if (!o->in_dir)
			die("no seed directory: give -i DIR");
		errno = 0;
		int err = store_list(o->in_dir, &qnames, &qn);
		if (err == FERRET_EEMPTY)
			die("seed directory '%s' is empty", o->in_dir);
		if (err)
			die_errno("cannot read seed directory '%s'", o->in_dir);
		store_free_list(qnames, qn);
	}
	if (access(o->argv[0], X_OK) != 0)
		die_errno("cannot execute target '%s'", o->argv[0]);
	dict_init(&f->dict, CFG_DICT_MAX_TOKENS, CFG_DICT_MAX_TOKEN_BYTES);
	for (size_t i = 0; i < o->n_dicts; i++)
		if (dictfile_load(&f->dict, o->dicts[i], o->dict_strict) < 0)
			exit(1); /* dictfile_load said why */
	f->user_tokens = f->dict.n;
	if (store_open(&f->st, o->out_dir, o->name))
		die("cannot create output directory '%s/%s'", o->out_dir, o->name);
	if (resuming) {
		stats_read(&f->s, f->st.dir);
		f->execs_base = f->s.execs_done;
		f->run_time_base = f->s.run_time;
		f->crashes = f->s.saved_crashes;
		f->hangs = f->s.saved_hangs;
		f->s.start_time = 0;
	}
	if (o->role == ROLE_MAIN) {
		char *m = path_join(f->st.dir, "is_main_node");
		if (m)
			store_write(f->st.dir, "is_main_node", "", 0);
		free(m);
	}

	int cpu = -1;
	if (o->bind_cpu != -2 && !getenv("FERRET_NO_AFFINITY")) {
		cpu = cpu_bind(o->bind_cpu);
		if (cpu < 0)
			log_warn("no free CPU to bind to; running unbound (slower round trips)");
	}
	f->s.cpu_affinity = cpu < 0 ? 0 : (uint64_t)cpu;

	char *cur = path_join(f->st.dir, ".cur_input");
	int err;
	if (!cur || (err = target_init(&f->t, o->argv, cur)))
		die("cannot execute target '%s'", o->argv[0]);
	free(cur);
	f->t.timeout_ms = o->timeout_ms;
	f->t.mem_limit_mb = o->mem_limit_mb;
	if (!o->show_output)
		f->t.flags |= TARGET_QUIET;
	if (o->value_profile)
		f->t.flags |= TARGET_VALUE_PROFILE;
	if ((err = target_start(&f->t))) {
		if (err == FERRET_ENOTINST)
			die("target '%s' is not instrumented: build it with ferret-cc", o->argv[0]);
		die("cannot start target '%s': %s", o->argv[0], ferret_strerror(err));
	}
	f->map_bytes = f->t.map_bytes;
	f->virgin = malloc(f->map_bytes);
	f->crash_seen = calloc(1, f->map_bytes);
	f->hang_seen = calloc(1, f->map_bytes);
	f->var_bytes = calloc(1, f->map_bytes);
	f->cal_trace = malloc(f->map_bytes);
	f->buf = malloc(CFG_MAX_INPUT_BYTES);
	if (!f->virgin || !f->crash_seen || !f->hang_seen || !f->var_bytes || !f->cal_trace ||
	    !f->buf || corpus_init(&f->c, f->map_bytes, CFG_N_FUZZ_SLOTS))
		die("out of memory");
	cov_virgin_init(f->virgin, f->map_bytes);

	f->s.start_time = f->s.start_time ? f->s.start_time : f->start_unix;
	f->s.afl_banner = o->argv[0];
	f->s.afl_version = "ferret-" FERRET_VERSION;
	f->s.target_mode = (f->t.flags & TARGET_PERSISTENT) ? "persistent" : "fork server";
	f->s.command_line = o->cmdline;
	write_cmdline(f);
	write_crash_readme(f);
	load_inputs(f, resuming);
	log_info("target '%s': %u edges, %s%s mode, timeout %u ms", o->argv[0], f->t.edges,
		 (f->t.rt_flags & FERRET_RT_PC_HASH) ? "hashed (gcc) edges, " : "",
		 f->s.target_mode, o->timeout_ms);
	if (o->role != ROLE_ALONE)
		sync_peers(f);
	write_stats(f);

	while (!f->stop) {
		struct entry *e = corpus_next(&f->c, &f->rng);
		if (!e)
			die("every queue entry is disabled: nothing left to fuzz");
		fuzz_entry(f, e);
		check_timers(f);
	}

	write_stats(f);
	print_status(f);
	log_info("stopped after %llu executions: %zu queue entries, %llu crashes in '%s', "
		 "%llu hangs in '%s'",
		 (unsigned long long)(f->execs_base + f->execs), f->c.n,
		 (unsigned long long)f->crashes, f->st.crashes, (unsigned long long)f->hangs,
		 f->st.hangs);
	target_release(&f->t);
	corpus_release(&f->c);
	free(f->virgin);
	free(f->crash_seen);
	free(f->hang_seen);
	free(f->var_bytes);
	free(f->cal_trace);
	free(f->buf);
	store_release(&f->st);
	dict_release(&f->dict);
	return 0;
}
