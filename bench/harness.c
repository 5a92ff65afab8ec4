/*
 * harness.c - the benchmark target: a small record parser, built five ways
 * from this one source by bench/run.sh (all at -O2):
 *
 *   cc                          fork mode: one input from stdin, then exit
 *   cc -DPERSISTENT             persistent: the loop of the compiler that built it
 *     with ferret-cc  (__FERRET__)      FERRET_LOOP(N) + FERRET_TESTCASE_BUF/LEN
 *     with afl-clang-fast (__AFL_COMPILER) __AFL_LOOP(N) + __AFL_FUZZ_TESTCASE_BUF/LEN
 *     with plain clang                  bare speed: parse() in a timed loop over
 *                                       the files given as arguments, prints exec/s
 *
 * Input format (nothing here may crash: we measure speed, not bugs):
 *   "FRT" version('1'|'2') then records until the end or 64 of them:
 *     'N' digits ';'       decimal number (optional '-'), saturating
 *     'S' len bytes        length-prefixed string, keywords counted
 *     'A' count bytes      byte array, summed
 *     'K' key '=' val '\n' key/value line, a few keys recognised
 *     'C' byte             checksum of everything so far (mod 256)
 *     '#' ... '\n'         comment
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef LOOP_N
#define LOOP_N 10000
#endif

struct state {
	long num_sum;
	unsigned strings, keywords, arrays, keys, comments, errors;
	unsigned array_sum;
	unsigned char csum;
	int version, checksum_ok, flags;
};

static int match(const uint8_t *p, size_t n, const char *word)
{
	size_t w = strlen(word);
	return n == w && memcmp(p, word, w) == 0;
}

static size_t rec_number(struct state *st, const uint8_t *d, size_t n)
{
	size_t i = 0;
	int neg = 0;
	long v = 0;
	if (i < n && d[i] == '-') {
		neg = 1;
		i++;
	}
	if (i >= n || d[i] < '0' || d[i] > '9') {
		st->errors++;
		return i;
	}
	while (i < n && d[i] >= '0' && d[i] <= '9') {
		if (v > 100000000L)
			v = 100000000L; /* saturate */
		else
			v = v * 10 + (d[i] - '0');
		i++;
	}
	if (i < n && d[i] == ';')
		i++;
	else
		st->errors++;
	if (neg)
		v = -v;
	if (v == 0)
		st->flags |= 1;
	else if (v < 0)
		st->flags |= 2;
	else if (v > 65535)
		st->flags |= 4;
	st->num_sum += v;
	return i;
}

static size_t rec_string(struct state *st, const uint8_t *d, size_t n)
{
	if (n < 1) {
		st->errors++;
		return n;
	}
	size_t len = d[0];
	if (len > n - 1) {
		st->errors++;
		return n;
	}
	const uint8_t *s = d + 1;
	st->strings++;
	if (match(s, len, "true") || match(s, len, "false"))
		st->keywords++;
	else if (match(s, len, "null"))
		st->flags |= 8;
	else if (len > 0 && s[0] == '$')
		st->flags |= 16;
	return 1 + len;
}

static size_t rec_array(struct state *st, const uint8_t *d, size_t n)
{
	if (n < 1) {
		st->errors++;
		return n;
	}
	size_t cnt = d[0] & 0x3f;
	if (cnt > n - 1)
		cnt = n - 1;
	unsigned sum = 0;
	for (size_t i = 0; i < cnt; i++) {
		if (d[1 + i] & 0x80)
			sum += d[1 + i] * 3u;
		else
			sum += d[1 + i];
	}
	st->arrays++;
	st->array_sum += sum;
	if (cnt > 16)
		st->flags |= 32;
	return 1 + cnt;
}

static size_t rec_keyval(struct state *st, const uint8_t *d, size_t n)
{
	size_t eq = 0, nl;
	while (eq < n && d[eq] != '=' && d[eq] != '\n')
		eq++;
	if (eq >= n || d[eq] != '=') {
		st->errors++;
		return eq;
	}
	for (nl = eq + 1; nl < n && d[nl] != '\n'; nl++)
		;
	const uint8_t *val = d + eq + 1;
	size_t vlen = nl - eq - 1;
	st->keys++;
	if (match(d, eq, "mode")) {
		if (match(val, vlen, "fast"))
			st->flags |= 64;
		else if (match(val, vlen, "slow"))
			st->flags |= 128;
	} else if (match(d, eq, "level")) {
		if (vlen == 1 && val[0] >= '0' && val[0] <= '9')
			st->flags |= (val[0] - '0') << 8;
	} else if (match(d, eq, "name")) {
		if (vlen > 8)
			st->flags |= 1 << 12;
	}
	return nl < n ? nl + 1 : nl;
}

