/* ttfc_textproto.c - a text protocol: a request line "TXP/1 VERB" (GET, PUT
 * or POST), header lines "Key: value" (From, To, Kind, Sum; each at most
 * once, Sum required, values 1..31 bytes), an empty line, then the body.
 * Sum is decimal and must equal the sum of the body's bytes. A request of
 * Kind "script" whose body starts with "#!" crashes. Hard because the body
 * only matters once the decimal checksum matches, and changing the body
 * changes the sum: the digits and the body must change together
 * (bench/ttfc.sh). */
#include "ttfc.h"

enum { VAL = 32 };

/* Reads one line of d[*i..n) into buf (without the '\n'); 0 if there is no
 * '\n' or the line does not fit. */
static int line(const uint8_t *d, size_t n, size_t *i, char *buf, size_t cap)
{
	size_t k = 0;
	while (*i < n && d[*i] != '\n') {
		if (k + 1 >= cap)
			return 0;
		buf[k++] = (char)d[(*i)++];
	}
	if (*i == n)
		return 0;
	(*i)++;
	buf[k] = 0;
	return 1;
}

/* The decimal value of s (1..10 digits, nothing else) in *v, or 0. */
static int decimal(const char *s, uint64_t *v)
{
	size_t k = 0;
	*v = 0;
	for (; s[k]; k++) {
		if (s[k] < '0' || s[k] > '9' || k == 10)
			return 0;
		*v = *v * 10 + (uint64_t)(s[k] - '0');
	}
	return k > 0;
}

static volatile size_t sink;

static void check(const uint8_t *d, size_t n)
{
	static const char *const keys[] = {"From", "To", "Kind", "Sum"};
	char buf[64], val[4][VAL];
	int seen[4] = {0};
	size_t i = 0;
	if (!line(d, n, &i, buf, sizeof buf) || strncmp(buf, "TXP/1 ", 6) != 0)
		return;
	const char *verb = buf + 6;
	int put = strcmp(verb, "PUT") == 0;
	if (!put && strcmp(verb, "GET") != 0 && strcmp(verb, "POST") != 0)
		return;
	for (;;) {
		if (!line(d, n, &i, buf, sizeof buf))
			return;
		if (buf[0] == 0)
			break;
		char *colon = strchr(buf, ':');
		if (!colon || colon[1] != ' ' || colon[2] == 0 || strlen(colon + 2) >= VAL)
			return;
		*colon = 0;
		size_t k = 0;
		while (k < 4 && strcmp(buf, keys[k]) != 0)
			k++;
		if (k == 4 || seen[k])
			return;
		seen[k] = 1;
		memcpy(val[k], colon + 2, strlen(colon + 2) + 1);
	}
	uint64_t sum, body = 0;
	if (!seen[3] || !decimal(val[3], &sum))
		return;
	for (size_t j = i; j < n; j++)
		body += d[j];
	if (body != sum)
		return;
	if (seen[2] && strcmp(val[2], "script") == 0 && n - i >= 2 && d[i] == '#' &&
	    d[i + 1] == '!')
		TTFC_CRASH();
	sink += put + (n - i);
}

static void message(struct ttfc_out *o, const char *kind, const char *body)
{
	uint64_t sum = 0;
	char digits[24];
	size_t k = sizeof digits;
	for (const char *p = body; *p; p++)
		sum += (uint8_t)*p;
	digits[--k] = 0;
	do {
		digits[--k] = (char)('0' + sum % 10);
		sum /= 10;
	} while (sum);
	ttfc_puts(o, "TXP/1 POST\nFrom: alice\nTo: bob\nKind: ");
	ttfc_puts(o, kind);
	ttfc_puts(o, "\nSum: ");
	ttfc_puts(o, digits + k);
	ttfc_puts(o, "\n\n");
	ttfc_puts(o, body);
}

/* seed: a note; answer: a script starting with "#!". */
static void sample(int answer, struct ttfc_out *o)
{
	if (answer)
		message(o, "script", "#!/bin/sh\necho hi\n");
	else
		message(o, "note", "hello, world\n");
}
