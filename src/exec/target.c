/*
 * target.c - the engine's side of the fork-server protocol (proto.h).
 *
 * One run is: deliver the input (shared memory in persistent mode, else a
 * file that is also the child's stdin), clear the counters, write the "run"
 * word with the input's sequence number, wait on the status pipe with
 * poll() for at most the timeout, and decode the status word that carries
 * the same number (an earlier input's is skipped). A timeout kills the
 * current child (its pid is in the shared header, checked against /proc)
 * and waits for the server to report it. The per-run path makes one write
 * and one or two reads on the pipes, plus the file write in fork mode; it
 * allocates nothing.
 *
 * A binary built by afl-cc gets AFL's protocol instead (afl.h): fds
 * 198/199, the map and test case in SysV segments, and per run was_killed,
 * then the child's pid, then its wait status. Delivery, timeouts, restarts
 * and classification are the same code.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "child.h"
#include "clock.h"
#include "config.h"
#include "errors.h"
#include "target.h"
#include "banned.h"

#define STR_(x) #x
#define STR(x) STR_(x)

static int has(const void *p, size_t n, const char *sig)
{
	return memmem(p, n, sig, strlen(sig)) != NULL;
}

/*
 * Looks for the FERRET_LOOP / FERRET_INIT markers in the binary's bytes,
 * or AFL's: a binary with AFL's runtime (it reads __AFL_SHM_ID) and not
 * ferret's (which reads __FERRET_SHM, and may one day speak AFL's protocol
 * too) is run as afl-fuzz runs it.
 */
static unsigned scan_markers(const char *path)
{
	unsigned flags = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	struct stat st;
	if (fstat(fd, &st) == 0 && st.st_size > 0) {
		void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p != MAP_FAILED) {
			size_t n = (size_t)st.st_size;
			int afl = has(p, n, AFL_RUNTIME_SIG) && !has(p, n, FERRET_ENV_SHM);
			if (afl)
				flags |= TARGET_AFL;
			if (has(p, n, afl ? AFL_PERSIST_SIG : FERRET_PERSIST_SIG))
				flags |= TARGET_PERSISTENT;
			if (has(p, n, afl ? AFL_DEFER_SIG : FERRET_DEFER_SIG))
				flags |= TARGET_DEFERRED;
			munmap(p, n);
		}
	}
	close(fd);
	return flags;
}

/* Replaces every "@@" in s by path; returns a new string or NULL. */
static char *subst_input(const char *s, const char *path, int *found)
{
	size_t n = 0, plen = strlen(path);
	for (const char *p = s; (p = strstr(p, "@@")); p += 2)
		n++;
	if (!n)
		return strdup(s);
	*found = 1;
	size_t len = strlen(s) + n * plen + 1;
	char *out = malloc(len), *o = out;
	if (!out)
		return NULL;
	for (const char *p = s; *p;) {
		if (p[0] == '@' && p[1] == '@') {
			memcpy(o, path, plen);
			o += plen;
			p += 2;
		} else {
			*o++ = *p++;
		}
	}
	*o = 0;
	return out;
}

int target_init(struct target *t, char *const *argv, const char *input_path)
{
	memset(t, 0, sizeof(*t));
	t->ctl_fd = t->st_fd = t->input_fd = t->devnull = -1;
	t->start_status = -1;
	t->shm.fd = -1;
	t->afl.map_id = t->afl.tc_id = -1;
	t->timeout_ms = CFG_DEFAULT_TIMEOUT_MS;
	if (!argv[0] || access(argv[0], X_OK) != 0)
		return FERRET_ESPAWN;
	size_t argc = 0;
	while (argv[argc])
		argc++;
	t->argv = calloc(argc + 1, sizeof(char *));
	t->input_path = strdup(input_path);
	if (!t->argv || !t->input_path)
		return FERRET_ENOMEM;
	int found = 0;
	for (size_t i = 0; i < argc; i++)
		if (!(t->argv[i] = subst_input(argv[i], input_path, &found)))
			return FERRET_ENOMEM;
	t->use_stdin = !found;
	t->flags |= scan_markers(argv[0]);
	return 0;
}

