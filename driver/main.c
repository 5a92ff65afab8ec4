/*
 * main.c - main() of every harness linked with `ferret-cc --fuzzer`: reads
 * libFuzzer's command line and hands over to the mode it asks for:
 * -help=1, -jobs, -merge=1, -minimize_crash=1, -cleanse_crash=1, running files, or fuzzing
 * (the supervisor). LLVMFuzzerInitialize runs first, once, so every worker
 * forked later starts from the initialised state.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/mman.h>
#include <unistd.h>

#include "child.h"
#include "clock.h"
#include "config.h"
#include "cpu.h"
#include "dict.h"
#include "dictfile.h"
#include "harness.h"
#include "leaks.h"
#include "log.h"
#include "merge.h"
#include "options.h"
#include "rt.h"
#include "smith.h"
#include "srcpos.h"
#include "store.h"
#include "supervisor.h"
#include "tests.h"
#include "worker.h"
#include "banned.h"

/* What the child running a file says about its end, in a shared page. */
struct file_end {
	volatile uint32_t leaked;     /* it reported a leak (an exit with -error_exitcode
					 alone could be the harness's own) */
	volatile uint32_t quiet_exit; /* the harness took the crash state and exited */
	volatile uint32_t malloc_oom; /* an allocation broke -malloc_limit_mb */
	volatile uint64_t malloc_oom_size;
	volatile uint32_t exit_check; /* in LeakSanitizer's check at the end (leaks.h) */
	volatile uint32_t sanitizer;  /* a sanitizer reported an error and ends the child */
	volatile uint64_t exec_seq;   /* bumped as each of the -runs executions starts */
	volatile uint32_t running;    /* an execution is in flight (-timeout counts) */
};

void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak, visibility("default")));
void __sanitizer_set_report_fd(void *fd) __attribute__((weak, visibility("default")));

static struct file_end *file_end; /* for on_exit_call, in the child */

static void on_exit_call(void)
{
	if (lf_quiet_exit())
		file_end->quiet_exit = 1;
}

/* A sanitizer's report (ASan's, or UBSan's deadly signal in a plain build:
 * clang links its runtime with -fsanitize=fuzzer) is the whole of what
 * libFuzzer prints running a file; the exit is the sanitizer's. */
static void on_sanitizer_death(void)
{
	file_end->sanitizer = 1;
}

/* Reports how the child running file ended, with libFuzzer's lines when it
 * runs files (LLVM 14: no unit is dumped and no artifact written; an empty
 * line stands where it prints a stack trace); returns the process exit
 * code (0 for a clean run). */
static int report_file(const struct lf_opts *o, const struct file_end *e, pid_t pid,
		       const struct child_result *r)
{
	if (e->leaked)
		return (int)o->error_exitcode;
	if (r->end == CHILD_EXITED && (e->quiet_exit || e->sanitizer))
		return r->exit_code;
	if (r->end == CHILD_EXITED && e->malloc_oom) {
		fprintf(stderr,
			"==%d== ERROR: libFuzzer: out-of-memory (malloc(%llu))\n"
			"   To change the out-of-memory limit use -rss_limit_mb=<N>\n\n\n",
			(int)pid, (unsigned long long)e->malloc_oom_size);
		fprintf(stderr, "SUMMARY: libFuzzer: out-of-memory\n");
		return LF_OOM_EXIT_CODE;
	}
	switch (r->end) {
	case CHILD_TIMEOUT:
		fprintf(stderr,
			"ALARM: working on the last Unit for %lld seconds\n"
			"       and the timeout value is %lld (use -timeout=N to change)\n",
			o->timeout, o->timeout);
		fprintf(stderr, "==%d== ERROR: libFuzzer: timeout after %lld seconds\n\n", (int)pid,
			o->timeout);
		fprintf(stderr, "SUMMARY: libFuzzer: timeout\n");
		return (int)o->timeout_exitcode;
	case CHILD_OOM:
		fprintf(stderr,
			"==%d== ERROR: libFuzzer: out-of-memory (used: %zuMb; limit: %lldMb)\n"
			"   To change the out-of-memory limit use -rss_limit_mb=<N>\n\n",
			(int)pid, r->rss_mb, o->rss_limit_mb);
		fprintf(stderr, "SUMMARY: libFuzzer: out-of-memory\n");
		return LF_OOM_EXIT_CODE;
	case CHILD_INTERRUPTED: /* the caller checked lf_interrupted() first */
		return LF_INTERRUPT_EXIT_CODE;
	default:
		break;
	}
	if (r->signal) {
		fprintf(stderr,
			"==%d== ERROR: libFuzzer: deadly signal\n\n"
			"NOTE: libFuzzer has rudimentary signal handlers.\n"
			"      Combine libFuzzer with AddressSanitizer or similar for better crash "
			"reports.\n"
			"SUMMARY: libFuzzer: deadly signal\n",
			(int)pid);
		return (int)o->error_exitcode;
	}
	if (r->exit_code) {
		fprintf(stderr, "==%d== ERROR: libFuzzer: fuzz target exited\n\n", (int)pid);
		fprintf(stderr, "SUMMARY: libFuzzer: fuzz target exited\n");
		return (int)o->error_exitcode;
	}
	return 0;
}

