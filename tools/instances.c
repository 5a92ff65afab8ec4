/*
 * instances.c - which instance directories an OUT[/NAME] argument names,
 * for the commands that read what `ferret fuzz` left behind (triage,
 * plot). OUT/NAME is an instance when it holds the file the command reads;
 * otherwise the argument is an output directory and its instances are the
 * subdirectories that hold it. Reads directories only; never writes.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "log.h"
#include "store.h"
#include "banned.h"

static int has_file(const char *dir, const char *file)
{
	char *p = path_join(dir, file);
	if (!p)
		die("out of memory");
	int ok = access(p, R_OK) == 0;
	free(p);
	return ok;
}

char **instance_dirs(const char *out, const char *file, size_t *n)
{
	char **dirs = NULL, **names;
	size_t k;
	*n = 0;
	if (has_file(out, file)) {
		dirs = malloc(sizeof(*dirs));
		if (!dirs || !(dirs[0] = strdup(out)))
			die("out of memory");
		*n = 1;
		return dirs;
	}
	if (store_list_dirs(out, &names, &k))
		return NULL;
	for (size_t i = 0; i < k; i++) {
		char *dir = path_join(out, names[i]);
		if (!dir)
			die("out of memory");
		if (!has_file(dir, file)) {
			free(dir);
			continue;
		}
		char **nd = realloc(dirs, (*n + 1) * sizeof(*dirs));
		if (!nd)
			die("out of memory");
		dirs = nd;
		dirs[(*n)++] = dir;
	}
	store_free_list(names, k);
	return dirs;
}
