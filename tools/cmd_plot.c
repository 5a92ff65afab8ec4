/*
 * cmd_plot.c - `ferret plot OUT[/NAME] [-o FILE]`: an instance's plot_data
 * drawn as one SVG picture over time, afl-plot's graphs in one file with
 * stacked panels: the queue (entries, pending, pending favourites), the
 * coverage (edges found, or map coverage for old AFL files), crashes, hangs
 * and unique bugs, and executions per second.
 *
 * Columns are found by their name in the '#' header line, never by
 * position, so the same code reads ferret's, AFL++'s and AFL's files
 * (docs/plot.md); a series whose column is missing is left out. The
 * picture depends on plot_data alone (no date, no host), so the same file
 * gives the same bytes. Reads plot_data, writes the SVG; runs nothing.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "log.h"
#include "store.h"
#include "usage.h"
#include "banned.h"

/* The picture's geometry in SVG user units (pixels). */
enum {
	SVG_W = 900,     /* whole width */
	PLOT_X = 80,     /* left edge of every panel (the y labels go left of it) */
	PLOT_W = 640,    /* panel width; the legend is right of it */
	PANEL_H = 150,   /* panel height */
	PANEL_GAP = 64,  /* between panels: the x labels and the next title */
	TOP = 78,        /* first panel's top edge, below the titles */
	MAX_X_TICKS = 8, /* x ticks at most */
	Y_INTERVALS = 4, /* y axis: about this many intervals */
};

static const struct panel {
	const char *title;
	int integral; /* counts: no tick step below 1 */
} panels[] = {
	{"queue", 1},
	{"coverage", 1},
	{"crashes and hangs", 1},
	{"executions per second", 0},
};

/*
 * One line of the picture: its panel, its legend label, the column names
 * that hold it (ferret and AFL++ first, then older AFL's), and a column
 * whose presence makes it redundant (map coverage is drawn only when there
 * is no edge count).
 */
static const struct series {
	int panel;
	const char *label;
	const char *cols[2];
	const char *unless;
	const char *color;
} series[] = {
	{0, "corpus count", {"corpus_count", "paths_total"}, NULL, "#000000"},
	{0, "pending", {"pending_total", NULL}, NULL, "#0090ff"},
	{0, "pending favs", {"pending_favs", NULL}, NULL, "#c00080"},
	{1, "edges found", {"edges_found", NULL}, NULL, "#0090ff"},
	{1, "map coverage %", {"map_size", NULL}, "edges_found", "#0090ff"},
	{2, "saved crashes", {"saved_crashes", "unique_crashes"}, NULL, "#c00080"},
	{2, "saved hangs", {"saved_hangs", "unique_hangs"}, NULL, "#c000f0"},
	{2, "unique bugs", {"unique_bugs", NULL}, NULL, "#00a060"},
	{3, "execs/sec", {"execs_per_sec", NULL}, NULL, "#0090ff"},
};

#define NPANELS (sizeof(panels) / sizeof(panels[0]))
#define NSERIES (sizeof(series) / sizeof(series[0]))

/* plot_data in memory: the header's names and the rows' numbers. */
struct table {
	char **names;
	size_t ncols;
	double *v;         /* nrows * ncols, row-major */
	size_t nrows, cap; /* rows read, rows allocated */
};

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	char *e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = 0;
	return s;
}

static size_t col(const struct table *t, const char *name)
{
	for (size_t i = 0; name && i < t->ncols; i++)
		if (!strcmp(t->names[i], name))
			return i;
	return (size_t)-1;
}

static void parse_header(struct table *t, char *line, const char *path)
{
	char *s = line + 1, *comma;
	do {
		if ((comma = strchr(s, ',')))
			*comma = 0;
		char **nn = realloc(t->names, (t->ncols + 1) * sizeof(*nn));
		if (!nn || !(nn[t->ncols] = strdup(trim(s))))
			die("out of memory");
		t->names = nn;
		if (!*t->names[t->ncols++])
			die("cannot read '%s' line 1: an empty column name", path);
		s = comma + 1;
	} while (comma);
}

/* One data row: at least as many numbers as the header has names (more
 * are dropped: a resumed file may keep an older, shorter header). A
 * trailing '%' (map_size) is allowed. */
