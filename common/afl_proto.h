/*
 * afl_proto.h - AFL++'s fork-server contract, the one definition of its
 * constants for both sides ferret plays: the runtime answering afl-fuzz
 * (runtime/afl.c) and the engine running afl-cc binaries (src/exec/afl.c).
 * Facts from AFL++'s include/config.h, include/types.h and afl-fuzz 4.04c's
 * behaviour; plain #defines, no library.
 */
#ifndef FERRET_AFL_PROTO_H
#define FERRET_AFL_PROTO_H

/* Descriptors and environment (AFL++ config.h). */
#define AFL_CTL_FD 198 /* fuzzer -> server: was_killed, handshake replies */
#define AFL_ST_FD 199  /* server -> fuzzer: hello, pid, wait status */
#define AFL_ENV_SHM "__AFL_SHM_ID"
#define AFL_ENV_SHM_FUZZ "__AFL_SHM_FUZZ_ID"
#define AFL_ENV_PERSISTENT "__AFL_PERSISTENT"
#define AFL_ENV_DEFER "__AFL_DEFER_FORKSRV"

/* Strings in the binary: the first two from __AFL_LOOP / __AFL_INIT, the
 * third from AFL's runtime (every AFL-instrumented binary reads it). */
#define AFL_PERSIST_SIG "##SIG_AFL_PERSISTENT##"
#define AFL_DEFER_SIG "##SIG_AFL_DEFER_FORKSRV##"
#define AFL_RUNTIME_SIG AFL_ENV_SHM

/* AFL's MAP_SIZE: the map of a binary that does not report its size. */
#define AFL_MAP_DEFAULT_BYTES 65536u

/* The options-word handshake (AFL++ up to 4.09, Debian 12's 4.04c). The
 * map size sits in bits 1..23 as size - 1. */
#define AFL_OPT_ENABLED 0x80000001u
#define AFL_OPT_MAPSIZE 0x40000000u
#define AFL_OPT_SNAPSHOT 0x20000000u
#define AFL_OPT_AUTODICT 0x10000000u
#define AFL_OPT_SHDMEM_FUZZ 0x01000000u
#define AFL_OPT_OLD_AFLPP 0x0f000000u /* all four set: an old AFL++, ignore them */
#define AFL_OPT_ERROR 0xf800008fu     /* + error code in bits 8..23 */
#define AFL_OPT_MAX_MAP_BYTES 0x800000u

/* The versioned handshake (AFL++ 4.10 and later). */
#define AFL_NEW_HELLO 0x41464c00u /* "\0LFA" + version */
#define AFL_NEW_VERSION 1u
#define AFL_NEW_ERROR 0xeffe0000u /* + error code in the low 16 bits */
#define AFL_NEW_OPT_MAPSIZE 0x1u
#define AFL_NEW_OPT_SHDMEM_FUZZ 0x2u
#define AFL_NEW_OPT_AUTODICT 0x800u

/* Error codes a server sends instead of a hello (both handshakes). */
#define AFL_ERROR_MAP_SIZE 1u

/* The autodictionary's total length, as afl-fuzz bounds it. */
#define AFL_DICT_MIN_BYTES 2u
#define AFL_DICT_MAX_BYTES 0xffffffu

/* Building an options word (the runtime's side): size in bits 1..23 as
 * size - 1, 2 <= size <= AFL_OPT_MAX_MAP_BYTES; an error code in bits 8..23. */
#define AFL_OPT_SET_MAPSIZE(x) (((x)-1) << 1)
#define AFL_OPT_SET_ERROR(e) (((e)&0xffffu) << 8)
#define AFL_ERROR_SHMAT 8u

#endif
