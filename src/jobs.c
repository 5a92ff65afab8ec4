/*
 * jobs.c - `ferret fuzz -j N` (see jobs.h): fork N instances of the one
 * fuzzing loop, show their total, stop them together, reap them all.
 *
 * The supervisor does no fuzzing and binds no CPU; it wakes every
 * JOBS_TICK_MS to reap, forward signals and redraw, which costs nothing
 * beside N fuzzing processes. Time decides only when the instances stop,
 * never what they do: each runs as `-M main` / `-S sK` with its own seed.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "config.h"
#include "cpu.h"
#include "jobs.h"
#include "log.h"
#include "store.h"
#include "banned.h"

#define JOBS_MAX 1024   /* instances of one command */
#define JOBS_TICK_MS 50 /* the supervisor's wake-up */
#define JOBS_GRACE_MS                                                                              \
	10000           /* an instance asked to stop that is still there after                     \
			   two timeouts and this long is killed */
#define JOBS_LINE_MAX 8 /* instances named in the status line */

struct instance {
	struct fuzz_opts o;
	char name[16];
	pid_t pid;
	int done;
};

static volatile sig_atomic_t signals, last_signal;

static void on_signal(int sig)
{
	last_signal = sig;
	signals++;
}

uint64_t jobs_seed(uint64_t seed, unsigned k)
{
	return k <= 1 ? seed : seed ^ (uint64_t)(k - 1) * 0xd1b54a32d192ed03ull;
}

/* fuzz_opts.publish of an instance: its numbers into its slot. */
static void publish(void *ctx, const struct stats *s, const struct ui_view *v, int cpu)
{
	struct jobs_slot *slot = ctx;
	unsigned seq = atomic_load_explicit(&slot->seq, memory_order_relaxed);
	atomic_store_explicit(&slot->seq, seq + 1, memory_order_relaxed);
	atomic_thread_fence(memory_order_release);
	slot->s = *s;
	slot->s.afl_banner = slot->s.afl_version = slot->s.target_mode = NULL;
	slot->s.command_line = NULL;
	slot->v = *v;
	slot->v.s = NULL;
	slot->v.now_trying = NULL;
	slot->v.lines = NULL;
	slot->cpu = cpu;
	atomic_store_explicit(&slot->seq, seq + 2, memory_order_release);
}

/* A consistent copy of a slot; 0 when the instance has published nothing
 * yet (or was caught writing every time, which a dead writer can cause). */
