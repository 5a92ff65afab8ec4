/*
 * cmd_showmap.c - `ferret showmap`: runs one or more inputs and prints the
 * edges hit as "EDGE:COUNT" lines, as afl-showmap does (counts bucketed
 * unless -r). With several inputs the maps are merged (the largest bucket
 * per edge). Uses the fuzzer's executor and classification. With -S each
 * line also names the edge's function and file:line (the PCs the target
 * wrote at start-up, symbolized with libdw by src/symbolizer.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "config.h"
#include "cov.h"
#include "errors.h"
#include "log.h"
#include "shm.h"
#include "store.h"
#include "symbolizer.h"
#include "target.h"
#include "banned.h"

static const struct usage_opt showmap_opts[] = {
	REPLAY_OPT_T("timeout per input", ""),
	REPLAY_OPT_M,
	{'o', NULL, "OUT", "write the map to OUT instead of stdout"},
	{'r', NULL, "", "raw hit counts, not bucketed"},
	{'S', "--symbolize", "",
	 "each line goes on with a tab, the edge's function, a tab and its file:line (\"?\" when "
	 "unknown: gcc builds, AFL binaries)"},
	{0},
};

static const char *const showmap_synopsis[] = {
	"ferret showmap [-t MS] [-m MB] [-o OUT] [-r] [-S] FILE... -- PROGRAM [ARGS...]",
	"ferret showmap [-t MS] [-m MB] [-o OUT] [-r] [-S] -- PROGRAM [ARGS with @@] FILE...",
	"ferret showmap [-t MS] [-m MB] [-o OUT] [-r] [-S] -- PROGRAM [ARGS...] -- FILE...",
	NULL,
};

const struct usage showmap_usage = {
	.page = "ferret-showmap",
	.synopsis = showmap_synopsis,
	.description = "Prints one line EDGE:COUNT per edge the inputs hit (to OUT with -o),\n"
		       "counts bucketed as the fuzzer sees them, or raw with -r. With several\n"
		       "inputs the maps are merged (the largest bucket per edge). Exit status:\n"
		       "0 if an edge was hit, 1 if none, 2 if the target crashed or hung.",
	.opts = showmap_opts,
	.see_also = "ferret(1), ferret-run(1), ferret-fuzz(1)",
};

int cmd_showmap(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage_print(stdout, &showmap_usage);
			return 0;
		}
	struct replay_args a;
	replay_parse(argc, argv, &showmap_usage, &a);
	struct target t;
	char tmpl[] = "/tmp/ferret-showmap-XXXXXX";
	replay_start(&t, &a, 1, tmpl);
	uint8_t *merged = calloc(1, t.map_bytes);
	if (!merged)
		die("out of memory");
	int bad = 0;
	for (char **f = a.files; *f; f++) {
		uint8_t *data;
		size_t len;
		if (store_read(*f, CFG_MAX_INPUT_BYTES, &data, &len, NULL))
			die("cannot read input '%s'", *f);
		struct run_result res;
		int err = target_run(&t, data, len, &res);
		free(data);
		if (err)
			die("cannot run target '%s': %s", a.prog[0], ferret_strerror(err));
		bad |= res.kind != RUN_OK;
		if (!a.raw)
			cov_classify(t.map, t.map_bytes);
		for (size_t i = 0; i < t.map_bytes; i++)
			if (t.map[i] > merged[i])
				merged[i] = t.map[i];
	}
	FILE *out = stdout;
	if (a.out_path && !(out = fopen(a.out_path, "w")))
		die_errno("cannot write '%s'", a.out_path);
	uint32_t edges = 0, n_pcs = 0;
	const uint64_t *pcs = t.shm.hdr ? shm_pcs(&t.shm, &n_pcs) : NULL;
	struct symbolizer *sym = a.symbolize ? symbolizer_new(a.prog[0]) : NULL;
	if (a.symbolize && !sym)
		die("out of memory");
	for (size_t i = 0; i < t.map_bytes; i++)
		if (merged[i]) {
			char name[600] = "";
			if (sym) {
				name[0] = '\t';
				symbolizer_edge(sym, pcs, n_pcs, i, name + 1, sizeof(name) - 1);
			}
			fprintf(out, "%06zu:%u%s\n", i, merged[i], name);
			edges++;
		}
	symbolizer_free(sym);
	if (out != stdout && fclose(out))
		die_errno("cannot write '%s'", a.out_path);
	fprintf(stderr, "ferret: %u edges hit%s\n", edges,
		bad ? " (the target crashed or hung)" : "");
	target_release(&t);
	unlink(tmpl);
	free(merged);
	return bad ? 2 : (edges ? 0 : 1);
}
