/*
 * covsum.c - coverage summaries of queue entries (see covsum.h): built
 * when an entry is saved, checked when a peer's entry is imported.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "covsum.h"
#include "errors.h"
#include "banned.h"

static const char magic[8] = {'F', 'R', 'T', 'C', 'O', 'V', '2', '\n'};

#define HEADER_BYTES (8 + 5 * 8)

/* FNV-1a over bytes with a final mix: a few hundred MB/s, run once per
 * program at start-up and once per summary. */
static uint64_t hash_bytes(uint64_t h, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

static uint64_t mix(uint64_t h)
{
	h = (h ^ (h >> 31)) * 0x7fb5d329728ea185ull;
	h = (h ^ (h >> 27)) * 0x81dadef4bc2dd44dull;
	return h ^ (h >> 33);
}

uint64_t covsum_identity(const char *exe_path, size_t map_bytes, uint64_t flags)
{
	int fd = open(exe_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	struct stat st;
	uint64_t h = 0xcbf29ce484222325ull;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return 0;
	}
	if (st.st_size > 0) {
		void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED) {
			close(fd);
			return 0;
		}
		h = hash_bytes(h, p, (size_t)st.st_size);
		munmap(p, (size_t)st.st_size);
	}
	close(fd);
	uint64_t tail[3] = {(uint64_t)st.st_size, (uint64_t)map_bytes, flags};
	h = mix(hash_bytes(h, (const uint8_t *)tail, sizeof(tail)));
	return h ? h : 1;
}

int covsum_build(uint64_t identity, const uint8_t *data, size_t data_len, const uint8_t *trace,
		 size_t map_bytes, uint8_t **out, size_t *len)
{
	uint64_t n = 0;
	for (size_t i = 0; i < map_bytes; i++)
		n += trace[i] != 0;
	size_t total = HEADER_BYTES + 5 * (size_t)n;
	uint8_t *b = malloc(total);
	if (!b)
		return FERRET_ENOMEM;
	uint8_t *idx = b + HEADER_BYTES, *bucket = idx + 4 * n;
	size_t k = 0;
	for (size_t i = 0; i < map_bytes; i++) {
		if (!trace[i])
			continue;
		uint32_t v = (uint32_t)i;
		memcpy(idx + 4 * k, &v, 4);
		bucket[k++] = trace[i];
	}
	uint64_t head[5] = {identity, (uint64_t)map_bytes, n,
			    mix(hash_bytes(0xcbf29ce484222325ull, idx, 5 * (size_t)n)),
			    XXH64(data, data_len, 0)};
	memcpy(b, magic, sizeof(magic));
	memcpy(b + sizeof(magic), head, sizeof(head));
	*out = b;
	*len = total;
	return 0;
}

int covsum_rebind(uint8_t *buf, size_t len, const uint8_t *data, size_t data_len)
{
	uint64_t n, h = XXH64(data, data_len, 0);
	if (len < HEADER_BYTES || memcmp(buf, magic, sizeof(magic)))
		return FERRET_EINVAL;
	memcpy(&n, buf + sizeof(magic) + 2 * 8, 8);
	if (n > UINT32_MAX || len != HEADER_BYTES + 5 * (size_t)n)
		return FERRET_EINVAL;
	memcpy(buf + sizeof(magic) + 4 * 8, &h, 8);
	return 0;
}

int covsum_check(const uint8_t *buf, size_t len, uint64_t identity, const uint8_t *data,
		 size_t data_len, const uint8_t *virgin, size_t map_bytes)
{
	uint64_t head[5];
	if (!identity || len < HEADER_BYTES || memcmp(buf, magic, sizeof(magic)))
		return COVSUM_INVALID;
	memcpy(head, buf + sizeof(magic), sizeof(head));
	uint64_t n = head[2];
	if (head[0] != identity || head[1] != (uint64_t)map_bytes || n > map_bytes ||
	    n > UINT32_MAX || len != HEADER_BYTES + 5 * (size_t)n ||
	    head[4] != XXH64(data, data_len, 0))
		return COVSUM_INVALID;
	const uint8_t *idx = buf + HEADER_BYTES, *bucket = idx + 4 * n;
	if (head[3] != mix(hash_bytes(0xcbf29ce484222325ull, idx, 5 * (size_t)n)))
		return COVSUM_INVALID;
	int news = 0;
	uint64_t prev = 0;
	for (size_t k = 0; k < n; k++) {
		uint32_t i;
		memcpy(&i, idx + 4 * k, 4);
		if (i >= map_bytes || (k && i <= prev) || !bucket[k])
			return COVSUM_INVALID;
		prev = i;
		news |= (virgin[i] & bucket[k]) != 0;
	}
	return news ? COVSUM_NEW : COVSUM_NOTHING;
}
