"""run.py BUG SEED MAX_EXAMPLES: one Hypothesis hunt, for bench/hypothesis.sh.

Runs the property of module BUG (deque, lease or large: each gives
STRATEGY, check() and show()) under @given with @seed(SEED),
database=None, derandomize=False, and prints three lines:
  execs N      calls of the test up to and including the first failing one
               (a counter in the test; '-' when none failed)
  calls N      all calls, shrinking included
  shrunk TEXT  the last failing example, the shrunk one Hypothesis reports
               ('-' when none failed)
On SIGTERM (the script's timeout) it prints the same three lines, with
the calls so far, and exits 124.
Hypothesis's own report ("Falsifying example: test(...)", attached to
the error as a note) and anything else it prints go to stderr.
"""
import contextlib
import importlib
import os
import signal
import sys

from hypothesis import HealthCheck, given, seed, settings

bug, seed_n, max_examples = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
mod = importlib.import_module(bug)
calls, first, last = 0, None, None


def on_term(signum, frame):
    """Stopped by the script's time limit: say how far it got."""
    print("execs -")
    print("calls", calls)
    print("shrunk -")
    sys.stdout.flush()
    os._exit(124)


signal.signal(signal.SIGTERM, on_term)


@seed(seed_n)
@settings(database=None, derandomize=False, max_examples=max_examples, deadline=None,
          suppress_health_check=list(HealthCheck))
@given(mod.STRATEGY)
def test(example):
    global calls, first, last
    calls += 1
    try:
        mod.check(example)
    except AssertionError:
        if first is None:
            first = calls
        last = example
        raise


with contextlib.redirect_stdout(sys.stderr):
    try:
        test()
    except AssertionError as e:
        for note in getattr(e, "__notes__", []):
            print(note)  # Hypothesis's "Falsifying example: ..." report
print("execs", first if first is not None else "-")
print("calls", calls)
print("shrunk", mod.show(last) if first is not None else "-")
