/*
 * usage.c - renders a struct usage (usage.h) as --help text or as a man
 * page, and finds a spelled option in its table. The two renderings walk
 * the same fields in the same order: synopsis, description, options,
 * commands, environment; the man page adds FILES and SEE ALSO. Not on any
 * hot path: it runs once, for --help, --man or an option look-up.
 */
#include <string.h>

#include "usage.h"
#include "banned.h"

#define HELP_COLUMNS 79  /* --help text is wrapped to this width */
#define HELP_LEFT_MAX 28 /* widest option column before the help */

static const struct usage_opt help_opt = {'h', "--help", "", "show this help"};

/* A long name spelled with one dash takes its value after '=', as
 * libFuzzer's -runs=N and the compilers' -fsanitize=fuzzer. */
static int one_dash(const struct usage_opt *o)
{
	return o->long_name && o->long_name[1] != '-';
}

/* The spelling of o: "-x, --name VALUE", "-x VALUE", "--name VALUE" or
 * "-name=VALUE". */
static void opt_left(const struct usage_opt *o, char *buf, size_t size)
{
	char shrt[8] = "";
	const char *meta = o->metavar && *o->metavar ? o->metavar : "";
	const char *sep = !*meta ? "" : one_dash(o) ? "=" : " ";
	if (o->short_name)
		snprintf(shrt, sizeof(shrt), "-%c%s", o->short_name, o->long_name ? ", " : "");
	snprintf(buf, size, "%s%s%s%s", shrt, o->long_name ? o->long_name : "", sep, meta);
}

/* Prints text from column col on, wrapped at spaces to HELP_COLUMNS, each
 * further line indented by indent. */
static void wrap(FILE *out, const char *text, size_t col, size_t indent)
{
	while (*text) {
		size_t room = HELP_COLUMNS > col ? HELP_COLUMNS - col : 1, n = strlen(text);
		if (n > room) {
			size_t cut = room;
			while (cut > 0 && text[cut] != ' ')
				cut--;
			if (!cut) /* one word longer than the room: break after it */
				for (cut = room; text[cut] && text[cut] != ' '; cut++)
					;
			n = cut;
		}
		fprintf(out, "%.*s\n", (int)n, text);
		text += n;
		while (*text == ' ')
			text++;
		if (*text)
			fprintf(out, "%*s", (int)indent, "");
		col = indent;
	}
}

/* Prints "  NAME  help" rows, the names' column as wide as the widest
 * (up to HELP_LEFT_MAX; a longer name pushes its help to the right). */
static void print_items(FILE *out, const char *title, const struct usage_item *items)
{
	size_t width = 0;
	for (const struct usage_item *it = items; it->help; it++)
		if (strlen(it->name) > width)
			width = strlen(it->name);
	if (width > HELP_LEFT_MAX)
		width = HELP_LEFT_MAX;
	fprintf(out, "\n%s:\n", title);
	for (const struct usage_item *it = items; it->help; it++) {
		fprintf(out, "  %-*s  ", (int)width, it->name);
		size_t col = 4 + (strlen(it->name) > width ? strlen(it->name) : width);
		wrap(out, it->help, col, width + 4);
	}
}

static void print_opt(FILE *out, const struct usage_opt *o, size_t width)
{
	char left[128];
	opt_left(o, left, sizeof(left));
	const char *pad = !o->short_name && !one_dash(o) ? "    " : "";
	fprintf(out, "  %s%-*s  ", pad, (int)(width - strlen(pad)), left);
	size_t len = strlen(pad) + strlen(left);
	wrap(out, o->help, 4 + (len > width ? len : width), width + 4);
}

void usage_print(FILE *out, const struct usage *u)
{
	for (size_t i = 0; u->synopsis[i]; i++)
		fprintf(out, "%s%s\n", i ? "       " : "usage: ", u->synopsis[i]);
	if (u->description)
		fprintf(out, "\n%s\n", u->description);
	int help = !(u->flags & USAGE_NO_HELP_OPT);
	if (u->opts || help) {
		size_t width = 0;
		char left[128];
		for (const struct usage_opt *o = u->opts; o && o->help; o++) {
			opt_left(o, left, sizeof(left));
			size_t len = strlen(left) + (!o->short_name && !one_dash(o) ? 4 : 0);
			if (len > width)
				width = len;
		}
		if (help && width < 10)
			width = 10; /* "-h, --help" */
		if (width > HELP_LEFT_MAX)
			width = HELP_LEFT_MAX;
		fprintf(out, "\noptions:\n");
		for (const struct usage_opt *o = u->opts; o && o->help; o++)
			print_opt(out, o, width);
		if (help)
			print_opt(out, &help_opt, width);
	}
	if (u->cmds)
		print_items(out, "commands", u->cmds);
	if (u->env)
		print_items(out, "environment", u->env);
}

