/*
 * supervisor.c - the process a libFuzzer-style harness starts as. It owns
 * everything durable: it reads the corpus, forks the worker (which inherits
 * the initialised harness and the inputs) as a watched child
 * (src/exec/child.c enforces -timeout on the worker's execution counter,
 * -rss_limit_mb, and a grace period past -max_total_time, and kills the
 * worker's whole process group), writes the entries the worker hands over
 * to the first corpus directory, and when the worker dies writes the input
 * in flight as crash-/timeout-/oom-<sha1> and reports it as libFuzzer does.
 * With -ignore_crashes it then forks a fresh worker from the same fork
 * point and goes on; with -fork=N each worker is one of libFuzzer's jobs
 * (its output in a log, libFuzzer's line after it), N at once, each in a
 * slot of its own; otherwise it exits with libFuzzer's exit codes. It
 * knows the worker only through the contract in inproc.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "artifact.h"
#include "child.h"
#include "clock.h"
#include "config.h"
#include "cpu.h"
#include "funcs.h"
#include "harness.h"
#include "inputs.h"
#include "log.h"
#include "options.h"
#include "rng.h"
#include "rt.h"
#include "sha1.h"
#include "store.h"
#include "supervisor.h"
#include "banned.h"

/*
 * Copies new entries out of the ring: into in (for restarted workers) and,
 * when a corpus directory was given, to <dir>/<sha1> (store_write: temp
 * file and rename), so every entry is on disk within CFG_LF_DRAIN_MS of
 * its NEW line. The ring is the worker's, so it is read defensively: a
 * record that does not fit between tail and head, or a removal that is not
 * a sha1, ends the drain and everything up to head is dropped.
 */
static void drain(struct lf_shared *sh, const struct lf_opts *o, struct inputs *in)
{
	uint64_t head = __atomic_load_n(&sh->ring_head, __ATOMIC_ACQUIRE), t = sh->ring_tail;
	uint32_t tag;
	while ((tag = lf_ring_tag(sh, t, head)) != 0xffffffffu) {
		uint32_t n = tag & ~LF_RING_REMOVE;
		if (tag & LF_RING_REMOVE) {
			/* passive minimization dropped an entry, or trim or reduce
			 * replaced one: gone from disk and from what a restarted
			 * worker starts from */
			char sha[41] = {0};
			if (n == 40)
				lf_ring_copy(sh, t + 4, (uint8_t *)sha, 40);
			t += 4 + (uint64_t)n;
			if (n == 40 && lf_is_sha1_hex(sha))
				inputs_remove_sha(in, sha);
			if (n == 40 && lf_is_sha1_hex(sha) && o->n_dirs) {
				char *p = path_join(o->dirs[0], sha);
				if (p)
					unlink(p);
				free(p);
			}
			continue;
		}
		uint8_t *d = malloc(n ? n : 1);
		if (!d)
			die("out of memory");
		lf_ring_copy(sh, t + 4, d, n);
		t += 4 + (uint64_t)n;
		char sha[41];
		sha1_hex(d, n, sha);
		if (inputs_has_sha(in, sha)) {
			free(d); /* found by two workers at once (-fork=N) */
			continue;
		}
		inputs_add(in, d, n);
		if (o->n_dirs)
			store_write(o->dirs[0], in->sha[in->n - 1], d, n);
	}
	__atomic_store_n(&sh->ring_tail, head, __ATOMIC_RELEASE);
}

/* ---- signals, as libFuzzer takes them ---- */

static volatile sig_atomic_t interrupt_sig; /* SIGINT or SIGTERM came */
static struct lf_shared *volatile stop_sh;  /* where SIGUSR1/2 ask the worker to stop */

static void on_interrupt(int sig)
{
	interrupt_sig = sig;
}

static void on_graceful(int sig)
{
	static const char line[] = "INFO: signal received, trying to exit gracefully\n";
	(void)sig;
	(void)!write(2, line, sizeof(line) - 1);
	if (stop_sh)
		stop_sh->stop = 1;
}

static const int lf_sigs[] = {SIGINT, SIGTERM, SIGUSR1, SIGUSR2};

void lf_signals_install(struct lf_shared *sh)
{
	stop_sh = sh;
	for (size_t i = 0; i < sizeof(lf_sigs) / sizeof(lf_sigs[0]); i++) {
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler =
			lf_sigs[i] == SIGINT || lf_sigs[i] == SIGTERM ? on_interrupt : on_graceful;
		sigemptyset(&sa.sa_mask);
		sigaction(lf_sigs[i], &sa, NULL); /* over SIG_IGN too, as libFuzzer */
	}
}

void lf_signals_default(void)
{
	for (size_t i = 0; i < sizeof(lf_sigs) / sizeof(lf_sigs[0]); i++)
		signal(lf_sigs[i], SIG_DFL);
}

int lf_interrupted(void)
{
	return interrupt_sig;
}

void lf_say_interrupted(void)
{
	fprintf(stderr, "==%d== libFuzzer: run interrupted; exiting\n", (int)getpid());
}

enum death { D_CRASH, D_TIMEOUT, D_OOM, D_EXIT, D_LEAK, D_CONST };