/* The parent of process pid from /proc, or -1. */
static pid_t parent_of(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	const char *p = strrchr(buf, ')'); /* the name may hold anything but not after ')' */
	int ppid;
	if (!p || sscanf(p + 1, " %*c %d", &ppid) != 1)
		return -1;
	return (pid_t)ppid;
}

/* The server target_interrupt kills, and whether it was called. */
static volatile pid_t live_server;
static volatile sig_atomic_t interrupted;

void target_interrupt(void)
{
	interrupted = 1;
	pid_t pid = live_server;
	if (pid > 0)
		kill(-pid, SIGKILL);
}

/* Kills the server's process group: the server, its current child and
 * whatever they started and left in the group. */
static void stop_process(struct target *t)
{
	if (t->ctl_fd >= 0)
		close(t->ctl_fd);
	if (t->st_fd >= 0)
		close(t->st_fd);
	t->ctl_fd = t->st_fd = -1;
	if (t->server_pid > 0) {
		live_server = 0;
		kill(-t->server_pid, SIGKILL); /* setsid() made it the group's leader */
		kill(t->server_pid, SIGKILL);
		waitpid(t->server_pid, NULL, 0);
		t->server_pid = 0;
		target_reap_orphans(t);
	}
	if (t->shm.hdr)
		t->shm.hdr->child_pid = 0;
	t->afl_stopped = 0;
	t->afl_was_killed = 0;
}

void target_reap_orphans(struct target *t)
{
	DIR *d = opendir("/proc");
	if (!d)
		return;
	pid_t self = getpid();
	struct dirent *de;
	while ((de = readdir(d))) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		if (*end || pid <= 0 || (pid_t)pid == t->server_pid ||
		    parent_of((pid_t)pid) != self)
			continue;
		kill((pid_t)pid, SIGKILL); /* an orphan of the target's, given back to us */
		waitpid((pid_t)pid, NULL, 0);
	}
	closedir(d);
}

/*
 * Kills the child running the input, on a timeout. Its pid comes from the
 * target (the shared header, or AFL's pid word): it is only believed when
 * that process is the server's child. Otherwise the whole server goes
 * (the next run starts a new one). Returns 0 when the server lives on and
 * will report the child's death.
 */
static int kill_child(struct target *t, pid_t child)
{
	if (child > 0 && child != t->server_pid && parent_of(child) == t->server_pid) {
		kill(child, SIGKILL);
		return 0;
	}
	stop_process(t);
	return -1;
}

/* AFL's descriptors and variables: the segments' ids, and the start-up
 * the markers ask for. */
static void afl_setup(struct target *t, int ctl_rd, int st_wr)
{
	if (dup2(ctl_rd, AFL_CTL_FD) < 0 || dup2(st_wr, AFL_ST_FD) < 0)
		_exit(126);
	static const char *const own[] = {AFL_ENV_SHM, AFL_ENV_SHM_FUZZ, AFL_ENV_PERSISTENT,
					  AFL_ENV_DEFER};
	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		unsetenv(own[i]);
	char id[32];
	snprintf(id, sizeof(id), "%d", t->afl.map_id);
	setenv(AFL_ENV_SHM, id, 1);
	snprintf(id, sizeof(id), "%d", t->afl.tc_id);
	setenv(AFL_ENV_SHM_FUZZ, id, 1);
	if (t->flags & TARGET_PERSISTENT)
		setenv(AFL_ENV_PERSISTENT, "1", 1);
	if (t->flags & TARGET_DEFERRED)
		setenv(AFL_ENV_DEFER, "1", 1);
}

