/*
 * cmd_show.c - `ferret show FILE...`: renders a value stream (the input of
 * a FERRET_TEST, see src/core/valstream.h) as text, one value per line in
 * request order, each with the call site that asked for it (file:line or
 * its label, from the stream's NAME records), for humans and for diffs.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "config.h"
#include "errors.h"
#include "log.h"
#include "store.h"
#include "valstream.h"
#include "banned.h"

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

static void print_bytes(const uint8_t *p, uint32_t n)
{
	printf("bytes[%u] \"", n);
	for (uint32_t i = 0; i < n && i < 256; i++) {
		if (p[i] == '"' || p[i] == '\\')
			printf("\\%c", p[i]);
		else if (isprint(p[i]))
			putchar(p[i]);
		else
			printf("\\x%02x", p[i]);
	}
	printf(n > 256 ? "\"...\n" : "\"\n");
}

static int show(const char *path)
{
	uint8_t *data;
	size_t len;
	if (store_read(path, CFG_MAX_REPLAY_BYTES, &data, &len, NULL))
		return 1;
	struct vs_stream s = {0};
	int err = vs_decode(&s, data, len);
	size_t values = 0, k = 0;
	for (size_t i = 0; i < s.n; i++)
		values += s.rec[i].kind != FERRET_VS_NAME;
	printf("# %s: value stream v1, seed %016llx, %zu values\n", path,
	       (unsigned long long)s.seed, values);
	for (size_t i = 0; i < s.n; i++) {
		const struct vs_record *r = &s.rec[i];
		if (r->kind == FERRET_VS_NAME)
			continue;
		char nb[300];
		printf("%5zu  %-24s ", ++k, name_of(&s, r->uid, nb, sizeof(nb)));
		if (r->kind == FERRET_VS_INT) {
			if (r->value > 0xffff)
				printf("%llu (0x%llx)\n", (unsigned long long)r->value,
				       (unsigned long long)r->value);
			else
				printf("%llu\n", (unsigned long long)r->value);
		} else if (r->kind == FERRET_VS_BYTES) {
			print_bytes(r->bytes, r->len);
		} else {
			printf("(fresh)\n");
		}
	}
	fflush(stdout);
	vs_release(&s);
	free(data);
	if (err == FERRET_EPARSE) {
		log_info("'%s' is not a whole value stream: %s after %zu values", path,
			 len < 12 ? "no header" : "truncated or corrupt", values);
		return 1;
	}
	return err ? 1 : 0;
}

static const char *const show_synopsis[] = {"ferret show FILE...", NULL};

const struct usage show_usage = {
	.page = "ferret-show",
	.synopsis = show_synopsis,
	.description = "Renders value streams (the inputs of FERRET_TESTs) as text: one value\n"
		       "per line, in request order, with the call site that asked for it.",
	.see_also = "ferret(1), ferret-fuzz(1)",
};

int cmd_show(int argc, char **argv)
{
	if (argc < 2) {
		log_info("usage: ferret show FILE... (a FERRET_TEST's value stream)");
		return 1;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage_print(stdout, &show_usage);
		return 0;
	}
	int rc = 0;
	for (int i = 1; i < argc; i++)
		rc |= show(argv[i]);
	return rc;
}
