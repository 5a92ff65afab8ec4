/*
 * store.c - output directory and file I/O (see store.h). Temp files are
 * named ".<name>.tmp" in the destination directory so rename() stays on one
 * filesystem and is atomic; hidden names are skipped by every reader here
 * and by AFL's tools.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errors.h"
#include "log.h"
#include "store.h"
#include "banned.h"

char *path_join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *p = malloc(la + lb + 2);
	if (!p)
		return NULL;
	memcpy(p, a, la);
	p[la] = '/';
	memcpy(p + la + 1, b, lb + 1);
	return p;
}

int store_mkdirs(const char *path)
{
	char buf[4096];
	size_t n = strlen(path);
	if (n >= sizeof(buf))
		return FERRET_EINVAL;
	memcpy(buf, path, n + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return log_errno("cannot create directory '%s'", buf);
		*p = '/';
	}
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		return log_errno("cannot create directory '%s'", buf);
	return 0;
}

int store_open(struct store *s, const char *out, const char *name)
{
	memset(s, 0, sizeof(*s));
	s->lock_fd = -1;
	s->root = strdup(out);
	s->dir = path_join(out, name);
	if (!s->root || !s->dir)
		return FERRET_ENOMEM;
	s->queue = path_join(s->dir, "queue");
	s->crashes = path_join(s->dir, "crashes");
	s->hangs = path_join(s->dir, "hangs");
	if (!s->queue || !s->crashes || !s->hangs)
		return FERRET_ENOMEM;
	int err;
	if ((err = store_mkdirs(s->dir)))
		return err;
	char *lock = path_join(s->dir, ".lock");
	if (!lock)
		return FERRET_ENOMEM;
	s->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	free(lock);
	if (s->lock_fd < 0)
		return FERRET_EIO;
	if (flock(s->lock_fd, LOCK_EX | LOCK_NB) < 0)
		return errno == EWOULDBLOCK ? FERRET_EBUSY : FERRET_EIO;
	if ((err = store_mkdirs(s->queue)) || (err = store_mkdirs(s->crashes)) ||
	    (err = store_mkdirs(s->hangs)))
		return err;
	return 0;
}

void store_release(struct store *s)
{
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	free(s->root);
	free(s->dir);
	free(s->queue);
	free(s->crashes);
	free(s->hangs);
	memset(s, 0, sizeof(*s));
}

int store_write_path(const char *path, const void *data, size_t len)
{
	/* the temp file goes next to path: ".<base>.tmp" in the same directory */
	char tmp[4096];
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	if (!*base || (size_t)snprintf(tmp, sizeof(tmp), "%.*s.%s.tmp", (int)(base - path), path,
				       base) >= sizeof(tmp))
		return FERRET_EINVAL;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return log_errno("cannot create '%s'", tmp);
	const uint8_t *p = data;
	size_t left = len;
	while (left) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int err = log_errno("cannot write '%s'", tmp);
			close(fd);
			unlink(tmp);
			return err;
		}
		p += w;
		left -= (size_t)w;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		int err = log_errno("cannot save '%s'", path);
		unlink(tmp);
		return err;
	}
	return 0;
}

int store_write(const char *dir, const char *name, const void *data, size_t len)
{
	char dst[4096];
	if ((size_t)snprintf(dst, sizeof(dst), "%s/%s", dir, name) >= sizeof(dst))
		return FERRET_EINVAL;
	return store_write_path(dst, data, len);
}

int store_read(const char *path, size_t max, uint8_t **data, size_t *len, int *truncated)
{
	*data = NULL;
	*len = 0;
	if (truncated)
		*truncated = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return log_errno("cannot open '%s'", path);
	struct stat st;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return log_errno("cannot stat '%s'", path);
	}
	size_t want = (size_t)st.st_size;
	if (want > max) {
		want = max;
		if (truncated)
			*truncated = 1;
	}
	uint8_t *buf = malloc(want ? want : 1);
	if (!buf) {
		close(fd);
		return FERRET_ENOMEM;
	}
	size_t got = 0;
	while (got < want) {
		ssize_t r = read(fd, buf + got, want - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int err = log_errno("cannot read '%s'", path);
			free(buf);
			close(fd);
			return err;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	*data = buf;
	*len = got;
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

enum list_what { LIST_FILES, LIST_DIRS, LIST_OWN, LIST_READDIR };

/* Whether name is one ferret gives its files: "id:" and six or more digits. */
static int own_name(const char *name)
{
	if (strncmp(name, "id:", 3))
		return 0;
	size_t k = 3;
	while (name[k] >= '0' && name[k] <= '9')
		k++;
	return k >= 9 && (name[k] == 0 || name[k] == ',');
}

static int list_kind(const char *dir, char ***names, size_t *n, enum list_what what)
{
	*names = NULL;
	*n = 0;
	DIR *d = opendir(dir);
	if (!d)
		return FERRET_EIO;
	size_t cap = 0;
	char **v = NULL;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (what == LIST_OWN && !own_name(de->d_name))
			continue;
		char *p = path_join(dir, de->d_name);
		struct stat st;
		/* its own files: never through a symlink (out of the directory) */
		int found = p && (what == LIST_OWN ? lstat(p, &st) : stat(p, &st)) == 0;
		int regular =
			found && (what == LIST_DIRS ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));
		free(p);
		if (!regular)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			char **nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				break;
			v = nv;
		}
		if (!(v[*n] = strdup(de->d_name)))
			break;
		(*n)++;
	}
	closedir(d);
	if (!*n) {
		free(v);
		return FERRET_EEMPTY;
	}
	if (what != LIST_READDIR)
		qsort(v, *n, sizeof(*v), cmp_names);
	*names = v;
	return 0;
}

int store_list(const char *dir, char ***names, size_t *n)
{
	return list_kind(dir, names, n, LIST_FILES);
}

int store_list_readdir(const char *dir, char ***names, size_t *n)
{
	return list_kind(dir, names, n, LIST_READDIR);
}

int store_list_dirs(const char *dir, char ***names, size_t *n)
{
	return list_kind(dir, names, n, LIST_DIRS);
}

int store_list_own(const char *dir, char ***names, size_t *n)
{
	return list_kind(dir, names, n, LIST_OWN);
}

uint64_t store_next_id(const char *dir)
{
	char **names;
	size_t n;
	uint64_t next = 0;
	if (store_list_own(dir, &names, &n))
		return 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t id = strtoull(names[i] + 3, NULL, 10);
		if (id < UINT32_MAX && id + 1 > next)
			next = id + 1;
	}
	store_free_list(names, n);
	return next;
}

void store_free_list(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}
