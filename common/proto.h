/*
 * proto.h - the contract between the engine and the target runtime.
 *
 * Both sides include this file and nothing else of each other. It fixes the
 * shared region's header (one memfd the engine creates and passes by fd), the
 * control-pipe words of the fork server, the fd numbers and the environment
 * variables that tell the runtime it runs under ferret. Any change to the
 * layout of struct ferret_shm or to the meaning of a word bumps
 * FERRET_PROTO_VERSION; the runtime refuses a region whose version differs.
 *
 * Region layout (offsets are in the header, so both sides agree by reading):
 *
 *   [0, 4096)                      struct ferret_shm
 *   [tc_offset, +tc_cap)           test case bytes (persistent/shm delivery)
 *   [cmp_offset, +cmp_bytes)       compare log: FERRET_CMP_SITES struct ferret_cmp_site
 *   [map_offset, +map_cap)         coverage counters, one byte per edge
 *   [pcs_offset, +8 * map_cap)     edge PCs: uint64_t per counter index
 *   [touch_offset, +4 * map_cap)   touch list: uint32_t counter indexes
 *
 * The memfd is sparse: only the pages the target touches cost memory, so
 * map_cap can be generous while the engine scans only map_bytes, which the
 * target reports at start-up from its number of edges.
 *
 * Edge PCs: the target writes, once at start-up before its HELLO, for each
 * counter index below pcs_n the address of the edge's block as
 * ferret__rel_pc names it (an offset in the executable, or an object's
 * name tag above bit 40 XOR its offset), 0 when unknown. clang builds
 * have them (ferret-cc adds -fsanitize-coverage=pc-table, a table the
 * runtime reads once); gcc's hashed edges have no single address (pcs_n
 * 0). The engine reads them only to name edges (showmap -S, the
 * unstable_edges file), never per execution.
 *
 * Touch list: each counter that leaves zero during a run appends its index
 * (touch[touch_n++], up to touch_cap; touch_n counts on past it), so the
 * engine classifies, compares and clears only what the run touched: the
 * cost of an execution follows the code that ran, not the size of the
 * binary. Counters saturate and never return to zero within a run, so the
 * list of a single-threaded target holds each index once and never
 * outgrows the map; a threaded one sets FERRET_RT_THREADED, and the engine
 * then also clears the whole map now and then (cov.h). The engine
 * empties it (touch_n = 0) whenever it zeroes the counters; it trusts
 * neither the count (above touch_cap: it reads the whole map) nor an index
 * (one past map_bytes is ignored). A target keeps it when its rt_flags
 * have FERRET_RT_TOUCH.
 */
#ifndef FERRET_PROTO_H
#define FERRET_PROTO_H

#include <stdint.h>

#define FERRET_SHM_MAGIC 0x54524546u /* "FERT" little endian */
#define FERRET_PROTO_VERSION 8u

/* Fixed descriptors in the target, set up by the engine before exec. */
#define FERRET_CTL_FD 200 /* engine -> target: command words */
#define FERRET_ST_FD 201  /* target -> engine: status words */
#define FERRET_SHM_FD 202 /* the shared region (memfd) */

/* Environment the engine sets for the target. */
#define FERRET_ENV_SHM "__FERRET_SHM"                     /* present: run the protocol */
#define FERRET_ENV_PERSISTENT "__FERRET_PERSISTENT"       /* "1": FERRET_LOOP starts the server */
#define FERRET_ENV_DEFER "__FERRET_DEFER"                 /* "1": FERRET_INIT starts the server */
#define FERRET_ENV_VALUE_PROFILE "__FERRET_VALUE_PROFILE" /* "1": compare distances as coverage */

/* Strings embedded by the FERRET_LOOP / FERRET_INIT macros in user code, so
 * the engine can tell from the binary which start-up to ask for. */
#define FERRET_PERSIST_SIG "##FERRET_PERSISTENT##"
#define FERRET_DEFER_SIG "##FERRET_DEFER##"

/* Control words. The handshake is one word from the target: HELLO with the
 * protocol version in the low byte, or ERROR with a reason in the low 16 bits. */