static void parse_row(struct table *t, char *line, const char *path, size_t lineno)
{
	if (t->nrows == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		if (!(t->v = realloc(t->v, t->cap * t->ncols * sizeof(*t->v))))
			die("out of memory");
	}
	double *row = t->v + t->nrows * t->ncols;
	char *s = line;
	for (size_t i = 0; i < t->ncols; i++) {
		char *comma = strchr(s, ',');
		if (!comma && i + 1 < t->ncols)
			die("cannot read '%s' line %zu: %zu values, the header names %zu", path,
			    lineno, i + 1, t->ncols);
		if (comma)
			*comma = 0;
		char *f = trim(s), *end;
		errno = 0;
		row[i] = strtod(f, &end);
		if (*end == '%')
			end++;
		if (!*f || *end || errno || !isfinite(row[i]))
			die("cannot read '%s' line %zu: '%s' is not a number (column %s)", path,
			    lineno, f, t->names[i]);
		s = comma ? comma + 1 : s + strlen(s);
	}
	t->nrows++;
}

static void read_table(struct table *t, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		die_errno("cannot open '%s'", path);
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	while (getline(&line, &cap, f) > 0) {
		lineno++;
		char *s = trim(line);
		if (lineno == 1) {
			if (*s != '#')
				die("cannot read '%s' line 1: not a plot_data header (a '#' line "
				    "of column names)",
				    path);
			parse_header(t, s, path);
		} else if (*s && *s != '#') {
			parse_row(t, s, path, lineno);
		}
	}
	if (ferror(f))
		die_errno("cannot read '%s'", path);
	free(line);
	fclose(f);
	if (!lineno)
		die("cannot read '%s': the file is empty", path);
	if (!t->nrows)
		die("cannot read '%s': no data rows yet (let the instance run longer)", path);
}

/* Time in seconds from the first row. AFL's unix_time is made relative;
 * a relative time that goes back (a resumed run starts its clock again)
 * continues from where the previous run stopped. */
static double *times(const struct table *t, const char *path)
{
	size_t c = col(t, "relative_time");
	int unix_time = c == (size_t)-1;
	if (unix_time && (c = col(t, "unix_time")) == (size_t)-1)
		die("cannot read '%s': no relative_time column in the header", path);
	double *x = malloc(t->nrows * sizeof(*x)), offset = 0, prev = 0;
	if (!x)
		die("out of memory");
	for (size_t r = 0; r < t->nrows; r++) {
		double v = t->v[r * t->ncols + c] - (unix_time ? t->v[c] : 0);
		if (r && v + offset < prev)
			offset = prev - v;
		x[r] = prev = v + offset;
	}
	return x;
}

/* The y axis: the smallest 1, 2 or 5 times a power of ten that cuts
 * [0, max] into about Y_INTERVALS parts. */
static double y_step(double max, int integral)
{
	if (max <= 0)
		max = 1;
	double raw = max / Y_INTERVALS, mag = pow(10, floor(log10(raw))), r = raw / mag;
	double step = (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * mag;
	return integral && step < 1 ? 1 : step;
}

/* The x axis: a round number of seconds or minutes or hours, at most
 * MAX_X_TICKS ticks. */
static double x_step(double tmax)
{
	static const double steps[] = {1,   2,   5,    10,   15,   30,    60,    120,   300,
				       600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400};
	double step = 0;
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (tmax / (step = steps[i]) <= MAX_X_TICKS)
			return step;
	while (tmax / step > MAX_X_TICKS)
		step *= 2;
	return step;
}

static void put_time(FILE *o, double t, double step)
{
	unsigned long long s = (unsigned long long)llround(t);
	if (step < 60)
		fprintf(o, "%llus", s);
	else
		fprintf(o, "%llu:%02llu", s / 3600, s / 60 % 60);
}

static void put_value(FILE *o, double v)
{
	if (v >= 1e6)
		fprintf(o, "%gM", v / 1e6);
	else if (v >= 1e4)
		fprintf(o, "%gk", v / 1e3);
	else
		fprintf(o, "%g", v);
}

/* Text as XML character data: markup characters escaped; control and
 * non-ASCII bytes become '?', since a path need not be valid UTF-8. */
static void put_text(FILE *o, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '&')
			fputs("&amp;", o);
		else if (c == '<')
			fputs("&lt;", o);
		else if (c == '>')
			fputs("&gt;", o);
		else
			fputc(c < 0x20 || c >= 0x7f ? '?' : c, o);
	}
}

