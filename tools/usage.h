/*
 * usage.h - what a command says about itself, kept once: its synopsis,
 * description, option table and environment. From one struct usage come
 * its --help text and its man page (roff, man(7) macros), so the two cannot
 * disagree, and the parsers of the hand-written commands look their options
 * up here, so an option cannot be accepted without being documented.
 *
 * It does not own parsing or any command's behaviour; it is libc-only, so
 * ferret-cc links it too. Tables end with an entry whose help is NULL.
 */
#ifndef FERRET_USAGE_H
#define FERRET_USAGE_H

#include <stdio.h>

struct usage_opt {
	int short_name;        /* 'x' for -x; 0: long only */
	const char *long_name; /* "--name", or "-name" taking -name=VALUE; NULL: none */
	const char *metavar;   /* its value's name; "": takes no value */
	const char *help;      /* one line, unwrapped */
};

/* An environment variable, or one of ferret's commands. */
struct usage_item {
	const char *name, *help;
};

enum usage_flags {
	USAGE_NO_HELP_OPT = 1u << 0, /* -h/--help is not one of the options */
};

struct usage {
	const char *page;              /* man page name: "ferret-run" */
	const char *summary;           /* the NAME line, after "page - " */
	const char *const *synopsis;   /* command lines, NULL-terminated */
	const char *description;       /* paragraphs split by blank lines */
	const struct usage_opt *opts;  /* NULL or a table */
	const struct usage_item *cmds; /* COMMANDS section: NULL or a table */
	const struct usage_item *env;  /* ENVIRONMENT section: NULL or a table */
	const char *files;             /* FILES section, or NULL */
	const char *see_also;          /* "ferret(1), ..." */
	unsigned flags;                /* enum usage_flags */
};

/* Prints u as --help text: usage lines, description, options, commands
 * and environment. */
void usage_print(FILE *out, const struct usage *u);

/* Prints u as a man page in section 1 (roff with man(7) macros; '-',
 * '\\' and leading '.' or '\'' escaped). version goes into .TH. */
void usage_man(FILE *out, const struct usage *u, const char *version);

/* The option of u's table that arg spells exactly ("-t", or "--name"),
 * or NULL. */
const struct usage_opt *usage_find(const struct usage *u, const char *arg);

#endif
