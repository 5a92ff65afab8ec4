/*
 * options.c - libFuzzer's command line: "-name=value" flags from
 * lf_flags.def, then directories (corpora) and files (inputs to run).
 * Arguments starting with "--" are left for the harness, as libFuzzer does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"
#include "log.h"
#include "options.h"
#include "store.h"
#include "banned.h"

enum kind { K_INT, K_STR, K_IGNORED };

struct lf_flag {
	const char *name;
	enum kind kind;
	size_t offset;
	const char *def_str;
	long long def_int;
	const char *help;
};

#define FLAG_DEF_INT(def) NULL, (def)
#define FLAG_DEF_STR(def) (def), 0
static const struct lf_flag table[] = {
#define FLAG(name, kind, def, help)                                                                \
	{#name, K_##kind, offsetof(struct lf_opts, name), FLAG_DEF_##kind(def), help},
#define IGNORED(name, why) {#name, K_IGNORED, 0, NULL, 0, why},
#include "lf_flags.def"
#undef FLAG
#undef IGNORED
};
#define N_FLAGS (sizeof(table) / sizeof(table[0]))

void lf_help(const char *prog)
{
	fprintf(stderr,
		"Usage:\n\nTo run fuzzing pass 0 or more directories.\n"
		"%s [-flag1=val1 [-flag2=val2 ...] ] [dir1 [dir2 ...] ]\n\n"
		"To run individual tests without fuzzing pass 1 or more files:\n"
		"%s [-flag1=val1 [-flag2=val2 ...] ] file1 [file2 ...]\n\n"
		"Flags: (strictly in form -flag=value; the engine is ferret)\n",
		prog, prog);
	for (size_t i = 0; i < N_FLAGS; i++) {
		const struct lf_flag *f = &table[i];
		if (f->kind == K_INT)
			fprintf(stderr, " %-36s\t%lld\t%s\n", f->name, f->def_int, f->help);
		else if (f->kind == K_STR)
			fprintf(stderr, " %-36s\t%s\t%s\n", f->name, "", f->help);
		else
			fprintf(stderr, " %-36s\t-\taccepted, no effect: %s\n", f->name, f->help);
	}
}

void lf_parse(struct lf_opts *o, int argc, char **argv)
{
	memset(o, 0, sizeof(*o));
	for (size_t i = 0; i < N_FLAGS; i++) {
		const struct lf_flag *f = &table[i];
		if (f->kind == K_INT)
			*(long long *)((char *)o + f->offset) = f->def_int;
		else if (f->kind == K_STR)
			*(const char **)((char *)o + f->offset) = f->def_str;
	}
	o->argc = argc;
	o->argv = argv;
	o->smith_test = -1;
	o->dirs = calloc((size_t)argc + 1, sizeof(char *));
	o->files = calloc((size_t)argc + 1, sizeof(char *));
	if (!o->dirs || !o->files)
		die("out of memory");
	int said_dashes = 0, len_control_given = 0;
	for (int a = 1; a < argc; a++) {
		char *s = argv[a];
		if (s[0] == '-' && s[1] == '-') { /* for the harness */
			if (!said_dashes++)
				fprintf(stderr,
					"INFO: libFuzzer ignores flags that start with '--'\n");
			const char *eq = strchr(s, '=');
			for (size_t i = 0; i < N_FLAGS && eq; i++)
				if ((size_t)(eq - s - 2) == strlen(table[i].name) &&
				    !strncmp(table[i].name, s + 2, (size_t)(eq - s - 2)))
					fprintf(stderr,
						"WARNING: did you mean '%s' (single dash)?\n",
						s + 1);
			continue;
		}
		if (s[0] != '-') {
			struct stat st;
			if (stat(s, &st) == 0 && S_ISDIR(st.st_mode))
				o->dirs[o->n_dirs++] = s;
			else
				o->files[o->n_files++] = s;
			continue;
		}
		const char *eq = strchr(s, '=');
		size_t nlen = eq ? (size_t)(eq - s - 1) : strlen(s + 1);
		const struct lf_flag *f = NULL;
		for (size_t i = 0; i < N_FLAGS && eq; i++)
			if (strlen(table[i].name) == nlen && !strncmp(table[i].name, s + 1, nlen))
				f = &table[i];
		if (!f) {
			fprintf(stderr,
				"WARNING: unrecognized flag '%s'; use -help=1 to list all flags\n",
				s);
			continue;
		}
		if (f->kind == K_IGNORED)
			continue;
		if (f->kind == K_STR) {
			*(const char **)((char *)o + f->offset) = eq + 1;
			continue;
		}
		char *end;
		long long v = strtoll(eq + 1, &end, 10);
		if (!eq[1] || *end)
			die("invalid value '%s' for flag -%s: expected a number", eq + 1, f->name);
		*(long long *)((char *)o + f->offset) = v;
		len_control_given |= !strcmp(f->name, "len_control");
		if (o->ignore_remaining_args)
			break; /* the rest is the harness's (LLVMFuzzerInitialize reads it) */
	}
	/* as libFuzzer: a harness's own mutator decides lengths, unless
	 * -len_control says otherwise (lf_say_start says so) */
	if (LLVMFuzzerCustomMutator && !len_control_given)
		o->len_control = 0;
	/* libFuzzer's seed is an unsigned int: -seed=-1 is 4294967295 */
	o->seed = (long long)(uint32_t)o->seed;
	if (o->create_missing_dirs) {
		/* operands that do not exist are corpus directories to create */
		size_t w = 0;
		for (size_t i = 0; i < o->n_files; i++) {
			struct stat st;
			if (stat(o->files[i], &st) != 0 && store_mkdirs(o->files[i]) == 0)
				o->dirs[o->n_dirs++] = o->files[i];
			else
				o->files[w++] = o->files[i];
		}
		o->n_files = w;
	}
}
