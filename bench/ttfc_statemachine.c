/* ttfc_statemachine.c - a session protocol of messages (type byte, length
 * byte, payload), each allowed in some states only:
 *   'H' HELLO   start -> hello: "FRT", version 2, a name of 1..16 bytes
 *   'A' AUTH    hello -> auth: a 32-bit token, the FNV-1a hash of the name
 *   'D' DATA    auth or data -> data: a 16-bit sequence number, one more than
 *               the last (the first is 1), then up to 32 bytes, at most 64 in
 *               all
 *   'C' CLOSE   data -> closed: empty; the session buffer is released
 *   'R' RESUME  data or closed: the next sequence number; appends a marker
 *               to the session buffer
 *   'P' PING    any state after hello: anything
 * Any other message, or one out of place, ends the session. RESUME after
 * CLOSE uses the released buffer (the planted bug, caught by a check). Hard
 * because it is five states deep, each state checks its own field (the
 * token is a hash of the earlier name, the sequence number follows the DATA
 * messages), and the crashing message is one the seed never sends
 * (bench/ttfc.sh). */
#include "ttfc.h"

enum state { START, HELLO, AUTH, DATA, CLOSED };
enum { NAME = 16, BUF = 64 };

struct session {
	enum state st;
	uint8_t name[NAME];
	size_t name_len;
	uint16_t seq;
	uint8_t store[BUF];
	uint8_t *buf; /* store while the session is open, NULL after CLOSE */
	size_t used;
};

static uint32_t fnv1a(const uint8_t *p, size_t n)
{
	uint32_t h = 0x811c9dc5u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x01000193u;
	return h;
}

/* Handles one message; 0 ends the session. */
static int step(struct session *s, uint8_t type, const uint8_t *p, size_t len)
{
	switch (type) {
	case 'H':
		if (s->st != START || len < 5 || len > 4 + NAME || memcmp(p, "FRT", 3) != 0 ||
		    p[3] != 2)
			return 0;
		s->name_len = len - 4;
		memcpy(s->name, p + 4, s->name_len);
		s->st = HELLO;
		return 1;
	case 'A':
		if (s->st != HELLO || len != 4 || ttfc_u32(p) != fnv1a(s->name, s->name_len))
			return 0;
		s->buf = s->store;
		s->used = 0;
		s->st = AUTH;
		return 1;
	case 'D':
		if ((s->st != AUTH && s->st != DATA) || len < 2 || len > 2 + 32)
			return 0;
		if (ttfc_u16(p) != (uint16_t)(s->seq + 1) || s->used + (len - 2) > BUF)
			return 0;
		s->seq++;
		memcpy(s->buf + s->used, p + 2, len - 2);
		s->used += len - 2;
		s->st = DATA;
		return 1;
	case 'C':
		if (s->st != DATA || len != 0)
			return 0;
		s->buf = NULL;
		s->st = CLOSED;
		return 1;
	case 'R':
		if ((s->st != DATA && s->st != CLOSED) || len != 2)
			return 0;
		if (ttfc_u16(p) != (uint16_t)(s->seq + 1) || s->used >= BUF)
			return 0;
		if (!s->buf)
			TTFC_CRASH(); /* the planted bug: resuming a closed session */
		s->seq++;
		s->buf[s->used++] = '|';
		return 1;
	case 'P':
		return s->st != START;
	default:
		return 0;
	}
}

static volatile size_t sink;

static void check(const uint8_t *d, size_t n)
{
	struct session s = {.st = START};
	size_t i = 0;
	while (n - i >= 2) {
		size_t len = d[i + 1];
		if (len > n - i - 2 || !step(&s, d[i], d + i + 2, len))
			break;
		i += 2 + len;
	}
	sink = s.used + s.st;
}

static void message(struct ttfc_out *o, char type, const void *p, size_t len)
{
	ttfc_put8(o, (uint8_t)type);
	ttfc_put8(o, (uint8_t)len);
	ttfc_put(o, p, len);
}

/* seed: hello, auth, two DATA, close; answer: the same, then RESUME 3. */
static void sample(int answer, struct ttfc_out *o)
{
	static const char hello[] = "FRT\2alice";
	uint32_t token = fnv1a((const uint8_t *)"alice", 5);
	message(o, 'H', hello, sizeof hello - 1);
	message(o, 'A', &token, 4);
	message(o, 'D', "\1\0hello", 7);
	message(o, 'D', "\2\0world", 7);
	message(o, 'C', "", 0);
	if (answer)
		message(o, 'R', "\3\0", 2);
}
