/*
 * srcpos.c - which edge counters lie on a given source position, for
 * -exit_on_src_pos, and the description of one address, for NEW_FUNC.
 * libFuzzer asks its sanitizer runtime's symbolizer about each PC it has
 * seen; ferret's runtime is libc-only, so the worker
 * asks once, at start-up, about every edge: the addresses of the blocks
 * (runtime/cov_guard.c keeps clang's pc-tables) go to one llvm-symbolizer
 * (else addr2line) run over the executable, through a memfd as its stdin
 * (no pipe to deadlock on however many edges there are), and its answers
 * are read back in order. What is kept is only the indexes whose
 * description matches; the worker decides when to look at them.
 *
 * Addresses are what the ELF file says: the runtime's relative address
 * (ferret__rel_pc, from the executable's start) back to absolute, minus
 * the executable's load bias (0 unless it is PIE). Edges in shared objects
 * are left out. Costs one subprocess and a few ms per thousand edges,
 * once per worker.
 */
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "rt.h"
#include "srcpos.h"
#include "banned.h"

/* The symbolizers tried, in order. blocks: the answer to each address is
 * frames of two lines (function, location) ended by an empty line
 * (llvm-symbolizer); otherwise exactly two lines (addr2line without -i,
 * the innermost frame). */
static const struct symbolizer {
	const char *argv[6]; /* "%s" stands for the executable */
	int blocks;
} symbolizers[] = {
	{{"llvm-symbolizer", "--obj", "%s", NULL}, 1},
	{{"addr2line", "-f", "-C", "-e", "%s", NULL}, 0},
};

static int first_object(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	*(uintptr_t *)data = info->dlpi_addr;
	return 1; /* the executable comes first */
}

/* libFuzzer's "%F %L" of one frame: "in FUNCTION FILE:LINE:COLUMN", with
 * what the sanitizers' renderer leaves out when unknown left out (no
 * function, a column 0) and addr2line's "(discriminator N)" dropped. */
static void describe(char *out, size_t cap, char *func, char *loc)
{
	char *d = strstr(loc, " (discriminator");
	if (d)
		*d = 0;
	size_t n = strlen(loc);
	if (n > 2 && !strcmp(loc + n - 2, ":0"))
		loc[n - 2] = 0;
	if (!strcmp(func, "??"))
		snprintf(out, cap, "%s", loc);
	else
		snprintf(out, cap, "in %s %s", func, loc);
}

/* Starts symbolizer s on exe, in_fd its stdin and out_fd its stdout, its
 * stderr thrown away and without debuginfod (no network wait). Returns its
 * pid, or -1 when it could not fork; a symbolizer not found exits 127. */
static pid_t spawn(const struct symbolizer *s, const char *exe, int in_fd, int out_fd)
{
	const char *argv[6];
	for (int i = 0; i < 6; i++)
		argv[i] = s->argv[i] && !strcmp(s->argv[i], "%s") ? exe : s->argv[i];
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || null < 0 || dup2(null, 2) < 0)
			_exit(127);
		unsetenv("DEBUGINFOD_URLS");
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	return pid;
}

/* Runs s on the addresses in in_fd (n of them, for the indexes index[]);
 * the indexes matching go to out. Returns their number, or -1 when s did
 * not run or did not answer for every address. */
static long run(const struct symbolizer *s, const char *exe, int in_fd, const uint32_t *index,
		size_t n, const char *pattern, uint32_t *out)
{
	int p[2];
	if (lseek(in_fd, 0, SEEK_SET) < 0 || pipe2(p, O_CLOEXEC))
		return -1;
	pid_t pid = spawn(s, exe, in_fd, p[1]);
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return -1;
	}
	FILE *f = fdopen(p[0], "r");
	long found = 0;
	size_t at = 0, cap = 0;
	int k = 0; /* lines of this address's answer read so far */
	char *line = NULL, *func = NULL, desc[8192];
	ssize_t len;
	while (f && (len = getline(&line, &cap, f)) >= 0) {
		if (len && line[len - 1] == '\n')
			line[--len] = 0;
		if (s->blocks && !len) { /* the end of an address's answer */
			at += k > 0;
			k = 0;
			continue;
		}
		if (k == 0) {
			free(func);
			func = strdup(line);
		} else if (k == 1 && func && at < n) {
			describe(desc, sizeof(desc), func, line);
			if (strstr(desc, pattern))
				out[found++] = index[at];
		}
		if (++k == 2 && !s->blocks) { /* addr2line: two lines, always */
			at++;
			k = 0;
		}
	}
	free(line);
	free(func);
	if (f)
		fclose(f);
	else
		close(p[0]);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) && !WEXITSTATUS(status) && at == n ? found : -1;
}

