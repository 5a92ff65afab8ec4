/*
 * lease_bytes.c - the lease client of examples/lease checked against the
 * same model as lease_test.c, but as a plain libFuzzer harness over raw
 * bytes, decoded FuzzedDataProvider-style, front to back, in the order the
 * FERRET_TEST draws its values:
 *   seed            4 bytes (little endian)
 *   then per step, until the data runs out:
 *   event           1 byte, mod 4: timer, OFFER, ACK, NAK
 *   *.xid           1 byte, mod (recent + 1): one of the client's recent
 *                   requests (0 = the latest), or the last choice: any
 *                   number, 4 more bytes
 *   offer.addr      4 bytes
 *   ack.other_addr  1 byte, odd: another address, 4 more bytes; even: the
 *                   address asked for
 *   ack.lease       4 bytes, mod 86401 (0..86400 seconds)
 * Values cut short by the end of the data take the bytes that are left (0
 * if none). abort() on any disagreement with the model. Built by
 * bench/structured.sh with ferret-cc -fsanitize=fuzzer and with
 * clang -fsanitize=fuzzer.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "lease.h"

#define RECENT 4 /* a reply may answer one of the last RECENT requests */

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

/* the model: lease_test.c's, one copy (examples/lease/lease_model.h) */
#define LEASE_MODEL_CHECK CHECK
#include "lease_model.h"

/* --- the decoder ----------------------------------------------------------- */

struct input {
	const uint8_t *p;
	size_t n;
};

static uint8_t take_u8(struct input *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static uint32_t take_u32(struct input *in)
{
	uint32_t v = 0;
	for (int i = 0; i < 4 && in->n; i++)
		v |= (uint32_t)take_u8(in) << (8 * i);
	return v;
}

/* lease_test.c's pick_xid: one of the n recent xids, or any number */
static uint32_t take_xid(struct input *in, const uint32_t *recent, size_t n)
{
	size_t k = take_u8(in) % (n + 1);
	return k < n ? recent[k] : take_u32(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input b = {data, size};
	uint32_t recent[RECENT] = {0};
	size_t n_recent = 0;
	uint64_t now_s = 0;
	struct lease c;
	struct model m = {.st = LEASE_INIT, .due_s = 0};
	lease_init(&c, take_u32(&b), now_s);
	while (b.n) {
		struct lease_msg in = {LEASE_NONE, 0, 0, 0}, out;
		enum lease_op want;
		switch (take_u8(&b) % 4) {
		case 0:
			CHECK(lease_deadline(&c) == m.due_s);
			now_s = m.due_s;
			lease_timer(&c, now_s, &out);
			want = model_timer(&m, now_s, &out);
			break;
		case 1:
			in.op = LEASE_OFFER;
			in.xid = take_xid(&b, recent, n_recent);
			in.addr = take_u32(&b);
			lease_input(&c, &in, now_s, &out);
			want = model_input(&m, &in, now_s);
			break;
		case 2:
			in.op = LEASE_ACK;
			in.xid = take_xid(&b, recent, n_recent);
			/* a server acks the address asked for, or another one */
			in.addr = take_u8(&b) & 1 ? take_u32(&b) : m.addr;
			in.lease_s = take_u32(&b) % 86401;
			lease_input(&c, &in, now_s, &out);
			want = model_input(&m, &in, now_s);
			break;
		default:
			in.op = LEASE_NAK;
			in.xid = take_xid(&b, recent, n_recent);
			lease_input(&c, &in, now_s, &out);
			want = model_input(&m, &in, now_s);
			break;
		}
		CHECK(out.op == want);
		if (want != LEASE_NONE) {
			CHECK(out.xid != 0 && out.xid == m.xid);
			CHECK(want != LEASE_REQUEST || out.addr == m.addr);
			for (size_t i = n_recent < RECENT ? n_recent++ : RECENT - 1; i > 0; i--)
				recent[i] = recent[i - 1];
			recent[0] = out.xid;
		}
		CHECK(c.state == m.st);
		CHECK(c.addr == m.addr);
		CHECK(lease_deadline(&c) == m.due_s);
	}
	return 0;
}
