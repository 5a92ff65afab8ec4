/* A chain of compare checks for the determinism tests (t3005, t5007):
 * each step takes compare feedback to pass and opens the next, so a run
 * leans on input-to-state and the automatic dictionary all the way and
 * saves many entries on the way. The input (up to 256 bytes, NUL-padded):
 *   byte 0           a few edges by character class (easy growth)
 *   bytes 0..3       "GET ", "PUT " or "DEL " by strncmp: one edge each
 *   bytes 0..3       the 32-bit little-endian magic 0x31545246 ("FRT1"),
 *   then bytes 4..7  "HEAD" by memcmp,
 *   then bytes 8..15 the 64-bit little-endian value 0x0123456789abcdef,
 *   then bytes 16..17 a 16-bit switch with six cases,
 *   then bytes 18..  the NUL-terminated field "ferret" by strcmp: SIGSEGV.
 * Three entry points, chosen when building: stdin, one input per process
 * (the default); -DCMP_CHAIN_LOOP, persistent (FERRET_LOOP); and
 * -DCMP_CHAIN_LIBFUZZER, LLVMFuzzerTestOneInput. -DCMP_CHAIN_NO_CRASH
 * leaves out the crash, so a libFuzzer run goes on to its -runs. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifdef CMP_CHAIN_LOOP
#include <ferret.h>
#endif

static volatile unsigned sink;

__attribute__((noinline)) static void work(unsigned v)
{
	sink = sink * 31 + v;
}

static void crash(void)
{
#ifndef CMP_CHAIN_NO_CRASH
	volatile int *volatile p = NULL;
	*p = 1; /* SIGSEGV */
#endif
}

static void check(const unsigned char *data, size_t len)
{
	unsigned char buf[257];
	uint32_t m32;
	uint16_t m16;
	uint64_t m64;

	if (len > sizeof(buf) - 1)
		len = sizeof(buf) - 1;
	memset(buf, 0, sizeof(buf));
	memcpy(buf, data, len);
	if (!len)
		return;

	if (buf[0] >= '0' && buf[0] <= '9')
		work(1);
	else if (buf[0] >= 'A' && buf[0] <= 'Z')
		work(2);
	else if (buf[0] >= 'a' && buf[0] <= 'z')
		work(3);
	else
		work(4);

	if (!strncmp((const char *)buf, "GET ", 4))
		work(10);
	else if (!strncmp((const char *)buf, "PUT ", 4))
		work(11);
	else if (!strncmp((const char *)buf, "DEL ", 4))
		work(12);

	if (len < 4)
		return;
	memcpy(&m32, buf, 4);
	if (m32 != 0x31545246u)
		return;
	work(20);
	if (len < 8 || memcmp(buf + 4, "HEAD", 4))
		return;
	work(21);
	if (len < 16)
		return;
	memcpy(&m64, buf + 8, 8);
	if (m64 != 0x0123456789abcdefull)
		return;
	work(22);
	if (len < 18)
		return;
	memcpy(&m16, buf + 16, 2);
	switch (m16) {
	case 0x0101:
		work(31);
		break;
	case 0x2222:
		work(32);
		break;
	case 0x4c4d:
		work(33);
		break;
	case 0x7f00:
		work(34);
		break;
	case 0xbeef:
		work(35);
		break;
	case 0xfffe:
		work(36);
		break;
	default:
		return;
	}
	if (!strcmp((const char *)buf + 18, "ferret"))
		crash();
}

#if defined(CMP_CHAIN_LIBFUZZER)
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check(data, size);
	return 0;
}
#elif defined(CMP_CHAIN_LOOP)
int main(void)
{
	while (FERRET_LOOP(10000))
		check(FERRET_TESTCASE_BUF, FERRET_TESTCASE_LEN);
	return 0;
}
#else
int main(void)
{
	unsigned char buf[256];
	size_t n = fread(buf, 1, sizeof(buf), stdin);
	check(buf, n);
	return 0;
}
#endif