/*
 * -fork: the inputs that killed a worker, by hash, handed to every later
 * worker (lf_shared.known), which skips them. Without it a restarted
 * worker re-derives the same crash from the same corpus (input-to-state
 * is deterministic) and dies on it before it gets anywhere else.
 */
static uint64_t known[CFG_LF_KNOWN_DEATHS], known_lens;
static uint32_t known_len[CFG_LF_KNOWN_DEATHS], n_known;

static void remember_death(const struct lf_shared *sh, size_t max_len)
{
	if (!sh->running)
		return; /* died between inputs (a custom mutator, the loop): no input to skip */
	if (!sh->in_len)
		return;               /* the empty input runs first in every worker, as in each of
				       * libFuzzer's jobs: one that kills it kills each */
	uint32_t in_len = sh->in_len; /* read once: the worker's memory */
	size_t len = in_len < max_len ? in_len : max_len;
	uint64_t h = lf_input_hash(sh->input, len);
	for (uint32_t i = 0; i < n_known; i++)
		if (known[i] == h)
			return;
	if (n_known < CFG_LF_KNOWN_DEATHS) {
		known_len[n_known] = (uint32_t)len;
		known[n_known++] = h;
		known_lens |= 1ull << (len & 63);
	}
}

/* libFuzzer prints a unit of up to this many bytes (kMaxUnitSizeToPrint). */
#define LF_UNIT_PRINT_MAX 256

/* A byte as libFuzzer's PrintASCII shows it: printable as itself, a
 * backslash and a double quote escaped, anything else in octal. */
static void print_ascii(const uint8_t *d, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (d[i] == '\\' || d[i] == '"')
			fprintf(stderr, "\\%c", d[i]);
		else if (d[i] >= 0x20 && d[i] < 0x7f)
			fputc(d[i], stderr);
		else
			fprintf(stderr, "\\%03o", d[i]);
	}
	fputc('\n', stderr);
}

/* libFuzzer's DumpCurrentUnit: the mutations, the base unit, the bytes
 * (hex, then text) when short, and the artifact lines. */
static void dump_unit(const struct lf_opts *o, struct lf_shared *sh, const char *prefix,
		      const uint8_t *d, size_t len)
{
	unsigned n_ops = sh->trace.n < 64 ? sh->trace.n : 64;
	if (sh->from_i2s) {
		fprintf(stderr, "MS: 1 CMP-");
	} else {
		fprintf(stderr, "MS: %u ", n_ops);
		for (unsigned i = 0; i < n_ops; i++)
			fprintf(stderr, "%s-", mutate_name(sh->trace.ops[i]));
	}
	char base[41];
	memcpy(base, (const char *)sh->base_sha, 40);
	base[40] = 0;
	fprintf(stderr, "; base unit: %s\n",
		lf_is_sha1_hex(base) ? base : "0000000000000000000000000000000000000000");
	if (len <= LF_UNIT_PRINT_MAX && o->smith_test < 0) {
		for (size_t i = 0; i < len; i++)
			fprintf(stderr, "0x%x,", d[i]);
		fputc('\n', stderr);
		print_ascii(d, len);
	}
	artifact_write(o, prefix, NULL, d, len);
}

/*
 * A worker's death as libFuzzer reports its own, line for line and in its
 * order (LLVM 14): the ERROR line, the SUMMARY line and the unit (for a
 * timeout the ALARM lines and the unit come first, for an out-of-memory
 * the unit comes before SUMMARY). After a sanitizer's report, whose lines
 * are the sanitizer's, only the unit follows, as from libFuzzer's death
 * callback. The stack trace libFuzzer prints where it can is an empty line
 * here: the worker is gone.
 */
