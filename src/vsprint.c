/*
 * vsprint.c - value streams as text (see vsprint.h): one line per value in
 * request order, named by call site, and the C snippet that replays a
 * stream as a FERRET_EXAMPLE. Decoding is valstream.c's; this file only
 * formats. Not on any hot path: it runs once per `ferret show` file and
 * once per failing test.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "sha1.h"
#include "valstream.h"
#include "vsprint.h"
#include "banned.h"

/* Byte values longer than this are cut, with "..." after the quote. */
#define SHOW_BYTES_MAX 256
/* Bytes per line of the array in a C snippet. */
#define C_BYTES_PER_LINE 12

static const char *name_of(const struct vs_stream *s, uint32_t uid, char *buf, size_t cap)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->rec[i].kind == FERRET_VS_NAME && s->rec[i].uid == uid) {
			snprintf(buf, cap, "%.*s", (int)s->rec[i].len,
				 (const char *)s->rec[i].bytes);
			return buf;
		}
	snprintf(buf, cap, "uid:%08x", uid);
	return buf;
}

static void print_bytes(FILE *out, const uint8_t *p, uint32_t n)
{
	fprintf(out, "bytes[%u] \"", n);
	for (uint32_t i = 0; i < n && i < SHOW_BYTES_MAX; i++) {
		if (p[i] == '"' || p[i] == '\\')
			fprintf(out, "\\%c", p[i]);
		else if (isprint(p[i]))
			fputc(p[i], out);
		else
			fprintf(out, "\\x%02x", p[i]);
	}
	fputs(n > SHOW_BYTES_MAX ? "\"...\n" : "\"\n", out);
}

int vsprint_text(FILE *out, const char *indent, const char *title, const uint8_t *data, size_t len,
		 size_t *values)
{
	struct vs_stream s = {0};
	int err = vs_decode(&s, data, len);
	size_t n = 0, k = 0;
	for (size_t i = 0; i < s.n; i++)
		n += s.rec[i].kind != FERRET_VS_NAME;
	fprintf(out, "%s# %s: value stream v1, seed %016llx, %zu values\n", indent, title,
		(unsigned long long)s.seed, n);
	for (size_t i = 0; i < s.n; i++) {
		const struct vs_record *r = &s.rec[i];
		if (r->kind == FERRET_VS_NAME)
			continue;
		char nb[300];
		fprintf(out, "%s%5zu  %-24s ", indent, ++k, name_of(&s, r->uid, nb, sizeof(nb)));
		if (r->kind == FERRET_VS_INT) {
			if (r->value > 0xffff)
				fprintf(out, "%llu (0x%llx)\n", (unsigned long long)r->value,
					(unsigned long long)r->value);
			else
				fprintf(out, "%llu\n", (unsigned long long)r->value);
		} else if (r->kind == FERRET_VS_BYTES) {
			print_bytes(out, r->bytes, r->len);
		} else {
			fputs("(fresh)\n", out);
		}
	}
	vs_release(&s);
	if (values)
		*values = n;
	return err;
}

/* Writes text inside a C block comment, " * " before each line and any
 * star-slash broken up so that a value cannot end the comment. */
static void print_commented(FILE *out, const char *text)
{
	fputs(" * ", out);
	for (const char *p = text; *p; p++) {
		if (*p == '\n') {
			fputs(p[1] ? "\n * " : "\n", out);
			continue;
		}
		fputc(*p, out);
		if (*p == '*' && p[1] == '/')
			fputc(' ', out);
	}
}

int vsprint_c(FILE *out, const char *test, const char *title, const uint8_t *data, size_t len)
{
	struct vs_stream s = {0};
	int err = vs_decode(&s, data, len);
	vs_release(&s);
	if (err)
		return err;
	char *text = NULL;
	size_t text_len = 0;
	FILE *mem = open_memstream(&text, &text_len);
	if (!mem)
		return FERRET_ENOMEM;
	vsprint_text(mem, "", title, data, len, NULL);
	if (fclose(mem))
		return FERRET_ENOMEM;
	char sha[41];
	sha1_hex(data, len, sha);
	fprintf(out,
		"/*\n * A regression for the FERRET_TEST %s (`ferret show --c`): plain\n"
		" * ./tests runs the test on these values before its saved corpus,\n"
		" * and the test fails while the bug is there. Put it in any file\n"
		" * linked into the test binary.\n *\n",
		test);
	print_commented(out, text);
	fprintf(out,
		" */\n#include <ferret.h>\n\nstatic const unsigned char ferret_example_%.12s[] = {",
		sha);
	for (size_t i = 0; i < len; i++)
		fprintf(out, "%s0x%02x,", i % C_BYTES_PER_LINE ? " " : "\n\t", data[i]);
	fprintf(out, "\n};\nFERRET_EXAMPLE(%s, ferret_example_%.12s);\n", test, sha);
	free(text);
	return 0;
}
