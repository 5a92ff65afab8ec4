/* Persistent mode, hostile: an input starting with 'K' starts a thread
 * that kills the whole process a little later, after the input was
 * reported done (a background thread that dies, the OOM killer); 'A'
 * aborts at once. Every other input is fine. The death lands in whatever
 * input runs then, never in 'K' itself, and must not shift the verdicts
 * of the inputs after it (tests/e2e/t1006-hostile.sh). */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <ferret.h>

static void *die_later(void *arg)
{
	(void)arg;
	usleep(2000);
	kill(getpid(), SIGKILL);
	return NULL;
}

int main(void)
{
	while (FERRET_LOOP(100000)) {
		const unsigned char *buf = FERRET_TESTCASE_BUF;
		size_t len = FERRET_TESTCASE_LEN;
		if (len > 0 && buf[0] == 'A')
			abort();
		if (len > 0 && buf[0] == 'K') {
			pthread_t t;
			pthread_create(&t, NULL, die_later, NULL);
			pthread_detach(t);
		}
	}
	return 0;
}
