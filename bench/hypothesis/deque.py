"""The deque bug of examples/deque, for Hypothesis.

The same ring-buffer deque as examples/deque/deque.c, planted bug included
(when it grows while its contents wrap around the end of the buffer and
the head sits at index 2 or more, one element is lost), checked against a
collections.deque the way deque_test.c checks it: an operation list, the
lengths compared after every step, the contents drained at the end.
"""
import collections

from hypothesis import strategies as st

INITIAL_CAP = 8


class RingDeque:
    def __init__(self):
        self.buf = [0] * INITIAL_CAP
        self.head = 0
        self.len = 0

    def _grow(self):
        cap = len(self.buf)
        nb = [0] * (2 * cap)
        first = min(cap - self.head, self.len)
        nb[:first] = self.buf[self.head:self.head + first]
        rest = self.len - first
        if rest and self.head >= 2:
            rest -= 1  # the bug: one element of the wrapped part is lost
        nb[first:first + rest] = self.buf[:rest]
        self.buf, self.head, self.len = nb, 0, first + rest

    def push_back(self, v):
        if self.len == len(self.buf):
            self._grow()
        self.buf[(self.head + self.len) % len(self.buf)] = v
        self.len += 1

    def push_front(self, v):
        if self.len == len(self.buf):
            self._grow()
        self.head = (self.head - 1) % len(self.buf)
        self.buf[self.head] = v
        self.len += 1

    def pop_back(self):
        self.len -= 1
        return self.buf[(self.head + self.len) % len(self.buf)]

    def pop_front(self):
        v = self.buf[self.head]
        self.head = (self.head + 1) % len(self.buf)
        self.len -= 1
        return v


# an operation: 0 push_back, 1 push_front, 2 pop_back, 3 pop_front, and a
# value (used by the pushes), as deque_test.c draws them
STRATEGY = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2**32 - 1)))


def check(ops):
    d, model = RingDeque(), collections.deque()
    for op, v in ops:
        if op == 0:
            d.push_back(v)
            model.append(v)
        elif op == 1:
            d.push_front(v)
            model.appendleft(v)
        elif op == 2 and model:
            assert d.pop_back() == model.pop()
        elif op == 3 and model:
            assert d.pop_front() == model.popleft()
        assert d.len == len(model)
    while model:
        assert d.pop_front() == model.popleft()


NAMES = ("push_back", "push_front", "pop_back", "pop_front")


def show(ops):
    """One line: the operations, pushes with their values."""
    return " ".join(NAMES[op] + ("(%d)" % v if op < 2 else "") for op, v in ops)
