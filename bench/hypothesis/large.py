"""The "list with a large element" bug, for Hypothesis: a list of 32-bit
ints fails the property when any element is 1000 or more. The minimal
example is [1000]; bench/hypothesis/large_test.c is ferret's side.
"""
from hypothesis import strategies as st

STRATEGY = st.lists(st.integers(-2**31, 2**31 - 1))


def check(xs):
    for x in xs:
        assert x < 1000


def show(xs):
    return repr(xs)
