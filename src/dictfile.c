/*
 * dictfile.c - reads dictionary files and token directories (dictfile.h);
 * the parsing itself is src/core/dict.c.
 */
#include <stdlib.h>
#include <sys/stat.h>

#include "config.h"
#include "dictfile.h"
#include "errors.h"
#include "log.h"
#include "store.h"
#include "banned.h"

struct warn_ctx {
	const char *path;
};

static void warn_line(void *ctx, const struct dict_error *e)
{
	const struct warn_ctx *w = ctx;
	log_warn("dictionary '%s' line %u: %s; skipped", w->path, e->line, e->reason);
}

static int load_dir(struct dict *d, const char *path)
{
	char **names;
	size_t n;
	int err = store_list(path, &names, &n);
	if (err == FERRET_EEMPTY)
		return 0;
	if (err)
		return log_errno("cannot read dictionary directory '%s'", path);
	int added = 0;
	for (size_t i = 0; i < n; i++) {
		char *p = path_join(path, names[i]);
		uint8_t *data;
		size_t len;
		int truncated;
		if (p && !store_read(p, CFG_DICT_MAX_TOKEN_BYTES, &data, &len, &truncated)) {
			if (truncated)
				log_warn("dictionary token '%s' is longer than %u bytes; skipped",
					 p, CFG_DICT_MAX_TOKEN_BYTES);
			else if (dict_add(d, data, len) > 0)
				added++;
			free(data);
		}
		free(p);
	}
	store_free_list(names, n);
	return added;
}

/* Says how many tokens of path the dictionary's limit dropped. */
static int report_dropped(const struct dict *d, size_t before, const char *path, int r)
{
	if (d->dropped > before)
		log_warn("dictionary '%s': %zu tokens dropped, past the limit of %zu", path,
			 d->dropped - before, d->max_tokens);
	return r;
}

int dictfile_load(struct dict *d, const char *path, int strict)
{
	struct stat st;
	size_t before = d->dropped;
	if (stat(path, &st) < 0)
		return log_errno("cannot read dictionary '%s'", path);
	if (S_ISDIR(st.st_mode))
		return report_dropped(d, before, path, load_dir(d, path));
	uint8_t *text;
	size_t len;
	int err = store_read(path, 16u << 20, &text, &len, NULL);
	if (err)
		return err;
	struct warn_ctx w = {path};
	struct dict_error e = {0, NULL};
	int r = dict_parse(d, (const char *)text, len, strict, warn_line, &w, &e);
	free(text);
	if (r == FERRET_EPARSE) {
		log_info("cannot read dictionary '%s' line %u: %s", path, e.line, e.reason);
		return r;
	}
	return report_dropped(d, before, path, r);
}
