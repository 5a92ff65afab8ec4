/*
 * ui.c - the status screen of `ferret fuzz` (see ui.h). AFL++'s layout
 * and labels where the number means the same: process timing, overall
 * results, cycle progress, map coverage, stage progress, findings in
 * depth, item geometry. ASCII boxes and a handful of ANSI escapes: the
 * alternate screen (ESC [?1049h/l), cursor home (ESC [H), clear to the end
 * of the line and of the screen (ESC [K, ESC [J), the cursor hidden and
 * shown (ESC [?25l/h). A frame is built in memory and written in one
 * write(2), so a redraw does not flicker.
 *
 * What it does not own: when to draw (fuzz.c, on wall time, never on the
 * per-execution path) and the numbers (stats.c, struct fuzzer). Nothing
 * here changes what the fuzzer does.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ui.h"
#include "banned.h"

#define UI_COLS 80 /* the full screen's width */
#define TOP 51     /* left cells' width: process timing */
#define LOW 38     /* and in the bands below it */
#define UI_ROWS 24 /* and height */
#define UI_LINES 48
#define UI_WIDTH 160

static const char restore_seq[] = "\033[?25h\033[?1049l";

static volatile sig_atomic_t on;
static volatile sig_atomic_t resized;
static int rows = 24, cols = 80;

static void on_winch(int sig)
{
	(void)sig;
	resized = 1;
}

static int read_size(void)
{
	struct winsize ws;
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) < 0 || !ws.ws_row || !ws.ws_col)
		return -1;
	rows = ws.ws_row;
	cols = ws.ws_col < UI_WIDTH - 1 ? ws.ws_col : UI_WIDTH - 1;
	return 0;
}

static void write_all(const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(STDERR_FILENO, p, n);
		if (w <= 0)
			return; /* EINTR included: a frame may be lost, never the run */
		p += w;
		n -= (size_t)w;
	}
}

int ui_wanted(int no_ui, int force)
{
	return !no_ui && (force || isatty(STDERR_FILENO));
}

static void at_exit(void)
{
	ui_stop();
}

int ui_start(void)
{
	static int registered;
	if (on)
		return 0;
	read_size(); /* not a terminal (AFL_FORCE_UI): 80x24 */
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_winch;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGWINCH, &sa, NULL);
	if (!registered && atexit(at_exit) == 0)
		registered = 1;
	on = 1;
	static const char enter[] = "\033[?1049h\033[?25l\033[H\033[2J";
	write_all(enter, sizeof(enter) - 1);
	return 0;
}

void ui_stop(void)
{
	if (!on)
		return;
	on = 0;
	ssize_t w = write(STDERR_FILENO, restore_seq, sizeof(restore_seq) - 1);
	(void)w;
}

/* ---- a frame: lines of text, then one write ---- */

struct frame {
	char line[UI_LINES][UI_WIDTH];
	int n;
};

static void add(struct frame *fr, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct frame *fr, const char *fmt, ...)
{
	if (fr->n == UI_LINES)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(fr->line[fr->n++], UI_WIDTH, fmt, ap);
	va_end(ap);
}

/* "0 days, 0 hrs, 1 min, 5 sec", as AFL++ */
static const char *dur(char *out, size_t cap, uint64_t s)
{
	snprintf(out, cap, "%llu days, %llu hrs, %llu min, %llu sec",
		 (unsigned long long)(s / 86400), (unsigned long long)(s / 3600 % 24),
		 (unsigned long long)(s / 60 % 60), (unsigned long long)(s % 60));
	return out;
}

/* time since the Unix time t, or none if t is 0 */
static const char *since(char *out, size_t cap, uint64_t now, uint64_t t, const char *none)
{
	if (!t) {
		snprintf(out, cap, "%s", none);
		return out;
	}
	return dur(out, cap, now > t ? now - t : 0);
}

static double pct(uint64_t a, uint64_t b)
{
	return b ? 100.0 * (double)a / (double)b : 0;
}

/* a left cell of lw columns and a right one of the rest, boxed */
static void row(struct frame *fr, int lw, const char *l, const char *r)
{
	add(fr, "|%-*.*s|%-*.*s|", lw, lw, l, UI_COLS - 3 - lw, UI_COLS - 3 - lw, r);
}

