/*
 * artifact.c - libFuzzer's artifact files (see artifact.h). The names and
 * the two announcement lines are libFuzzer's (FuzzerLoop.cpp
 * WriteUnitToFileWithPrefix); the write is ferret's store, atomic.
 */
#include <stdio.h>
#include <unistd.h>

#include "artifact.h"
#include "config.h"
#include "options.h"
#include "sha1.h"
#include "store.h"
#include "banned.h"

static char last[4096];

static void print_base64(const uint8_t *d, size_t n)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	fprintf(stderr, "Base64: ");
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)d[i] << 16 | (i + 1 < n ? (uint32_t)d[i + 1] << 8 : 0) |
			     (i + 2 < n ? d[i + 2] : 0);
		fputc(tab[v >> 18 & 63], stderr);
		fputc(tab[v >> 12 & 63], stderr);
		fputc(i + 1 < n ? tab[v >> 6 & 63] : '=', stderr);
		fputc(i + 2 < n ? tab[v & 63] : '=', stderr);
	}
	fputc('\n', stderr);
}

int artifact_write(const struct lf_opts *o, const char *kind, const char *sha, const uint8_t *data,
		   size_t len)
{
	char own[41], path[4096];
	const char *prefix = *o->artifact_prefix ? o->artifact_prefix : "./";
	if (!sha) {
		sha1_hex(data, len, own);
		sha = own;
	}
	int n = *o->exact_artifact_path
			? snprintf(path, sizeof(path), "%s", o->exact_artifact_path)
			: snprintf(path, sizeof(path), "%s%s-%s", prefix, kind, sha);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		fprintf(stderr, "ERROR: artifact path too long: '%s'\n", path);
		return -1;
	}
	if (store_write_path(path, data, len)) {
		/* A full disk, a quota: the input is the finding, so it goes to
		 * stderr before anything else, then the write is tried again
		 * (the store never leaves a partial file behind). */
		fprintf(stderr, "ERROR: cannot write the artifact %s; the input, %zu bytes:\n",
			path, len);
		for (size_t i = 0; i < len; i++)
			fprintf(stderr, "0x%02x,", data[i]);
		fputc('\n', stderr);
		print_base64(data, len);
		int err = -1;
		for (int tries = 0; tries < CFG_ARTIFACT_RETRIES && err; tries++) {
			sleep(1);
			err = store_write_path(path, data, len);
		}
		if (err)
			return -1;
	}
	snprintf(last, sizeof(last), "%s", path);
	fprintf(stderr, "artifact_prefix='%s'; Test unit written to %s\n", prefix, path);
	if (len <= 4096)
		print_base64(data, len);
	return 0;
}

const char *artifact_last(void)
{
	return last;
}
