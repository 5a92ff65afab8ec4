/*
 * covsum.h - coverage summaries of queue entries, for sync (issue 15).
 *
 * When an instance that syncs (-M, -S, -j) saves a queue entry, it also
 * writes OUT/NAME/.cov/<the entry's file name>: the map indices the entry's
 * run hit, each with its hit-count bucket, an identity of the program and
 * map it was measured on, and a hash of the entry's bytes. An importer
 * whose identity is the same, holding the entry's bytes that hash, compares
 * the summary with its own virgin map, and does not run an entry that
 * would add nothing (a new edge or a new bucket is all that the loop keeps
 * an import for). A summary that is missing, of another identity, of other
 * bytes (a queue rebuilt under the same names, a summary left from an
 * earlier run) or wrong in any way (size, order, range, checksum) is
 * ignored: the entry is run as before. Nothing here runs per execution: one map scan
 * per saved entry, one small file read per import.
 *
 * What it does not own: the sync itself (fuzz.c), the virgin map (the
 * loop's), the atomic write (store.c).
 *
 * The file, in the writer's byte order (another byte order fails the
 * magic or the checksum and falls back to running):
 *   "FRTCOV2\n"  u64 identity  u64 map_bytes  u64 n  u64 checksum
 *   u64 entry (XXH64 of the entry's bytes, seed 0)
 *   n x u32 index (strictly increasing, < map_bytes)
 *   n x u8 bucket (non-zero: the classified hit count, cov.h)
 * checksum: a 64-bit hash of the 5n bytes after the header.
 */
#ifndef FERRET_COVSUM_H
#define FERRET_COVSUM_H

#include <stddef.h>
#include <stdint.h>

#define COVSUM_DIR ".cov"

/*
 * The identity summaries are compared by: a hash of the program file's
 * bytes, the map size and flags (anything that changes what an index
 * means, such as value profile). 0 when the file cannot be read: such an
 * instance writes no summary and trusts none.
 */
uint64_t covsum_identity(const char *exe_path, size_t map_bytes, uint64_t flags);

/*
 * Builds the summary of the entry data[0..data_len) whose run left the
 * classified trace[0..map_bytes) into a malloc'd buffer (*out, *len; the
 * caller frees it). 0, or FERRET_ENOMEM.
 */
int covsum_build(uint64_t identity, const uint8_t *data, size_t data_len, const uint8_t *trace,
		 size_t map_bytes, uint8_t **out, size_t *len);

/*
 * The summary buf[0..len) now stands for the entry data[0..data_len): its
 * bytes were replaced by others on the same path (trim, reduce), so its
 * indices and buckets hold. 0, or FERRET_EINVAL when buf is no summary.
 */
int covsum_rebind(uint8_t *buf, size_t len, const uint8_t *data, size_t data_len);

enum covsum_verdict {
	COVSUM_INVALID = -1, /* wrong identity, size, order, range or checksum: run it */
	COVSUM_NEW = 0,      /* something virgin has not seen: run it */
	COVSUM_NOTHING = 1,  /* every index and bucket is already seen: skip it */
};

/*
 * Checks the summary buf[0..len) of the entry data[0..data_len) against
 * virgin[0..map_bytes) (bits still set are buckets not seen yet). Pure:
 * reads only its arguments, bounds-checks every field before use. Returns
 * enum covsum_verdict.
 */
int covsum_check(const uint8_t *buf, size_t len, uint64_t identity, const uint8_t *data,
		 size_t data_len, const uint8_t *virgin, size_t map_bytes);

#endif