#define FERRET_HELLO 0x46525400u /* "\0TRF" + version */
#define FERRET_ERROR 0x45525200u /* + enum ferret_rt_error */

/*
 * After the handshake every word is a tag in the high byte and an input's
 * sequence number in the low 24 bits (the engine numbers its runs from 1,
 * wrapping past FERRET_SEQ_MASK to 1), so that every status says which
 * input it belongs to:
 *   engine -> target  RUN|seq    run input seq (the test case in the region
 *                                or the input file)
 *   target -> engine  ITER|seq   a persistent child finished input seq and
 *                                waits for the next
 *                     DEATH|seq  a child ended; the next word is its raw
 *                                wait status (both in one write). seq is the
 *                                last input the child started: when the
 *                                engine already had ITER|seq, the child died
 *                                after it (a thread, the OOM killer), and
 *                                the death belongs to no input.
 */
#define FERRET_TAG_MASK 0xff000000u
#define FERRET_SEQ_MASK 0x00ffffffu
#define FERRET_CMD_RUN 0x52000000u  /* 'R' */
#define FERRET_ST_ITER 0x49000000u  /* 'I' */
#define FERRET_ST_DEATH 0x44000000u /* 'D' */

enum ferret_rt_error {
	FERRET_RT_EVERSION = 1, /* region magic or version mismatch */
	FERRET_RT_EMAP = 2,     /* more edges than map_cap */
	FERRET_RT_EMMAP = 3,    /* cannot map the region */
	FERRET_RT_EFORK = 4,    /* fork failed in the server */
};

/* Exit code of a runtime that hit a fatal error before reaching main. */
#define FERRET_RT_EXIT 121

/* Flags the target sets in ferret_shm.rt_flags. */
enum ferret_rt_flags {
	FERRET_RT_PERSISTENT = 1u << 0,    /* the server runs a persistent loop */
	FERRET_RT_PC_HASH = 1u << 1,       /* gcc trace-pc edges (hashed, may collide) */
	FERRET_RT_GUARDS = 1u << 2,        /* clang trace-pc-guard edges (exact) */
	FERRET_RT_CMP = 1u << 3,           /* compare callbacks are linked */
	FERRET_RT_VALUE_PROFILE = 1u << 4, /* compare distances land in the map */
	FERRET_RT_TOUCH = 1u << 5,         /* the touch list names the counters a run touched */
	FERRET_RT_THREADED = 1u << 6,      /* the target started a thread (set at any time) */
};

/*
 * The compare log. Each compare site (hashed from its return address) has
 * a ring of the FERRET_CMP_WAYS most recent differing operand pairs. The
 * target writes it only while ferret_shm.cmp_on is set (one run per new
 * queue entry), so ordinary runs pay one load and a branch per compare.
 * Integers are stored little endian in a[]/b[] with their width; routine
 * compares (memcmp, strcmp, ...) store up to FERRET_CMP_BYTES of each side.
 * In every record b is the side that is more likely a constant. 1-byte
 * compares are logged also when equal, so the ring of a loop comparing a
 * string byte by byte holds the bytes that matched before the one that did
 * not. seq numbers the records of one run in the order they were written
 * (all sites), so compares made one after the other can be read together.
 */
#define FERRET_CMP_SITES 4096u
#define FERRET_CMP_WAYS 8u
#define FERRET_CMP_BYTES 32u

enum ferret_cmp_kind {
	FERRET_CMP_INT = 1, /* integer compare, width 1/2/4/8 */
	FERRET_CMP_MEM = 2, /* memory or string compare */
};

enum ferret_cmp_flags {
	FERRET_CMP_CONST =
		1u << 0, /* b is a compile-time constant (const compares, switch cases) */
};

struct ferret_cmp_rec {
	uint8_t kind;  /* enum ferret_cmp_kind */
	uint8_t width; /* FERRET_CMP_INT: operand bytes */
	uint8_t len_a, len_b;
	uint32_t site;
	uint32_t seq;  /* order of writing within the run, all sites */
	uint8_t flags; /* enum ferret_cmp_flags */
	uint8_t pad[3];
	uint8_t a[FERRET_CMP_BYTES];
	uint8_t b[FERRET_CMP_BYTES];
};