static void child_setup(struct target *t, int ctl_rd, int st_wr)
{
	if (t->flags & TARGET_AFL)
		afl_setup(t, ctl_rd, st_wr);
	else if (dup2(ctl_rd, FERRET_CTL_FD) < 0 || dup2(st_wr, FERRET_ST_FD) < 0 ||
		 dup2(t->shm.fd, FERRET_SHM_FD) < 0)
		_exit(126);
	dup2(t->use_stdin ? t->input_fd : t->devnull, 0);
	if (t->flags & TARGET_QUIET) {
		dup2(t->devnull, 1);
		dup2(t->devnull, 2);
	}
	setsid();
	/* if ferret dies (kill -9), the server goes too; the runtime does the
	 * same for each child it forks */
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	struct rlimit rl = {0, 0};
	setrlimit(RLIMIT_CORE, &rl);
	if (t->mem_limit_mb) {
		rl.rlim_cur = rl.rlim_max = (rlim_t)t->mem_limit_mb << 20;
		setrlimit(RLIMIT_AS, &rl);
	}
	/* ferret's own variables are ferret's: ones the user's environment
	 * holds (from a shell that ran ferret before) would change how the
	 * runtime starts */
	static const char *const own[] = {FERRET_ENV_SHM, FERRET_ENV_PERSISTENT, FERRET_ENV_DEFER,
					  FERRET_ENV_VALUE_PROFILE};
	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		unsetenv(own[i]);
	if (!(t->flags & TARGET_AFL)) {
		setenv(FERRET_ENV_SHM, "1", 1);
		if (t->flags & TARGET_PERSISTENT)
			setenv(FERRET_ENV_PERSISTENT, "1", 1);
		if (t->flags & TARGET_DEFERRED)
			setenv(FERRET_ENV_DEFER, "1", 1);
		if (t->flags & TARGET_VALUE_PROFILE)
			setenv(FERRET_ENV_VALUE_PROFILE, "1", 1);
	}
	/* Sanitizer reports become SIGABRT; the user's settings win. */
	setenv("ASAN_OPTIONS",
	       "abort_on_error=1:detect_leaks=0:symbolize=0:allocator_may_return_null=1", 0);
	setenv("UBSAN_OPTIONS", "halt_on_error=1:abort_on_error=1:print_stacktrace=0", 0);
	setenv("MSAN_OPTIONS", "exit_code=" STR(CHILD_MSAN_EXIT_CODE) ":symbolize=0", 0);
	signal(SIGPIPE, SIG_DFL);
	execv(t->argv[0], t->argv);
	_exit(127);
}

/* Waits up to ms for a word on the status pipe: 1 got it, 0 timeout, -1 EOF. */
static int read_status(struct target *t, uint32_t *w, int ms)
{
	struct pollfd pfd = {.fd = t->st_fd, .events = POLLIN};
	for (;;) {
		int r = poll(&pfd, 1, ms);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			return 0;
		break;
	}
	ssize_t n;
	do
		n = read(t->st_fd, w, sizeof(*w));
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof(*w) ? 1 : -1;
}

/* The rest of an AFL server's start after its first word w. The map is
 * the segment, used in place: the loop reads the counters where the
 * target wrote them. */
static int afl_start(struct target *t, uint32_t w, int wait_ms)
{
	int err = afl_handshake(&t->afl, t->ctl_fd, t->st_fd, w, wait_ms, &t->hello);
	if (err) {
		stop_process(t);
		return err;
	}
	t->map = t->afl.map;
	t->map_bytes = t->hello.map_bytes;
	t->touch = (struct cov_touch){0}; /* AFL's map is read whole */
	t->edges = t->hello.map_bytes;
	t->rt_flags = (t->flags & TARGET_PERSISTENT) ? FERRET_RT_PERSISTENT : 0;
	return 0;
}

