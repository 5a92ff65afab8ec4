/*
 * cmd_triage.c - `ferret triage OUT[/NAME] [-- PROGRAM ARGS]`: the bugs of
 * a fuzzing run, one line each: how many crashes had the signature, the
 * signature (kind and top three frames, src/triage.h) and a minimized
 * reproducer. Reads the index `ferret fuzz` keeps in OUT/NAME/bugs; given
 * OUT, every instance in it that has one. Each bug's smallest saved
 * reproducer is shrunk by tools/tmin.c, keeping its signature, into
 * OUT/NAME/minimized/ under the same name; one already there is reused,
 * so a second triage runs nothing new. The program is the one after "--",
 * else the instance's cmdline (its own command line, as `ferret fuzz`
 * wrote it, relative to where that ran); with neither, or with
 * --no-minimize, a bug not minimized before is listed with its smallest
 * saved reproducer as it is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "config.h"
#include "errors.h"
#include "log.h"
#include "store.h"
#include "tmin.h"
#include "triage.h"
#include "usage.h"
#include "banned.h"

#define MAX_CMDLINE_ARGS 256

static const struct usage_opt triage_opts[] = {
	REPLAY_OPT_T("timeout per run while minimizing", ""),
	REPLAY_OPT_M,
	{0, "--no-minimize", "",
	 "run nothing: list the minimized reproducers made before, else the smallest saved "
	 "ones"},
	{0},
};

static const char *const triage_synopsis[] = {
	"ferret triage [-t MS] [-m MB] [--no-minimize] OUT[/NAME] [-- PROGRAM [ARGS]]",
	NULL,
};

const struct usage triage_usage = {
	.page = "ferret-triage",
	.synopsis = triage_synopsis,
	.description = "Lists the bugs `ferret fuzz` found, one line each: the number of\n"
		       "crashes, the signature (kind: top three frames in the target's own\n"
		       "code) and a minimized reproducer: the smallest saved one, shrunk as\n"
		       "`ferret tmin` does while it keeps the signature. OUT: every instance\n"
		       "in it. The program is PROGRAM, else the instance's cmdline file.",
	.opts = triage_opts,
	.files = "OUT/NAME/bugs: the crash index `ferret fuzz` keeps, one line per bug;\n"
		 "OUT/NAME/crashes: the reproducers it names;\n"
		 "OUT/NAME/minimized: the minimized reproducers (reused when there);\n"
		 "OUT/NAME/cmdline: the program, one argument per line.",
	.see_also = "ferret(1), ferret-fuzz(1), ferret-run(1), ferret-tmin(1)",
};

struct triage_cmd {
	struct replay_args a; /* timeout, memory limit */
	char **prog;          /* from the command line, or NULL */
	int minimize;
};

/* The instance's target command line (its cmdline file, one argument per
 * line), or NULL when it has none or its program is not there. */
static char **cmdline_of(const char *dir, char **text)
{
	char *path = path_join(dir, "cmdline");
	uint8_t *data;
	size_t len;
	int err = path ? store_read(path, 1 << 16, &data, &len, NULL) : FERRET_ENOMEM;
	free(path);
	if (err)
		return NULL;
	char *s = realloc(data, len + 1);
	if (!s)
		die("out of memory");
	s[len] = 0;
	char **argv = calloc(MAX_CMDLINE_ARGS + 1, sizeof(*argv));
	if (!argv)
		die("out of memory");
	size_t n = 0;
	for (char *line = s, *nl; *line && n < MAX_CMDLINE_ARGS; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			nl = line + strlen(line) - 1;
		else
			*nl = 0;
		argv[n++] = line;
	}
	if (!n || access(argv[0], X_OK)) {
		log_warn("cannot minimize in '%s': its program '%s' is not here (give it after --)",
			 dir, n ? argv[0] : "");
		free(argv);
		free(s);
		return NULL;
	}
	/* it comes from OUT, which may come from elsewhere: say what runs */
	log_info("minimizing with '%s' from '%s/cmdline' (give the program after -- to choose)",
		 argv[0], dir);
	*text = s;
	return argv;
}

/* Where the minimized reproducer of crash file `name` in dir goes (to
 * free). */
static char *minimized_path(const char *dir, const char *name)
{
	char *mdir = path_join(dir, "minimized");
	char *out = mdir ? path_join(mdir, name) : NULL;
	if (!out)
		die("out of memory");
	free(mdir);
	return out;
}

/* Minimizes crash file `name` of dir into dir/minimized/name; returns
 * whether it is there now (not when the program does not crash on it). */
