/* ttfc_crc.c - a CRC-protected frame: "CRC1", a 16-bit payload length that
 * must be the rest of the input, the CRC-32 of the payload, the payload. Only
 * a frame whose CRC matches is looked at; its first four bytes are a command,
 * and one command value crashes. Hard because the command and the CRC must
 * change together: the first frame with a stale CRC is new coverage, but
 * every later one takes the same path, so the fuzzer has to fix the CRC of
 * the very input that carries the command (bench/ttfc.sh). */
#include "ttfc.h"

enum { HDR = 10 }; /* magic 4, length 2, CRC 4 */

static volatile uint32_t sink;

static void check(const uint8_t *d, size_t n)
{
	if (n < HDR || ttfc_u32(d) != 0x31435243u) /* "CRC1" */
		return;
	size_t len = ttfc_u16(d + 4);
	if (len != n - HDR)
		return;
	const uint8_t *p = d + HDR;
	if (ttfc_crc32(p, len) != ttfc_u32(d + 6))
		return;
	if (len < 4)
		return;
	switch (ttfc_u32(p)) {
	case 0x676e6970u: /* "ping" */
		sink += (uint32_t)len;
		break;
	case 0x6f686365u: /* "echo" */
		sink ^= p[len - 1];
		break;
	case 0x9e3779b9u: /* the planted bug */
		TTFC_CRASH();
		break;
	default:
		break;
	}
}

/* seed: a valid "ping" frame; answer: the same frame with the crashing
 * command and its CRC. */
static void sample(int answer, struct ttfc_out *o)
{
	static const char rest[] = " hello ferret";
	uint8_t payload[64];
	size_t len = 0;
	uint32_t cmd = answer ? 0x9e3779b9u : 0x676e6970u;
	memcpy(payload, &cmd, 4);
	len = 4;
	memcpy(payload + len, rest, sizeof rest - 1);
	len += sizeof rest - 1;
	ttfc_puts(o, "CRC1");
	ttfc_put16(o, (uint16_t)len);
	ttfc_put32(o, ttfc_crc32(payload, len));
	ttfc_put(o, payload, len);
}