/*
 * Runs each file once (or -runs times) in a watched child, as libFuzzer's
 * reproduction mode does, and reports a crash, a timeout, an out-of-memory
 * or an exit the way the fuzzing supervisor would. The input is read by
 * the parent so the report can name it. -timeout is per execution, as
 * libFuzzer's alarm: the child bumps an execution counter as each of its
 * -runs executions starts, and the watcher kills it when one has run for
 * -timeout seconds (the whole child getting -timeout times -runs let a
 * hanging input with -runs=3000 -timeout=1 run for 50 minutes, and
 * -minimize_crash's first command passes -runs).
 * Signals as libFuzzer takes them here (supervisor.h): SIGINT and SIGTERM,
 * even if ignored when it started, kill the child and stop with "run
 * interrupted" and exit 72; SIGUSR1 and SIGUSR2 print their line and the
 * files go on running (libFuzzer reads its flag only while fuzzing).
 */
static int run_files(const struct lf_opts *o)
{
	long long reps = o->runs > 0 ? o->runs : 1;
	fprintf(stderr, "%s: Running %zu inputs %lld time(s) each.\n", o->argv[0], o->n_files,
		reps);
	lf_signals_install(NULL);
	file_end = mmap(NULL, sizeof(*file_end), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			-1, 0);
	if (file_end == MAP_FAILED)
		die_errno("cannot map a page");
	/* LeakSanitizer's reports at the children's ends wait here for the
	 * end of the run, where libFuzzer's one process prints its own */
	FILE *exit_report = tmpfile();
	int leaked_rc = 0;
	for (size_t i = 0; i < o->n_files; i++) {
		if (lf_interrupted())
			break;
		uint8_t *d;
		size_t len;
		if (store_read(o->files[i], CFG_MAX_REPLAY_BYTES, &d, &len, NULL))
			return 1;
		fprintf(stderr, "Running: %s\n", o->files[i]);
		struct child_watch w = {
			.timeout_ms = o->timeout > 0 ? (uint64_t)o->timeout * 1000 : 0,
			.rss_mb = o->rss_limit_mb > 0 ? (uint64_t)o->rss_limit_mb : 0,
			.exec_seq = &file_end->exec_seq,
			.running = &file_end->running,
		};
		struct child ch;
		file_end->running = 0; /* an earlier child may have ended mid-run */
		pid_t pid = child_fork(&ch, &w);
		if (pid < 0)
			die_errno("cannot fork");
		if (pid == 0) {
			int null = open("/dev/null", O_WRONLY);
			if (o->close_fd_mask & 1)
				dup2(null, 1);
			if (o->close_fd_mask & 2) {
				/* a sanitizer's report stays visible, as in libFuzzer */
				int err = dup(2);
				dup2(null, 2);
				if (err >= 0 && __sanitizer_set_report_fd)
					__sanitizer_set_report_fd((void *)(intptr_t)err);
			}
			lf_leaks_start((int)o->detect_leaks);
			lf_malloc_limit_start(o, &file_end->malloc_oom, &file_end->malloc_oom_size);
			atexit(on_exit_call);
			if (__sanitizer_set_death_callback)
				__sanitizer_set_death_callback(on_sanitizer_death);
			for (long long r = 0; r < reps; r++) {
				uint8_t *copy = malloc(len ? len : 1);
				if (!copy)
					_exit(1);
				memcpy(copy, d, len);
				struct lf_leak_mark mark;
				lf_leak_mark(&mark);
				file_end->exec_seq++;
				file_end->running = 1;
				lf_harness_run(copy, len);
				int suspect = lf_leak_suspect(&mark);
				free(copy);
				if (suspect && lf_leak_confirm(d, len)) {
					lf_leak_say(2, 1);
					file_end->leaked = 1;
					_exit((int)o->error_exitcode);
				}
				file_end->running = 0;
			}
			fflush(stdout); /* the harness's output, to a pipe or a file */
			file_end->exit_check = 1;
			lf_leaks_at_exit(exit_report ? fileno(exit_report) : -1);
			file_end->exit_check = 0;
			_exit(0);
		}
		if (lf_interrupted())
			kill(-pid, SIGKILL); /* came before the watcher's handler was in */
		const struct child_result *r = child_wait(&ch);
		if (lf_interrupted())
			break;
		int rc = 0;
		if (file_end->exit_check && r->end == CHILD_EXITED && r->exit_code) {
			/* its runs were clean; what it leaked is told at the end */
			leaked_rc = leaked_rc ? leaked_rc : r->exit_code;
			file_end->exit_check = 0;
		} else {
			rc = report_file(o, file_end, pid, r);
		}
		if (rc)
			return rc;
		fprintf(stderr, "Executed %s in %llu ms\n", o->files[i],
			(unsigned long long)r->run_ms);
		free(d);
	}
	if (lf_interrupted()) {
		lf_say_interrupted();
		return LF_INTERRUPT_EXIT_CODE;
	}
	fprintf(stderr, "***\n*** NOTE: fuzzing was not performed, you have only\n"
			"***       executed the target code on a fixed set of inputs.\n***\n");
	if (leaked_rc && exit_report) {
		/* as libFuzzer's process at exit: the leak report, the
		 * sanitizer's exit code */
		char buf[4096];
		size_t n;
		rewind(exit_report);
		while ((n = fread(buf, 1, sizeof(buf), exit_report)) > 0)
			fwrite(buf, 1, n, stderr);
	}
	return leaked_rc;
}