static void report(const struct lf_opts *o, struct lf_shared *sh, size_t max_len, enum death kind,
		   const struct child_result *r, pid_t pid)
{
	/* the worker is dead: its fields hold still, but are clamped */
	size_t len = sh->in_len < max_len ? sh->in_len : max_len;
	const uint8_t *d = sh->input;
	if (o->smith_test >= 0) {
		/* a FERRET_TEST's finding is the stream it consumed */
		len = sh->slog_len < LF_SLOG_BYTES ? sh->slog_len : LF_SLOG_BYTES;
		d = sh->slog;
	}
	switch (kind) {
	case D_TIMEOUT:
		fprintf(stderr,
			"ALARM: working on the last Unit for %lld seconds\n"
			"       and the timeout value is %lld (use -timeout=N to change)\n",
			o->timeout, o->timeout);
		dump_unit(o, sh, "timeout", d, len);
		fprintf(stderr, "==%d== ERROR: libFuzzer: timeout after %lld seconds\n\n", (int)pid,
			o->timeout);
		fprintf(stderr, "SUMMARY: libFuzzer: timeout\n");
		break;
	case D_OOM:
		if (sh->malloc_oom)
			fprintf(stderr, "==%d== ERROR: libFuzzer: out-of-memory (malloc(%llu))\n",
				(int)pid, (unsigned long long)sh->malloc_oom_size);
		else
			fprintf(stderr,
				"==%d== ERROR: libFuzzer: out-of-memory (used: %zuMb; limit: "
				"%lldMb)\n",
				(int)pid, r->rss_mb, o->rss_limit_mb);
		fprintf(stderr, "   To change the out-of-memory limit use -rss_limit_mb=<N>\n\n");
		dump_unit(o, sh, "oom", d, len);
		fprintf(stderr, "SUMMARY: libFuzzer: out-of-memory\n");
		break;
	case D_EXIT:
		fprintf(stderr, "==%d== ERROR: libFuzzer: fuzz target exited\n\n", (int)pid);
		fprintf(stderr, "SUMMARY: libFuzzer: fuzz target exited\n");
		dump_unit(o, sh, "crash", d, len);
		break;
	case D_CONST:
		fprintf(stderr,
			"==%d== ERROR: libFuzzer: fuzz target overwrites its const input\n\n"
			"SUMMARY: libFuzzer: overwrites-const-input\n",
			(int)pid);
		dump_unit(o, sh, "crash", d, len);
		break;
	case D_LEAK: /* LeakSanitizer's report and libFuzzer's lines came from the worker */
		dump_unit(o, sh, "leak", d, len);
		break;
	case D_CRASH:
		if (r->end == CHILD_SIGNALED) {
			fprintf(stderr,
				"==%d== ERROR: libFuzzer: deadly signal\n\n"
				"NOTE: libFuzzer has rudimentary signal handlers.\n"
				"      Combine libFuzzer with AddressSanitizer or similar for "
				"better "
				"crash reports.\n"
				"SUMMARY: libFuzzer: deadly signal\n",
				(int)pid);
		}
		dump_unit(o, sh, "crash", d, len);
		break;
	}
}

/* The exit code libFuzzer's process ends with after a death: after a
 * sanitizer's report, the sanitizer's (1 by default). */
static int death_exit_code(const struct lf_opts *o, enum death kind, const struct child_result *r)
{
	if (kind == D_CRASH && r->end == CHILD_SANITIZER && r->exit_code > 0)
		return r->exit_code;
	return kind == D_TIMEOUT ? (int)o->timeout_exitcode
	       : kind == D_OOM   ? LF_OOM_EXIT_CODE
				 : (int)o->error_exitcode;
}

/* How a worker that did not finish its budget ended. */
enum end_how {
	END_DEATH, /* a finding, of the kind set */
	END_QUIET, /* the harness took the crash state and exited: not reported */
	END_NONE,  /* out of time: not a finding */
	END_OTHER, /* SIGHUP or an interrupt killed it */
};

static enum end_how end_of(const struct lf_shared *sh, const struct child_result *r,
			   enum death *kind)
{
	switch (r->end) {
	case CHILD_TIMEOUT:
		*kind = D_TIMEOUT;
		return END_DEATH;
	case CHILD_OOM:
		*kind = D_OOM;
		return END_DEATH;
	case CHILD_EXITED:
		if (sh->quiet_exit)
			return END_QUIET;
		*kind = sh->leak ? D_LEAK : sh->overwrote ? D_CONST : D_EXIT;
		return END_DEATH;
	case CHILD_SIGNALED:
	case CHILD_SANITIZER:
		*kind = D_CRASH;
		return END_DEATH;
	case CHILD_OVERTIME:
		return END_NONE;
	default:
		return END_OTHER;
	}
}

int lf_report_death(const struct lf_opts *o, struct lf_shared *sh, size_t max_len,
		    const struct child_result *r, pid_t pid)
{
	enum death kind = D_CRASH;
	switch (end_of(sh, r, &kind)) {
	case END_DEATH:
		report(o, sh, max_len, kind, r, pid);
		return death_exit_code(o, kind, r);
	case END_QUIET:
		return r->exit_code;
	case END_NONE:
		return 0;
	default:
		return 1;
	}
}

static size_t pick_max_len(const struct lf_opts *o, const struct inputs *in, int quiet)
{
	if (o->max_len > 0)
		return (size_t)o->max_len;
	size_t m = 0;
	for (size_t i = 0; i < in->n; i++)
		m = in->lens[i] > m ? in->lens[i] : m;
	if (m <= CFG_LF_DEFAULT_MAX_LEN) {
		if (!quiet)
			fprintf(stderr,
				"INFO: -max_len is not provided; libFuzzer will not generate "
				"inputs "
				"larger than %u bytes\n",
				CFG_LF_DEFAULT_MAX_LEN);
		return CFG_LF_DEFAULT_MAX_LEN;
	}
	return m > CFG_MAX_INPUT_BYTES ? CFG_MAX_INPUT_BYTES : m;
}

/* The largest peak RSS of the workers that ended, each as wait4 saw it
 * (child.h): the worker's own, not that of the processes the supervisor
 * reaped for it, such as the symbolizer a worker started for its NEW_FUNC
 * lines (libFuzzer's peak is its own process's). */
static long workers_peak_kb;

static void note_peak(const struct child_result *r)
{
	if (r->maxrss_kb > workers_peak_kb)
		workers_peak_kb = r->maxrss_kb;
}

/*
 * -print_final_stats=1, printed by the supervisor however the run ends
 * (libFuzzer prints them after Done, after an interrupt and after a
 * crash): executions of every worker, and the peak RSS of the largest
 * process, which a worker is.
 */
