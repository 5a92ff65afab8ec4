/*
 * artifact.h - libFuzzer's artifacts: crash-, timeout-, oom-, leak- and
 * minimized-from- files (or the one -exact_artifact_path), named, written
 * and announced as libFuzzer does, so scripts that collect them work
 * unchanged. Each is written whole to a temp file beside it and renamed
 * into place (store_write_path), so a collector never reads half a file.
 */
#ifndef FERRET_ARTIFACT_H
#define FERRET_ARTIFACT_H

#include <stddef.h>
#include <stdint.h>

struct lf_opts;

/*
 * Writes data as o->exact_artifact_path if set, else as
 * <artifact_prefix><kind>-<sha> (prefix "./" by default), where sha is the
 * 40-digit hex name to use, or NULL for the sha1 of data. Prints
 * "artifact_prefix='P'; Test unit written to PATH" and, for inputs up to
 * 4096 bytes, the Base64 line, on stderr. Returns 0, or -1 when the file
 * cannot be written (one line says why).
 */
int artifact_write(const struct lf_opts *o, const char *kind, const char *sha, const uint8_t *data,
		   size_t len);

/* The path of the last artifact this process wrote, "" if none. */
const char *artifact_last(void);

#endif
