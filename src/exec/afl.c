/*
 * afl.c - the AFL++ flavour's start-up: SysV segments and the handshake
 * (afl.h). Nothing here runs per input: target.c's exchange writes
 * was_killed and reads the pid and the wait status itself, and the map and
 * the test case are the segments made here, used in place.
 *
 * The handshake follows what afl-fuzz accepts, and is as strict: a word it
 * would call a communication error is one here too (FERRET_EPROTO), and a
 * map larger than ferret's segment is refused rather than truncated, since
 * the binary would write past it.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <unistd.h>

#include "afl.h"
#include "errors.h"
#include "banned.h"

/* Creates a private segment, attaches it and marks it for removal (Linux
 * lets the target attach it after that, by id, while ferret holds it). */
static uint8_t *segment(size_t bytes, int *id)
{
	*id = shmget(IPC_PRIVATE, bytes, IPC_CREAT | IPC_EXCL | 0600);
	if (*id < 0)
		return NULL;
	void *p = shmat(*id, NULL, 0);
	shmctl(*id, IPC_RMID, NULL);
	if (p == (void *)-1) {
		*id = -1;
		return NULL;
	}
	return p;
}

int afl_shm_create(struct afl_shm *s, uint32_t map_cap, uint32_t tc_cap)
{
	memset(s, 0, sizeof(*s));
	s->map_id = s->tc_id = -1;
	s->map = segment(map_cap, &s->map_id);
	s->tc = s->map ? segment((size_t)tc_cap + sizeof(uint32_t), &s->tc_id) : NULL;
	if (!s->tc) {
		afl_shm_release(s);
		return FERRET_ENOMEM;
	}
	s->map_cap = map_cap;
	s->tc_cap = tc_cap;
	return 0;
}

void afl_shm_release(struct afl_shm *s)
{
	if (s->map)
		shmdt(s->map);
	if (s->tc)
		shmdt(s->tc);
	free(s->dict);
	memset(s, 0, sizeof(*s));
	s->map_id = s->tc_id = -1;
}

int afl_parse_hello(uint32_t w, struct afl_hello *h)
{
	memset(h, 0, sizeof(*h));
	if ((w & AFL_NEW_ERROR) == AFL_NEW_ERROR) {
		h->kind = AFL_HELLO_ERROR;
		h->error = w & 0xffffu;
		return 0;
	}
	if ((w & 0xffffff00u) == AFL_NEW_HELLO) {
		h->kind = AFL_HELLO_VERSIONED;
		h->version = w & 0xffu;
		return h->version == AFL_NEW_VERSION ? 0 : FERRET_EVERSION;
	}
	if ((w & AFL_OPT_ERROR) == AFL_OPT_ERROR) {
		h->kind = AFL_HELLO_ERROR;
		h->error = (w & 0x00ffff00u) >> 8;
		return 0;
	}
	if ((w & AFL_OPT_ENABLED) != AFL_OPT_ENABLED) {
		h->kind = AFL_HELLO_CLASSIC; /* AFL's hello is any four bytes */
		return 0;
	}
	h->kind = AFL_HELLO_OPTIONS;
	if ((w & AFL_OPT_OLD_AFLPP) == AFL_OPT_OLD_AFLPP)
		w &= ~AFL_OPT_OLD_AFLPP;
	if (w & AFL_OPT_MAPSIZE)
		h->map_bytes = ((w & 0x00fffffeu) >> 1) + 1;
	h->shm_fuzz = !!(w & AFL_OPT_SHDMEM_FUZZ);
	h->autodict = !!(w & AFL_OPT_AUTODICT);
	return 0;
}

int afl_parse_options(uint32_t opts, struct afl_hello *h)
{
	if (!(opts & AFL_NEW_OPT_MAPSIZE))
		return FERRET_EPROTO;
	h->shm_fuzz = !!(opts & AFL_NEW_OPT_SHDMEM_FUZZ);
	h->autodict = !!(opts & AFL_NEW_OPT_AUTODICT);
	return 0;
}

