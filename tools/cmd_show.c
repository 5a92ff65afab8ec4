/*
 * cmd_show.c - `ferret show FILE...`: renders a value stream (the input of
 * a FERRET_TEST, see src/core/valstream.h) as text, one value per line in
 * request order, each with the call site that asked for it (file:line or
 * its label, from the stream's NAME records), for humans and for diffs;
 * with --c, as a C regression (FERRET_EXAMPLE). The rendering is
 * src/vsprint.c's, shared with the failures ./tests prints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "config.h"
#include "errors.h"
#include "log.h"
#include "store.h"
#include "vsprint.h"
#include "banned.h"

/* The test a stream belongs to, from its path: NAME in .../NAME/FILE (where
 * ./tests keeps testdata/NAME/); NULL when the path has no directory. */
static char *test_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return NULL;
	const char *start = slash;
	while (start > path && start[-1] != '/')
		start--;
	if (start == slash)
		return NULL;
	return strndup(start, (size_t)(slash - start));
}

static int show(const char *path, int as_c, const char *test)
{
	uint8_t *data;
	size_t len, values = 0;
	if (store_read(path, CFG_MAX_REPLAY_BYTES, &data, &len, NULL))
		return 1;
	int err;
	if (as_c) {
		char *dir = test ? NULL : test_of(path);
		if (!test && !dir) {
			free(data);
			log_info("cannot tell the test of '%s': give --test NAME", path);
			return 1;
		}
		err = vsprint_c(stdout, test ? test : dir, path, data, len);
		free(dir);
		if (err == FERRET_EPARSE)
			log_info("'%s' is not a whole value stream: not writing it as C", path);
	} else {
		err = vsprint_text(stdout, "", path, data, len, &values);
		if (err == FERRET_EPARSE)
			log_info("'%s' is not a whole value stream: %s after %zu values", path,
				 len < 12 ? "no header" : "truncated or corrupt", values);
	}
	fflush(stdout);
	free(data);
	return err ? 1 : 0;
}

static const char *const show_synopsis[] = {"ferret show FILE...",
					    "ferret show --c [--test NAME] FILE...", NULL};

static const struct usage_opt show_opts[] = {
	{0, "--c", "",
	 "print each stream as C instead: a FERRET_EXAMPLE regression that plain ./tests runs "
	 "(the test is named by the file's directory, testdata/NAME/FILE)"},
	{0, "--test", "NAME", "with --c: the FERRET_TEST the example is for"},
	{0},
};

const struct usage show_usage = {
	.page = "ferret-show",
	.synopsis = show_synopsis,
	.description = "Renders value streams (the inputs of FERRET_TESTs) as text: one value\n"
		       "per line, in request order, with the call site that asked for it.",
	.opts = show_opts,
	.see_also = "ferret(1), ferret-fuzz(1)",
};

int cmd_show(int argc, char **argv)
{
	if (argc < 2) {
		log_info("usage: ferret show FILE... (a FERRET_TEST's value stream)");
		return 1;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage_print(stdout, &show_usage);
		return 0;
	}
	int rc = 0, as_c = 0, a = 1;
	const char *test = NULL;
	for (; a < argc; a++) {
		if (!strcmp(argv[a], "--c"))
			as_c = 1;
		else if (!strcmp(argv[a], "--test") && a + 1 < argc)
			test = argv[++a];
		else
			break;
	}
	if (a >= argc)
		die("usage: ferret show [--c [--test NAME]] FILE...");
	for (; a < argc; a++)
		rc |= show(argv[a], as_c, test);
	return rc;
}