/* Waits for the processes re-parented to this one (a subreaper, child.c)
 * when a job's group was killed: a job's worker leads a group of its own,
 * learns of its supervisor's death, saves its entries and exits. Those
 * still running after max_ms are killed, with their groups. */
static void reap_orphans(uint64_t max_ms)
{
	uint64_t end = clock_ms() + max_ms;
	for (;;) {
		pid_t p = waitpid(-1, NULL, WNOHANG);
		if (p > 0)
			continue;
		if (p < 0)
			return; /* no child left */
		if (clock_ms() >= end)
			break;
		usleep(CFG_CHILD_POLL_MS * 1000);
	}
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/task/%d/children", (int)getpid());
	FILE *f = fopen(path, "r");
	int c;
	while (f && fscanf(f, "%d", &c) == 1) {
		kill(-(pid_t)c, SIGKILL);
		kill((pid_t)c, SIGKILL);
	}
	if (f)
		fclose(f);
	while (waitpid(-1, NULL, 0) > 0)
		;
}

/* Set in the environment of each job of -jobs: it binds itself to a free
 * core (src/exec/cpu.h), unless FERRET_NO_AFFINITY is set. */
#define JOB_ENV "__FERRET_LF_JOB"

/* -jobs=N: N independent fuzzing runs of this same command line (without
 * -jobs/-workers), -workers at a time, each logging to fuzz-JOB.log; they
 * share their finds through the first corpus directory (-reload). Each
 * job is a watched child (child.h) with no limit of its own: a job
 * enforces its flags itself, and the watcher's rules still hold (its own
 * process group, killed with this process, nothing left behind).
 * Signals (supervisor.h), even if ignored when it started: SIGINT and
 * SIGTERM kill every job (the watcher's handler), no job starts after,
 * and once all are gone, their workers too, "run interrupted" and exit
 * 72; SIGUSR1 and SIGUSR2 are passed on to the running jobs, which stop
 * gracefully, and no job starts after. */
