/*
 * options.h - libFuzzer's command line, as the driver's modes read it: one
 * struct filled from lf_flags.def (flags) and the operands (corpus
 * directories, input files). Parsing only; what a flag does belongs to the
 * module that reads it.
 */
#ifndef FERRET_OPTIONS_H
#define FERRET_OPTIONS_H

#include <stddef.h>

/* libFuzzer's exit code after an out-of-memory (its OOMExitCode); crashes
 * and timeouts use -error_exitcode and -timeout_exitcode. */
#define LF_OOM_EXIT_CODE 71

struct lf_opts {
#define FLAG_INT(name, def) long long name;
#define FLAG_STR(name, def) const char *name;
#define FLAG(name, kind, def, help) FLAG_##kind(name, def)
#define IGNORED(name, why)
#include "lf_flags.def"
#undef FLAG
#undef IGNORED
#undef FLAG_INT
#undef FLAG_STR
	/* operands */
	char **dirs; /* corpus directories (new inputs go to dirs[0]) */
	size_t n_dirs;
	char **files; /* inputs to run once */
	size_t n_files;
	char **argv; /* the original command line (for -jobs) */
	int argc;
	long smith_test; /* FERRET_TEST index being fuzzed, -1 for LLVMFuzzerTestOneInput */
	int jobs_job;    /* a job of -jobs: other jobs read what it writes to dirs[0] */
};

/* Parses argv into o (defaults first; a later flag wins over an earlier
 * one). Unknown flags get libFuzzer's warning; a flag with a bad value dies
 * with one line. o->dirs and o->files are malloc'd, never freed. */
void lf_parse(struct lf_opts *o, int argc, char **argv);

/* -help=1: every flag of lf_flags.def with its default, on stderr. */
void lf_help(const char *prog);

#endif