static void draw_panel(FILE *o, const struct table *t, const double *x, double tmax, double xs,
		       const struct panel *p, const size_t *cols, const struct series **ss,
		       size_t ns, int top)
{
	double max = 0;
	for (size_t j = 0; j < ns; j++)
		for (size_t r = 0; r < t->nrows; r++)
			max = fmax(max, t->v[r * t->ncols + cols[j]]);
	double ys = y_step(max, p->integral);
	int nyt = (int)ceil((max > 0 ? max : 1) / ys - 1e-9);
	double ymax = nyt * ys;

	fprintf(o, "<g class=\"panel\">\n<text class=\"panel-title\" x=\"%d\" y=\"%d\">", PLOT_X,
		top - 10);
	put_text(o, p->title);
	fprintf(o, "</text>\n");
	for (int i = 0; i <= nyt; i++) {
		double y = top + PANEL_H - (double)i * PANEL_H / nyt;
		fprintf(o, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>\n",
			PLOT_X, y, PLOT_X + PLOT_W, y);
		fprintf(o, "<text class=\"ylabel\" x=\"%d\" y=\"%.1f\">", PLOT_X - 6, y + 4);
		put_value(o, i * ys);
		fprintf(o, "</text>\n");
	}
	for (int i = 0; i * xs <= tmax + 1e-9; i++) {
		double xx = PLOT_X + i * xs / tmax * PLOT_W;
		fprintf(o, "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>\n",
			xx, top, xx, top + PANEL_H);
		fprintf(o, "<text class=\"xlabel\" x=\"%.1f\" y=\"%d\">", xx, top + PANEL_H + 16);
		put_time(o, i * xs, xs);
		fprintf(o, "</text>\n");
	}
	fprintf(o, "<rect class=\"frame\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>\n", PLOT_X,
		top, PLOT_W, PANEL_H);
	for (size_t j = 0; j < ns; j++) {
		fprintf(o, "<polyline class=\"series\" data-column=\"%s\" stroke=\"%s\" points=\"",
			ss[j]->cols[0], ss[j]->color);
		for (size_t r = 0; r < t->nrows; r++)
			fprintf(o, "%s%.1f,%.1f", r ? " " : "", PLOT_X + x[r] / tmax * PLOT_W,
				top + PANEL_H - t->v[r * t->ncols + cols[j]] / ymax * PANEL_H);
		fprintf(o, "\"><title>%s</title></polyline>\n", ss[j]->label);
		int ly = top + 12 + (int)j * 18, lx = PLOT_X + PLOT_W + 14;
		fprintf(o,
			"<line class=\"key\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
			"stroke=\"%s\"/>\n<text class=\"legend\" x=\"%d\" y=\"%d\">%s</text>\n",
			lx, ly, lx + 22, ly, ss[j]->color, lx + 28, ly + 4, ss[j]->label);
	}
	fprintf(o, "</g>\n");
}