static int minimize(struct tmin *m, const char *dir, const char *name)
{
	char *mdir = path_join(dir, "minimized");
	char *crashes = path_join(dir, "crashes");
	char *in = crashes ? path_join(crashes, name) : NULL;
	if (!mdir || !in)
		die("out of memory");
	free(crashes);
	uint8_t *buf;
	size_t len;
	if (store_read(in, CFG_MAX_INPUT_BYTES, &buf, &len, NULL))
		die("cannot read reproducer '%s'", in);
	int mode = tmin_dry_run(m, buf, len);
	if (mode == 1) {
		tmin_minimize(m, buf, &len);
		int err = store_mkdirs(mdir);
		if (!err)
			err = store_write(mdir, name, buf, len);
		if (err)
			die("cannot write '%s/%s': %s", mdir, name, ferret_strerror(err));
	} else {
		log_warn("'%s' does not crash now (%s): not minimized", in,
			 mode < 0 ? "it times out" : "no crash");
	}
	tmin_release(m);
	free(buf);
	free(mdir);
	free(in);
	return mode == 1;
}

/* One instance's bugs. The program is started at the first reproducer
 * not minimized yet, and only then looked for. */
static void list(const struct triage_cmd *c, const char *dir)
{
	struct triage *tr = triage_new(NULL, dir);
	if (!tr)
		die("out of memory");
	char *text = NULL, **prog = NULL, **run_argv = NULL;
	int looked = 0;
	struct tmin m;
	memset(&m, 0, sizeof(m));
	char tmpl[] = "/tmp/ferret-triage-XXXXXX";
	for (size_t i = 0; i < triage_bugs(tr); i++) {
		const char *r = triage_repro(tr, i);
		char *path = r ? minimized_path(dir, r) : NULL;
		if (path && access(path, R_OK)) {
			if (c->minimize && !looked) {
				prog = c->prog ? c->prog : cmdline_of(dir, &text);
				looked = 1;
			}
			if (prog && !run_argv) {
				struct replay_args a = c->a;
				int harness;
				a.prog = run_argv = replay_harness_argv(prog, &harness);
				m.exit_is_crash = harness;
				replay_start(&m.t, &a, 1, tmpl);
			}
			if (!prog || !minimize(&m, dir, r)) {
				free(path);
				char *crashes = path_join(dir, "crashes");
				path = crashes ? path_join(crashes, r) : NULL;
				free(crashes);
				if (!path)
					die("out of memory");
			}
		}
		printf("%llu  %s  %s\n", (unsigned long long)triage_count(tr, i),
		       triage_signature(tr, i), path ? path : "-");
		fflush(stdout);
		free(path);
	}
	if (run_argv) {
		target_release(&m.t);
		unlink(tmpl);
		free(run_argv);
	}
	if (prog != c->prog) {
		free(prog);
		free(text);
	}
	triage_free(tr);
}

int cmd_triage(int argc, char **argv)
{
	struct triage_cmd c;
	memset(&c, 0, sizeof(c));
	c.a.timeout_ms = CFG_DEFAULT_TIMEOUT_MS;
	c.minimize = 1;
	const char *out = NULL;
	int i = 1;
	for (; i < argc && strcmp(argv[i], "--"); i++) {
		const char *s = argv[i];
		if (!strcmp(s, "--help") || !strcmp(s, "-h")) {
			usage_print(stdout, &triage_usage);
			return 0;
		}
		const struct usage_opt *o = usage_find(&triage_usage, s);
		if (!o && s[0] != '-' && !out) {
			out = s;
			continue;
		}
		if (!o)
			die("unknown argument '%s' (see 'ferret triage --help')", s);
		switch (o->short_name) {
		case 't':
		case 'm':
			replay_limit(o->short_name, s, argv[i + 1], &c.a.timeout_ms,
				     &c.a.mem_limit_mb);
			i++;
			break;
		default: /* --no-minimize */
			c.minimize = 0;
		}
	}
	if (!out)
		die("usage: ferret triage [-t MS] [-m MB] [--no-minimize] OUT[/NAME] [-- PROGRAM "
		    "[ARGS]]");
	if (i < argc) {
		if (i + 1 >= argc)
			die("no program after '--' (see 'ferret triage --help')");
		c.prog = argv + i + 1;
	}
	size_t n;
	char **dirs = instance_dirs(out, "bugs", &n);
	if (!n)
		die("no crash index in '%s' (neither '%s/bugs' nor an instance with one)", out,
		    out);
	for (size_t k = 0; k < n; k++)
		list(&c, dirs[k]);
	store_free_list(dirs, n);
	return 0;
}
