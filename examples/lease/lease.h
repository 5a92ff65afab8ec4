/*
 * lease.h - a small DHCP-like lease client (the example under test). The
 * client is driven from outside: messages from servers go in through
 * lease_input(), the clock through lease_timer() when the deadline of
 * lease_deadline() is reached. What it sends comes back in *out. It owns
 * no sockets and reads no clock, so a test can replay any order of events.
 */
#ifndef LEASE_H
#define LEASE_H

#include <stdint.h>

enum lease_state {
	LEASE_INIT,
	LEASE_SELECTING,
	LEASE_REQUESTING,
	LEASE_BOUND,
	LEASE_RENEWING,
	LEASE_REBINDING
};

enum lease_op {
	LEASE_NONE,     /* nothing sent */
	LEASE_DISCOVER, /* client: looking for a server */
	LEASE_REQUEST,  /* client: asking for (or to extend) an address */
	LEASE_OFFER,    /* server: an address on offer */
	LEASE_ACK,      /* server: the address is yours for lease_s seconds */
	LEASE_NAK,      /* server: no */
};

struct lease_msg {
	enum lease_op op;
	uint32_t xid;     /* transaction id: a reply carries its request's */
	uint32_t addr;    /* OFFER, ACK, REQUEST: the address */
	uint32_t lease_s; /* ACK: lease time in seconds, counted from the request */
};

#define LEASE_NO_DEADLINE UINT64_MAX

struct lease {
	enum lease_state state;
	uint32_t xid;     /* the transaction in flight; 0: none */
	uint32_t xid_rng; /* xorshift32 state for new transaction ids */
	uint32_t addr;    /* offered (SELECTING on), then leased address */
	uint64_t sent_s;  /* when the last request went out */
	uint64_t t1_s, t2_s, expiry_s;
	uint64_t deadline_s; /* the next timer, LEASE_NO_DEADLINE if none */
};

/* Starts in INIT with a timer due at now_s; seed (non-zero) picks the xids. */
void lease_init(struct lease *c, uint32_t seed, uint64_t now_s);
/* Handles one message from a server at time now_s; *out is what the client
 * sends in reply (op LEASE_NONE when nothing). Stray messages are ignored. */
void lease_input(struct lease *c, const struct lease_msg *m, uint64_t now_s, struct lease_msg *out);
/* The time at which lease_timer() must be called next. */
uint64_t lease_deadline(const struct lease *c);
/* The timer of the current state fired at now_s (>= lease_deadline()). */
void lease_timer(struct lease *c, uint64_t now_s, struct lease_msg *out);

#endif