/* Reads exactly n bytes, waiting at most ms for each chunk. 0 or -1. */
static int read_full(int fd, void *buf, size_t n, int ms)
{
	uint8_t *p = buf;
	while (n) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		int r = poll(&pfd, 1, ms);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		ssize_t got = read(fd, p, n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return -1;
		p += got;
		n -= (size_t)got;
	}
	return 0;
}

static int write_word(int fd, uint32_t w)
{
	return write(fd, &w, sizeof(w)) == (ssize_t)sizeof(w) ? 0 : -1;
}

/* Reads the autodictionary's length and bytes; keeps the first one. */
static int read_dict(struct afl_shm *s, int st_fd, int ms)
{
	uint32_t len;
	if (read_full(st_fd, &len, sizeof(len), ms))
		return FERRET_EPROTO;
	if (len < AFL_DICT_MIN_BYTES || len > AFL_DICT_MAX_BYTES)
		return FERRET_EPROTO;
	uint8_t *d = malloc(len);
	if (!d)
		return FERRET_ENOMEM;
	if (read_full(st_fd, d, len, ms)) {
		free(d);
		return FERRET_EPROTO;
	}
	if (s->dict) {
		free(d); /* a restart sends it again */
	} else {
		s->dict = d;
		s->dict_len = len;
	}
	return 0;
}

int afl_handshake(struct afl_shm *s, int ctl_fd, int st_fd, uint32_t w, int ms, struct afl_hello *h)
{
	int err = afl_parse_hello(w, h);
	if (err)
		return err;
	switch (h->kind) {
	case AFL_HELLO_ERROR:
		return h->error == AFL_ERROR_MAP_SIZE ? FERRET_EMAPSIZE : FERRET_ESPAWN;
	case AFL_HELLO_CLASSIC:
		break;
	case AFL_HELLO_OPTIONS:
		/* It waits for the options we take only when it offered one. */
		if (h->shm_fuzz || h->autodict) {
			uint32_t take = AFL_OPT_ENABLED;
			take |= h->shm_fuzz ? AFL_OPT_SHDMEM_FUZZ : 0;
			take |= h->autodict ? AFL_OPT_AUTODICT : 0;
			if (write_word(ctl_fd, take))
				return FERRET_EPROTO;
		}
		if (h->autodict && (err = read_dict(s, st_fd, ms)))
			return err;
		break;
	case AFL_HELLO_VERSIONED: {
		uint32_t opts, size, end;
		if (write_word(ctl_fd, w ^ 0xffffffffu) ||
		    read_full(st_fd, &opts, sizeof(opts), ms))
			return FERRET_EPROTO;
		if ((err = afl_parse_options(opts, h)))
			return err;
		if (read_full(st_fd, &size, sizeof(size), ms))
			return FERRET_EPROTO;
		if (!size)
			return FERRET_EMAPSIZE;
		h->map_bytes = size;
		if (h->autodict && (err = read_dict(s, st_fd, ms)))
			return err;
		if (read_full(st_fd, &end, sizeof(end), ms) || end != w)
			return FERRET_EPROTO;
		break;
	}
	}
	uint64_t bytes = h->map_bytes ? h->map_bytes : AFL_MAP_DEFAULT_BYTES;
	bytes = (bytes + 63) & ~(uint64_t)63;
	if (bytes > s->map_cap)
		return FERRET_EMAPSIZE;
	h->map_bytes = (uint32_t)bytes;
	return 0;
}

int afl_dict_next(const uint8_t *dict, size_t len, size_t *off, const uint8_t **tok,
		  size_t *tok_len)
{
	if (!dict || *off >= len)
		return 0;
	size_t n = dict[*off];
	if (n > len - *off - 1)
		return 0;
	*tok = dict + *off + 1;
	*tok_len = n;
	*off += 1 + n;
	return 1;
}