long srcpos_match(const char *pattern, size_t edge_bytes, uint32_t **idx)
{
	*idx = NULL;
	uint64_t *pcs = calloc(edge_bytes ? edge_bytes : 1, sizeof(*pcs));
	uint32_t *index = malloc((edge_bytes ? edge_bytes : 1) * sizeof(*index));
	uint32_t *out = malloc((edge_bytes ? edge_bytes : 1) * sizeof(*out));
	char exe[4096];
	ssize_t exe_len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int fd = memfd_create("ferret-srcpos", MFD_CLOEXEC);
	long found = -1;
	if (!pcs || !index || !out || exe_len <= 0 || fd < 0)
		goto out;
	exe[exe_len] = 0;
	ferret__modules_scan();
	uintptr_t bias = 0;
	dl_iterate_phdr(first_object, &bias);
	uint32_t used = ferret__edge_pcs(pcs, (uint32_t)edge_bytes);
	size_t n = 0;
	FILE *in = fdopen(dup(fd), "w");
	for (uint32_t i = 1; i < used && in; i++) {
		if (!pcs[i] || pcs[i] >= ferret__exe_len)
			continue; /* no block address, or in a shared object */
		fprintf(in, "0x%llx\n", (unsigned long long)(ferret__exe_lo + pcs[i] - bias));
		index[n++] = i;
	}
	if (!in || fclose(in))
		goto out;
	if (!n) {
		found = 0; /* no pc-tables (gcc's hashed edges): nothing to describe */
		goto out;
	}
	for (size_t s = 0; s < sizeof(symbolizers) / sizeof(symbolizers[0]) && found < 0; s++)
		found = run(&symbolizers[s], exe, fd, index, n, pattern, out);
out:
	if (fd >= 0)
		close(fd);
	free(pcs);
	free(index);
	if (found > 0)
		*idx = out;
	else
		free(out);
	return found;
}

/* ---- one address at a time: the server ---- */

static struct server {
	pid_t pid;
	pid_t owner; /* the process that started it (a fork inherits S) */
	int fd;      /* our end of the socket pair, or -1 */
	int failed;  /* no symbolizer answered: never ask again */
	unsigned s;  /* index in symbolizers[] */
	uintptr_t bias;
	char buf[8192]; /* what was read and not yet taken as lines */
	size_t have;
} S = {.fd = -1};

static void server_stop(void)
{
	if (S.fd >= 0)
		close(S.fd);
	S.fd = -1;
	if (S.pid > 0) {
		kill(S.pid, SIGKILL);
		while (waitpid(S.pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	S.pid = 0;
	S.have = 0;
}

static int server_start(unsigned k, const char *exe)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return -1;
	pid_t pid = spawn(&symbolizers[k], exe, sv[1], sv[1]);
	close(sv[1]);
	if (pid < 0) {
		close(sv[0]);
		return -1;
	}
	S.fd = sv[0];
	S.pid = pid;
	S.owner = getpid();
	S.s = k;
	S.have = 0;
	return 0;
}

/* One line of the answer (without its newline) into line; -1 at the end
 * of the stream, an error, or after CFG_SRCPOS_WAIT_MS. */
static int server_line(char *line, size_t cap)
{
	for (;;) {
		char *nl = memchr(S.buf, '\n', S.have);
		if (nl) {
			size_t n = (size_t)(nl - S.buf);
			snprintf(line, cap, "%.*s", (int)n, S.buf);
			memmove(S.buf, nl + 1, S.have - n - 1);
			S.have -= n + 1;
			return 0;
		}
		if (S.have == sizeof(S.buf))
			S.have = 0; /* a line longer than the buffer: dropped */
		struct pollfd p = {.fd = S.fd, .events = POLLIN};
		int r = poll(&p, 1, CFG_SRCPOS_WAIT_MS);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		ssize_t got = read(S.fd, S.buf + S.have, sizeof(S.buf) - S.have);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return -1;
		S.have += (size_t)got;
	}
}

/* Asks the running server about addr: its first frame described into out. */
static int server_ask(uintptr_t addr, char *out, size_t cap)
{
	char q[32], func[4096], loc[4096];
	int n = snprintf(q, sizeof(q), "0x%llx\n", (unsigned long long)addr);
	if (send(S.fd, q, (size_t)n, MSG_NOSIGNAL) != n)
		return -1;
	if (server_line(func, sizeof(func)) || server_line(loc, sizeof(loc)))
		return -1;
	if (symbolizers[S.s].blocks) { /* the other frames (inlined), to the empty line */
		char more[4096];
		do {
			if (server_line(more, sizeof(more)))
				return -1;
		} while (*more);
	}
	describe(out, cap, func, loc);
	return 0;
}

int srcpos_describe(uintptr_t pc, char *out, size_t cap)
{
	if (S.failed)
		return -1;
	ferret__modules_scan();
	if (pc - ferret__exe_lo >= ferret__exe_len)
		return -1; /* in a shared object */
	if (S.fd < 0) {
		char exe[4096];
		ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		if (len <= 0) {
			S.failed = 1;
			return -1;
		}
		exe[len] = 0;
		dl_iterate_phdr(first_object, &S.bias);
		/* the first symbolizer that starts and answers */
		for (unsigned k = 0; k < sizeof(symbolizers) / sizeof(symbolizers[0]); k++) {
			if (server_start(k, exe))
				continue;
			if (!server_ask(pc - S.bias, out, cap))
				return 0;
			server_stop();
		}
		S.failed = 1;
		return -1;
	}
	if (!server_ask(pc - S.bias, out, cap))
		return 0;
	server_stop();
	S.failed = 1;
	return -1;
}

void srcpos_stop(void)
{
	if (S.pid > 0 && S.owner == getpid())
		server_stop();
}