struct ferret_cmp_site {
	uint32_t n; /* records written; the ring holds the last min(n, WAYS) */
	uint32_t pad;
	struct ferret_cmp_rec rec[FERRET_CMP_WAYS];
};

/* Counters added after the edges when value profile is on (a multiple of 64). */
#define FERRET_VP_BYTES (1u << 16)

/* Bytes of the header's crash_kind: a sanitizer's name for an error. */
#define FERRET_CRASH_KIND_BYTES 44u

struct ferret_shm {
	uint32_t magic;
	uint32_t version;
	uint64_t region_bytes;

	uint64_t tc_offset;
	uint32_t tc_cap;
	volatile uint32_t tc_len; /* engine writes before each run */

	uint64_t map_offset;
	uint32_t map_cap;
	volatile uint32_t map_bytes; /* target writes at start-up, multiple of 64 */

	volatile uint32_t rt_flags;   /* enum ferret_rt_flags, target writes */
	volatile int32_t child_pid;   /* the server writes after each fork */
	volatile uint32_t recycle;    /* persistent child ended its loop on purpose */
	volatile uint32_t edges;      /* edges the target knows (guards or map size) */
	volatile uint64_t iterations; /* runs the current child has done */

	uint64_t cmp_offset;
	uint32_t cmp_sites;
	volatile uint32_t cmp_on;    /* engine sets it for runs that log compares */
	volatile uint32_t vp_offset; /* target writes: first value-profile counter, 0 if off */
	volatile uint32_t run_seq;   /* target writes: the input its child last started */
	/* target writes, just before a child dies of an uncaught C++
	 * exception: the exception's type, NUL-terminated; the engine reads
	 * it (bounded, printable only) for a crash and clears it */
	char crash_note[96];
	/* target writes, where a child dies of a crash (crash.c): from its
	 * handler of a deadly signal (SIGSEGV, SIGBUS, SIGILL, SIGFPE,
	 * SIGABRT), or from a sanitizer's death callback before its report
	 * ends the child. crash_signal: the signal, or FERRET_CRASH_SANITIZER
	 * when a sanitizer's report came first; crash_seq: run_seq of the
	 * input that crashed (the first capture for an input wins, so a
	 * sanitizer's own abort() does not hide the fault it reported);
	 * crash_kind: the sanitizer's name for the error when it gives one
	 * (ASan's "heap-buffer-overflow READ 4"), NUL-terminated; then up to
	 * FERRET_CRASH_FRAMES frames of the crashing thread in the target's
	 * own code, innermost first, each as ferret__rel_pc names it (an
	 * offset in the executable, or an object's name tag above bit 40 XOR
	 * its offset) of the faulting instruction or of the call (a return
	 * address less one). The frames include a sanitizer's runtime when it
	 * is linked into the executable; the engine leaves those out. The
	 * engine trusts none of it: it reads the frames bounded, the kind
	 * printable only, only when crash_seq is the crashed input's, and
	 * clears crash_signal; 0 means nothing was captured. */
	volatile uint32_t crash_signal;
	volatile uint32_t crash_frames;
	volatile uint32_t crash_seq;
	char crash_kind[FERRET_CRASH_KIND_BYTES];
	volatile uint64_t crash_pc[32];
	uint64_t pcs_offset;       /* edge PCs (above) */
	uint32_t pcs_cap;          /* entries the PC table holds (map_cap) */
	volatile uint32_t pcs_n;   /* target writes: entries filled, 0: none */
	uint64_t touch_offset;     /* the touch list (above) */
	uint32_t touch_cap;        /* indexes it holds (map_cap) */
	volatile uint32_t touch_n; /* target appends, engine empties */
};
#define FERRET_CRASH_FRAMES 32u
#define FERRET_CRASH_SANITIZER 0x100u

#define FERRET_SHM_HDR_BYTES 4096u
_Static_assert(sizeof(struct ferret_shm) <= FERRET_SHM_HDR_BYTES, "the header outgrew its page");

#endif