static int run_jobs(const struct lf_opts *o)
{
	long long workers = o->workers;
	if (workers <= 0) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);
		workers = o->jobs < cores / 2 ? o->jobs : cores / 2;
		if (workers < 1)
			workers = 1;
	}
	if (workers > CFG_MAX_JOBS)
		workers = CFG_MAX_JOBS;
	char **argv = calloc((size_t)o->argc + 1, sizeof(char *));
	struct child *slot = calloc((size_t)workers, sizeof(*slot));
	if (!argv || !slot)
		die("out of memory");
	int argc = 0;
	for (int a = 0; a < o->argc; a++)
		if (strncmp(o->argv[a], "-jobs=", 6) && strncmp(o->argv[a], "-workers=", 9))
			argv[argc++] = o->argv[a];
	argv[argc] = NULL;
	fprintf(stderr, "INFO: running %lld jobs, %lld at a time\n", o->jobs, workers);
	struct child_watch none = {0};
	long long started = 0, running = 0;
	int worst = 0;
	struct lf_shared *stop = calloc(1, sizeof(*stop)); /* only its stop flag is used */
	if (!stop)
		die("out of memory");
	lf_signals_install(stop);
	int passed_on = 0;
	while (started < o->jobs || running) {
		if (lf_interrupted()) {
			started = o->jobs; /* no more jobs */
			for (long long k = 0; k < workers; k++)
				if (slot[k].pid) /* one may have come before the watcher's handler
						  */
					kill(-slot[k].pid, SIGKILL);
		}
		if (stop->stop && !passed_on) {
			started = o->jobs;
			passed_on = 1;
			for (long long k = 0; k < workers; k++)
				if (slot[k].pid)
					kill(slot[k].pid, SIGUSR1); /* the job's supervisor only */
		}
		for (long long k = 0; k < workers; k++) {
			if (slot[k].pid && child_poll(&slot[k])) {
				const struct child_result *r = &slot[k].res;
				int code = r->end == CHILD_EXITED
						   ? r->exit_code
						   : 128 + (r->signal ? r->signal : 9);
				worst = code > worst ? code : worst;
				slot[k].pid = 0;
				running--;
			}
			if (slot[k].pid || started >= o->jobs)
				continue;
			char log[64];
			snprintf(log, sizeof(log), "fuzz-%lld.log", started);
			fprintf(stderr, "INFO: job %lld: %s > %s 2>&1\n", started, argv[0], log);
			pid_t pid = child_fork(&slot[k], &none);
			if (pid < 0)
				die_errno("cannot fork job %lld", started);
			if (pid == 0) {
				setenv(JOB_ENV, "1", 1);
				FILE *f = freopen(log, "w", stdout);
				if (!f || dup2(1, 2) < 0)
					_exit(1);
				execv("/proc/self/exe", argv);
				_exit(127);
			}
			started++;
			running++;
		}
		if (running)
			usleep(CFG_CHILD_POLL_MS * 1000);
	}
	free(slot);
	free(argv);
	if (lf_interrupted()) {
		reap_orphans((uint64_t)CFG_RESCUE_RUN_SEC * 1000);
		lf_say_interrupted();
		return LF_INTERRUPT_EXIT_CODE;
	}
	return worst;
}

