/*
 * afl.h - the target's side of AFL++'s fork server (runtime/afl.c), for a
 * ferret-cc program that afl-fuzz runs. Used by forkserver.c, which owns
 * the start-ups and the persistent loop for both protocols; ferret's own
 * (FERRET env) always wins when both are present.
 */
#ifndef FERRET_RT_AFL_H
#define FERRET_RT_AFL_H

#include "rt.h"

/* Attaches AFL's coverage map when afl-fuzz started the program
 * (__AFL_SHM_ID set, its status fd open) and points the counters at it.
 * Returns 1 in AFL mode, 0 otherwise. Idempotent. */
int ferret__afl_attach(void) FERRET_HIDDEN;

/* Nonzero when afl-fuzz asked for persistent (__AFL_PERSISTENT) or
 * deferred (__AFL_DEFER_FORKSRV) start-up. */
int ferret__afl_persistent(void) FERRET_HIDDEN;
int ferret__afl_deferred(void) FERRET_HIDDEN;

/*
 * Runs AFL's fork server: the handshake, then one fork (or, persistent,
 * one SIGCONT of the stopped child) per input. Returns 1 in each child,
 * 0 at once when nobody answers the handshake (run standalone); the
 * server itself exits when afl-fuzz closes its pipe. It starts once, where
 * AFL++'s does (before main, or at __AFL_INIT when deferred), so that the
 * test-case pointer a harness takes after __AFL_INIT is the final one;
 * later calls return 1 in a child of it, 0 elsewhere.
 */
int ferret__afl_server(int persistent) FERRET_HIDDEN;

/* 1 when the test cases arrive in AFL's shared memory (FERRET_TESTCASE_BUF
 * and __AFL_FUZZ_TESTCASE_BUF point there), 0 when on stdin. */
extern int ferret__afl_tc_shm FERRET_HIDDEN;

/* 1 when the program used __AFL_FUZZ_INIT() (it reads the test case
 * through the macros, and keeps the buffer pointer from __AFL_INIT on). */
int ferret__afl_uses_tc(void) FERRET_HIDDEN;

/* Ends coverage for the rest of the process: counters go to a private
 * buffer (a persistent child's last input is reported by its exit). */
void ferret__afl_detach(void) FERRET_HIDDEN;

/* In a fresh child of either fork server: applies __AFL_COVERAGE() (the
 * program starts with coverage off until __AFL_COVERAGE_ON()). */
void ferret__afl_child_start(void) FERRET_HIDDEN;

#endif
