/*
 * lease_test.c - the lease client checked against a model, as a
 * FERRET_TEST. The test plays the network and the clock: each step is a
 * timer (the clock jumps to the client's deadline) or a message from a
 * server (OFFER, ACK or NAK) whose xid is one the client sent lately, or
 * any number. The model is the protocol written out state by state, with
 * none of the client's bookkeeping; after every step the two must agree on
 * what was sent, the state, the address and the next deadline.
 *
 *   ferret-cc --fuzzer -o lease_test lease_test.c lease.c
 *   ./lease_test --fuzz lease_matches_model -V 60
 *
 * Every value is labelled, so `ferret show` of a failure reads as the
 * order of events: "event" (0 timer, 1 OFFER, 2 ACK, 3 NAK), then that
 * message's "offer.xid", "ack.xid", "ack.lease"...
 */
#include <ferret.h>

#include "lease.h"
#define LEASE_MODEL_CHECK FERRET_ASSERT
#include "lease_model.h"

#define RECENT 4 /* a reply may answer one of the last RECENT requests */

/* The xid of a server's message: one of the client's recent requests
 * (0 = the latest), or any number. */
static uint32_t pick_xid(ferret_smith *s, const char *label, const uint32_t *recent, size_t n)
{
	size_t k = ferret_pick_l(s, label, n + 1);
	return k < n ? recent[k] : ferret_u32_l(s, "xid.any");
}

FERRET_TEST(lease_matches_model, s)
{
	uint32_t recent[RECENT] = {0};
	size_t n_recent = 0;
	uint64_t now_s = 0;
	struct lease c;
	struct model m = {.st = LEASE_INIT, .due_s = 0};
	lease_init(&c, ferret_u32_l(s, "seed"), now_s);
	while (!ferret_eos_l(s, "end")) {
		struct lease_msg in = {LEASE_NONE, 0, 0, 0}, out;
		enum lease_op want;
		switch (ferret_pick_l(s, "event", 4)) {
		case 0:
			FERRET_ASSERT(lease_deadline(&c) == m.due_s);
			now_s = m.due_s;
			lease_timer(&c, now_s, &out);
			want = model_timer(&m, now_s, &out);
			break;
		case 1:
			in.op = LEASE_OFFER;
			in.xid = pick_xid(s, "offer.xid", recent, n_recent);
			in.addr = ferret_u32_l(s, "offer.addr");
			lease_input(&c, &in, now_s, &out);
			want = model_input(&m, &in, now_s);
			break;
		case 2:
			in.op = LEASE_ACK;
			in.xid = pick_xid(s, "ack.xid", recent, n_recent);
			/* a server acks the address asked for, or another one */
			in.addr = ferret_bool_l(s, "ack.other_addr") ? ferret_u32_l(s, "ack.addr")
								     : m.addr;
			in.lease_s = ferret_range_l(s, "ack.lease", 0, 86400);
			lease_input(&c, &in, now_s, &out);
			want = model_input(&m, &in, now_s);
			break;
		default:
			in.op = LEASE_NAK;
			in.xid = pick_xid(s, "nak.xid", recent, n_recent);
			lease_input(&c, &in, now_s, &out);
			want = model_input(&m, &in, now_s);
			break;
		}
		FERRET_ASSERT(out.op == want);
		if (want != LEASE_NONE) {
			FERRET_ASSERT(out.xid != 0 && out.xid == m.xid);
			FERRET_ASSERT(want != LEASE_REQUEST || out.addr == m.addr);
			for (size_t i = n_recent < RECENT ? n_recent++ : RECENT - 1; i > 0; i--)
				recent[i] = recent[i - 1];
			recent[0] = out.xid;
		}
		FERRET_ASSERT(c.state == m.st);
		FERRET_ASSERT(c.addr == m.addr);
		FERRET_ASSERT(lease_deadline(&c) == m.due_s);
	}
}