int target_start(struct target *t)
{
	int err;
	signal(SIGPIPE, SIG_IGN);
	/* Processes the target starts and leaves (even in a session of
	 * their own) come back to us when their parent dies, and are killed
	 * (target_reap_orphans). */
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	if (!t->shm.base && (err = shm_create(&t->shm, CFG_MAX_INPUT_BYTES, CFG_MAP_CAP_BYTES)))
		return err;
	if ((t->flags & TARGET_AFL) && !t->afl.map &&
	    (err = afl_shm_create(&t->afl, CFG_MAP_CAP_BYTES, CFG_MAX_INPUT_BYTES)))
		return err;
	if (t->devnull < 0 && (t->devnull = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0)
		return FERRET_EIO;
	if (t->input_fd < 0) {
		t->input_fd = open(t->input_path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (t->input_fd < 0)
			return FERRET_EIO;
	}
	stop_process(t);
	t->shm.hdr->child_pid = 0;
	t->shm.hdr->recycle = 0;
	t->shm.hdr->map_bytes = 0;

	int ctl[2], st[2];
	if (pipe2(ctl, O_CLOEXEC) < 0)
		return FERRET_ESPAWN;
	if (pipe2(st, O_CLOEXEC) < 0) {
		close(ctl[0]);
		close(ctl[1]);
		return FERRET_ESPAWN;
	}
	pid_t pid = fork();
	if (pid < 0) {
		close(ctl[0]), close(ctl[1]), close(st[0]), close(st[1]);
		return FERRET_ESPAWN;
	}
	if (pid == 0)
		child_setup(t, ctl[0], st[1]);
	close(ctl[0]);
	close(st[1]);
	t->server_pid = pid;
	live_server = pid;
	t->ctl_fd = ctl[1];
	t->st_fd = st[0];
	t->restarts++;

	/* Start-up may be slow (deferred set-up, sanitizers): allow 10 s or
	 * ten timeouts, whichever is longer. */
	int wait_ms = t->timeout_ms * 10 > 10000 ? (int)t->timeout_ms * 10 : 10000;
	uint32_t w = 0;
	int r = read_status(t, &w, wait_ms);
	if (r < 0) {
		/* It ended (or closed the pipe) without a word: how it ended
		 * tells an uninstrumented program (it ran and exited) from one
		 * that died first (a crash in a constructor, -m too small). */
		t->start_status = -1;
		for (int i = 0; i < 1000; i++) {
			int st;
			if (waitpid(t->server_pid, &st, WNOHANG) == t->server_pid) {
				t->start_status = st;
				t->server_pid = 0;
				break;
			}
			usleep(1000);
		}
		stop_process(t);
		if (WIFEXITED(t->start_status) && WEXITSTATUS(t->start_status) == 0)
			return FERRET_ENOTINST;
		return FERRET_EEARLY;
	}
	if (r == 0) {
		stop_process(t);
		return FERRET_EPROTO;
	}
	if (t->flags & TARGET_AFL)
		return afl_start(t, w, wait_ms);
	if ((w & 0xffffff00u) == FERRET_ERROR) {
		stop_process(t);
		switch (w & 0xff) {
		case FERRET_RT_EVERSION:
			return FERRET_EVERSION;
		case FERRET_RT_EMAP:
			return FERRET_EMAPSIZE;
		default:
			return FERRET_ESPAWN;
		}
	}
	if ((w & 0xffffff00u) != FERRET_HELLO) {
		stop_process(t);
		return FERRET_EPROTO;
	}
	if ((w & 0xff) != FERRET_PROTO_VERSION) {
		stop_process(t);
		return FERRET_EVERSION;
	}
	t->map = shm_map(&t->shm);
	t->map_bytes = t->shm.hdr->map_bytes;
	t->edges = t->shm.hdr->edges;
	t->rt_flags = t->shm.hdr->rt_flags;
	if (!t->map_bytes) {
		stop_process(t);
		return FERRET_ENOTINST;
	}
	t->touch = (t->rt_flags & FERRET_RT_TOUCH) && !getenv(COV_WHOLE_MAP_ENV)
			   ? shm_touch(&t->shm)
			   : (struct cov_touch){0};
	/* from a clear map: a counter the server's start-up left non-zero
	 * would never be listed */
	cov_full_clear(t->map, t->map_bytes, &t->touch);
	return 0;
}

static int deliver(struct target *t, const uint8_t *buf, size_t len)
{
	if (len > t->shm.tc_cap) /* ours: the header's copy is the target's to write */
		len = t->shm.tc_cap;
	if (t->flags & TARGET_AFL) {
		if (t->hello.shm_fuzz) { /* [u32 len][bytes], as afl-fuzz writes it */
			uint32_t n = len > t->afl.tc_cap ? t->afl.tc_cap : (uint32_t)len;
			memcpy(t->afl.tc + sizeof(n), buf, n);
			memcpy(t->afl.tc, &n, sizeof(n));
			return 0;
		}
	} else if (t->flags & TARGET_PERSISTENT) {
		memcpy(shm_tc(&t->shm), buf, len);
		t->shm.hdr->tc_len = (uint32_t)len;
		return 0;
	}
	if (pwrite(t->input_fd, buf, len, 0) != (ssize_t)len ||
	    ftruncate(t->input_fd, (off_t)len) < 0)
		return FERRET_EIO;
	if (t->use_stdin)
		lseek(t->input_fd, 0, SEEK_SET);
	return 0;
}

/* Fills *res from a child's raw wait status. */
static void classify(uint32_t status, struct run_result *res)
{
	int code;
	enum child_end end = child_classify((int)status, &code); /* the driver's too */
	if (end == CHILD_SIGNALED) {
		res->kind = RUN_CRASH;
		res->signal = code;
	} else {
		res->exit_code = code;
		res->kind = end == CHILD_SANITIZER ? RUN_CRASH : RUN_OK;
	}
}

/*
 * One exchange for input seq: the RUN word, then the status word that
 * belongs to seq. A status of an earlier input (a persistent child that
 * died after it reported its input done: a thread, the OOM killer) is
 * never taken for this one. It is counted, and the server is restarted:
 * the dead child may have read this input's RUN word before it died, and
 * then nobody will answer it (seen: killed while returning from that
 * read), or it may not, and then a new child will; only a new server
 * makes that certain. Returns 1 with *res filled, 0 when the server died,
 * broke the protocol or must be restarted.
 */
static int exchange(struct target *t, uint32_t seq, struct run_result *res)
{
	uint32_t w = FERRET_CMD_RUN | seq;
	if (write(t->ctl_fd, &w, sizeof(w)) != (ssize_t)sizeof(w))
		return 0;
	uint64_t t0 = clock_ns();
	int r = read_status(t, &w, (int)t->timeout_ms), timed_out = r == 0;
	/* A fresh persistent child runs its first input twice, the first
	 * pass uncounted (runtime/forkserver.c): while it is on that input
	 * (iterations 1) it has two timeouts, so an input that takes more
	 * than half of one is not a hang there alone. The header is the
	 * target's to write: one that keeps iterations at 1 makes each of its
	 * hangs cost two timeouts, no more (the engine cannot see a recycle:
	 * the server forks the next child without a word). */
	if (timed_out && (t->flags & TARGET_PERSISTENT) && t->shm.hdr->iterations == 1)
		timed_out = (r = read_status(t, &w, (int)t->timeout_ms)) == 0;
	if (timed_out) {
		if (kill_child(t, t->shm.hdr->child_pid)) { /* server gone: the input still hung */
			res->exec_ns = clock_ns() - t0;
			res->kind = RUN_HANG;
			return 1;
		}
		r = read_status(t, &w, 5000); /* the server reports the kill */
	}
	if (r <= 0)
		return 0;
	uint32_t tag = w & FERRET_TAG_MASK, status = 0;
	if (tag == FERRET_ST_DEATH && read_status(t, &status, 1000) <= 0)
		return 0;
	if (tag != FERRET_ST_ITER && tag != FERRET_ST_DEATH)
		return 0;
	if ((w & FERRET_SEQ_MASK) != seq) {
		t->stale++;                    /* an earlier input's child, dead after its report */
		t->shm.hdr->crash_note[0] = 0; /* its note, if any, names no input */
		t->shm.hdr->crash_signal = 0;
		return 0;
	}
	res->exec_ns = clock_ns() - t0;
	if (timed_out)
		res->kind = RUN_HANG; /* also when it finished just as the deadline passed */
	else if (tag == FERRET_ST_ITER)
		res->kind = RUN_OK;
	else
		classify(status, res);
	return 1;
}

/*
 * One exchange with an AFL server: was_killed, then the pid of the child
 * that runs the input (forked, or a stopped persistent child continued),
 * then its wait status; a persistent child that finished its input is
 * reported stopped. The timeout runs from the pid. AFL's words carry no
 * input number, so a death is only believed to be this input's when the
 * child was forked for it: a continued child may have died after it
 * stopped (a thread, the OOM killer), and then its status would blame this
 * input. Such a crash is counted as stale and the input runs again: the
 * server forks a fresh child for it, whose verdict is believed (a fork,
 * not a restart: persistent targets crash often once a bug is found).
 * Costs one write and two reads. Returns 1 with *res filled, -1 to run the
 * input again on the same server, 0 when the server died, broke the
 * protocol or must be restarted.
 */
static int afl_exchange(struct target *t, struct run_result *res)
{
	uint32_t w = t->afl_was_killed, pid, status;
	if (write(t->ctl_fd, &w, sizeof(w)) != (ssize_t)sizeof(w))
		return 0;
	uint64_t t0 = clock_ns();
	if (read_status(t, &pid, (int)t->timeout_ms) <= 0)
		return 0;
	if (pid == 0 || pid > (uint32_t)INT32_MAX || (pid_t)pid == t->server_pid)
		return 0;
	int continued = (pid_t)pid == t->afl_stopped;
	t->afl_stopped = 0;
	t->afl_was_killed = 0;
	int r = read_status(t, &status, (int)t->timeout_ms), timed_out = r == 0;
	if (timed_out) {
		t->afl_was_killed = 1; /* it may stop before it dies: the server must reap it */
		if (kill_child(t, (pid_t)pid)) {
			res->exec_ns = clock_ns() - t0;
			res->kind = RUN_HANG;
			return 1;
		}
		r = read_status(t, &status, 5000);
	}
	if (r <= 0)
		return 0;
	res->exec_ns = clock_ns() - t0;
	if (WIFSTOPPED(status)) {
		if (!(t->flags & TARGET_PERSISTENT))
			return 0; /* only a persistent server reports stops */
		t->afl_stopped = (pid_t)pid;
		res->kind = timed_out ? RUN_HANG : RUN_OK;
		return 1;
	}
	if (timed_out) {
		res->kind = RUN_HANG;
		return 1;
	}
	classify(status, res);
	if (continued && res->kind == RUN_CRASH) {
		t->stale++;
		memset(res, 0, sizeof(*res));
		if (t->shm.hdr) {
			t->shm.hdr->crash_note[0] = 0;
			t->shm.hdr->crash_signal = 0;
		}
		return -1;
	}
	return 1;
}

int target_run(struct target *t, const uint8_t *buf, size_t len, struct run_result *res)
{
	int err;
	memset(res, 0, sizeof(*res));
	for (int attempt = 0;; attempt++) {
		if (interrupted)
			return FERRET_EINTR;
		if (t->ctl_fd < 0 && (err = target_start(t)))
			return err;
		if ((err = deliver(t, buf, len)))
			return err;
		if ((t->shm.hdr->rt_flags & FERRET_RT_THREADED) &&
		    ++t->clears % COV_THREADED_FULL_CLEAR == 0)
			cov_full_clear(t->map, t->map_bytes, &t->touch);
		else
			cov_sparse_clear(t->map, t->map_bytes, &t->touch);
		t->seq = t->seq >= FERRET_SEQ_MASK ? 1 : t->seq + 1;
		int r = (t->flags & TARGET_AFL) ? afl_exchange(t, res) : exchange(t, t->seq, res);
		if (r > 0)
			return interrupted ? FERRET_EINTR : 0; /* killed by us: no verdict */
		if (r < 0) { /* again, in a fresh child: not an attempt */
			attempt--;
			continue;
		}
		/* The server died, broke the protocol or reported an earlier
		 * input's death. Start it again and run the same input once
		 * more: a second time, it was the input (it killed the server,
		 * or clobbered its pipes), and that is a finding, not the end
		 * of the campaign. */
		stop_process(t);
		if (attempt) {
			memset(res, 0, sizeof(*res));
			res->kind = RUN_CRASH;
			res->signal = SIGKILL;
			res->broke_server = 1;
			return 0;
		}
	}
}

void target_release(struct target *t)
{
	stop_process(t);
	shm_release(&t->shm);
	afl_shm_release(&t->afl);
	if (t->input_fd >= 0)
		close(t->input_fd);
	if (t->devnull >= 0)
		close(t->devnull);
	t->input_fd = t->devnull = -1;
	if (t->argv) {
		for (char **a = t->argv; *a; a++)
			free(*a);
		free(t->argv);
	}
	free(t->input_path);
	t->argv = NULL;
	t->input_path = NULL;
}

const char *target_start_error(const struct target *t, int err, char *buf, size_t cap)
{
	int st = t->start_status;
	char mem[64] = "";
	if (t->mem_limit_mb)
		snprintf(mem, sizeof(mem), " (with -m %llu MiB: too little?)",
			 (unsigned long long)t->mem_limit_mb);
	if (err == FERRET_ENOTINST && (t->flags & TARGET_AFL))
		snprintf(buf, cap,
			 "it has AFL's runtime but exited without starting its fork "
			 "server (AFL_DISABLE_LLVM_INSTRUMENTATION set?)");
	else if (err == FERRET_ENOTINST)
		snprintf(buf, cap, "it is not instrumented: build it with ferret-cc");
	else if (err == FERRET_EEARLY && st != -1 && WIFSIGNALED(st))
		snprintf(buf, cap,
			 "it was killed by signal %d (SIG%s) before its fork server started%s",
			 WTERMSIG(st),
			 sigabbrev_np(WTERMSIG(st)) ? sigabbrev_np(WTERMSIG(st)) : "?", mem);
	else if (err == FERRET_EEARLY && st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 127)
		snprintf(buf, cap, "it could not be executed%s", mem);
	else if (err == FERRET_EEARLY && st != -1 && WIFEXITED(st))
		snprintf(buf, cap, "it exited with code %d before its fork server started%s",
			 WEXITSTATUS(st), mem);
	else
		snprintf(buf, cap, "%s", ferret_strerror(err));
	return buf;
}

const char *target_describe(const struct run_result *res, char *buf, size_t cap)
{
	switch (res->kind) {
	case RUN_HANG:
		snprintf(buf, cap, "timeout");
		break;
	case RUN_CRASH:
		if (res->broke_server)
			snprintf(buf, cap, "killed the fork server or broke its pipes");
		else if (res->signal)
			snprintf(buf, cap, "signal %d (SIG%s)", res->signal,
				 sigabbrev_np(res->signal) ? sigabbrev_np(res->signal) : "?");
		else
			snprintf(buf, cap, "sanitizer exit code %d", res->exit_code);
		break;
	default:
		snprintf(buf, cap, "exit %d", res->exit_code);
	}
	return buf;
}

const char *target_crash_note(struct target *t, char *buf, size_t cap)
{
	size_t n = 0;
	if (t->shm.hdr && cap) {
		volatile char *note = t->shm.hdr->crash_note;
		/* the target's memory: bounded, and nothing unprintable */
		for (; n < sizeof(t->shm.hdr->crash_note) && n + 1 < cap && note[n]; n++)
			buf[n] = note[n] >= 0x20 && note[n] < 0x7f ? note[n] : '?';
		note[0] = 0;
	}
	if (cap)
		buf[n] = 0;
	return buf;
}

unsigned target_crash_frames(struct target *t, uint64_t *pcs, unsigned cap, int *sig, char *kind,
			     size_t kind_cap)
{
	*sig = 0;
	if (kind_cap)
		kind[0] = 0;
	struct ferret_shm *h = t->shm.hdr;
	if (!h || !h->crash_signal)
		return 0;
	uint32_t what = h->crash_signal;
	h->crash_signal = 0;
	if (h->crash_seq != t->seq)
		return 0; /* an earlier input's (a signal the program survived) */
	/* the target's memory: the count is bounded here, not trusted */
	unsigned n = h->crash_frames;
	n = n < FERRET_CRASH_FRAMES ? n : FERRET_CRASH_FRAMES;
	n = n < cap ? n : cap;
	for (unsigned i = 0; i < n; i++)
		pcs[i] = h->crash_pc[i];
	*sig = what == FERRET_CRASH_SANITIZER ? -1 : (int)(what & 63);
	size_t k = 0;
	for (; kind_cap && k < sizeof(h->crash_kind) && k + 1 < kind_cap && h->crash_kind[k]; k++)
		kind[k] = h->crash_kind[k] >= 0x20 && h->crash_kind[k] < 0x7f ? h->crash_kind[k]
									      : '?';
	if (kind_cap)
		kind[k] = 0;
	return n;
}
