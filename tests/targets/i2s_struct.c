/* Checks that input-to-state can only pass by building structure, chosen
 * by argv[1]; each crashes (SIGSEGV) only when its check holds. The input
 * is stdin (up to 256 bytes):
 *   nested  b[0] == 'b', then b[1] == 'u', then b[2] == 'g', three nested
 *           ifs: clang -O1 turns them into three unconditional byte
 *           compares and one branch, so no single byte opens an edge
 *   loop    the input starts with "FERRET-BYTE-LOOP", compared byte by byte
 *           in a loop (one compare site for all 16 bytes)
 *   sum     a 16-bit offset plus a 16-bit size (bytes 0..3, little endian)
 *           equal the input's length: neither operand is in the input
 *   diff    a 32-bit end minus a 32-bit start (bytes 0..7, little endian)
 *           equal 0x00c0ffee
 *   len     byte 0 counts the bytes that follow it, and they are the
 *           string "FERRET-LENGTH": writing the string must fix the count
 *   crc     bytes 0..3 hold the CRC-32 (big endian) of the rest, and
 *           bytes 4..7 the 32-bit value 0xfeedc0de: writing the value
 *           must fix the CRC
 *   insert  the input ends with exactly "second-part" (checked through a
 *           hash first, so no compare gives it away and trimming keeps
 *           it) and starts with "FIRST": from the seed "second-part",
 *           "FIRST" must be inserted before it, not written over it
 * Exit 0 otherwise; exit 2 on a bad argument. Built with
 * -DI2S_STRUCT_LIBFUZZER='"CHECK"' (and -fsanitize=fuzzer) it is instead a
 * libFuzzer harness for that one check, for the in-process worker. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void crash(void)
{
	volatile int *volatile p = NULL;
	*p = 1; /* SIGSEGV */
}

static uint32_t rd32le(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t rd32be(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* zlib's CRC-32 (reflected 0xedb88320), bit by bit: no table to get wrong */
static uint32_t crc32(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}

static uint32_t fnv1a(const unsigned char *p, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

/* The keyword comes through a volatile pointer, so the compiler cannot
 * unroll the loop into one compare site per byte. */
static const char *volatile loop_word = "FERRET-BYTE-LOOP";

__attribute__((noinline)) static int match(const unsigned char *b, size_t n, const char *w)
{
	for (size_t i = 0; w[i]; i++)
		if (i >= n || b[i] != (unsigned char)w[i])
			return 0;
	return 1;
}

/* Runs check `what` on b[0..n), b[n] == 0; returns 2 for an unknown one. */
static int check(const char *what, const unsigned char *b, size_t n)
{
	if (!strcmp(what, "nested")) {
		if (n >= 3 && b[0] == 'b')
			if (b[1] == 'u')
				if (b[2] == 'g')
					crash();
	} else if (!strcmp(what, "loop")) {
		if (match(b, n, loop_word))
			crash();
	} else if (!strcmp(what, "sum")) {
		if (n < 4)
			return 0;
		unsigned off = b[0] | b[1] << 8, size = b[2] | b[3] << 8;
		if (off + size == n)
			crash();
	} else if (!strcmp(what, "diff")) {
		if (n >= 8 && rd32le(b + 4) - rd32le(b) == 0x00c0ffeeu)
			crash();
	} else if (!strcmp(what, "len")) {
		char s[256];
		if (n < 1 || (size_t)b[0] + 1 != n)
			return 0;
		memcpy(s, b + 1, b[0]);
		s[b[0]] = 0;
		if (!strcmp(s, "FERRET-LENGTH"))
			crash();
	} else if (!strcmp(what, "crc")) {
		if (n < 8 || crc32(b + 4, n - 4) != rd32be(b))
			return 0;
		if (rd32le(b + 4) == 0xfeedc0deu)
			crash();
	} else if (!strcmp(what, "insert")) {
		if (n < 11 ||
		    fnv1a(b + n - 11, 11) != fnv1a((const unsigned char *)"second-part", 11))
			return 0;
		if (!memcmp(b, "FIRST", 5))
			crash();
	} else {
		return 2;
	}
	return 0;
}

#ifdef I2S_STRUCT_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char b[257];
	size_t n = size < sizeof(b) - 1 ? size : sizeof(b) - 1;
	memcpy(b, data, n);
	b[n] = 0;
	check(I2S_STRUCT_LIBFUZZER, b, n);
	return 0;
}
#else
int main(int argc, char **argv)
{
	unsigned char b[257];
	size_t n = fread(b, 1, sizeof(b) - 1, stdin);
	b[n] = 0;
	return check(argc > 1 ? argv[1] : "", b, n);
}
#endif