/*
 * Writes text as roff input: '-' becomes "\-" (a minus, so options can be
 * searched and copied), '\\' becomes "\e", and a '.' or '\'' starting a
 * line is kept from being read as a request by "\&". A blank line starts
 * a new paragraph (.PP).
 */
static void roff(FILE *out, const char *text)
{
	int bol = 1;
	for (const char *p = text; *p; p++) {
		if (bol && *p == '\n') {
			fputs(".PP\n", out);
			continue;
		}
		if (bol && (*p == '.' || *p == '\''))
			fputs("\\&", out);
		if (*p == '-')
			fputs("\\-", out);
		else if (*p == '\\')
			fputs("\\e", out);
		else
			fputc(*p, out);
		bol = *p == '\n';
	}
	if (!bol)
		fputc('\n', out);
}

/* Writes a name or a metavar inside a line: only '-' needs escaping in
 * the names of our tables; upper makes .TH's upper-case title. */
static void roff_word(FILE *out, const char *s, int upper)
{
	for (; *s; s++)
		if (*s == '-')
			fputs("\\-", out);
		else
			fputc(upper && *s >= 'a' && *s <= 'z' ? *s - 'a' + 'A' : *s, out);
}

static void man_opt(FILE *out, const struct usage_opt *o)
{
	fputs(".TP\n\\fB", out);
	if (o->short_name)
		fprintf(out, "\\-%c\\fR%s", o->short_name, o->long_name ? ", \\fB" : "");
	if (o->long_name) {
		roff_word(out, o->long_name, 0);
		fputs("\\fR", out);
	}
	if (o->metavar && *o->metavar) {
		fputs(one_dash(o) ? "=\\fI" : " \\fI", out);
		roff_word(out, o->metavar, 0);
		fputs("\\fR", out);
	}
	fputc('\n', out);
	roff(out, o->help);
}

static void man_items(FILE *out, const char *title, const struct usage_item *items)
{
	fprintf(out, ".SH %s\n", title);
	for (const struct usage_item *it = items; it->help; it++) {
		fputs(".TP\n\\fB", out);
		roff_word(out, it->name, 0);
		fputs("\\fR\n", out);
		roff(out, it->help);
	}
}

void usage_man(FILE *out, const struct usage *u, const char *version)
{
	fprintf(out, ".\\\" generated from ferret's usage tables (tools/usage.h) by the build; "
		     "do not edit\n.TH ");
	roff_word(out, u->page, 1);
	/* .nh: no hyphenation, so an option or page name is never split */
	fprintf(out, " 1 \"\" \"ferret %s\" \"ferret manual\"\n.nh\n.SH NAME\n", version);
	roff_word(out, u->page, 0);
	fputs(" \\- ", out);
	roff(out, u->summary);
	fputs(".SH SYNOPSIS\n.nf\n", out);
	for (size_t i = 0; u->synopsis[i]; i++)
		roff(out, u->synopsis[i]);
	fputs(".fi\n", out);
	if (u->description) {
		fputs(".SH DESCRIPTION\n", out);
		roff(out, u->description);
	}
	if (u->opts || !(u->flags & USAGE_NO_HELP_OPT)) {
		fputs(".SH OPTIONS\n", out);
		for (const struct usage_opt *o = u->opts; o && o->help; o++)
			man_opt(out, o);
		if (!(u->flags & USAGE_NO_HELP_OPT))
			man_opt(out, &help_opt);
	}
	if (u->cmds)
		man_items(out, "COMMANDS", u->cmds);
	if (u->env)
		man_items(out, "ENVIRONMENT", u->env);
	if (u->files) {
		fputs(".SH FILES\n", out);
		roff(out, u->files);
	}
	if (u->see_also) {
		fputs(".SH SEE ALSO\n", out);
		roff(out, u->see_also);
	}
}

const struct usage_opt *usage_find(const struct usage *u, const char *arg)
{
	for (const struct usage_opt *o = u->opts; o && o->help; o++)
		if ((o->short_name && arg[0] == '-' && arg[1] == o->short_name && !arg[2]) ||
		    (o->long_name && !strcmp(arg, o->long_name)))
			return o;
	return NULL;
}
