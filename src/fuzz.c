/*
 * fuzz.c - `ferret fuzz`, the AFL-style shell around the one fuzzing loop
 * (src/core/loop.c; see fuzz.h).
 *
 * Data flow: seeds (or the queue of a previous run) -> calibration -> the
 * loop's corpus -> loop_fuzz() -> target_run() through the executor below
 * -> the sink below (queue, crashes/, hangs/). What is this file's own:
 * calibration, sync between instances, stats, the status lines (or, on
 * a terminal, the screen of ui.c), the output directory's names. The loop decides everything else.
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

#include "clock.h"
#include "config.h"
#include "cov.h"
#include "covsum.h"
#include "cpu.h"
#include "custom.h"
#include "dict.h"
#include "dictfile.h"
#include "errors.h"
#include "fuzz.h"
#include "log.h"
#include "loop.h"
#include "stats.h"
#include "shm.h"
#include "store.h"
#include "symbolizer.h"
#include "target.h"
#include "triage.h"
#include "ui.h"
#include "banned.h"

volatile sig_atomic_t fuzz_stop_requested;

struct fuzzer {
	const struct fuzz_opts *o;
	struct target t;
	struct store st;
	struct loop L;              /* corpus, virgin map, dictionary, rng: the loop's */
	struct custom cm;           /* AFL++ custom mutators (none: cm.n == 0) */
	int broke_server;           /* the last run's input killed the fork server (twice) */
	uint64_t hangs_unconfirmed; /* timeouts whose second run finished in time */
	struct stats s;
	struct triage *tri; /* crash signatures and OUT/NAME/bugs */
	size_t map_bytes;
	uint8_t *crash_seen, *hang_seen, *var_bytes, *cal_trace;
	uint64_t crash_sigs, hang_seen_any;
	uint8_t *buf; /* the candidate buffer the loop mutates into */
	uint64_t start_ms, start_unix, run_time_base, execs_base;
	uint64_t next_status_ms, next_stats_ms, next_sync_ms, next_ui_ms;
	uint64_t last_period_ms, last_period_execs;
	uint64_t crashes, hangs, found, imported;
	uint64_t sync_skipped; /* imports not run: their summary showed nothing new */
	uint64_t cov_ident;    /* covsum identity; 0: no summaries written or trusted */
	char *cov_dir;         /* OUT/NAME/.cov */
	uint64_t cycles_at_last_find;
	uint64_t cal_ms, trim_ns, cmp_ns;
	uint64_t crash_execs;               /* execs_done at the last saved crash */
	uint64_t crashes_seen, tmouts_seen; /* saved or not (the screen's totals) */
	const char *entry_op;               /* how the entry being fuzzed was made (the screen) */
	uint32_t entry_edges;               /* and its edges */
	int ui;                             /* the status screen is on: no status lines */
	int cpu;                            /* bound to, -1: none */
	const char *seed_name;              /* calibrating: the seed's file name */
	const char *queue_name;             /* calibrating: its queue name, fixed */
	const char *peer;                   /* syncing: the instance imported from */
	int fuzzing;                        /* the seeds are in: timers may run */
	enum loop_op last_find_op;          /* the stage that found the newest entry */
	int in_tick;
	int syncing;
	int stop;
};

static uint64_t elapsed_ms(const struct fuzzer *f)
{
	return clock_ms() - f->start_ms;
}