static void final_stats(const struct lf_opts *o, const struct lf_shared *sh, uint64_t execs,
			uint64_t start_ms)
{
	if (!o->print_final_stats)
		return;
	uint64_t secs = (clock_ms() - start_ms) / 1000;
	struct rusage self;
	long kb = workers_peak_kb;
	if (getrusage(RUSAGE_SELF, &self) == 0 && self.ru_maxrss > kb)
		kb = self.ru_maxrss;
	fprintf(stderr,
		"stat::number_of_executed_units: %llu\nstat::average_exec_per_sec:     %llu\n"
		"stat::new_units_added:          %llu\nstat::slowest_unit_time_sec:    0\n"
		"stat::peak_rss_mb:              %ld\n",
		(unsigned long long)execs, (unsigned long long)(secs ? execs / secs : 0),
		(unsigned long long)sh->new_units, kb >> 10);
}

/* libFuzzer's lines about the instrumented modules: one for the guards
 * (trace-pc-guard, ferret-cc's clang builds), one for the pc-tables; each
 * module or table as "N [start, end), ". */
static void print_modules(void)
{
	const struct ferret_guard_module *m;
	unsigned n = ferret__guard_modules(&m);
	size_t guards = 0;
	for (unsigned i = 0; i < n; i++)
		guards += (size_t)(m[i].stop - m[i].start);
	if (n) {
		fprintf(stderr, "INFO: Loaded %u modules   (%zu guards): ", n, guards);
		for (unsigned i = 0; i < n; i++)
			fprintf(stderr, "%zu [%p, %p), ", (size_t)(m[i].stop - m[i].start),
				(const void *)m[i].start, (const void *)m[i].stop);
		fprintf(stderr, "\n");
	}
	const uintptr_t *beg[64], *end[64];
	unsigned t = ferret__pc_tables(beg, end, 64);
	t = t < 64 ? t : 64;
	size_t pcs = 0;
	for (unsigned i = 0; i < t; i++)
		pcs += (size_t)(end[i] - beg[i]) / 2;
	if (t) {
		fprintf(stderr, "INFO: Loaded %u PC tables (%zu PCs): ", t, pcs);
		for (unsigned i = 0; i < t; i++)
			fprintf(stderr, "%zu [%p,%p), ", (size_t)(end[i] - beg[i]) / 2,
				(const void *)beg[i], (const void *)end[i]);
		fprintf(stderr, "\n");
	}
}

/* libFuzzer's summary of the inputs it starts from. */
static void print_seed_corpus(const struct inputs *in)
{
	size_t min = SIZE_MAX, max = 0, total = 0;
	for (size_t i = 0; i < in->n; i++) {
		min = in->lens[i] < min ? in->lens[i] : min;
		max = in->lens[i] > max ? in->lens[i] : max;
		total += in->lens[i];
	}
	struct rusage ru;
	long rss = getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss >> 10 : 0;
	fprintf(stderr,
		"INFO: seed corpus: files: %zu min: %zub max: %zub total: %zub rss: %ldMb\n", in->n,
		min, max, total, rss);
}

/* -seed_inputs: files separated by commas, or "@FILE", a file holding
 * that list (libFuzzer's forms); each is a seed besides the corpus. An
 * unreadable one is an error, as in libFuzzer. */
static void read_seed_inputs(const struct lf_opts *o, struct inputs *in)
{
	if (!*o->seed_inputs)
		return;
	char *list;
	if (o->seed_inputs[0] == '@') {
		uint8_t *d;
		size_t len;
		if (store_read(o->seed_inputs + 1, 1 << 20, &d, &len, NULL))
			die("cannot read the -seed_inputs list '%s'", o->seed_inputs + 1);
		if (!(list = realloc(d, len + 1)))
			die("out of memory");
		list[len] = 0;
	} else if (!(list = strdup(o->seed_inputs))) {
		die("out of memory");
	}
	for (char *save = NULL, *f = strtok_r(list, ",\n", &save); f;
	     f = strtok_r(NULL, ",\n", &save)) {
		uint8_t *d;
		size_t len;
		if (store_read(f, CFG_MAX_INPUT_BYTES, &d, &len, NULL))
			die("cannot read seed input '%s' (-seed_inputs)", f);
		inputs_add(in, d, len);
	}
	free(list);
}

/* ---- -fork=N: libFuzzer's fork mode, as its lines show it ---- */

/*
 * libFuzzer's -fork=N (LLVM 14, FuzzerFork.cpp) runs jobs: job J fuzzes
 * for min(300, J) seconds in a process of its own, its output going to a
 * log file in a temporary directory, and after each the parent prints one
 * line (#runs: cov: ft: corp: exec/s oom/timeout/crash: time: job:
 * dft_time:) with the counts as they were before the job's inputs were
 * merged, then goes on or stops: a crash not ignored dumps the job's log
 * ("INFO: log from the inner process:"), an ignored one prints the log's
 * ERROR lines, a spent budget says "fuzzed for N iterations|seconds,
 * wrapping up soon"; it ends with "INFO: exiting: RC time: Ts", RC being
 * the last job's exit code. Here a job is one worker's life (a fresh
 * worker from the fork point with a part of the corpus so far, drawn as
 * libFuzzer draws it: fork_pick), N at once: its
 * stdout and stderr go to the job's log, and so does the report of its
 * death, so that what reaches the terminal is libFuzzer's.
 * As in libFuzzer, a job runs its seconds whatever -runs says, which is
 * checked between jobs.
 */
