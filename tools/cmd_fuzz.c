/*
 * cmd_fuzz.c - `ferret fuzz`: parses the options of src/flags.def into
 * struct fuzz_opts, checks them, and hands over to fuzz_run(). Nothing else
 * lives here; every option is one line of flags.def.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aflenv.h"
#include "commands.h"
#include "config.h"
#include "fuzz.h"
#include "jobs.h"
#include "log.h"
#include "target.h"
#include "stats.h"
#include "ui.h"
#include "usage.h"
#include "banned.h"

enum flag_kind {
	K_STR,
	K_U32,
	K_U64,
	K_MS,
	K_MB,
	K_SCHED,
	K_MAIN,
	K_SECONDARY,
	K_BOOL,
	K_CPU,
	K_JOBS,
	K_DICT,
	K_CUSTOM
};

struct flag {
	int short_name;
	const char *long_name;
	enum flag_kind kind;
	size_t offset;
	const char *metavar, *help;
};

static const struct flag flags[] = {
#define FLAG(s, l, kind, field, meta, help)                                                        \
	{s, l, K_##kind, offsetof(struct fuzz_opts, field), meta, help},
#include "flags.def"
#undef FLAG
};
#define N_FLAGS (sizeof(flags) / sizeof(flags[0]))

/* getopt's value for flag i: its letter, or 256 + i for long-only ones. */
static int flag_val(size_t i)
{
	return flags[i].short_name ? flags[i].short_name : 256 + (int)i;
}

/* The same table, as --help and the man page show it (usage.h). */
static const struct usage_opt fuzz_opts[] = {
#define FLAG(s, l, kind, field, meta, help) {s, "--" l, meta, help},
#include "flags.def"
#undef FLAG
	{0},
};

/* AFL++'s variables (src/aflenv.def), with what ferret does about each. */
#define AFLENV_SET ""
#define AFLENV_SAME ""
#define AFLENV_ELSE ""
#define AFLENV_NO "not supported: "
static const struct usage_item fuzz_env[] = {
	{"FERRET_NO_AFFINITY", "set: bind to no CPU (as -b none)"},
	{"FERRET_CPU_LOCK_DIR", "directory of the lock files that say which CPU each ferret holds "
				"(default /tmp)"},
	{"FERRET_BENCH_UNTIL_CRASH", "set: stop at the first crash (as -C)"},
	{"FERRET_WHOLE_MAP",
	 "set: read and clear the whole coverage map on every run instead of "
	 "the counters the run touched (the same run, slower on large binaries)"},
#define AFLENV(name, what, text) {#name, AFLENV_##what text},
#include "aflenv.def"
#undef AFLENV
	{0},
};

static const char *const fuzz_synopsis[] = {"ferret fuzz [options] -- PROGRAM [ARGS...]", NULL};

const struct usage fuzz_usage = {
	.page = "ferret-fuzz",
	.synopsis = fuzz_synopsis,
	.description = "Fuzzes PROGRAM, built with ferret-cc. \"@@\" in ARGS is replaced by the\n"
		       "path of the input file; without it the input is PROGRAM's stdin.",
	.opts = fuzz_opts,
	.env = fuzz_env,
	.files = "OUT/NAME/queue, crashes, hangs: the inputs kept, one file each;\n"
		 "OUT/NAME/fuzzer_stats and plot_data: the run's numbers\n"
		 "(docs/output_format.md and docs/stats.md in the source tree).",
	.see_also = "ferret(1), ferret-cc(1), ferret-run(1), ferret-tmin(1), ferret-cmin(1), "
		    "ferret-triage(1)",
};

static void markdown(void)
{
	printf("<!-- generated from src/flags.def by `ferret fuzz --markdown-help`; do not edit "
	       "-->\n"
	       "# `ferret fuzz` options\n\n"
	       "`ferret fuzz [options] -- PROGRAM [ARGS...]`; `@@` in ARGS is the input file,\n"
	       "otherwise the input is PROGRAM's stdin.\n\n| option | meaning |\n|---|---|\n");
	for (size_t i = 0; i < N_FLAGS; i++) {
		char shrt[16] = "";
		if (flags[i].short_name)
			snprintf(shrt, sizeof(shrt), "`-%c`, ", flags[i].short_name);
		printf("| %s`--%s%s%s` | %s |\n", shrt, flags[i].long_name,
		       *flags[i].metavar ? " " : "", flags[i].metavar, flags[i].help);
	}
}