/* AFL's describe_op: the part of a file name after id (and sig). */
static void describe(const struct fuzzer *f, const struct loop_origin *o, char *out, size_t cap)
{
	size_t n = 0;
	uint64_t execs = f->execs_base + f->L.execs;
	if (o->op == LOOP_OP_SYNC) {
		snprintf(out, cap, "sync:%s,src:%06d", f->peer ? f->peer : "?", o->src);
		return;
	}
	if (o->op == LOOP_OP_SEED) {
		snprintf(out, cap, "time:0,execs:%llu,orig:%s", (unsigned long long)execs,
			 f->seed_name ? f->seed_name : "?");
		return;
	}
	unsigned rep = o->trace ? o->trace->n : 1;
	if (o->src2 >= 0)
		n = (size_t)snprintf(out, cap, "src:%06d+%06d", o->src, o->src2);
	else
		n = (size_t)snprintf(out, cap, "src:%06d", o->src);
	if (o->op == LOOP_OP_CUSTOM && f->cm.n) {
		/* AFL++ puts describe() where the stage's details go */
		char d[CFG_CUSTOM_DESC_MAX + 1];
		custom_describe((struct custom *)&f->cm, o->mutator, d, sizeof(d));
		snprintf(out + n, cap - n, ",time:%llu,execs:%llu,op:custom%s%s",
			 (unsigned long long)elapsed_ms(f), (unsigned long long)execs,
			 *d ? "," : "", d);
		return;
	}
	n += (size_t)snprintf(out + n, cap - n, ",time:%llu,execs:%llu,op:%s,rep:%u",
			      (unsigned long long)elapsed_ms(f), (unsigned long long)execs,
			      loop_op_name(o->op), rep);
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
	const struct corpus *c = &f->L.c;
	s->cycles_done = c->cycles;
	s->cycles_wo_finds = c->cycles - f->cycles_at_last_find;
	s->time_wo_finds = s->last_find ? s->last_update - s->last_find : now_ms / 1000;
	s->fuzz_time = now_ms / 1000;
	s->calibration_time = f->cal_ms / 1000;
	s->trim_time = f->trim_ns / 1000000000ull;
	s->cmplog_time = f->cmp_ns / 1000000000ull;
	s->auto_dict_entries = f->L.dict.n - f->L.user_tokens;
	s->execs_done = f->execs_base + f->L.execs;
	s->execs_per_sec = now_ms ? (double)f->L.execs * 1000.0 / (double)now_ms : 0;
	uint64_t dt = now_ms - f->last_period_ms;
	if (dt >= 1000 || !f->last_period_ms) {
		s->execs_ps_last_min =
			dt ? (double)(f->L.execs - f->last_period_execs) * 1000.0 / (double)dt : 0;
		f->last_period_ms = now_ms;
		f->last_period_execs = f->L.execs;
	}
	s->corpus_count = c->n;
	s->corpus_favored = c->n_favored;
	s->corpus_found = f->found;
	s->corpus_imported = f->imported;
	s->sync_skipped = f->sync_skipped;
	uint64_t pending = 0, variable = 0, depth = 0, bytes = 0;
	for (size_t i = 0; i < c->n; i++) {
		const struct entry *e = c->v[i];
		pending += !e->was_fuzzed;
		variable += e->variable;
		depth = e->depth > depth ? e->depth : depth;
		bytes += e->len;
	}
	s->corpus_variable = variable;
	s->max_depth = depth;
	s->pending_favs = c->pending_favored;
	s->pending_total = pending;
	uint32_t seen = cov_count_seen(f->L.virgin, f->map_bytes);
	uint32_t var = cov_count_edges(f->var_bytes, f->map_bytes);
	s->edges_found = seen;
	s->total_edges = f->t.edges;
	s->var_byte_count = var;
	s->stability = seen ? 100.0 * (double)(seen - (var < seen ? var : seen)) / seen : 100.0;
	s->bitmap_cvg = f->t.edges ? 100.0 * (double)seen / (double)f->t.edges : 0;
	s->saved_crashes = f->crashes;
	s->unique_bugs = triage_bugs(f->tri);
	s->saved_hangs = f->hangs;
	s->execs_since_crash = s->execs_done - f->crash_execs;
	s->exec_timeout = f->t.timeout_ms;
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		s->peak_rss_mb = (uint64_t)ru.ru_maxrss / 1024;
	s->testcache_size = bytes;
	s->testcache_count = c->n;
}

static void write_stats(struct fuzzer *f)
{
	triage_write(f->tri); /* counts that changed since the last write */
	update_stats(f);
	stats_write(&f->s, f->st.dir);
	uint64_t pct = f->t.edges ? (uint64_t)(10000.0 * f->s.edges_found / f->t.edges) : 0;
	stats_plot(&f->s, f->st.dir, elapsed_ms(f) / 1000, pct);
}

/* The status screen's frame: update_stats() and a pass over the corpus
 * and the virgin map, a few times a second, never per execution. */
