"""The lease bug of examples/lease, for Hypothesis.

The same lease client as examples/lease/lease.c, planted bug included (a
NAK while RENEWING or REBINDING leaves the renewal's xid in flight, so a
late ACK for it is taken in INIT), and the same model and checks as
lease_test.c. The test plays the network and the clock: an event list,
each a timer or a server's OFFER, ACK or NAK whose xid answers one of the
client's last four requests (choice 0 = the latest) or is any number.
"""
from hypothesis import strategies as st

INIT, SELECTING, REQUESTING, BOUND, RENEWING, REBINDING = range(6)
INIT_WAIT_S, REPLY_WAIT_S, RECENT = 10, 4, 4


class Client:
    """lease.c: the reply is taken when its xid is the one in flight."""

    def __init__(self, seed):
        self.rng = seed or 1
        self.state, self.xid, self.addr = INIT, 0, 0
        self.sent = self.t1 = self.t2 = self.expiry = 0
        self.deadline = 0

    def _new_xid(self):
        x = self.rng
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        self.rng = x
        return x

    def _send(self, op, now):
        self.sent = now
        return (op, self.xid, self.addr if op == "request" else 0)

    def _restart(self, now):
        self.state, self.xid, self.addr = INIT, 0, 0
        self.deadline = now + INIT_WAIT_S

    def input(self, op, xid, addr, lease, now):
        if not self.xid or xid != self.xid:
            return None
        if op == "offer":
            if self.state != SELECTING:
                return None
            self.addr = addr
            out = self._send("request", now)
            self.state, self.deadline = REQUESTING, now + REPLY_WAIT_S
            return out
        if op == "ack":
            if self.state == SELECTING:
                return None
            if self.state == REQUESTING and addr != self.addr:
                return None
            self.addr = addr
            self.t1 = self.sent + lease // 2
            self.t2 = self.sent + lease * 7 // 8
            self.expiry = self.sent + lease
            self.xid = 0
            self.state, self.deadline = BOUND, self.t1
            return None
        if self.state == REQUESTING:  # nak
            self._restart(now)
        elif self.state in (RENEWING, REBINDING):
            self.addr = 0  # the bug: self.xid stays in flight
            self.state, self.deadline = INIT, now + INIT_WAIT_S
        return None

    def timer(self, now):
        if self.state == INIT:
            self.xid = self._new_xid()
            out = self._send("discover", now)
            self.state, self.deadline = SELECTING, now + REPLY_WAIT_S
            return out
        if self.state == BOUND:
            self.xid = self._new_xid()
            out = self._send("request", now)
            self.state, self.deadline = RENEWING, self.t2
            return out
        if self.state == RENEWING:
            self.xid = self._new_xid()
            out = self._send("request", now)
            self.state, self.deadline = REBINDING, self.expiry
            return out
        self._restart(now)
        return None


class Model:
    """lease_test.c's model: the protocol state by state."""

    def __init__(self):
        self.st, self.xid, self.addr = INIT, 0, 0
        self.sent = self.t1 = self.t2 = self.expiry = self.due = 0

    def _restart(self, now):
        self.st, self.xid, self.addr, self.due = INIT, 0, 0, now + 10

    def timer(self, now, out):
        if self.st == INIT:
            self.st, self.due, self.xid, self.sent = SELECTING, now + 4, out[1], now
            return "discover"
        if self.st in (BOUND, RENEWING):
            assert out[1] != self.xid
            self.st = RENEWING if self.st == BOUND else REBINDING
            self.due = self.t2 if self.st == RENEWING else self.expiry
            self.xid, self.sent = out[1], now
            return "request"
        self._restart(now)
        return None

    def input(self, op, xid, addr, lease, now):
        waiting = self.st in (REQUESTING, RENEWING, REBINDING)
        if not self.xid or xid != self.xid:
            return None
        if op == "offer" and self.st == SELECTING:
            self.st, self.addr, self.sent, self.due = REQUESTING, addr, now, now + 4
            return "request"
        if op == "ack" and waiting and (self.st != REQUESTING or addr == self.addr):
            self.st, self.xid, self.addr = BOUND, 0, addr
            self.t1 = self.sent + lease // 2
            self.t2 = self.sent + lease * 7 // 8
            self.expiry = self.sent + lease
            self.due = self.t1
        elif op == "nak" and waiting:
            self._restart(now)
        return None


U32 = st.integers(0, 2**32 - 1)
XID = st.integers(0, RECENT)  # < number of recent requests: that one; else xid_any
EVENT = st.one_of(
    st.tuples(st.just("timer")),
    st.tuples(st.just("offer"), XID, U32, U32),  # xid choice, xid_any, addr
    st.tuples(st.just("ack"), XID, U32, st.booleans(), U32, st.integers(0, 86400)),
    st.tuples(st.just("nak"), XID, U32),
)
STRATEGY = st.tuples(U32, st.lists(EVENT))  # the client's xid seed, the events


def check(example):
    seed, events = example
    c, m = Client(seed), Model()
    recent, now = [], 0
    for ev in events:
        kind = ev[0]
        if kind == "timer":
            assert c.deadline == m.due
            now = m.due
            out = c.timer(now)
            want = m.timer(now, out)
        else:
            k, xid_any = ev[1], ev[2]
            xid = recent[k] if k < len(recent) else xid_any
            addr, lease = 0, 0
            if kind == "offer":
                addr = ev[3]
            elif kind == "ack":
                addr = ev[4] if ev[3] else m.addr
                lease = ev[5]
            out = c.input(kind, xid, addr, lease, now)
            want = m.input(kind, xid, addr, lease, now)
        assert (out[0] if out else None) == want
        if want:
            assert out[1] != 0 and out[1] == m.xid
            assert want != "request" or out[2] == m.addr
            recent = [out[1]] + recent[:RECENT - 1]
        assert c.state == m.st
        assert c.addr == m.addr
        assert c.deadline == m.due


def show(example):
    """One line: the events, a reply with its xid choice (0 = latest)."""
    words = []
    for ev in example[1]:
        if ev[0] == "timer":
            words.append("timer")
        elif ev[0] == "ack":
            words.append("ack(xid#%d,lease=%d)" % (ev[1], ev[5]))
        else:
            words.append("%s(xid#%d)" % (ev[0], ev[1]))
    return " ".join(words)
