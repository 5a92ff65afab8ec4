/*
 * afl.h - the AFL++ flavour of the fork-server client: what ferret needs to
 * run a binary built by afl-cc / afl-clang-fast (or classic AFL) as AFL's
 * afl-fuzz does. It owns the protocol's constants, the SysV segments the
 * binary attaches (__AFL_SHM_ID: the coverage map, __AFL_SHM_FUZZ_ID: the
 * test case as [u32 len][bytes]), the decoding of the handshake (classic:
 * any word; AFL++ <= 4.09: one options word, FS_OPT_*; AFL++ >= 4.10:
 * versioned, 0x41464c01) and the autodictionary the binary may send.
 * Every word from the binary is checked; nothing here is trusted beyond
 * its bounds. The per-input exchange (was_killed, pid, wait status) is
 * target.c's, beside ferret's own, so timeouts, restarts and verdicts are
 * written once.
 */
#ifndef FERRET_AFL_H
#define FERRET_AFL_H

#include <stddef.h>
#include <stdint.h>

#include "afl_proto.h"

enum afl_hello_kind {
	AFL_HELLO_CLASSIC,   /* no options: AFL, or AFL++ with nothing to say */
	AFL_HELLO_OPTIONS,   /* AFL_OPT_ENABLED and options in the same word */
	AFL_HELLO_VERSIONED, /* AFL_NEW_HELLO + version; options follow */
	AFL_HELLO_ERROR,     /* the server failed: error holds its code */
};

/* What a server offers; filled by afl_parse_hello / afl_parse_options. */
struct afl_hello {
	enum afl_hello_kind kind;
	uint32_t version;   /* AFL_HELLO_VERSIONED: the version it speaks */
	uint32_t map_bytes; /* the size it reported, 0 if none */
	uint32_t error;     /* AFL_HELLO_ERROR: its code */
	unsigned shm_fuzz;  /* it reads test cases from __AFL_SHM_FUZZ_ID */
	unsigned autodict;  /* it has dictionary tokens to send */
};

/* The SysV segments of one target, created once and kept across restarts
 * (so the loop's map pointer never changes). Marked for removal as soon as
 * they are attached: nothing outlives the engine, even after a kill -9. */
struct afl_shm {
	int map_id, tc_id; /* -1 when not created */
	uint8_t *map;      /* map_cap coverage counters */
	uint8_t *tc;       /* [u32 len][tc_cap bytes] */
	uint32_t map_cap, tc_cap;
	uint8_t *dict; /* the first autodictionary received, or NULL; owned */
	size_t dict_len;
};

/* Creates both segments. Returns 0 or FERRET_ENOMEM. */
int afl_shm_create(struct afl_shm *s, uint32_t map_cap, uint32_t tc_cap);

/* Detaches both segments and frees the dictionary; safe to call twice,
 * and on a zeroed struct once map_id/tc_id are -1. */
void afl_shm_release(struct afl_shm *s);

/*
 * Decodes the first word a server sends. Returns 0 with *h filled, or
 * FERRET_EVERSION (a versioned hello outside the versions ferret speaks).
 * A map size of 0 or above AFL_OPT_MAX_MAP_BYTES cannot be encoded in the
 * options word, so any word decodes; afl_handshake bounds the size.
 */
int afl_parse_hello(uint32_t w, struct afl_hello *h);

/* Decodes the options word of the versioned handshake into *h. Returns 0,
 * or FERRET_EPROTO when MAPSIZE is missing (it is always set). */
int afl_parse_options(uint32_t opts, struct afl_hello *h);

/*
 * Completes the handshake after the first word w: replies on ctl_fd,
 * reads what follows on st_fd (each read waits at most ms), keeps the
 * autodictionary in s->dict when it is the first one, and checks the map
 * size against s->map_cap (0 means AFL_MAP_DEFAULT_BYTES; the size is
 * rounded up to 64). Returns 0 with *h filled and h->map_bytes the map's
 * size, or FERRET_EMAPSIZE, FERRET_EVERSION, FERRET_EPROTO (a bad word,
 * terminator, dictionary length, or no word in time), FERRET_ESPAWN (the
 * server reported another error), FERRET_ENOMEM.
 */
int afl_handshake(struct afl_shm *s, int ctl_fd, int st_fd, uint32_t w, int ms,
		  struct afl_hello *h);

/*
 * Iterates the tokens of an autodictionary, records of [u8 len][len bytes]:
 * returns 1 with the token at *off in *tok and *tok_len and advances *off, or 0
 * at the end or at a record that runs past len (the rest is ignored).
 */
int afl_dict_next(const uint8_t *dict, size_t len, size_t *off, const uint8_t **tok,
		  size_t *tok_len);

#endif