/* a band's top border with its two titles ("" for none) */
static void band(struct frame *fr, int lw, const char *lt, const char *rt)
{
	char l[UI_COLS], r[UI_COLS];
	int rw = UI_COLS - 3 - lw;
	snprintf(l, sizeof(l), "%s%s%s", *lt ? "- " : "", lt, *lt ? " " : "");
	snprintf(r, sizeof(r), "%s%s%s", *rt ? "- " : "", rt, *rt ? " " : "");
	for (int i = (int)strlen(l); i < lw; i++)
		l[i] = '-';
	l[lw] = 0;
	for (int i = (int)strlen(r); i < rw; i++)
		r[i] = '-';
	r[rw] = 0;
	add(fr, "+%s+%s+", l, r);
}

static void full(struct frame *fr, const struct ui_view *v)
{
	const struct stats *s = v->s;
	char a[UI_WIDTH], b[UI_WIDTH], t[64];
	uint64_t now = v->now_unix;
	add(fr, "%*s%s (%.40s)%s", 20, "", s->afl_version ? s->afl_version : "ferret",
	    s->afl_banner ? s->afl_banner : "?", v->stopping ? " [stopping]" : "");
	band(fr, TOP, "process timing", "overall results");
	snprintf(a, sizeof(a), "        run time : %s", dur(t, sizeof(t), s->run_time));
	snprintf(b, sizeof(b), "  cycles done : %llu", (unsigned long long)s->cycles_done);
	row(fr, TOP, a, b);
	snprintf(a, sizeof(a), "   last new find : %s",
		 since(t, sizeof(t), now, s->last_find, "none yet"));
	snprintf(b, sizeof(b), " corpus count : %llu", (unsigned long long)s->corpus_count);
	row(fr, TOP, a, b);
	snprintf(a, sizeof(a), "last saved crash : %s",
		 since(t, sizeof(t), now, s->last_crash, "none seen yet"));
	snprintf(b, sizeof(b), "saved crashes : %llu", (unsigned long long)s->saved_crashes);
	row(fr, TOP, a, b);
	snprintf(a, sizeof(a), " last saved hang : %s",
		 since(t, sizeof(t), now, s->last_hang, "none seen yet"));
	snprintf(b, sizeof(b), "  saved hangs : %llu", (unsigned long long)s->saved_hangs);
	row(fr, TOP, a, b);
	snprintf(b, sizeof(b), "  unique bugs : %llu", (unsigned long long)s->unique_bugs);
	row(fr, TOP, "", b);
	band(fr, LOW, "cycle progress", "map coverage");
	snprintf(a, sizeof(a), "  now processing : %llu (%.1f%%)", (unsigned long long)s->cur_item,
		 pct(s->cur_item, s->corpus_count));
	snprintf(b, sizeof(b), "   map density : %.2f%% / %.2f%%", v->cur_density, s->bitmap_cvg);
	row(fr, LOW, a, b);
	snprintf(a, sizeof(a), "  runs timed out : %llu (%.2f%%)",
		 (unsigned long long)v->total_tmouts, pct(v->total_tmouts, s->execs_done));
	snprintf(b, sizeof(b), "count coverage : %.2f bits/tuple", v->count_coverage);
	row(fr, LOW, a, b);
	band(fr, LOW, "stage progress", "findings in depth");
	snprintf(a, sizeof(a), "      now trying : %s", v->now_trying ? v->now_trying : "-");
	snprintf(b, sizeof(b), "favored items : %llu (%.2f%%)",
		 (unsigned long long)s->corpus_favored, pct(s->corpus_favored, s->corpus_count));
	row(fr, LOW, a, b);
	snprintf(a, sizeof(a), "     total execs : %llu", (unsigned long long)s->execs_done);
	snprintf(b, sizeof(b), " new edges on : %llu (%.2f%%)", (unsigned long long)v->new_edges_on,
		 pct(v->new_edges_on, s->corpus_count));
	row(fr, LOW, a, b);
	snprintf(a, sizeof(a), "      exec speed : %.0f/sec%s", s->execs_ps_last_min,
		 s->execs_ps_last_min < 100 ? " (slow!)" : "");
	snprintf(b, sizeof(b), "total crashes : %llu (%llu saved)",
		 (unsigned long long)v->total_crashes, (unsigned long long)s->saved_crashes);
	row(fr, LOW, a, b);
	snprintf(a, sizeof(a), "    exec timeout : %llu ms", (unsigned long long)s->exec_timeout);
	snprintf(b, sizeof(b), " total tmouts : %llu (%llu saved)",
		 (unsigned long long)v->total_tmouts, (unsigned long long)s->saved_hangs);
	row(fr, LOW, a, b);
	band(fr, LOW, "item geometry", "");
	snprintf(a, sizeof(a), "          levels : %llu", (unsigned long long)s->max_depth);
	snprintf(b, sizeof(b), "    stability : %.2f%%", s->stability);
	row(fr, LOW, a, b);
	snprintf(a, sizeof(a), "         pending : %llu", (unsigned long long)s->pending_total);
	snprintf(b, sizeof(b), "     pend fav : %llu", (unsigned long long)s->pending_favs);
	row(fr, LOW, a, b);
	snprintf(a, sizeof(a), "       own finds : %llu", (unsigned long long)s->corpus_found);
	snprintf(b, sizeof(b), "     imported : %llu", (unsigned long long)s->corpus_imported);
	row(fr, LOW, a, b);
	snprintf(a, sizeof(a), "     target mode : %s", s->target_mode ? s->target_mode : "?");
	snprintf(b, sizeof(b), "   auto dict : %llu", (unsigned long long)s->auto_dict_entries);
	row(fr, LOW, a, b);
	band(fr, LOW, "", "");
	if (v->cpu_pct >= 0)
		add(fr, "%*s[cpu: %3.0f%%]", 66, "", v->cpu_pct);
}