static int dispatch(int argc, char **argv);

/* Leaves with _exit so a sanitizer's leak check does not report the
 * inputs the supervisor holds until the end as leaks. */
__attribute__((visibility("default"))) int main(int argc, char **argv)
{
	int rc = dispatch(argc, argv);
	srcpos_stop(); /* the NEW_FUNC symbolizer of -fork's supervisor */
	fflush(NULL);
	_exit(rc);
}

/*
 * What the run will need from the file system, checked before anything
 * runs: a dictionary that cannot be read or parsed, or an artifact
 * directory that does not exist, is one error line and exit 1 now, not an
 * empty crash artifact later (the worker loaded the dictionary) or a crash
 * lost when it is written.
 */
static void check_files(const struct lf_opts *o)
{
	if (*o->dict) {
		struct dict d;
		dict_init(&d, CFG_DICT_MAX_TOKENS, CFG_DICT_MAX_TOKEN_BYTES);
		int err = dictfile_load(&d, o->dict, 0);
		dict_release(&d);
		if (err < 0)
			exit(1); /* dictfile_load said why */
	}
	const char *slash = strrchr(o->artifact_prefix, '/');
	if (slash && slash != o->artifact_prefix) {
		char dir[4096];
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - o->artifact_prefix),
			 o->artifact_prefix);
		struct stat st;
		if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
			die("-artifact_prefix='%s': directory '%s' does not exist",
			    o->artifact_prefix, dir);
	}
}

static int dispatch(int argc, char **argv)
{
	log_prog = "ferret";
	lf_harness_resolve();
	if (ferret__test_count() && !lf_has_harness())
		return lf_tests_main(argc, argv);
	if (!lf_has_harness())
		die("this program defines neither LLVMFuzzerTestOneInput nor a FERRET_TEST");
	if (LLVMFuzzerInitialize) {
		/* libFuzzer reads its flags from the argv Initialize leaves,
		 * but refuses a changed argv[0] (a copy of the same name is
		 * fine) */
		char *argv0 = strdup(argv[0] ? argv[0] : "");
		LLVMFuzzerInitialize(&argc, &argv);
		if (!argv0 || argc < 1 || !argv[0] || strcmp(argv0, argv[0])) {
			fprintf(stderr,
				"ERROR: argv[0] has been modified in LLVMFuzzerInitialize\n");
			return 1;
		}
		free(argv0);
	}
	struct lf_opts o;
	lf_parse(&o, argc, argv);
	if (o.help) {
		lf_help(argv[0]);
		return 0;
	}
	check_files(&o);
	if (!o.merge && !o.set_cover_merge && !o.minimize_crash && !o.cleanse_crash &&
	    !(o.n_files && !o.n_dirs))
		lf_custom_load(argv, o.n_dirs ? o.dirs[0] : NULL);
	if (o.jobs > 0)
		return run_jobs(&o);
	if (o.merge || o.set_cover_merge)
		return lf_merge(&o);
	if (o.minimize_crash_internal_step)
		return lf_minimize_crash_step(&o);
	if (o.minimize_crash)
		return lf_minimize_crash(&o);
	if (o.cleanse_crash)
		return lf_cleanse_crash(&o);
	if (o.n_files && !o.n_dirs) {
		lf_say_start(&o);
		return run_files(&o);
	}
	o.jobs_job = getenv(JOB_ENV) != NULL;
	if (o.jobs_job && !getenv("FERRET_NO_AFFINITY"))
		cpu_bind(-1); /* a job of -jobs: a core of its own, when one is free */
	unsetenv(JOB_ENV);    /* not for what the harness starts */
	return lf_supervise(&o, lf_worker);
}
