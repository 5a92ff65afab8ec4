/*
 * spawn.c - bare fork+exec speed: runs PROG once per input, input on stdin,
 * output to /dev/null, cycling through the seed FILEs, for SECONDS; prints
 * "execs SECONDS RATE". What a fuzzer without a fork server would pay per
 * execution, and an upper bound on nothing: fork servers skip the exec.
 *
 *   spawn SECONDS PROG FILE...
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: %s SECONDS PROG FILE...\n", argv[0]);
		return 2;
	}
	double secs = atof(argv[1]);
	char *prog = argv[2];
	int nf = argc - 3;
	int *fds = calloc((size_t)nf, sizeof(*fds));
	for (int i = 0; i < nf; i++)
		if ((fds[i] = open(argv[3 + i], O_RDONLY)) < 0) {
			perror(argv[3 + i]);
			return 2;
		}
	int devnull = open("/dev/null", O_WRONLY);
	char *cargv[] = {prog, NULL};
	unsigned long long execs = 0;
	double t0 = now(), t;
	do {
		int fd = fds[execs % (unsigned)nf];
		lseek(fd, 0, SEEK_SET);
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			dup2(fd, 0);
			dup2(devnull, 1);
			dup2(devnull, 2);
			execv(prog, cargv);
			_exit(127);
		}
		int status;
		if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			fprintf(stderr, "spawn: %s failed (status %d)\n", prog, status);
			return 1;
		}
		execs++;
		t = now() - t0;
	} while (t < secs);
	printf("%llu %.3f %.0f\n", execs, t, execs / t);
	return 0;
}
