/*
 * child.c - fork a child and watch it (see child.h).
 *
 * The child leads its own process group, so one kill(-pgid, SIGKILL)
 * reaches everything it started. The group is killed while its leader is
 * still an unreaped zombie (waitid with WNOWAIT first): the group id cannot
 * be reused by an unrelated process before the kill lands. The watcher is a
 * subreaper, so the leader's orphans are re-parented to it and it can wait
 * for every one of them (waitpid(-pgid)): when child_poll says "ended",
 * nothing of the group runs any more. Limits are checked when the caller
 * polls; a pidfd wakes an idle watcher as soon as the child ends, so a
 * short child costs no sleep.
 *
 * Signals: the child is out of the terminal's foreground group, so ^C no
 * longer reaches it. While a child is watched, SIGINT, SIGTERM and SIGHUP
 * kill every watched group first, then get their old disposition and are
 * raised again; a signal this process ignored stays ignored.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "clock.h"
#include "config.h"
#include "banned.h"

/* ---- the groups to kill when this process is told to stop ---- */

/* Children watched at once; beyond this, a child is still watched but not
 * killed by the stop signals (no caller watches more than one). */
#define MAX_WATCHED CFG_MAX_JOBS
static const int stop_sigs[] = {SIGINT, SIGTERM, SIGHUP};
#define N_STOP_SIGS (sizeof(stop_sigs) / sizeof(stop_sigs[0]))
static volatile pid_t watched[MAX_WATCHED];
static struct sigaction saved[N_STOP_SIGS];
static volatile sig_atomic_t ours[N_STOP_SIGS]; /* our handler is installed */
static volatile sig_atomic_t interrupted;
static int subreaper;

static void on_stop(int sig)
{
	int err = errno;
	interrupted = 1;
	for (size_t i = 0; i < MAX_WATCHED; i++)
		if (watched[i] > 0)
			kill(-watched[i], SIGKILL);
	for (size_t i = 0; i < N_STOP_SIGS; i++)
		if (stop_sigs[i] == sig && ours[i]) {
			sigaction(sig, &saved[i], NULL);
			ours[i] = 0;
		}
	raise(sig); /* delivered with the old disposition once we return */
	errno = err;
}

static void install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < N_STOP_SIGS; i++) {
		if (ours[i])
			continue;
		struct sigaction old;
		if (sigaction(stop_sigs[i], NULL, &old) < 0 || old.sa_handler == SIG_IGN)
			continue; /* ignored here: the child is not killed for it either */
		saved[i] = old;
		ours[i] = 1;
		sigaction(stop_sigs[i], &sa, NULL);
	}
}

static void uninstall(void)
{
	for (size_t i = 0; i < N_STOP_SIGS; i++)
		if (ours[i]) {
			ours[i] = 0;
			sigaction(stop_sigs[i], &saved[i], NULL);
		}
}

static void watch_add(pid_t pid)
{
	for (size_t i = 0; i < MAX_WATCHED; i++)
		if (!watched[i]) {
			watched[i] = pid;
			break;
		}
	install();
}

static void watch_remove(pid_t pid)
{
	int left = 0;
	for (size_t i = 0; i < MAX_WATCHED; i++) {
		if (watched[i] == pid)
			watched[i] = 0;
		left |= watched[i] != 0;
	}
	if (!left)
		uninstall();
}

/* ---- forking ---- */

static int open_pidfd(pid_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	(void)pid;
	return -1;
#endif
}

pid_t child_fork(struct child *c, const struct child_watch *w)
{
	memset(c, 0, sizeof(*c));
	c->w = *w;
	c->pidfd = -1;
	c->killed = -1;
	if (!subreaper) {
		prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
		subreaper = 1;
	}
	struct sigaction chld;
	if (sigaction(SIGCHLD, NULL, &chld) == 0 && chld.sa_handler == SIG_IGN)
		signal(SIGCHLD, SIG_DFL); /* else children are reaped behind our back */
	fflush(NULL);                     /* or the child repeats buffered output when it exits */
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		if (getppid() != parent)
			_exit(127); /* the watcher died before the line above */
		uninstall();
		memset((void *)watched, 0, sizeof(watched));
		return 0;
	}
	setpgid(pid, pid); /* the child does it too; whichever runs first wins */
	c->pid = pid;
	c->start_ms = c->stall_since_ms = clock_ms();
	c->next_rss_ms = c->start_ms + CFG_RSS_SAMPLE_MS;
	c->seen_seq = ~0ull;
	c->pidfd = open_pidfd(pid);
	watch_add(pid);
	return pid;
}

/* ---- watching ---- */

static void kill_for(struct child *c, enum child_end why, uint64_t limit)
{
	c->killed = (int)why;
	c->res.limit = limit;
	kill(-c->pid, SIGKILL);
}

/* Waits for every process of group pgid that is (now) our child: the
 * leader's orphans were re-parented to us when it died, theirs as each
 * dies. SIGKILL again while some are still dying; give up after ~5 s (a
 * process stuck in uninterruptible sleep) rather than hang the watcher. */
static void reap_group(pid_t pgid)
{
	for (int waits = 0; waits < 5000;) {
		pid_t r = waitpid(-pgid, NULL, WNOHANG);
		if (r > 0)
			continue;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return; /* ECHILD: none left */
		kill(-pgid, SIGKILL);
		usleep(1000);
		waits++;
	}
}