static int read_slot(struct jobs_slot *slot, struct stats *s, struct ui_view *v, int *cpu)
{
	for (int tries = 0; tries < 100; tries++) {
		unsigned a = atomic_load_explicit(&slot->seq, memory_order_acquire);
		if (!a)
			return 0;
		if (a & 1)
			continue;
		*s = slot->s;
		*v = slot->v;
		*cpu = slot->cpu;
		atomic_thread_fence(memory_order_acquire);
		if (atomic_load_explicit(&slot->seq, memory_order_relaxed) == a)
			return 1;
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Distinct crash signatures over the instances' bugs files (triage.h: the
 * signature is a line's first tab-separated field): the same bug found by
 * two instances counts once. */
static uint64_t count_bugs(const char *out, const struct instance *in, unsigned n)
{
	char **sigs = NULL;
	size_t ns = 0, cap = 0;
	for (unsigned k = 0; k < n; k++) {
		char *dir = path_join(out, in[k].name), *path = dir ? path_join(dir, "bugs") : NULL;
		uint8_t *data = NULL;
		size_t len = 0;
		if (path && access(path, F_OK) == 0 && /* none before the first crash */
		    !store_read(path, 1u << 24, &data, &len, NULL)) {
			for (char *p = (char *)data, *end = p + len; p < end;) {
				char *nl = memchr(p, '\n', (size_t)(end - p));
				char *line_end = nl ? nl : end;
				char *tab = memchr(p, '\t', (size_t)(line_end - p));
				if (tab && tab > p) {
					if (ns == cap) {
						cap = cap ? 2 * cap : 64;
						char **g = realloc(sigs, cap * sizeof(*sigs));
						if (!g)
							break;
						sigs = g;
					}
					sigs[ns] = strndup(p, (size_t)(tab - p));
					ns += sigs[ns] != NULL;
				}
				p = line_end + 1;
			}
		}
		free(data);
		free(path);
		free(dir);
	}
	uint64_t distinct = 0;
	if (ns)
		qsort(sigs, ns, sizeof(*sigs), cmp_str);
	for (size_t i = 0; i < ns; i++)
		distinct += !i || strcmp(sigs[i], sigs[i - 1]);
	for (size_t i = 0; i < ns; i++)
		free(sigs[i]);
	free(sigs);
	return distinct;
}

struct total {
	struct stats s;
	struct ui_view v;
	unsigned reporting; /* instances that have published */
	char lines[JOBS_MAX][96];
	const char *line_ptr[JOBS_MAX];
};

#define MAX_OF(field) (t->s.field = s.field > t->s.field ? s.field : t->s.field)

/* The total of the instances' numbers, as one instance's screen shows them:
 * counts of work and findings are summed; the corpus, the edges, depth
 * and times are the largest instance's (they share one corpus by sync);
 * the view's density and coverage are the main instance's. One short
 * line per instance goes in t->lines. */
static void add_up(struct total *t, struct instance *in, unsigned n, struct jobs_slot *slots)
{
	memset(&t->s, 0, sizeof(t->s));
	memset(&t->v, 0, sizeof(t->v));
	t->reporting = 0;
	double cpu_pct = 0;
	for (unsigned k = 0; k < n; k++) {
		struct stats s;
		struct ui_view v;
		int cpu;
		if (!read_slot(&slots[k], &s, &v, &cpu)) {
			snprintf(t->lines[k], sizeof(t->lines[k]), "  %-6s %s", in[k].name,
				 in[k].done ? "ended" : "starting");
			continue;
		}
		char where[16] = "unbound";
		if (cpu >= 0)
			snprintf(where, sizeof(where), "cpu %d", cpu);
		snprintf(t->lines[k], sizeof(t->lines[k]),
			 "  %-6s %-8s execs %llu (%.0f/s) corpus %llu crashes %llu%s", in[k].name,
			 where, (unsigned long long)s.execs_done, s.execs_ps_last_min,
			 (unsigned long long)s.corpus_count, (unsigned long long)s.saved_crashes,
			 in[k].done ? " (ended)" : "");
		if (!t->reporting++) {
			t->s = s;
			t->v = v;
			cpu_pct = v.cpu_pct > 0 ? v.cpu_pct : 0;
			continue;
		}
		t->s.execs_done += s.execs_done;
		t->s.execs_per_sec += s.execs_per_sec;
		t->s.execs_ps_last_min += s.execs_ps_last_min;
		t->s.corpus_found += s.corpus_found;
		t->s.corpus_imported += s.corpus_imported;
		t->s.sync_skipped += s.sync_skipped;
		t->s.saved_crashes += s.saved_crashes;
		t->s.saved_hangs += s.saved_hangs;
		t->v.total_crashes += v.total_crashes;
		t->v.total_tmouts += v.total_tmouts;
		cpu_pct += v.cpu_pct > 0 ? v.cpu_pct : 0;
		MAX_OF(corpus_count);
		MAX_OF(corpus_favored);
		MAX_OF(edges_found);
		MAX_OF(total_edges);
		MAX_OF(bitmap_cvg);
		MAX_OF(max_depth);
		MAX_OF(cycles_done);
		MAX_OF(run_time);
		MAX_OF(last_find);
		MAX_OF(last_crash);
		MAX_OF(last_hang);
		MAX_OF(auto_dict_entries);
	}
	t->v.cpu_pct = t->reporting ? cpu_pct : -1;
	t->v.s = &t->s;
	for (unsigned k = 0; k < n; k++)
		t->line_ptr[k] = t->lines[k];
	t->v.lines = t->line_ptr;
	t->v.n_lines = (int)n;
}

static void signal_all(struct instance *in, unsigned n, int sig, int group)
{
	for (unsigned k = 0; k < n; k++)
		if (in[k].pid > 0 && !in[k].done)
			kill(group ? -in[k].pid : in[k].pid, sig);
}

static void status_line(const struct total *t, unsigned n, uint64_t secs)
{
	char line[512], per[600] = "";
	stats_line(&t->s, line, sizeof(line));
	size_t m = 0;
	for (unsigned k = 0; k < n && n <= JOBS_LINE_MAX && m < sizeof(per); k++)
		m += (size_t)snprintf(per + m, sizeof(per) - m, " |%s", t->lines[k] + 1);
	log_info("[%llus] %u instances: %s bugs %llu%s", (unsigned long long)secs, n, line,
		 (unsigned long long)t->s.unique_bugs, per);
}

int jobs_run(const struct fuzz_opts *o, int (*instance)(const struct fuzz_opts *))
{
	int unbound = o->bind_cpu == -2 || getenv("FERRET_NO_AFFINITY");
	unsigned n = o->jobs;
	if (!n) {
		int free_cpus = cpu_count_free(unbound);
		if (free_cpus < 1)
			log_warn("no free CPU: -j runs one instance");
		n = free_cpus < 1 ? 1 : (unsigned)free_cpus;
	}
	if (n > JOBS_MAX)
		die("invalid value '%u' for -j: at most %d instances", n, JOBS_MAX);
	struct instance *in = calloc(n, sizeof(*in));
	static struct total t;
	struct jobs_slot *slots = mmap(NULL, n * sizeof(*slots), PROT_READ | PROT_WRITE,
				       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!in || slots == MAP_FAILED)
		die("out of memory");
	for (unsigned k = 0; k < n; k++) {
		struct instance *i = &in[k];
		if (k == 0)
			snprintf(i->name, sizeof(i->name), "main");
		else
			snprintf(i->name, sizeof(i->name), "s%u", k + 1);
		i->o = *o;
		i->o.name = i->name;
		i->o.role = k == 0 ? ROLE_MAIN : ROLE_SECONDARY;
		i->o.seed = jobs_seed(o->seed, k + 1);
		i->o.bind_cpu = o->bind_cpu >= 0 ? o->bind_cpu + (int)k : o->bind_cpu;
		i->o.no_ui = 1;
		i->o.force_ui = 0;
		i->o.jobs_set = 0;
		i->o.publish = publish;
		i->o.publish_ctx = &slots[k];
		fuzz_check(&i->o); /* one line for a bad command line, before any start */
	}

	struct sigaction sa = {0};
	sa.sa_handler = on_signal; /* no SA_RESTART: a signal ends the nap */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigset_t stop_set, old;
	sigemptyset(&stop_set);
	sigaddset(&stop_set, SIGINT);
	sigaddset(&stop_set, SIGTERM);
	sigaddset(&stop_set, SIGHUP);
	/* Blocked across the forks: an instance takes its own handlers
	 * (instance() installs them and unblocks), and ours sees a signal
	 * that comes while it forks once they are all started. */
	sigprocmask(SIG_BLOCK, &stop_set, &old);
	fflush(NULL);
	pid_t self = getpid();
	int rc = 0, stopping = 0;
	unsigned started = 0;
	for (unsigned k = 0; k < n; k++) {
		pid_t pid = fork();
		if (pid < 0) {
			log_errno("cannot start instance '%s'", in[k].name);
			rc = 1;
			break;
		}
		if (pid == 0) {
			setpgid(0, 0);
			prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
			if (getppid() != self)
				_exit(1); /* the supervisor is gone already */
			static char prog[32];
			snprintf(prog, sizeof(prog), "ferret[%s]", in[k].name);
			log_prog = prog;
			exit(instance(&in[k].o));
		}
		setpgid(pid, pid); /* the instance does it too: no window */
		in[k].pid = pid;
		started++;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (rc) {
		signal_all(in, n, SIGTERM, 0);
		stopping = 1;
	}
	if (started == 1)
		log_info("1 instance in '%s': main", o->out_dir);
	else if (started)
		log_info("%u instances in '%s': main and s2%s%s", started, o->out_dir,
			 started > 2 ? ".." : "", started > 2 ? in[started - 1].name : "");

	uint64_t start = clock_ms(), next_ui = 0, next_status = start + CFG_STATUS_SEC * 1000;
	uint64_t next_bugs = 0, kill_at = 0, bugs = 0;
	uint64_t stop_ms = 2 * (uint64_t)o->timeout_ms + JOBS_GRACE_MS;
	if (rc) /* a fork failed: those started were told to stop; not for ever */
		kill_at = start + stop_ms;
	uint64_t deadline = o->max_seconds ? start + o->max_seconds * 1000 + stop_ms : 0;
	int seen_signals = 0, ui = ui_wanted(o->no_ui, o->force_ui) && ui_start() == 0;
	char mode[32];
	snprintf(mode, sizeof(mode), "%u instances", started);
	unsigned live = started;
	while (live) {
		int st;
		pid_t p;
		while ((p = waitpid(-1, &st, WNOHANG)) > 0) {
			unsigned k = 0;
			while (k < n && in[k].pid != p)
				k++;
			if (k == n || in[k].done)
				continue;
			in[k].done = 1;
			live--;
			kill(-p, SIGKILL); /* anything left in its group */
			int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
			struct stats s;
			struct ui_view v;
			int cpu;
			int crashed = read_slot(&slots[k], &s, &v, &cpu) && s.saved_crashes;
			if (code && !rc)
				rc = code;
			if (!stopping && live && (code || (o->stop_on_crash && crashed))) {
				if (code)
					log_info("instance '%s' ended with status %d: stopping the "
						 "others",
						 in[k].name, code);
				signal_all(in, n, SIGTERM, 0);
				stopping = 1;
				kill_at = clock_ms() + stop_ms;
			}
		}
		if (!live)
			break;
		uint64_t now = clock_ms();
		if (signals != seen_signals) {
			seen_signals = signals;
			/* the first asks each instance to stop; another one, as for
			 * a single instance, ends them on the spot */
			signal_all(in, n, last_signal, 0);
			if (seen_signals > 1 || stopping)
				rc = 128 + last_signal;
			if (!kill_at)
				kill_at = now + stop_ms;
			stopping = 1;
		}
		if (deadline && now >= deadline && !kill_at) {
			signal_all(in, n, SIGTERM, 0);
			stopping = 1;
			kill_at = now + JOBS_GRACE_MS;
		}
		if (kill_at && now >= kill_at) {
			signal_all(in, n, SIGKILL, 1);
			kill_at = now + JOBS_GRACE_MS;
		}
		if (ui ? now >= next_ui : now >= next_status) {
			add_up(&t, in, n, slots);
			if (now >= next_bugs) { /* a file read per instance: once a second */
				next_bugs = now + 1000;
				bugs = count_bugs(o->out_dir, in, n);
			}
			t.s.unique_bugs = bugs;
		}
		if (ui && now >= next_ui) {
			t.s.afl_banner = o->argv[0];
			t.s.afl_version = "ferret-" FERRET_VERSION;
			t.s.target_mode = mode;
			t.v.now_unix = (uint64_t)time(NULL);
			t.v.stopping = stopping;
			ui_draw(&t.v);
			next_ui = now + CFG_UI_MS;
		} else if (!ui && now >= next_status) {
			status_line(&t, n, (now - start) / 1000);
			next_status = now + CFG_STATUS_SEC * 1000;
		}
		struct timespec ts = {0, JOBS_TICK_MS * 1000000L};
		nanosleep(&ts, NULL); /* a signal or nothing: the loop looks again */
	}
	ui_stop();
	add_up(&t, in, n, slots);
	t.s.unique_bugs = count_bugs(o->out_dir, in, n);
	status_line(&t, n, (clock_ms() - start) / 1000);
	log_info("stopped %u instances after %llu executions in total: %llu crashes, %llu hangs, "
		 "%llu distinct bugs in '%s'",
		 started, (unsigned long long)t.s.execs_done, (unsigned long long)t.s.saved_crashes,
		 (unsigned long long)t.s.saved_hangs, (unsigned long long)t.s.unique_bugs,
		 o->out_dir);
	munmap(slots, n * sizeof(*slots));
	free(in);
	return rc;
}
