/*
 * lease.c - the lease client's state machine (RFC 2131 section 4.4, cut
 * down). INIT waits, then DISCOVERs (SELECTING); an OFFER with our xid
 * makes it REQUEST the address with the same xid (REQUESTING); an ACK binds
 * it (BOUND) with the lease counted from when the request was sent; at T1
 * (half the lease) it asks its server again with a new xid (RENEWING), at
 * T2 (7/8) anyone with yet another xid (REBINDING), and at expiry it gives
 * the address up (INIT). A NAK in REQUESTING, RENEWING or REBINDING sends it
 * back to INIT. A reply is taken only if its xid is the one in flight.
 *
 * The planted bug: a NAK while RENEWING or REBINDING drops the address but
 * leaves the transaction id in flight, so a late ACK for the request the
 * server has just refused is taken in INIT, and the client binds an address
 * the server said no to. Reaching it takes one particular order: a whole
 * DISCOVER/OFFER/REQUEST/ACK exchange, the T1 timer, a NAK with the renewal
 * xid, then an ACK with that same xid. Build with -DLEASE_FIXED for the
 * fixed client.
 */
#include "lease.h"

#define INIT_WAIT_S 10 /* INIT: wait before DISCOVER */
#define REPLY_WAIT_S 4 /* SELECTING, REQUESTING: wait for a reply */

static uint32_t new_xid(struct lease *c)
{
	uint32_t x = c->xid_rng;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	c->xid_rng = x;
	return x; /* never 0: xorshift32 never reaches it from a non-zero state */
}

static void transmit(struct lease *c, enum lease_op op, uint64_t now_s, struct lease_msg *out)
{
	out->op = op;
	out->xid = c->xid;
	out->addr = op == LEASE_REQUEST ? c->addr : 0;
	out->lease_s = 0;
	c->sent_s = now_s;
}

static void enter(struct lease *c, enum lease_state st, uint64_t deadline_s)
{
	c->state = st;
	c->deadline_s = deadline_s;
}

static void restart(struct lease *c, uint64_t now_s)
{
	c->xid = 0;
	c->addr = 0;
	enter(c, LEASE_INIT, now_s + INIT_WAIT_S);
}

void lease_init(struct lease *c, uint32_t seed, uint64_t now_s)
{
	c->xid_rng = seed ? seed : 1;
	c->xid = c->addr = 0;
	c->sent_s = c->t1_s = c->t2_s = c->expiry_s = 0;
	enter(c, LEASE_INIT, now_s);
}

static void bind_lease(struct lease *c, uint32_t lease_s)
{
	uint64_t base = c->sent_s; /* RFC 2131 4.4.1: from the request, not the reply */
	c->t1_s = base + (uint64_t)lease_s / 2;
	c->t2_s = base + (uint64_t)lease_s * 7 / 8;
	c->expiry_s = base + lease_s;
	c->xid = 0;
	enter(c, LEASE_BOUND, c->t1_s);
}

void lease_input(struct lease *c, const struct lease_msg *m, uint64_t now_s, struct lease_msg *out)
{
	out->op = LEASE_NONE;
	if (!c->xid || m->xid != c->xid)
		return; /* not a reply to anything in flight */
	switch (m->op) {
	case LEASE_OFFER:
		if (c->state != LEASE_SELECTING)
			return;
		c->addr = m->addr;
		transmit(c, LEASE_REQUEST, now_s, out); /* same xid, as RFC 2131 asks */
		enter(c, LEASE_REQUESTING, now_s + REPLY_WAIT_S);
		return;
	case LEASE_ACK:
		if (c->state == LEASE_SELECTING)
			return;
		if (c->state == LEASE_REQUESTING && m->addr != c->addr)
			return; /* not what we asked for */
		c->addr = m->addr;
		bind_lease(c, m->lease_s);
		return;
	case LEASE_NAK:
		if (c->state == LEASE_REQUESTING) {
			restart(c, now_s);
		} else if (c->state == LEASE_RENEWING || c->state == LEASE_REBINDING) {
			c->addr = 0;
#ifdef LEASE_FIXED
			c->xid = 0;
#endif
			enter(c, LEASE_INIT, now_s + INIT_WAIT_S);
		}
		return;
	default:
		return;
	}
}

uint64_t lease_deadline(const struct lease *c)
{
	return c->deadline_s;
}

void lease_timer(struct lease *c, uint64_t now_s, struct lease_msg *out)
{
	out->op = LEASE_NONE;
	switch (c->state) {
	case LEASE_INIT:
		c->xid = new_xid(c);
		transmit(c, LEASE_DISCOVER, now_s, out);
		enter(c, LEASE_SELECTING, now_s + REPLY_WAIT_S);
		break;
	case LEASE_SELECTING:
	case LEASE_REQUESTING:
		restart(c, now_s); /* nobody answered */
		break;
	case LEASE_BOUND:
		c->xid = new_xid(c);
		transmit(c, LEASE_REQUEST, now_s, out);
		enter(c, LEASE_RENEWING, c->t2_s);
		break;
	case LEASE_RENEWING:
		c->xid = new_xid(c);
		transmit(c, LEASE_REQUEST, now_s, out);
		enter(c, LEASE_REBINDING, c->expiry_s);
		break;
	case LEASE_REBINDING:
		restart(c, now_s); /* the lease ran out */
		break;
	}
}
