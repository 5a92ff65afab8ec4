/*
 * lease_model.h - the protocol of lease.c written out state by state, with
 * none of the client's bookkeeping: what lease_test.c checks the client
 * against, and bench/lease_bytes.c too (one model, so that the structured
 * and the byte-level hunts look for the same bug). The includer defines
 * LEASE_MODEL_CHECK(cond), how a broken expectation fails: FERRET_ASSERT in
 * the FERRET_TEST, abort() in the byte harness.
 */
#ifndef LEASE_MODEL_H
#define LEASE_MODEL_H

#include <stdint.h>

#include "lease.h"

#ifndef LEASE_MODEL_CHECK
#error "define LEASE_MODEL_CHECK(cond) before including lease_model.h"
#endif

struct model {
	enum lease_state st;
	uint32_t xid; /* the request in flight; 0: none */
	uint32_t addr;
	uint64_t sent_s, t1_s, t2_s, expiry_s, due_s;
};

static void model_restart(struct model *m, uint64_t now_s)
{
	m->st = LEASE_INIT;
	m->xid = m->addr = 0;
	m->due_s = now_s + 10;
}

/* The request the model expects for a timer in state st, LEASE_NONE if none. */
static enum lease_op model_timer(struct model *m, uint64_t now_s, const struct lease_msg *out)
{
	switch (m->st) {
	case LEASE_INIT:
		m->st = LEASE_SELECTING;
		m->due_s = now_s + 4;
		m->xid = out->xid;
		m->sent_s = now_s;
		return LEASE_DISCOVER;
	case LEASE_BOUND:
	case LEASE_RENEWING:
		LEASE_MODEL_CHECK(out->xid != m->xid); /* a new transaction */
		m->st = m->st == LEASE_BOUND ? LEASE_RENEWING : LEASE_REBINDING;
		m->due_s = m->st == LEASE_RENEWING ? m->t2_s : m->expiry_s;
		m->xid = out->xid;
		m->sent_s = now_s;
		return LEASE_REQUEST;
	default: /* SELECTING, REQUESTING: no answer; REBINDING: lease over */
		model_restart(m, now_s);
		return LEASE_NONE;
	}
}

static enum lease_op model_input(struct model *m, const struct lease_msg *in, uint64_t now_s)
{
	int waiting =
		m->st == LEASE_REQUESTING || m->st == LEASE_RENEWING || m->st == LEASE_REBINDING;
	if (!m->xid || in->xid != m->xid)
		return LEASE_NONE;
	if (in->op == LEASE_OFFER && m->st == LEASE_SELECTING) {
		m->st = LEASE_REQUESTING;
		m->addr = in->addr;
		m->sent_s = now_s;
		m->due_s = now_s + 4;
		return LEASE_REQUEST;
	}
	if (in->op == LEASE_ACK && waiting && (m->st != LEASE_REQUESTING || in->addr == m->addr)) {
		m->st = LEASE_BOUND;
		m->xid = 0;
		m->addr = in->addr;
		m->t1_s = m->sent_s + in->lease_s / 2;
		m->t2_s = m->sent_s + (uint64_t)in->lease_s * 7 / 8;
		m->expiry_s = m->sent_s + in->lease_s;
		m->due_s = m->t1_s;
	} else if (in->op == LEASE_NAK && waiting) {
		model_restart(m, now_s);
	}
	return LEASE_NONE;
}

#endif
