/*
 * replay_args.c - the command line shared by `ferret run` and `ferret
 * showmap`: options, input files and the target's command, in any of the
 * three orders their usage allows (see commands.h). The options accepted
 * are those of the command's usage table (run_usage, showmap_usage).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "config.h"
#include "log.h"
#include "store.h"
#include "banned.h"

uint64_t replay_number(const char *opt, const char *v, uint64_t max)
{
	char *end;
	if (!v || !*v || *v == '-')
		die("option '%s' needs a number", opt);
	errno = 0;
	unsigned long long n = strtoull(v, &end, 10);
	if (*end || errno || n > max)
		die("invalid value '%s' for %s: expected a number", v, opt);
	return n;
}

_Static_assert(CFG_DEFAULT_TIMEOUT_MS == 1000, "REPLAY_OPT_T's help says 1000");

void replay_limit(int short_name, const char *opt, const char *v, uint32_t *timeout_ms,
		  uint64_t *mem_limit_mb)
{
	if (short_name == 't')
		*timeout_ms = (uint32_t)replay_number(opt, v, UINT32_MAX);
	else
		*mem_limit_mb = v && !strcmp(v, "none") ? 0 : replay_number(opt, v, 1ull << 40);
}

void replay_parse(int argc, char **argv, const struct usage *u, struct replay_args *a)
{
	const char *cmd = u->page + strlen("ferret-");
	memset(a, 0, sizeof(*a));
	a->timeout_ms = CFG_DEFAULT_TIMEOUT_MS;
	int i = 1, first_file = -1;
	for (; i < argc && strcmp(argv[i], "--"); i++) {
		const char *s = argv[i];
		const struct usage_opt *o = s[0] == '-' && s[1] ? usage_find(u, s) : NULL;
		if (s[0] == '-' && s[1] && !o)
			die("unknown option '%s' (see 'ferret %s --help')", s, cmd);
		switch (o ? o->short_name : 0) {
		case 0: /* an input file */
			if (first_file < 0)
				first_file = i;
			break;
		case 't':
		case 'm':
			replay_limit(o->short_name, s, argv[i + 1], &a->timeout_ms,
				     &a->mem_limit_mb);
			i++;
			break;
		case 'o':
			a->out_path = argv[++i] ? argv[i] : (die("option '-o' needs a file"), "");
			break;
		case 'r':
			a->raw = 1;
			break;
		case 'S':
			a->symbolize = 1;
			break;
		}
		if (i >= argc)
			die("option '%s' needs a value", s);
	}
	if (i >= argc || i + 1 >= argc)
		die("no target program given (usage: ferret %s [FILE...] -- PROGRAM [ARGS...])",
		    cmd);
	int prog = i + 1, end = argc;
	argv[i] = NULL; /* ends the files before "--" */
	for (int j = prog; j < argc; j++)
		if (!strcmp(argv[j], "--")) {
			argv[j] = NULL;
			if (first_file >= 0)
				die("input files given both before and after the program");
			first_file = j + 1;
			end = j;
			break;
		}
	if (first_file < 0) {
		int last_at = -1;
		for (int j = prog; j < end; j++)
			if (strstr(argv[j], "@@"))
				last_at = j;
		if (last_at >= 0 && last_at + 1 < end) {
			/* The files follow the last "@@" argument. Copy them to
			 * their own list so the program's argv can end there. */
			size_t nf = (size_t)(end - last_at - 1);
			char **files = calloc(nf + 1, sizeof(char *));
			if (!files)
				die("out of memory");
			memcpy(files, &argv[last_at + 1], nf * sizeof(char *));
			argv[last_at + 1] = NULL;
			a->files = files;
			a->prog = argv + prog;
			return;
		}
	}
	if (first_file < 0 || first_file >= argc || !argv[first_file])
		die("no input file given (usage: ferret %s FILE... -- PROGRAM [ARGS...])", cmd);
	a->files = argv + first_file;
	a->prog = argv + prog;
}

/* A libFuzzer-style harness has the driver's main() (driver/), which runs
 * file arguments and ignores stdin. Found by the driver's report line in
 * the binary, as target_init finds its markers; the entry point's name
 * alone would also match a program that calls its own harness. */
int replay_is_libfuzzer(const char *path)
{
	uint8_t *p;
	size_t n;
	if (store_read(path, 1u << 30, &p, &n, NULL))
		return 0;
	static const char sym[] = "ERROR: libFuzzer: deadly signal";
	int found = memmem(p, n, sym, sizeof(sym) - 1) != NULL;
	free(p);
	return found;
}
