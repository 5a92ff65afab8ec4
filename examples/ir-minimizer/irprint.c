/*
 * irprint.c - the IR's text form on the command line (ir.h):
 *
 *   irprint [FILE]        prints the program in FILE (or stdin) as text,
 *                         one instruction a line; exits 1 with the reason
 *                         when the bytes do not decode
 *   irprint -a [FILE]     assembles text into the binary form on stdout
 *                         (how seeds/ and the tests write programs)
 *   irprint -m [FILE]     prints the program after ir_minimize() (DCE+CSE)
 *   irprint -n [FILE]     prints only the number of instructions
 *
 * Only parses arguments and dispatches; the work is ir.c and irmin.c.
 */
#include "ir.h"
#include "irmin.h"

#include <stdio.h>
#include <string.h>

static size_t slurp(const char *path, char *buf, size_t cap)
{
	FILE *f = path ? fopen(path, "rb") : stdin;
	if (!f) {
		perror(path);
		return (size_t)-1;
	}
	size_t n = fread(buf, 1, cap, f);
	if (path)
		fclose(f);
	return n;
}

int main(int argc, char **argv)
{
	static char in[65536], out[65536];
	static struct ir_prog p;
	char mode = 'p';
	int i = 1;
	if (i < argc && argv[i][0] == '-' && argv[i][1] && !argv[i][2] && strchr("amn", argv[i][1]))
		mode = argv[i++][1];
	if (argc > i + 1 || (i < argc && argv[i][0] == '-')) {
		fprintf(stderr, "usage: irprint [-a | -m | -n] [FILE]\n");
		return 2;
	}
	const char *path = i < argc ? argv[i] : NULL;
	size_t n = slurp(path, in, sizeof in - 1);
	if (n == (size_t)-1)
		return 2;
	if (mode == 'a') {
		size_t line;
		in[n] = '\0';
		if (ir_parse(&p, in, &line)) {
			fprintf(stderr, "irprint: %s:%zu: cannot parse this line\n",
				path ? path : "-", line);
			return 1;
		}
		size_t len = ir_encode(&p, (uint8_t *)out);
		return fwrite(out, 1, len, stdout) == len ? 0 : 1;
	}
	int err = ir_decode(&p, (const uint8_t *)in, n, NULL);
	if (err) {
		fprintf(stderr, "irprint: %s: rejected: %s\n", path ? path : "-", ir_strerror(err));
		return 1;
	}
	if (mode == 'm')
		ir_minimize(&p);
	if (mode == 'n') {
		printf("%zu\n", p.n);
		return 0;
	}
	ir_print(&p, out, sizeof out);
	fputs(out, stdout);
	return 0;
}
