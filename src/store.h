/*
 * store.h - the output directory: OUT/<name>/{queue,crashes,hangs} plus the
 * stats files, written whole and renamed into place so a reader (another
 * instance, afl-whatsup, a crash triager) never sees half a file. Also reads
 * seed directories. Every failure is logged with its path and returned.
 */
#ifndef FERRET_STORE_H
#define FERRET_STORE_H

#include <stddef.h>
#include <stdint.h>

struct store {
	char *root;    /* OUT */
	char *dir;     /* OUT/<name> */
	char *queue;   /* OUT/<name>/queue */
	char *crashes; /* OUT/<name>/crashes */
	char *hangs;   /* OUT/<name>/hangs */
	int lock_fd;   /* OUT/<name>/.lock, locked while open; -1 */
};

/* Creates OUT/<name> and its subdirectories as needed, and locks the
 * instance directory (flock on OUT/<name>/.lock, held until
 * store_release or exit): a second instance on the same directory gets
 * FERRET_EBUSY and must touch nothing. Returns 0, FERRET_EIO or
 * FERRET_EBUSY. */
int store_open(struct store *s, const char *out, const char *name);
void store_release(struct store *s);

/* Writes data to dir/name atomically (temp file + rename). 0 or FERRET_EIO. */
int store_write(const char *dir, const char *name, const void *data, size_t len);

/* The same for a whole path ("dir/name", or "name" in the current
 * directory): the temp file is ".name.tmp" beside it, so the rename stays
 * on one filesystem. 0, FERRET_EIO, or FERRET_EINVAL (too long, or a path
 * ending in '/'). */
int store_write_path(const char *path, const void *data, size_t len);

/* Reads a whole file of at most max bytes (longer files are truncated and
 * *truncated set). *data is malloc'd, owned by the caller. 0 or FERRET_EIO. */
int store_read(const char *path, size_t max, uint8_t **data, size_t *len, int *truncated);

/*
 * Lists the regular, non-hidden files of dir, sorted by name. *names is a
 * malloc'd array of malloc'd strings (free with store_free_list).
 * Returns 0, FERRET_EIO (unreadable), or FERRET_EEMPTY (no files).
 */
int store_list(const char *dir, char ***names, size_t *n);
void store_free_list(char **names, size_t n);

/* Like store_list, in the order the directory lists them (readdir), as
 * libFuzzer's merge takes a corpus (its ties in size keep that order). */
int store_list_readdir(const char *dir, char ***names, size_t *n);

/* Like store_list, for the non-hidden subdirectories of dir. */
int store_list_dirs(const char *dir, char ***names, size_t *n);

/* store_list of the files ferret wrote in one of its own directories: names
 * "id:" and six or more digits, regular files only, no symlink followed
 * (a resume trusts nothing else it finds there). */
int store_list_own(const char *dir, char ***names, size_t *n);

/* The id after the largest "id:N" of the files in dir (0 when none): where
 * numbering goes on after a resume, whatever fuzzer_stats says. */
uint64_t store_next_id(const char *dir);

/* Joins a and b with '/'; malloc'd; NULL when out of memory. */
char *path_join(const char *a, const char *b);

/* mkdir -p for one path. 0 or FERRET_EIO (logged). */
int store_mkdirs(const char *path);

#endif