static void fill_view(struct fuzzer *f, struct ui_view *vp)
{
	update_stats(f);
	*vp = (struct ui_view){.s = &f->s,
			       .now_unix = (uint64_t)time(NULL),
			       .now_trying = f->entry_op,
			       .total_crashes = f->crashes_seen,
			       .total_tmouts = f->tmouts_seen,
			       .cpu_pct = -1,
			       .stopping = fuzz_stop_requested != 0};
	struct ui_view v = *vp;
	for (size_t i = 0; i < f->L.c.n; i++)
		v.new_edges_on += f->L.c.v[i]->new_cov;
	uint64_t bits = 0, bytes = 0;
	for (size_t i = 0; i < f->map_bytes; i++) {
		uint8_t seen = (uint8_t)~f->L.virgin[i];
		if (seen) {
			bytes++;
			bits += (uint64_t)__builtin_popcount(seen);
		}
	}
	v.count_coverage = bytes ? (double)bits / (double)bytes : 0;
	v.cur_density = f->t.edges ? 100.0 * f->entry_edges / f->t.edges : 0;
	struct rusage ru;
	uint64_t ms = elapsed_ms(f);
	if (ms && getrusage(RUSAGE_SELF, &ru) == 0)
		v.cpu_pct = 100.0 *
			    (double)((ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
				     (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000) /
			    (double)ms;
	*vp = v;
}

static void draw_screen(struct fuzzer *f)
{
	struct ui_view v;
	fill_view(f, &v);
	ui_draw(&v);
}

/* An instance of -j: its numbers to the supervisor's screen (jobs.h). */
static void publish(struct fuzzer *f)
{
	struct ui_view v;
	fill_view(f, &v);
	f->o->publish(f->o->publish_ctx, &f->s, &v, f->cpu);
}

static void print_status(struct fuzzer *f)
{
	char line[512];
	update_stats(f);
	stats_line(&f->s, line, sizeof(line));
	log_info("[%llus] %s last find: %s%s", (unsigned long long)(elapsed_ms(f) / 1000), line,
		 loop_op_name(f->last_find_op), loop_stalled(&f->L) ? " (stalled)" : "");
}

/* ---- the sink: what the loop found goes to the output directory ---- */

static void on_crash(void *ctx, const uint8_t *buf, size_t len, const struct loop_verdict *v,
		     const struct loop_origin *o)
{
	struct fuzzer *f = ctx;
	f->crashes_seen++;
	char note[96]; /* read (and cleared) for every crash: it is this one's */
	target_crash_note(&f->t, note, sizeof(note));
	uint64_t pcs[FERRET_CRASH_FRAMES];
	int frames_sig;
	char kind[FERRET_CRASH_KIND_BYTES];
	unsigned frames = target_crash_frames(&f->t, pcs, FERRET_CRASH_FRAMES, &frames_sig, kind,
					      sizeof(kind));
	size_t bug;
	/* the first cause the runtime saw (a fault a sanitizer then reported
	 * and ended with abort()), else what the child died of */
	int new_bug = triage_crash(f->tri, frames_sig ? frames_sig : v->signal, kind, pcs, frames,
				   f->execs_base + f->L.execs, &bug);
	int sig = v->signal & 63;
	int novel = new_bug || !(f->crash_sigs & (1ull << sig));
	novel |= cov_new_edges_vs(f->t.map, f->crash_seen, f->map_bytes);
	if (!novel)
		return;
	f->crash_sigs |= 1ull << sig;
	char desc[400], name[512], how[64];
	describe(f, o, desc, sizeof(desc));
	snprintf(name, sizeof(name), "id:%06llu,sig:%02d,%s", (unsigned long long)f->crashes,
		 v->signal, desc);
	if (store_write(f->st.crashes, name, buf, len))
		die("cannot save a crash in '%s'", f->st.crashes);
	if (triage_wants(f->tri, bug, len))
		triage_reproducer(f->tri, bug, name, len);
	if (new_bug)
		triage_write(f->tri); /* at once; a count waits for the next stats */
	f->crashes++;
	f->s.last_crash = (uint64_t)time(NULL);
	f->crash_execs = f->execs_base + f->L.execs;
	struct run_result res = {.kind = RUN_CRASH,
				 .signal = v->signal,
				 .exit_code = v->exit_code,
				 .broke_server = f->broke_server};
	log_info("crash (%s%s%s) saved: %s/%s; %s bug: %s", target_describe(&res, how, sizeof(how)),
		 note[0] ? ", uncaught C++ exception " : "", note, f->st.crashes, name,
		 new_bug ? "new" : "known", triage_signature(f->tri, bug));
	if (f->o->stop_on_crash)
		loop_stop(&f->L);
}

/* -V has passed, or a stop was asked for: what may take another timeout
 * (confirming a hang, calibrating the next seed) is skipped. */
static int time_up(const struct fuzzer *f)
{
	return fuzz_stop_requested ||
	       (f->o->max_seconds && elapsed_ms(f) >= f->o->max_seconds * 1000);
}

static void on_hang(void *ctx, const uint8_t *buf, size_t len, const struct loop_verdict *v,
		    const struct loop_origin *o)
{
	struct fuzzer *f = ctx;
	(void)v;
	f->tmouts_seen++;
	int novel = !f->hang_seen_any;
	novel |= cov_new_edges_vs(f->t.map, f->hang_seen, f->map_bytes);
	if (!novel)
		return;
	f->hang_seen_any = 1;
	/* AFL++ confirms a timeout before it saves one: on a loaded machine
	 * an input that takes milliseconds can miss the deadline once. */
	struct run_result again;
	if (!time_up(f) && target_run(&f->t, buf, len, &again) == 0 && again.kind != RUN_HANG) {
		f->hangs_unconfirmed++;
		return;
	}
	char desc[400], name[512];
	describe(f, o, desc, sizeof(desc));
	snprintf(name, sizeof(name), "id:%06llu,%s", (unsigned long long)f->hangs, desc);
	if (store_write(f->st.hangs, name, buf, len))
		die("cannot save a hang in '%s'", f->st.hangs);
	f->hangs++;
	f->s.last_hang = (uint64_t)time(NULL);
	log_info("hang saved: %s/%s", f->st.hangs, name);
}

static void custom_entry(struct fuzzer *f, const struct entry *e, const struct loop_origin *o);

/* OUT/NAME/.cov/NAME of a new entry (covsum.h): the map holds the
 * classified counters of the run that made it. One map scan and one small
 * file per saved entry; a failure costs the peers a run, nothing else. */
static void write_summary(struct fuzzer *f, const char *name, const struct entry *e)
{
	uint8_t *sum;
	size_t len;
	if (covsum_build(f->cov_ident, e->data, e->len, f->t.map, f->map_bytes, &sum, &len))
		die("out of memory");
	store_write(f->cov_dir, name, sum, len);
	free(sum);
}

/* Whether a peer's entry data[0..len) can be left unrun: its summary
 * (peer_dir/.cov) is of our program and map and of these bytes, and every
 * index and bucket in it is already in our virgin map. Anything else, the
 * summary missing or corrupt included, says run it. */
static int import_adds_nothing(struct fuzzer *f, const char *peer_dir, const char *name,
			       const uint8_t *data, size_t data_len)
{
	if (!f->cov_ident)
		return 0;
	char *dir = path_join(peer_dir, COVSUM_DIR), *path = dir ? path_join(dir, name) : NULL;
	uint8_t *sum = NULL;
	size_t len = 0;
	int truncated = 0, skip = 0;
	if (path && !store_read(path, 64 + 5 * f->map_bytes, &sum, &len, &truncated) && !truncated)
		skip = covsum_check(sum, len, f->cov_ident, data, data_len, f->L.virgin,
				    f->map_bytes) == COVSUM_NOTHING;
	free(sum);
	free(path);
	free(dir);
	return skip;
}

/* A new entry: name it as AFL does and write it to queue/ (a calibrated
 * seed or a resumed entry keeps the name it was given). */
static void on_new_entry(void *ctx, struct entry *e, const struct loop_origin *o)
{
	struct fuzzer *f = ctx;
	char name[512];
	if (f->queue_name) {
		snprintf(name, sizeof(name), "%s", f->queue_name);
	} else {
		char desc[400];
		describe(f, o, desc, sizeof(desc));
		snprintf(name, sizeof(name), "id:%06u,%s%s", e->id, desc,
			 e->new_cov ? ",+cov" : "");
	}
	if (!(e->name = strdup(name)))
		die("out of memory");
	if (f->cov_ident && o->op != LOOP_OP_SYNC)
		write_summary(f, name, e); /* before the entry: a peer that sees it finds both */
	if (!f->queue_name && store_write(f->st.queue, name, e->data, e->len))
		die("cannot write to queue '%s'", f->st.queue);
	if (f->cm.n)
		custom_entry(f, e, o);
	if (o->op == LOOP_OP_SYNC) {
		f->imported++;
	} else if (o->op != LOOP_OP_SEED) {
		f->last_find_op = o->op;
		f->found++;
		f->s.last_find = (uint64_t)time(NULL);
		f->cycles_at_last_find = f->L.c.cycles;
	}
}

/* The custom mutators hear of each new queue file and the one it came
 * from (none for a seed or an import); an entry a mutator made gets a
 * line of its introspection(), if it has one, in OUT/NAME/introspection. */
static void custom_entry(struct fuzzer *f, const struct entry *e, const struct loop_origin *o)
{
	char *path = path_join(f->st.queue, e->name), *parent = NULL;
	if (o->src >= 0 && (size_t)o->src < f->L.c.n && o->op != LOOP_OP_SYNC &&
	    o->op != LOOP_OP_SEED && f->L.c.v[o->src]->name)
		parent = path_join(f->st.queue, f->L.c.v[o->src]->name);
	if (!path)
		die("out of memory");
	custom_new_entry(&f->cm, path, parent);
	free(path);
	free(parent);
	const char *intro =
		o->op == LOOP_OP_CUSTOM ? custom_introspection(&f->cm, o->mutator) : NULL;
	if (intro) {
		char *ipath = path_join(f->st.dir, "introspection");
		FILE *fp = ipath ? fopen(ipath, "a") : NULL;
		if (fp) {
			fprintf(fp, "QUEUE CUSTOM %s = %s\n", e->name, intro);
			fclose(fp);
		}
		free(ipath);
	}
}

static void on_begin_entry(void *ctx, struct entry *e)
{
	struct fuzzer *f = ctx;
	f->s.cur_item = e->id;
	f->entry_op = e->parent < 0 ? "seed" : mutate_name(e->op);
	f->entry_edges = e->edges;
}

/* Trim or reduce gave an entry shorter bytes on the same path: its
 * summary (covsum.h) is bound to them first, then its queue file follows
 * (written whole and renamed over the old one, as AFL's trim does). A
 * peer reading between the two finds a summary of other bytes and runs
 * the entry. */
static void on_replace(void *ctx, struct entry *e, const uint8_t *old, size_t old_len,
		       enum loop_op why)
{
	struct fuzzer *f = ctx;
	(void)old;
	(void)old_len;
	(void)why;
	char *path = f->cov_ident && e->name ? path_join(f->cov_dir, e->name) : NULL;
	uint8_t *sum = NULL;
	size_t len = 0;
	int truncated = 0;
	if (path && !store_read(path, 64 + 5 * f->map_bytes, &sum, &len, &truncated) &&
	    !truncated && !covsum_rebind(sum, len, e->data, e->len))
		store_write(f->cov_dir, e->name, sum, len);
	free(sum);
	free(path);
	if (e->name && store_write(f->st.queue, e->name, e->data, e->len))
		die("cannot write to queue '%s'", f->st.queue);
}

static void check_timers(struct fuzzer *f);

/* Every execution (a run costs a fork or a round trip, so a clock read is
 * nothing beside it): timers, -V and signals may stop the loop. Seeds are
 * calibrated first, whole, before any timer runs. */
static int on_tick(void *ctx)
{
	struct fuzzer *f = ctx;
	if (f->fuzzing && !f->in_tick) {
		f->in_tick = 1; /* sync runs inputs, which tick again */
		check_timers(f);
		f->in_tick = 0;
	}
	if (fuzz_stop_requested)
		f->stop = 1;
	return f->stop;
}

/* ---- the executor: one input through the fork server or persistent child ---- */

/*
 * Runs one candidate in the target. Costs the target's run (a fork or a
 * round trip); the flag word and the stats are a few stores.
 */
static int exec_run(void *ctx, const uint8_t *buf, size_t len, unsigned flags,
		    const struct loop_origin *o, struct loop_verdict *v)
{
	struct fuzzer *f = ctx;
	struct run_result res;
	if (flags & LOOP_RUN_CMP)
		f->t.shm.hdr->cmp_on = 1;
	int err = target_run(&f->t, buf, len, &res);
	f->t.shm.hdr->cmp_on = 0;
	if (err)
		return err;
	v->kind = res.kind == RUN_CRASH ? LOOP_CRASH : res.kind == RUN_HANG ? LOOP_HANG : LOOP_OK;
	v->signal = res.signal;
	v->exit_code = res.exit_code;
	v->exec_ns = res.exec_ns;
	f->broke_server = res.broke_server; /* on_crash describes it: the verdict is this run's */
	if (o && o->op == LOOP_OP_I2S)
		f->cmp_ns += res.exec_ns;
	else if (o && o->op == LOOP_OP_TRIM)
		f->trim_ns += res.exec_ns;
	uint64_t ms = res.exec_ns / 1000000;
	if (res.kind == RUN_OK && ms > f->s.slowest_exec_ms)
		f->s.slowest_exec_ms = ms;
	return 0;
}

static void run_or_die(struct fuzzer *f, const uint8_t *buf, size_t len, unsigned flags,
		       const struct loop_origin *o, struct loop_verdict *v)
{
	int err = loop_exec_raw(&f->L, buf, len, flags, o, v);
	if (err == FERRET_EINTR) {
		log_info("interrupted while loading the seeds");
		exit(0);
	}
	if (err)
		die("cannot run target '%s': %s", f->o->argv[0], ferret_strerror(err));
}

/*
 * Calibrates one seed: runs it CFG_CAL_RUNS times (more if its coverage
 * varies), records which edges vary, and adds it to the corpus. Returns
 * the kind of the first run, so the caller can skip seeds that crash or
 * hang.
 */
static enum loop_verdict_kind calibrate(struct fuzzer *f, const uint8_t *buf, size_t len,
					const char *seed_name, const char *queue_name)
{
	struct loop_verdict v;
	struct loop_origin o = {.op = LOOP_OP_SEED, .src = -1, .src2 = -1};
	uint64_t first_hash = 0, t0 = clock_ms();
	int runs = CFG_CAL_RUNS, variable = 0;
	for (int i = 0; i < runs; i++) {
		run_or_die(f, buf, len, 0, &o, &v);
		if (v.kind != LOOP_OK) {
			if (i == 0)
				return v.kind;
			continue; /* flaky crash: keep what the good runs said */
		}
		if (i == 0) {
			cov_classify_and_update(f->t.map, f->L.virgin, f->map_bytes);
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
	f->seed_name = seed_name;
	f->queue_name = queue_name;
	struct entry *e = loop_keep(&f->L, buf, len, COV_NEW_EDGE, NULL, &o);
	f->seed_name = f->queue_name = NULL;
	if (!e)
		die("out of memory");
	e->variable = (unsigned)variable;
	corpus_note_path(&f->L.c, first_hash);
	f->cal_ms += clock_ms() - t0;
	return LOOP_OK;
}

static void load_inputs(struct fuzzer *f, int resuming)
{
	const char *dir = resuming ? f->st.queue : f->o->in_dir;
	char **names;
	size_t n;
	int err = resuming ? store_list_own(dir, &names, &n) : store_list(dir, &names, &n);
	if (err == FERRET_EEMPTY)
		die("seed directory '%s' is empty", dir);
	if (err)
		die("cannot read seed directory '%s'", dir);
	size_t crashed = 0, hung = 0, kept = 0, tried = n;
	const char *first_bad = NULL;
	enum loop_verdict_kind *kinds = calloc(n, sizeof(*kinds));
	if (!kinds)
		die("out of memory");
	for (size_t i = 0; i < n; i++) {
		if (kept && time_up(f)) { /* each seed may take timeouts: -V first */
			log_info("time is up: %zu of %zu inputs loaded", i, n);
			tried = i;
			break;
		}
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
			snprintf(qname, sizeof(qname), "id:%06zu,time:0,execs:0,orig:%s", f->L.c.n,
				 names[i]);
		enum loop_verdict_kind k =
			calibrate(f, data, len, names[i], resuming ? names[i] : qname);
		kinds[i] = k;
		if (k == LOOP_OK) {
			kept++;
			if (!resuming && store_write(f->st.queue, qname, data, len))
				die("cannot write to queue '%s'", f->st.queue);
		} else {
			if (!first_bad)
				first_bad = names[i];
			if (k == LOOP_CRASH)
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
	for (size_t i = 0; i < tried; i++)
		if (kinds[i] != LOOP_OK)
			log_warn("seed '%s/%s' %s; skipped", dir, names[i],
				 kinds[i] == LOOP_CRASH ? "crashes the target" : "times out");
	free(kinds);
	store_free_list(names, n);
	log_info("%s %zu inputs from '%s' (%zu skipped), %u of %u edges seen",
		 resuming ? "resumed" : "loaded", kept, dir, tried - kept,
		 cov_count_seen(f->L.virgin, f->map_bytes), f->t.edges);
}

/*
 * OUT/NAME/unstable_edges: the edges calibration saw vary between runs of
 * one input (var_bytes, what var_byte_count counts and stability is made
 * of), one line each: the edge's index (as ferret showmap prints it), its
 * function and file:line (see symbolizer_edge), tab-separated. Written
 * whole, once the seeds are calibrated (nothing changes var_bytes later);
 * empty when every edge is stable. Names the edges with libdw, once.
 */
static void write_unstable(struct fuzzer *f)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	if (!mem)
		die("out of memory");
	uint32_t n_pcs = 0, var = 0;
	const uint64_t *pcs = shm_pcs(&f->t.shm, &n_pcs);
	struct symbolizer *sym = NULL;
	for (size_t i = 0; i < f->map_bytes; i++) {
		if (!f->var_bytes[i])
			continue;
		if (!sym && !(sym = symbolizer_new(f->o->argv[0])))
			die("out of memory");
		char name[600];
		symbolizer_edge(sym, pcs, n_pcs, i, name, sizeof(name));
		fprintf(mem, "%06zu\t%s\n", i, name);
		var++;
	}
	symbolizer_free(sym);
	if (fclose(mem))
		die("out of memory");
	if (store_write(f->st.dir, "unstable_edges", text, len))
		die("cannot write '%s/unstable_edges'", f->st.dir);
	free(text);
	if (var)
		log_info("%u edges vary between runs of the same input: see '%s/unstable_edges'",
			 var, f->st.dir);
}

/* Imports new queue entries of the other instances under OUT (AFL's sync):
 * the main instance reads everyone, a secondary only the main. */
static void sync_peers(struct fuzzer *f)
{
	char **peers;
	size_t np;
	/* Importing runs inputs, and runs tick, and ticks sync: once at a time. */
	if (f->syncing || store_list_dirs(f->st.root, &peers, &np))
		return;
	f->syncing = 1;
	for (size_t i = 0; i < np && !f->L.stop; i++) {
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
			for (size_t k = 0; k < n && !f->L.stop; k++) {
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
				if (path &&
				    !store_read(path, CFG_MAX_INPUT_BYTES, &data, &len, NULL)) {
					if (import_adds_nothing(f, pdir, names[k], data, len)) {
						f->sync_skipped++;
						free(data);
						free(path);
						continue;
					}
					struct loop_origin o = {
						.op = LOOP_OP_SYNC, .src = (int32_t)id, .src2 = -1};
					f->peer = peers[i];
					int err = loop_run_one(&f->L, data, len, &o);
					f->peer = NULL;
					free(data);
					if (err == FERRET_EINTR && id - 1 < max_id)
						max_id = id - 1; /* stopped: import it next time */
					else if (err < 0)
						die("cannot run target '%s': %s", f->o->argv[0],
						    ferret_strerror(err));
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
	f->syncing = 0;
}

static void check_timers(struct fuzzer *f)
{
	uint64_t now = elapsed_ms(f);
	if ((f->ui || f->o->publish) && now >= f->next_ui_ms) {
		if (f->o->publish)
			publish(f);
		else
			draw_screen(f);
		f->next_ui_ms = now + CFG_UI_MS;
	}
	if (now >= f->next_status_ms) {
		if (!f->ui && !f->o->publish)
			print_status(f);
		f->next_status_ms = now + CFG_STATUS_SEC * 1000;
		target_reap_orphans(&f->t); /* what the target started and left */
	}
	if (now >= f->next_stats_ms) {
		write_stats(f);
		f->next_stats_ms = now + CFG_STATS_SEC * 1000;
	}
	if (f->o->role != ROLE_ALONE && now >= f->next_sync_ms) {
		f->next_sync_ms = now + CFG_SYNC_SEC * 1000;
		sync_peers(f);
	}
	if (time_up(f))
		f->stop = 1;
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
	size_t n = (size_t)snprintf(buf, sizeof(buf), "Crashes found by ferret for:\n\n  ");
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

/*
 * AFL++ custom mutators: AFL_CUSTOM_MUTATOR_LIBRARY's, then --custom-mutator's,
 * loaded (and refused with one line) before anything is created. They
 * see AFL_CUSTOM_INFO_*: the input file is OUT/NAME/.cur_input when the
 * command has "@@" (ferret has no -f), otherwise empty (stdin).
 */
static void load_custom(struct fuzzer *f)
{
	const struct fuzz_opts *o = f->o;
	const char *list = getenv("AFL_CUSTOM_MUTATOR_LIBRARY");
	const char *only = getenv("AFL_CUSTOM_MUTATOR_ONLY");
	if ((!list || !*list) && !o->n_custom) {
		if (o->custom_only || (only && *only))
			die("custom-only mode (AFL_CUSTOM_MUTATOR_ONLY or --custom-only) needs a "
			    "custom "
			    "mutator: set AFL_CUSTOM_MUTATOR_LIBRARY or give --custom-mutator");
		return;
	}
	int file_input = 0;
	for (char *const *a = o->argv; *a; a++)
		file_input |= strstr(*a, "@@") != NULL;
	char *dir = path_join(o->out_dir, o->name);
	char *input = dir && file_input ? path_join(dir, ".cur_input") : NULL;
	struct custom_info info = {.argv = o->argv, .input = input, .out = dir};
	char why[512];
	if (custom_load(&f->cm, list, o->custom, o->n_custom, &info, why, sizeof(why)))
		die("%s", why);
	free(input);
	free(dir);
	f->cm.only = o->custom_only || (only && *only);
}

/* Whether OUT/NAME holds a queue of ferret's to resume. */
static int resumable(const struct fuzz_opts *o)
{
	char **qnames;
	size_t qn = 0;
	char *qdir = path_join(o->out_dir, o->name),
	     *qpath = qdir ? path_join(qdir, "queue") : NULL;
	int resuming = qpath && store_list_own(qpath, &qnames, &qn) == 0;
	if (resuming)
		store_free_list(qnames, qn);
	free(qdir);
	free(qpath);
	return resuming;
}

/* Everything the user can get wrong is checked before anything is
 * created or started, so a bad command line leaves no trace. */
void fuzz_check(const struct fuzz_opts *o)
{
	if (!resumable(o)) {
		char **qnames;
		size_t qn = 0;
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
}

int fuzz_run(const struct fuzz_opts *o)
{
	static struct fuzzer fz;
	struct fuzzer *f = &fz;
	memset(f, 0, sizeof(*f));
	f->o = o;
	f->start_ms = clock_ms();
	f->start_unix = (uint64_t)time(NULL);

	fuzz_check(o);
	int resuming = resumable(o);
	load_custom(f);
	struct dict user_dict;
	dict_init(&user_dict, CFG_DICT_MAX_TOKENS, CFG_DICT_MAX_TOKEN_BYTES);
	for (size_t i = 0; i < o->n_dicts; i++)
		if (dictfile_load(&user_dict, o->dicts[i], o->dict_strict) < 0)
			exit(1); /* dictfile_load said why */
	int serr = store_open(&f->st, o->out_dir, o->name);
	if (serr == FERRET_EBUSY)
		die("output directory '%s/%s' is in use by another ferret instance (a lock on "
		    "'%s/%s/.lock'); give this one another -o or -M/-S name",
		    o->out_dir, o->name, o->out_dir, o->name);
	if (serr)
		die("cannot create output directory '%s/%s'", o->out_dir, o->name);
	if (resuming) {
		stats_read(&f->s, f->st.dir);
		f->execs_base = f->s.execs_done;
		f->run_time_base = f->s.run_time;
		/* the next ids from the files, not from fuzzer_stats: after a
		 * kill -9 the stats lag behind the files (ids were reused) */
		f->crashes = store_next_id(f->st.crashes);
		f->hangs = store_next_id(f->st.hangs);
		f->s.start_time = 0;
	}
	if (!(f->tri = triage_new(o->argv[0], f->st.dir)))
		die("out of memory");
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
	f->cpu = cpu;

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
		char why[256];
		die("cannot start target '%s': %s", o->argv[0],
		    target_start_error(&f->t, err, why, sizeof(why)));
	}
	f->map_bytes = f->t.map_bytes;
	if (o->role != ROLE_ALONE) {
		/* what a peer's summary must match to be trusted (covsum.h) */
		uint64_t kind = ((f->t.flags & TARGET_VALUE_PROFILE) ? 1 : 0) |
				((f->t.flags & TARGET_AFL) ? 2 : 0) | (uint64_t)f->t.edges << 8;
		f->cov_ident = covsum_identity(o->argv[0], f->map_bytes, kind);
		f->cov_dir = path_join(f->st.dir, COVSUM_DIR);
		if (!f->cov_dir || store_mkdirs(f->cov_dir))
			f->cov_ident = 0;
	}
	f->crash_seen = calloc(1, f->map_bytes);
	f->hang_seen = calloc(1, f->map_bytes);
	f->var_bytes = calloc(1, f->map_bytes);
	f->cal_trace = malloc(f->map_bytes);
	f->buf = malloc(CFG_MAX_INPUT_BYTES);
	if (!f->crash_seen || !f->hang_seen || !f->var_bytes || !f->cal_trace || !f->buf)
		die("out of memory");

	/* The loop: AFL's numbers, the schedule asked for, compare feedback
	 * unless -no-cmp. Without -s the seed comes from the clock, once. */
	struct loop_params params = loop_outside;
	params.schedule = o->schedule;
	if (o->no_cmp)
		params.flags &= ~LOOP_CMP;
	uint64_t seed = o->seed_set ? o->seed : (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32;
	char why[512];
	f->cm.queue_dir = f->st.queue;
	if (f->cm.n && custom_init(&f->cm, seed, why, sizeof(why)))
		die("%s", why);
	struct loop_setup ls = {
		.params = &params,
		.seed = seed,
		.map = f->t.map,
		.map_bytes = f->map_bytes,
		.touch = &f->t.touch,
		/* an AFL binary logs no compares for ferret */
		.cmp_log = o->no_cmp || (f->t.flags & TARGET_AFL) ? NULL : shm_cmp(&f->t.shm),
		.buf = f->buf,
		.cap = CFG_MAX_INPUT_BYTES,
		.exec = {.run = exec_run, .ctx = f},
		.sink = {.new_entry = on_new_entry,
			 .crash = on_crash,
			 .hang = on_hang,
			 .replace = on_replace,
			 .begin_entry = on_begin_entry,
			 .tick = on_tick,
			 .ctx = f},
		.max_execs = o->max_execs,
	};
	custom_hooks(&f->cm, &ls.mut);
	if (loop_init(&f->L, &ls))
		die("out of memory");
	for (size_t i = 0; i < user_dict.n; i++)
		dict_add(&f->L.dict, user_dict.v[i].data, user_dict.v[i].len);
	f->L.user_tokens = f->L.dict.n;
	dict_release(&user_dict);
	/* An AFL binary's autodictionary counts as auto_dict_entries. */
	const uint8_t *tok;
	size_t tok_len, off = 0;
	while (afl_dict_next(f->t.afl.dict, f->t.afl.dict_len, &off, &tok, &tok_len))
		dict_add(&f->L.dict, tok, tok_len);

	f->s.start_time = f->s.start_time ? f->s.start_time : f->start_unix;
	f->s.afl_banner = o->argv[0];
	f->s.afl_version = "ferret-" FERRET_VERSION;
	f->s.target_mode = (f->t.flags & TARGET_PERSISTENT) ? "persistent" : "fork server";
	f->s.command_line = o->cmdline;
	write_cmdline(f);
	write_crash_readme(f);
	load_inputs(f, resuming);
	write_unstable(f);
	log_info("target '%s': %u edges, %s%s%s mode, timeout %u ms", o->argv[0], f->t.edges,
		 (f->t.rt_flags & FERRET_RT_PC_HASH) ? "hashed (gcc) edges, " : "",
		 (f->t.flags & TARGET_AFL) ? "AFL++ " : "", f->s.target_mode, o->timeout_ms);
	f->fuzzing = 1;
	f->ui = ui_wanted(o->no_ui, o->force_ui) && ui_start() == 0;
	if (o->role != ROLE_ALONE)
		sync_peers(f);
	write_stats(f);
	if (o->publish)
		publish(f);

	err = f->L.stop ? f->L.err : loop_fuzz(&f->L);
	if (err == FERRET_EEMPTY)
		die("every queue entry is disabled: nothing left to fuzz");
	if (err && err != FERRET_EINTR)
		die("cannot run target '%s': %s", o->argv[0], ferret_strerror(err));

	ui_stop(); /* the summary goes to the restored terminal */
	write_stats(f);
	if (o->publish)
		publish(f); /* the supervisor's total counts the last executions */
	else
		print_status(f);
	log_info("stopped after %llu executions: %zu queue entries, %llu crashes in '%s', "
		 "%llu hangs in '%s'",
		 (unsigned long long)(f->execs_base + f->L.execs), f->L.c.n,
		 (unsigned long long)f->crashes, f->st.crashes, (unsigned long long)f->hangs,
		 f->st.hangs);
	if (f->hangs_unconfirmed)
		log_info("%llu timeouts not saved as hangs: run again, they finished in time",
			 (unsigned long long)f->hangs_unconfirmed);
	target_release(&f->t);
	loop_release(&f->L);
	custom_release(&f->cm);
	free(f->crash_seen);
	free(f->hang_seen);
	free(f->var_bytes);
	free(f->cal_trace);
	free(f->buf);
	free(f->cov_dir);
	triage_free(f->tri);
	store_release(&f->st);
	return 0;
}