struct fork_mode {
	char dir[4096]; /* the jobs' logs, each unlinked once open */
	unsigned jobs;  /* jobs started */
	uint64_t ooms, timeouts, crashes;
	uint32_t cov, ft; /* as the jobs before left them */
};

/* One worker: its shared area and watcher and, with -fork, its job. */
struct slot {
	struct lf_shared *sh;
	struct child ch;
	pid_t pid;         /* 0 while no worker runs here */
	int log;           /* -fork: the job's log, or -1 */
	unsigned job;      /* -fork: its number */
	size_t corp;       /* -fork: corpus entries when it started */
	uint64_t start_ms; /* when it started */
};

static void fork_begin(struct fork_mode *f, const struct lf_opts *o, size_t n_inputs)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(f->dir, sizeof(f->dir), "%s/libFuzzerTemp.FuzzWithFork%d.dir",
		 tmp && *tmp ? tmp : "/tmp", (int)getpid());
	if (mkdir(f->dir, 0700) && errno != EEXIST)
		die_errno("cannot create '%s'", f->dir);
	fprintf(stderr, "INFO: -fork=%lld: %zu seed inputs, starting to fuzz in %s\n", o->fork,
		n_inputs, f->dir);
}

static void fork_job_open(struct fork_mode *f, struct slot *s, size_t corp)
{
	char path[4200];
	s->job = ++f->jobs;
	snprintf(path, sizeof(path), "%s/%u.log", f->dir, s->job);
	if (s->log >= 0)
		close(s->log);
	s->log = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (s->log < 0)
		die_errno("cannot create '%s'", path);
	unlink(path);
	s->corp = corp;
}

/* The supervisor's stderr into the job's log (for the report of its
 * death) and back. */
static int fork_log_stderr(const struct slot *s)
{
	fflush(stderr);
	int saved = dup(2);
	dup2(s->log, 2);
	return saved;
}

static void fork_restore_stderr(int saved)
{
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
}

/* Copies the job's log to stderr: whole, or (errors_only) only the lines
 * naming an error, as libFuzzer does after an ignored crash. */
static void fork_print_log(const struct slot *s, int errors_only)
{
	int fd = dup(s->log);
	FILE *in = fd >= 0 ? fdopen(fd, "r") : NULL;
	if (!in)
		return;
	rewind(in);
	char line[4096];
	while (fgets(line, sizeof(line), in))
		if (!errors_only || strstr(line, "ERROR:") || strstr(line, "runtime error:"))
			fputs(line, stderr);
	fclose(in);
}

/* libFuzzer's line after each job (its spelling: "exec/s N", no colon). */
static void fork_job_line(struct fork_mode *f, const struct slot *s, uint64_t execs,
			  uint64_t start_ms)
{
	uint64_t now = clock_ms(), secs = (now - s->start_ms) / 1000;
	fprintf(stderr,
		"#%llu: cov: %u ft: %u corp: %zu exec/s %llu oom/timeout/crash: %llu/%llu/%llu "
		"time: %llus job: %u dft_time: 0\n",
		(unsigned long long)execs, f->cov, f->ft, s->corp,
		(unsigned long long)(secs ? s->sh->execs / secs : 0), (unsigned long long)f->ooms,
		(unsigned long long)f->timeouts, (unsigned long long)f->crashes,
		(unsigned long long)((now - start_ms) / 1000), s->job);
	f->cov = s->sh->cov > f->cov ? s->sh->cov : f->cov;
	f->ft = s->sh->ft > f->ft ? s->sh->ft : f->ft;
}

/*
 * libFuzzer's NEW_FUNC lines after a job's line: every function the job's
 * finds covered first (the job hands over the function entries its corpus
 * covered, those of its seeds flagged: they are known, as libFuzzer's
 * merge of the seeds knows them, and only marked). In index order within
 * a job, as libFuzzer prints them from its set of new PCs.
 */
static void fork_new_funcs(const struct lf_shared *sh)
{
	if (!funcs_init(ferret__map_used()))
		return;
	uint32_t n = sh->funcs.n; /* read once: the worker's */
	n = n < CFG_LF_FORK_FUNCS - 1 ? n : CFG_LF_FORK_FUNCS - 1;
	uint32_t *found = malloc((n ? n : 1) * sizeof(*found));
	if (!found)
		return;
	size_t k = 0;
	const uint32_t *fresh;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t v = sh->funcs.idx[i], idx = v & ~LF_FUNC_SEED;
		if (v & LF_FUNC_SEED)
			funcs_cover(&idx, 1, &fresh); /* marked, not printed */
		else
			found[k++] = idx;
	}
	size_t m = funcs_cover(found, k, &fresh);
	fflush(stderr);
	funcs_print(2, fresh, m, 0, 1);
	free(found);
}