static void finish(struct child *c)
{
	struct child_result *r = &c->res;
	pid_t pid = c->pid;
	int status = 0, lost = 0;
	struct rusage ru = {0};
	kill(-pid, SIGKILL); /* the leader is a zombie: pid is still our group's id */
	watch_remove(pid);
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			lost = 1; /* reaped elsewhere (a wait(-1) of the caller's) */
			break;
		}
	}
	reap_group(pid);
	if (c->pidfd >= 0)
		close(c->pidfd);
	c->pidfd = -1;

	r->status = status;
	r->run_ms = clock_ms() - c->start_ms;
	r->maxrss_kb = lost ? 0 : ru.ru_maxrss;
	r->signal = !lost && WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	r->exit_code = !lost && WIFEXITED(status) ? WEXITSTATUS(status) : 0;
	int code;
	if (c->killed >= 0)
		r->end = (enum child_end)c->killed;
	else if (c->w.oom && *c->w.oom)
		r->end = CHILD_OOM;
	else if (interrupted && r->signal == SIGKILL)
		r->end = CHILD_INTERRUPTED;
	else if (c->w.died && *c->w.died)
		r->end = CHILD_SANITIZER;
	else if (lost)
		r->end = CHILD_SIGNALED; /* signal 0: we cannot know */
	else
		r->end = child_classify(status, &code);
	c->pid = 0;
}

int child_poll(struct child *c)
{
	if (!c->pid)
		return 1;
	siginfo_t si;
	si.si_pid = 0;
	int r = waitid(P_PID, (id_t)c->pid, &si, WEXITED | WNOHANG | WNOWAIT);
	if ((r == 0 && si.si_pid == c->pid) || (r < 0 && errno == ECHILD)) {
		finish(c);
		return 1;
	}
	if (c->killed >= 0)
		return 0; /* killed, not yet dead */
	const struct child_watch *w = &c->w;
	uint64_t t = clock_ms();
	if (w->timeout_ms && w->exec_seq) {
		uint64_t seq = *w->exec_seq;
		uint32_t running = w->running ? *w->running : 1;
		if (seq != c->seen_seq || !running) {
			c->seen_seq = seq;
			c->stall_since_ms = t;
		} else if (t - c->stall_since_ms > w->timeout_ms) {
			kill_for(c, CHILD_TIMEOUT, w->timeout_ms);
			return 0;
		}
	} else if (w->timeout_ms && t - c->start_ms > w->timeout_ms) {
		kill_for(c, CHILD_TIMEOUT, w->timeout_ms);
		return 0;
	}
	if (w->rss_mb && t >= c->next_rss_ms) {
		c->next_rss_ms = t + CFG_RSS_SAMPLE_MS;
		size_t rss = child_rss_mb(c->pid);
		if (rss > w->rss_mb) {
			c->res.rss_mb = rss;
			kill_for(c, CHILD_OOM, w->rss_mb);
			return 0;
		}
	}
	if (w->total_ms && t - c->start_ms > w->total_ms + w->grace_ms)
		kill_for(c, CHILD_OVERTIME, w->total_ms + w->grace_ms);
	return 0;
}

void child_idle(struct child *c, unsigned max_ms)
{
	if (!c->pid || !max_ms)
		return;
	if (c->pidfd >= 0) {
		struct pollfd p = {.fd = c->pidfd, .events = POLLIN};
		if (poll(&p, 1, (int)max_ms) >= 0 || errno == EINTR)
			return;
	}
	usleep(1000); /* no pidfd: the caller polls every ms */
}

const struct child_result *child_wait(struct child *c)
{
	while (!child_poll(c))
		child_idle(c, CFG_CHILD_POLL_MS);
	return &c->res;
}

/* ---- what it was ---- */

enum child_end child_classify(int status, int *code)
{
	if (WIFSIGNALED(status)) {
		*code = WTERMSIG(status);
		return CHILD_SIGNALED;
	}
	*code = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
	return *code == CHILD_MSAN_EXIT_CODE ? CHILD_SANITIZER : CHILD_EXITED;
}

static void fmt_signal(int sig, char *buf, size_t cap)
{
	const char *name = sig ? sigabbrev_np(sig) : NULL;
	snprintf(buf, cap, "signal %d (SIG%s)", sig, name ? name : "?");
}

const char *child_describe(const struct child_result *r, char *buf, size_t cap)
{
	char sig[48];
	switch (r->end) {
	case CHILD_EXITED:
		snprintf(buf, cap, "exit %d", r->exit_code);
		break;
	case CHILD_SIGNALED:
		fmt_signal(r->signal, buf, cap);
		break;
	case CHILD_SANITIZER:
		if (r->signal) {
			fmt_signal(r->signal, sig, sizeof(sig));
			snprintf(buf, cap, "sanitizer report, %s", sig);
		} else {
			snprintf(buf, cap, "sanitizer report, exit %d", r->exit_code);
		}
		break;
	case CHILD_TIMEOUT:
		if (r->limit % 1000)
			snprintf(buf, cap, "timeout after %llu ms", (unsigned long long)r->limit);
		else
			snprintf(buf, cap, "timeout after %llu s",
				 (unsigned long long)r->limit / 1000);
		break;
	case CHILD_OOM:
		if (r->rss_mb)
			snprintf(buf, cap, "out of memory (%zu MiB, limit %llu MiB)", r->rss_mb,
				 (unsigned long long)r->limit);
		else
			snprintf(buf, cap, "out of memory (an allocation over the limit)");
		break;
	case CHILD_OVERTIME:
		snprintf(buf, cap, "killed after %llu ms, past its time budget",
			 (unsigned long long)r->limit);
		break;
	case CHILD_INTERRUPTED:
		snprintf(buf, cap, "killed: interrupted");
		break;
	}
	return buf;
}

size_t child_rss_mb(pid_t pid)
{
	char path[64];
	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/statm", (int)pid);
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