static int parse(const uint8_t *d, size_t n)
{
	struct state st;
	memset(&st, 0, sizeof(st));
	if (n < 4 || d[0] != 'F' || d[1] != 'R' || d[2] != 'T')
		return -1;
	if (d[3] == '1')
		st.version = 1;
	else if (d[3] == '2')
		st.version = 2;
	else
		return -2;

	size_t i = 4;
	for (int rec = 0; rec < 64 && i < n; rec++) {
		uint8_t t = d[i++];
		size_t used;
		switch (t) {
		case 'N':
			used = rec_number(&st, d + i, n - i);
			break;
		case 'S':
			used = rec_string(&st, d + i, n - i);
			break;
		case 'A':
			used = rec_array(&st, d + i, n - i);
			break;
		case 'K':
			used = st.version >= 2 ? rec_keyval(&st, d + i, n - i) : 0;
			if (st.version < 2)
				st.errors++;
			break;
		case 'C': {
			unsigned char c = 0;
			for (size_t k = 0; k + 1 < i; k++)
				c = (unsigned char)(c + d[k]);
			st.csum = c;
			st.checksum_ok = i < n && d[i] == c;
			used = i < n ? 1 : 0;
			break;
		}
		case '#':
			for (used = 0; i + used < n && d[i + used] != '\n'; used++)
				;
			if (i + used < n)
				used++;
			st.comments++;
			break;
		default:
			st.errors++;
			used = 0;
			break;
		}
		i += used;
		if (st.errors > 8)
			return -3;
	}
	int score = (int)(st.strings + st.keywords * 2 + st.arrays + st.keys + st.comments);
	if (st.checksum_ok && st.num_sum > 1000 && (st.flags & 64))
		score += 100;
	return score + (int)(st.array_sum & 0xff) + st.flags;
}

static volatile int sink;

#if !defined(PERSISTENT)

/* Fork mode, any compiler: the input is all of stdin. */
int main(void)
{
	static uint8_t buf[1 << 16];
	size_t n = 0;
	ssize_t r;
	while (n < sizeof(buf) && (r = read(0, buf + n, sizeof(buf) - n)) > 0)
		n += (size_t)r;
	sink = parse(buf, n);
	return 0;
}

#elif defined(__FERRET__)

#include <ferret.h>

int main(void)
{
	while (FERRET_LOOP(LOOP_N))
		sink = parse(FERRET_TESTCASE_BUF, FERRET_TESTCASE_LEN);
	return 0;
}

#elif defined(__AFL_COMPILER)

__AFL_FUZZ_INIT();

int main(void)
{
	unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
	while (__AFL_LOOP(LOOP_N))
		sink = parse(buf, (size_t)__AFL_FUZZ_TESTCASE_LEN);
	return 0;
}

#else

/* Bare persistent: parse() in-process on the given files, cycling through
 * them, for BENCH_BARE_SECONDS (default 3); prints "execs SECONDS RATE". */
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	enum { MAXF = 256 };
	static uint8_t *bufs[MAXF];
	static size_t lens[MAXF];
	int nf = 0;
	for (int a = 1; a < argc && nf < MAXF; a++) {
		FILE *f = fopen(argv[a], "rb");
		if (!f)
			continue;
		bufs[nf] = malloc(1 << 16);
		lens[nf] = fread(bufs[nf], 1, 1 << 16, f);
		fclose(f);
		nf++;
	}
	if (nf == 0) {
		fprintf(stderr, "usage: %s FILE...\n", argv[0]);
		return 2;
	}
	const char *s = getenv("BENCH_BARE_SECONDS");
	double secs = s ? atof(s) : 3.0, t0 = now(), t;
	unsigned long long execs = 0;
	do {
		for (int k = 0; k < 4096; k++) {
			int f = (int)(execs % (unsigned)nf);
			/* opaque to the optimiser: no hoisting out of the loop */
			__asm__ volatile("" ::: "memory");
			sink = parse(bufs[f], lens[f]);
			execs++;
		}
		t = now() - t0;
	} while (t < secs);
	printf("%llu %.3f %.0f\n", execs, t, execs / t);
	return 0;
}

#endif