/* The floor of the square root of x. */
static uint64_t isqrt(uint64_t x)
{
	uint64_t r = 0;
	for (uint64_t bit = 1ull << 31; bit; bit >>= 1)
		if ((r | bit) * (r | bit) <= x)
			r |= bit;
	return r;
}

/*
 * The inputs job `job` starts from, as libFuzzer's fork mode picks them
 * (FuzzerFork.cpp, LLVM 14): of the n inputs of the corpus, in the order
 * they came (those read at the start, then each job's finds), floor(sqrt(n
 * + 2)) picks, at most n, each the floor of the square root of a uniform
 * number below n * n, so that input i comes with probability (2i + 1) /
 * n^2 and the newer weigh more. A pick drawn twice runs once (libFuzzer
 * runs it twice, to no effect). Deterministic from -seed and the job's
 * number. sub gets arrays of its own pointing into in's inputs (only its
 * data and lens are set; the caller frees those two arrays).
 */
static void fork_pick(long long seed, unsigned job, const struct inputs *in, struct inputs *sub)
{
	memset(sub, 0, sizeof(*sub));
	size_t n = in->n, k = (size_t)isqrt((uint64_t)n + 2);
	k = k < n ? k : n;
	if (!k)
		return;
	uint8_t *picked = calloc(n, 1);
	sub->data = malloc(k * sizeof(*sub->data));
	sub->lens = malloc(k * sizeof(*sub->lens));
	if (!picked || !sub->data || !sub->lens)
		die("out of memory");
	struct rng r;
	rng_seed(&r, (uint64_t)seed * 0x9e3779b97f4a7c15ull ^ job);
	for (size_t i = 0; i < k; i++)
		picked[isqrt(rng_below(&r, (uint64_t)n * n))] = 1;
	for (size_t i = 0; i < n; i++)
		if (picked[i]) {
			sub->data[sub->n] = in->data[i];
			sub->lens[sub->n++] = in->lens[i];
		}
	free(picked);
}

/* A job's first lines in its log, as libFuzzer's job starts. */
static void fork_job_start(const struct lf_opts *wo, const struct inputs *in, size_t max_len)
{
	fprintf(stderr, "INFO: Seed: %lld\n", wo->seed);
	print_modules();
	if (wo->max_len <= 0 && max_len == CFG_LF_DEFAULT_MAX_LEN)
		fprintf(stderr,
			"INFO: -max_len is not provided; libFuzzer will not generate inputs "
			"larger than %u bytes\n",
			CFG_LF_DEFAULT_MAX_LEN);
	if (in->n)
		print_seed_corpus(in);
	else
		fprintf(stderr, "INFO: A corpus is not provided, starting from an empty corpus\n");
	fflush(stderr);
}

static int fork_end(struct fork_mode *f, int rc, uint64_t start_ms)
{
	rmdir(f->dir);
	fprintf(stderr, "INFO: exiting: %d time: %llus\n", rc,
		(unsigned long long)((clock_ms() - start_ms) / 1000));
	return rc;
}

void lf_say_start(struct lf_opts *o)
{
	if (LLVMFuzzerCustomMutator) {
		/* as libFuzzer (options.c turned -len_control off) */
		fprintf(stderr,
			"INFO: found LLVMFuzzerCustomMutator (%p). Disabling -len_control by "
			"default.\n",
			(void *)(uintptr_t)LLVMFuzzerCustomMutator);
	}
	if (!o->seed)
		o->seed = (long long)((uint64_t)time(NULL) ^ (uint64_t)getpid() << 16) & 0x7fffffff;
	fprintf(stderr, "INFO: Seed: %lld\n", o->seed);
	print_modules();
}

/* Kills the workers still running (their entries drained first), as
 * libFuzzer stops its other jobs when the run ends. */
static void stop_all(struct slot *slots, unsigned n, const struct lf_opts *o, struct inputs *in)
{
	for (unsigned k = 0; k < n; k++) {
		if (!slots[k].pid)
			continue;
		kill(-slots[k].pid, SIGKILL);
		note_peak(child_wait(&slots[k].ch));
		drain(slots[k].sh, o, in);
		slots[k].pid = 0;
	}
}

/* Forks the worker of slot s with what is left of the budget; with -fork,
 * the next job (its log, its seconds). */
