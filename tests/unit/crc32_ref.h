/* crc32_ref.h - zlib's CRC-32 computed bit by bit, for the unit tests that
 * build or check checksummed inputs (i2s_test.c, loop_test.c): a reference
 * independent of the table in src/core/i2s.c. */
#ifndef FERRET_TEST_CRC32_REF_H
#define FERRET_TEST_CRC32_REF_H

#include <stddef.h>
#include <stdint.h>

static inline uint32_t crc32_ref(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}

#endif