static void draw(FILE *o, const struct table *t, const double *x, const char *name)
{
	size_t cols[NPANELS][NSERIES], ns[NPANELS] = {0}, np = 0;
	const struct series *ss[NPANELS][NSERIES];
	for (size_t i = 0; i < NSERIES; i++) {
		const struct series *s = &series[i];
		size_t c = col(t, s->cols[0]);
		if (c == (size_t)-1)
			c = col(t, s->cols[1]);
		if (c == (size_t)-1 || (s->unless && col(t, s->unless) != (size_t)-1))
			continue;
		np += !ns[s->panel];
		ss[s->panel][ns[s->panel]] = s;
		cols[s->panel][ns[s->panel]++] = c;
	}
	if (!np)
		die("nothing to plot: the plot_data header of '%s' names none of the columns "
		    "ferret draws",
		    name);
	/* the x axis ends at the first tick at or past the last row */
	double tlast = x[t->nrows - 1], xs = x_step(tlast);
	double tmax = tlast > 0 ? ceil(tlast / xs - 1e-9) * xs : xs;
	int h = TOP + (int)np * (PANEL_H + PANEL_GAP) - 20;
	fprintf(o,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n"
		"<style>\n"
		".grid { stroke: #e0e0e0; stroke-width: 1 }\n"
		".frame { fill: none; stroke: #808080; stroke-width: 1 }\n"
		".series { fill: none; stroke-width: 2; stroke-linejoin: round }\n"
		".key { stroke-width: 3 }\n"
		".ylabel { text-anchor: end; fill: #404040 }\n"
		".xlabel { text-anchor: middle; fill: #404040 }\n"
		".panel-title { font-weight: bold }\n"
		".subtitle { fill: #404040 }\n"
		"</style>\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n"
		"<text class=\"title\" x=\"%d\" y=\"28\" font-size=\"18\">ferret: ",
		SVG_W, h, SVG_W, h, PLOT_X);
	put_text(o, name);
	fprintf(o, "</text>\n<text class=\"subtitle\" x=\"%d\" y=\"48\">%zu rows over ", PLOT_X,
		t->nrows);
	put_time(o, tlast, xs);
	fprintf(o, "%s</text>\n", xs < 60 ? "" : " (h:mm)");
	int top = TOP;
	for (size_t p = 0; p < NPANELS; p++) {
		if (!ns[p])
			continue;
		draw_panel(o, t, x, tmax, xs, &panels[p], cols[p], ss[p], ns[p], top);
		top += PANEL_H + PANEL_GAP;
	}
	fprintf(o, "</svg>\n");
}

static const struct usage_opt plot_opts[] = {
	{'o', NULL, "FILE", "where to save the picture (default OUT/NAME/plot.svg)"},
	{0},
};

static const char *const plot_synopsis[] = {"ferret plot OUT[/NAME] [-o FILE]", NULL};

const struct usage plot_usage = {
	.page = "ferret-plot",
	.synopsis = plot_synopsis,
	.description = "Draws an instance's plot_data as one SVG picture: the queue,\n"
		       "coverage, crashes and hangs, and executions per second over\n"
		       "time. Saved as OUT/NAME/plot.svg, or FILE with -o. OUT alone:\n"
		       "its one instance.",
	.opts = plot_opts,
	.files = "OUT/NAME/plot_data: what is drawn; OUT/NAME/plot.svg: the picture.",
	.see_also = "ferret(1), ferret-fuzz(1), ferret-triage(1)",
};

int cmd_plot(int argc, char **argv)
{
	const char *out = NULL, *file = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage_print(stdout, &plot_usage);
			return 0;
		}
		const struct usage_opt *o = usage_find(&plot_usage, argv[i]);
		if (o && i + 1 < argc)
			file = argv[++i];
		else if (!o && argv[i][0] != '-' && !out)
			out = argv[i];
		else
			die("usage: ferret plot OUT[/NAME] [-o FILE]");
	}
	if (!out)
		die("usage: ferret plot OUT[/NAME] [-o FILE]");
	if (access(out, F_OK))
		die_errno("cannot open '%s'", out);
	size_t n;
	char **dirs = instance_dirs(out, "plot_data", &n);
	if (!n)
		die("no plot_data in '%s' (neither '%s/plot_data' nor an instance with one)", out,
		    out);
	if (n > 1)
		die("'%s' holds %zu instances with a plot_data: name one, as in '%s'", out, n,
		    dirs[0]);
	char *path = path_join(dirs[0], "plot_data"), *svg = NULL;
	if (!path || (!file && !(file = svg = path_join(dirs[0], "plot.svg"))))
		die("out of memory");
	struct table t = {0};
	read_table(&t, path);
	double *x = times(&t, path);
	FILE *o = fopen(file, "w");
	if (!o)
		die_errno("cannot write '%s'", file);
	draw(o, &t, x, dirs[0]);
	if (ferror(o) | fclose(o))
		die_errno("cannot write '%s'", file);
	printf("plot saved: %s\n", file);
	free(x);
	free(t.v);
	for (size_t i = 0; i < t.ncols; i++)
		free(t.names[i]);
	free(t.names);
	free(path);
	free(svg);
	store_free_list(dirs, n);
	return 0;
}