static uint64_t parse_number(const struct flag *fl, const char *v, uint64_t max)
{
	char *end;
	if (!*v || *v == '-')
		die("invalid value '%s' for -%c: expected a number", v, fl->short_name);
	errno = 0;
	unsigned long long n = strtoull(v, &end, 10);
	if (*end || errno == ERANGE || n > max)
		die("invalid value '%s' for -%c: expected a number up to %llu", v, fl->short_name,
		    (unsigned long long)max);
	return n;
}

static void apply(struct fuzz_opts *o, const struct flag *fl, const char *v)
{
	void *field = (char *)o + fl->offset;
	switch (fl->kind) {
	case K_STR:
		*(const char **)field = v;
		break;
	case K_U32:
		*(uint32_t *)field = (uint32_t)parse_number(fl, v, UINT32_MAX);
		break;
	case K_MS:
		*(uint32_t *)field = (uint32_t)parse_number(fl, v, CFG_MAX_TIMEOUT_MS);
		if (!*(uint32_t *)field)
			die("invalid value '%s' for -%c: at least 1 ms", v, fl->short_name);
		break;
	case K_U64:
		*(uint64_t *)field = parse_number(fl, v, UINT64_MAX);
		if (fl->offset == offsetof(struct fuzz_opts, seed))
			o->seed_set = 1;
		break;
	case K_MB:
		*(uint64_t *)field = !strcmp(v, "none") ? 0 : parse_number(fl, v, 1ull << 40);
		break;
	case K_SCHED:
		if (!strcmp(v, "fast"))
			o->schedule = SCHED_FAST;
		else if (!strcmp(v, "explore"))
			o->schedule = SCHED_EXPLORE;
		else
			die("unknown power schedule '%s' (fast, explore)", v);
		break;
	case K_MAIN:
	case K_SECONDARY:
		if (o->role != ROLE_ALONE)
			die("-M and -S are exclusive and given once");
		if (!*v || strchr(v, '/') || v[0] == '.')
			die("invalid instance name '%s'", v);
		o->role = fl->kind == K_MAIN ? ROLE_MAIN : ROLE_SECONDARY;
		*(const char **)field = v;
		break;
	case K_BOOL:
		*(int *)field = 1;
		break;
	case K_DICT:
		if (o->n_dicts == FUZZ_MAX_DICTS)
			die("too many -x dictionaries (at most %d)", FUZZ_MAX_DICTS);
		o->dicts[o->n_dicts++] = v;
		break;
	case K_CUSTOM:
		if (o->n_custom == FUZZ_MAX_CUSTOM)
			die("too many --custom-mutator libraries (at most %d)", FUZZ_MAX_CUSTOM);
		o->custom[o->n_custom++] = v;
		break;
	case K_JOBS: /* "" (no value): one per free CPU, as 0 */
		o->jobs = *v ? (uint32_t)parse_number(fl, v, 4096) : 0;
		o->jobs_set = 1;
		break;
	case K_CPU:
		*(int *)field = !strcmp(v, "none") ? -2 : (int)parse_number(fl, v, 4095);
		break;
	}
}

/* The first SIGINT/SIGTERM/SIGHUP stops the run gracefully and ends the
 * input in flight at once (its target is killed, the input gets no
 * verdict); a second one exits on the spot. */
static void on_signal(int sig)
{
	if (fuzz_stop_requested) {
		ui_stop(); /* the terminal back first */
		_exit(128 + sig);
	}
	fuzz_stop_requested = 1;
	target_interrupt();
}