/* a window smaller than the screen: the main numbers, a label each */
static void compact(struct frame *fr, const struct ui_view *v)
{
	const struct stats *s = v->s;
	char t[64];
	add(fr, "%s%s", s->afl_version ? s->afl_version : "ferret",
	    v->stopping ? " [stopping]" : "");
	add(fr, "run time : %s", dur(t, sizeof(t), s->run_time));
	add(fr, "last new find : %s", since(t, sizeof(t), v->now_unix, s->last_find, "none yet"));
	add(fr, "corpus count : %llu  cycles done : %llu", (unsigned long long)s->corpus_count,
	    (unsigned long long)s->cycles_done);
	add(fr, "saved crashes : %llu  saved hangs : %llu  unique bugs : %llu",
	    (unsigned long long)s->saved_crashes, (unsigned long long)s->saved_hangs,
	    (unsigned long long)s->unique_bugs);
	add(fr, "exec speed : %.0f/sec  total execs : %llu", s->execs_ps_last_min,
	    (unsigned long long)s->execs_done);
	add(fr, "map density : %.2f%%  stability : %.2f%%", s->bitmap_cvg, s->stability);
}

void ui_draw(const struct ui_view *v)
{
	if (!on)
		return;
	int clear = 0;
	if (resized) {
		resized = 0;
		read_size();
		clear = 1;
	}
	struct frame fr;
	fr.n = 0;
	if (rows >= UI_ROWS && cols >= UI_COLS)
		full(&fr, v);
	else
		compact(&fr, v);
	for (int i = 0; i < v->n_lines; i++)
		add(&fr, "%s", v->lines[i]);
	static char out[UI_LINES * (UI_WIDTH + 8) + 16];
	size_t n = 0;
	n += (size_t)snprintf(out + n, sizeof(out) - n, "%s", clear ? "\033[H\033[2J" : "\033[H");
	int shown = fr.n < rows ? fr.n : rows;
	for (int i = 0; i < shown; i++) {
		size_t len = strlen(fr.line[i]);
		if (len > (size_t)cols)
			len = (size_t)cols;
		memcpy(out + n, fr.line[i], len);
		n += len;
		memcpy(out + n, "\033[K", 3);
		n += 3;
		if (i + 1 < shown) {
			memcpy(out + n, "\r\n", 2);
			n += 2;
		}
	}
	memcpy(out + n, "\033[J", 3);
	n += 3;
	write_all(out, n);
}
