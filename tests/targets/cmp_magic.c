/* Five magic checks that random mutation alone does not pass, chosen by
 * argv[1]; each crashes (SIGSEGV) only when its check holds. The input is
 * stdin (up to 256 bytes):
 *   u32    bytes 0..3, read with memcpy, equal 0xdeadbeef as one integer
 *   u64    bytes 0..7, read with memcpy, equal 0xfe7e11c0ffee5a1d
 *   strcmp the NUL-terminated field at offset 0 is "FERRETKEYWORD"
 *   memcmp the 16 bytes at offset 8 equal a 16-byte constant
 *   switch a switch on the 32-bit value at offset 0, whose case 0x13371337
 *          crashes (the other cases do harmless distinct work)
 * Only compare feedback (input-to-state, the automatic dictionary) solves
 * them quickly. An input too short for its check says so on stderr, so
 * short inputs take their own edge and trimming keeps a seed long enough
 * to hold the value. Exit 0 otherwise; exit 2 on a bad argument. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void crash(void)
{
	volatile int *volatile p = NULL;
	*p = 1; /* SIGSEGV */
}

static volatile unsigned sink;

__attribute__((noinline)) static void work(unsigned v)
{
	sink = sink * 31 + v;
}

/* not inlined, and only short inputs call it: their own edge */
__attribute__((noinline)) static int too_short(void)
{
	fputs("cmp_magic: input too short\n", stderr);
	return 0;
}

static const unsigned char key16[16] = {'f', 'e', 'r', 'r', 'e', 't', '-',  'm',
					'e', 'm', 'c', 'm', 'p', '!', 0x7f, 0x01};

int main(int argc, char **argv)
{
	unsigned char buf[257];
	size_t n = fread(buf, 1, sizeof(buf) - 1, stdin);
	const char *what = argc > 1 ? argv[1] : "";
	buf[n] = 0;

	if (!strcmp(what, "u32")) {
		uint32_t v;
		if (n < 4)
			return too_short();
		memcpy(&v, buf, 4);
		if (v == 0xdeadbeefu)
			crash();
	} else if (!strcmp(what, "u64")) {
		uint64_t v;
		if (n < 8)
			return too_short();
		memcpy(&v, buf, 8);
		if (v == 0xfe7e11c0ffee5a1dull)
			crash();
	} else if (!strcmp(what, "strcmp")) {
		if (strcmp((const char *)buf, "FERRETKEYWORD") == 0)
			crash();
	} else if (!strcmp(what, "memcmp")) {
		if (n < 24)
			return too_short();
		if (memcmp(buf + 8, key16, 16) == 0)
			crash();
	} else if (!strcmp(what, "switch")) {
		uint32_t v;
		if (n < 4)
			return too_short();
		memcpy(&v, buf, 4);
		switch (v) {
		case 0x01020304u:
			work(1);
			break;
		case 0x10203040u:
			work(2);
			break;
		case 0x13371337u:
			crash();
			break;
		case 0x2badf00du:
			work(3);
			break;
		case 0x55aa55aau:
			work(4);
			break;
		case 0x7fff0001u:
			work(5);
			break;
		case 0xcafe0000u:
			work(6);
			break;
		default:
			work(0);
			break;
		}
	} else {
		return 2;
	}
	return 0;
}