static void catch_signals(void)
{
	struct sigaction sa = {0};
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* One instance of -j, in its own process: the signal handling of a single
 * `ferret fuzz` (the supervisor blocked the signals across the fork). */
static int run_instance(const struct fuzz_opts *o)
{
	catch_signals();
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	return fuzz_run(o);
}

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

static char *join_args(int argc, char **argv)
{
	size_t n = 1;
	for (int i = 0; i < argc; i++)
		n += strlen(argv[i]) + 1;
	char *s = malloc(n), *p = s;
	if (!s)
		return NULL;
	for (int i = 0; i < argc; i++) {
		size_t l = strlen(argv[i]);
		memcpy(p, argv[i], l);
		p += l;
		*p++ = i + 1 < argc ? ' ' : 0;
	}
	if (p == s)
		*p = 0;
	return s;
}

int cmd_fuzz(int argc, char **argv)
{
	struct fuzz_opts o = {
		.name = "default",
		.timeout_ms = CFG_DEFAULT_TIMEOUT_MS,
		.schedule = SCHED_EXPLORE,
		.bind_cpu = -1,
	};
	if (getenv("FERRET_BENCH_UNTIL_CRASH"))
		o.stop_on_crash = 1;
	aflenv_apply(&o); /* AFL++'s variables; the options below win */

	char optstring[4 * N_FLAGS + 4] = "+:h";
	struct option longopts[N_FLAGS + 4];
	size_t k = 3;
	for (size_t i = 0; i < N_FLAGS; i++) {
		if (flags[i].short_name) {
			optstring[k++] = (char)flags[i].short_name;
			if (flags[i].kind != K_BOOL)
				optstring[k++] = ':';
			if (flags[i].kind == K_JOBS)
				optstring[k++] = ':'; /* "::": the value is optional */
		}
		longopts[i] = (struct option){flags[i].long_name,
					      flags[i].kind == K_BOOL   ? no_argument
					      : flags[i].kind == K_JOBS ? optional_argument
									: required_argument,
					      NULL, flag_val(i)};
	}
	optstring[k] = 0;
	longopts[N_FLAGS] = (struct option){"help", no_argument, NULL, 'h'};
	longopts[N_FLAGS + 1] = (struct option){"markdown-help", no_argument, NULL, 1};
	longopts[N_FLAGS + 2] = (struct option){"markdown-stats", no_argument, NULL, 2};
	longopts[N_FLAGS + 3] = (struct option){0, 0, 0, 0};

	char *cmdline = join_args(argc, argv); /* argv[0] is "fuzz" */
	if (cmdline) {
		char *full = malloc(strlen(cmdline) + 8);
		if (full) {
			memcpy(full, "ferret ", 7);
			memcpy(full + 7, cmdline, strlen(cmdline) + 1);
			free(cmdline);
			cmdline = full;
		}
	}
	opterr = 0;
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		if (c == 'h') {
			usage_print(stdout, &fuzz_usage);
			return 0;
		}
		if (c == 1) {
			markdown();
			return 0;
		}
		if (c == 2) {
			printf("<!-- generated from src/stats.def by `ferret fuzz "
			       "--markdown-stats`; "
			       "do not edit -->\n# fuzzer_stats keys\n\n");
			stats_print_docs();
			return 0;
		}
		if (c == '?') {
			if (optopt > 0 && optopt < 256)
				die("unknown option '-%c' (see 'ferret fuzz --help')", optopt);
			die("unknown option '%s' (see 'ferret fuzz --help')", argv[optind - 1]);
		}
		if (c == ':')
			die("option '%s' needs a value", argv[optind - 1]);
		for (size_t i = 0; i < N_FLAGS; i++) {
			if (flag_val(i) != c)
				continue;
			const char *v = optarg;
			/* an optional value comes glued (-j4, --jobs=4); "-j 4" too,
			 * when the next word is a number */
			if (!v && flags[i].kind == K_JOBS && optind < argc &&
			    all_digits(argv[optind]))
				v = argv[optind++];
			apply(&o, &flags[i], v ? v : "");
		}
	}
	if (optind >= argc)
		die("no target program given (usage: ferret fuzz -i DIR -o DIR -- PROGRAM ...)");
	if (!o.out_dir)
		die("no output directory: give -o DIR");
	if (!o.timeout_ms)
		die("invalid value '0' for -t: the timeout must be at least 1 ms");
	o.argv = argv + optind;
	o.cmdline = cmdline;

	int rc;
	if (o.jobs_set) {
		if (o.role != ROLE_ALONE)
			die("-j names its instances itself (-M main, -S s2..): give no -M or -S");
		rc = jobs_run(&o, run_instance);
		free(cmdline);
		return rc;
	}
	catch_signals();
	rc = fuzz_run(&o);
	free(cmdline);
	return rc;
}
