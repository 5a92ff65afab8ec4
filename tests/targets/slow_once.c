/* Fork server: an input starting with 'S' is slow once: when the file
 * slow.now exists in the working directory, it removes it and sleeps 10 s
 * (a machine that was busy for a moment); otherwise it returns at once.
 * One starting with 'H' hangs every time. Only 'H' is a hang
 * (tests/e2e/t1003-hang.sh). */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	unsigned char c = 0;
	if (read(0, &c, 1) != 1)
		return 0;
	if (c == 'S' && remove("slow.now") == 0)
		sleep(10);
	if (c == 'H')
		for (;;)
			pause();
	return 0;
}