static void slot_start(struct slot *s, unsigned k, const struct lf_opts *o, struct fork_mode *f,
		       const struct inputs *in, size_t max_len, uint64_t start,
		       uint64_t execs_before, lf_worker_fn *worker)
{
	struct lf_shared *sh = s->sh;
	struct lf_opts wo = *o;
	if (o->runs >= 0)
		wo.runs = o->runs - (long long)execs_before > 0 ? o->runs - (long long)execs_before
								: 0;
	if (o->max_total_time > 0) {
		long long left = o->max_total_time - (long long)((clock_ms() - start) / 1000);
		wo.max_total_time = left > 0 ? left : 1;
	}
	wo.seed = o->seed + (long long)execs_before + k; /* workers at once differ */
	if (f) {
		/* job J runs min(300, J) seconds, as libFuzzer's, and -runs is
		 * checked between jobs */
		fork_job_open(f, s, in->n);
		long long secs = s->job < 300 ? (long long)s->job : 300;
		wo.max_total_time = wo.max_total_time > 0 && wo.max_total_time < secs
					    ? wo.max_total_time
					    : secs;
		wo.runs = -1;
	}
	sh->n_known = n_known;
	sh->known_lens = known_lens;
	memcpy(sh->known, known, n_known * sizeof(known[0]));
	memcpy(sh->known_len, known_len, n_known * sizeof(known_len[0]));
	sh->execs = sh->exec_seq = 0;
	/* stop is left as a signal set it */
	sh->done = sh->died = sh->malloc_oom = sh->leak = sh->overwrote = sh->quiet_exit = 0;
	sh->found = 0;
	sh->running = 0;
	sh->funcs.n = 0;
	struct child_watch w = {
		.timeout_ms = o->timeout > 0 ? (uint64_t)o->timeout * 1000 : 0,
		.rss_mb = o->rss_limit_mb > 0 ? (uint64_t)o->rss_limit_mb : 0,
		.total_ms = wo.max_total_time > 0 ? (uint64_t)wo.max_total_time * 1000 : 0,
		.grace_ms = CFG_LF_GRACE_MS,
		.exec_seq = &sh->exec_seq,
		.running = &sh->running,
		.died = &sh->died,
		.oom = &sh->malloc_oom,
	};
	/* A job starts from a part of the corpus, as libFuzzer's; the first
	 * from all of it, as libFuzzer's merge of the seeds runs them all
	 * first (what they cover is known, for the NEW_FUNC lines). */
	struct inputs sub = {0};
	int part = f && s->job > 1;
	if (part)
		fork_pick(o->seed, s->job, in, &sub);
	const struct inputs *from = part ? &sub : in;
	s->start_ms = clock_ms();
	pid_t pid = child_fork(&s->ch, &w);
	if (pid < 0)
		die_errno("cannot fork the worker");
	if (pid == 0) {
		lf_signals_default();
		if (f) {
			dup2(s->log, 1);
			dup2(s->log, 2);
			fork_job_start(&wo, from, max_len);
			/* a job of -fork=N: a free core of its own, held while it
			 * runs (src/exec/cpu.h), unless FERRET_NO_AFFINITY */
			if (o->fork > 1 && !getenv("FERRET_NO_AFFINITY"))
				cpu_bind(-1);
		}
		worker(&wo, sh, max_len, from->data, from->lens, from->n);
		_exit(1); /* not reached */
	}
	free(sub.data);
	free(sub.lens);
	s->pid = pid;
}

/*
 * One worker, or with -fork=N up to N jobs at once, each in a slot of its
 * own (its shared area, ring and watcher): the supervisor drains every
 * ring, and handles each worker's end as it comes (the report, the job
 * line), then starts another or ends the run, killing the others.
 */
int lf_supervise(const struct lf_opts *o_in, lf_worker_fn *worker)
{
	struct lf_opts opts = *o_in, *o = &opts;
	lf_say_start(o);
	fprintf(stderr, "INFO: ferret engine: in-process worker under a supervisor\n");
	/* -fork: libFuzzer's lines about the corpus are its jobs', in their
	 * logs */
	struct fork_mode fm = {0}, *f = o->fork > 0 ? &fm : NULL;
	if (f)
		fprintf(stderr, "INFO: -fork=%lld: fuzzing in separate process(s)\n", o->fork);

	struct inputs in = {0};
	for (size_t i = 0; i < o->n_dirs; i++) {
		size_t n = inputs_read_dir(&in, o->dirs[i], CFG_MAX_INPUT_BYTES);
		if (!f)
			fprintf(stderr, "INFO: %8zu files found in %s\n", n, o->dirs[i]);
	}
	read_seed_inputs(o, &in);
	if (!in.n && !f)
		fprintf(stderr, "INFO: A corpus is not provided, starting from an empty corpus\n");
	size_t max_len = pick_max_len(o, &in, f != NULL);
	if (in.n && !f)
		print_seed_corpus(&in);
	if (f)
		fork_begin(f, o, in.n);

	unsigned n_slots =
		f ? (o->fork < CFG_LF_FORK_MAX ? (unsigned)o->fork : CFG_LF_FORK_MAX) : 1;
	struct slot slots[CFG_LF_FORK_MAX];
	for (unsigned k = 0; k < n_slots; k++) {
		slots[k] = (struct slot){.log = -1};
		slots[k].sh = mmap(NULL, sizeof(*slots[k].sh) + max_len, PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (slots[k].sh == MAP_FAILED)
			die("cannot map the shared area");
	}
	struct lf_shared *sh0 = slots[0].sh; /* where SIGUSR1/2 ask to stop */
	uint64_t start = clock_ms(), execs_before = 0;
	signal(SIGPIPE, SIG_IGN);
	lf_signals_install(sh0);
	for (;;) {
		if (interrupt_sig) {
			stop_all(slots, n_slots, o, &in);
			if (f)
				rmdir(f->dir);
			lf_say_interrupted();
			final_stats(o, sh0, execs_before, start);
			return LF_INTERRUPT_EXIT_CODE;
		}
		for (unsigned k = 0; k < n_slots; k++)
			if (!slots[k].pid)
				slot_start(&slots[k], k, o, f, &in, max_len, start, execs_before,
					   worker);
		/* until a worker ends */
		struct slot *s = NULL;
		while (!s) {
			for (unsigned k = 0; k < n_slots; k++) {
				if (interrupt_sig)
					kill(-slots[k].pid, SIGKILL); /* came before the
								       * watcher's handler was in */
				slots[k].sh->stop |= sh0->stop;
				drain(slots[k].sh, o, &in);
				if (!s && child_poll(&slots[k].ch))
					s = &slots[k];
			}
			if (!s)
				child_idle(&slots[0].ch, CFG_LF_DRAIN_MS);
		}
		struct lf_shared *sh = s->sh;
		pid_t pid = s->pid;
		s->pid = 0;
		drain(sh, o, &in);
		/* an input that killed the worker counts, as in libFuzzer's
		 * stats and -fork's job lines */
		execs_before += sh->execs + (sh->running ? 1 : 0);
		const struct child_result *r = &s->ch.res;
		note_peak(r);
		if (interrupt_sig) {
			/* the workers' groups are dead (the watcher's handler or
			 * the line above), their entries are on disk */
			stop_all(slots, n_slots, o, &in);
			if (f)
				rmdir(f->dir);
			lf_say_interrupted();
			final_stats(o, sh, execs_before, start);
			return LF_INTERRUPT_EXIT_CODE;
		}
		/* how the worker's life ended: rc 0 for its budget spent, else
		 * a death, reported, and its exit code */
		int rc = -1;
		enum death kind = D_CRASH;
		if (sh->done && r->end == CHILD_EXITED && r->exit_code == 0) {
			if (sh->no_coverage) {
				stop_all(slots, n_slots, o, &in);
				return 1; /* the worker said why, as libFuzzer does */
			}
			if (sh->found && !f) {
				/* -exit_on_src_pos, -exit_on_item: libFuzzer's
				 * _Exit(0), no final stats (a -fork job just ends) */
				stop_all(slots, n_slots, o, &in);
				return 0;
			}
			if (sh->stop) {
				stop_all(slots, n_slots, o, &in);
				if (f)
					rmdir(f->dir);
				fprintf(stderr, "==%d== INFO: libFuzzer: exiting as requested\n",
					(int)getpid());
				final_stats(o, sh, execs_before, start);
				return 0;
			}
			rc = 0;
		} else {
			enum end_how how = end_of(sh, r, &kind);
			if (how == END_QUIET || how == END_OTHER) {
				stop_all(slots, n_slots, o, &in);
				/* a quiet exit is not reported, as libFuzzer
				 * (harness.h); SIGHUP killed it otherwise (and this
				 * process survived it) */
				return how == END_QUIET ? r->exit_code : 1;
			}
			if (how == END_NONE)
				rc = 0; /* out of time, not a finding */
		}
		if (rc < 0) {
			int saved = f ? fork_log_stderr(s) : -1;
			report(o, sh, max_len, kind, r, pid);
			if (f) {
				/* a job's log ends with its stats, as libFuzzer's */
				struct lf_opts job = *o;
				job.print_final_stats = 1;
				final_stats(&job, sh, sh->execs + (sh->running ? 1 : 0),
					    s->start_ms);
				fork_restore_stderr(saved);
			}
			remember_death(sh, max_len);
			rc = death_exit_code(o, kind, r);
		}
		int spent = (o->runs >= 0 && execs_before >= (uint64_t)o->runs) ||
			    (o->max_total_time > 0 &&
			     clock_ms() - start >= (uint64_t)o->max_total_time * 1000);
		if (!f) {
			/* one worker, restarted after a crash with -ignore_crashes */
			if (rc == 0 || !o->ignore_crashes || kind == D_TIMEOUT || kind == D_OOM ||
			    sh->stop || spent) {
				final_stats(o, sh, execs_before, start);
				return rc;
			}
			fprintf(stderr, "INFO: restarting the worker (-fork)\n");
			continue;
		}
		fork_job_line(f, s, execs_before, start);
		fork_new_funcs(sh);
		if (rc && kind == D_TIMEOUT && o->ignore_timeouts) {
			f->timeouts++;
		} else if (rc && kind == D_OOM && o->ignore_ooms) {
			f->ooms++;
		} else if (rc) {
			f->crashes++;
			if (!o->ignore_crashes) {
				fprintf(stderr, "INFO: log from the inner process:\n");
				fork_print_log(s, 0);
				stop_all(slots, n_slots, o, &in);
				return fork_end(f, rc, start);
			}
			fork_print_log(s, 1);
		}
		if (o->max_total_time > 0 &&
		    clock_ms() - start >= (uint64_t)o->max_total_time * 1000) {
			fprintf(stderr, "INFO: fuzzed for %llu seconds, wrapping up soon\n",
				(unsigned long long)((clock_ms() - start) / 1000));
			stop_all(slots, n_slots, o, &in);
			return fork_end(f, rc, start);
		}
		if (spent || sh->stop) {
			fprintf(stderr, "INFO: fuzzed for %llu iterations, wrapping up soon\n",
				(unsigned long long)execs_before);
			stop_all(slots, n_slots, o, &in);
			return fork_end(f, rc, start);
		}
	}
}
