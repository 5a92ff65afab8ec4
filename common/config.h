/*
 * config.h - every tunable of the engine, one comment each, units in names.
 * Heuristic numbers say where they come from.
 */
#ifndef FERRET_CONFIG_H
#define FERRET_CONFIG_H

#define FERRET_VERSION "0.1.0"

/* Largest test case, as AFL's MAX_FILE (1 MiB). */
#define CFG_MAX_INPUT_BYTES (1u << 20)

/* Capacity of the coverage map in the shared region; the memfd is sparse so
 * only the edges a target has cost memory (8 Mi edges). */
#define CFG_MAP_CAP_BYTES (8u << 20)

/* Default per-execution timeout, AFL's EXEC_TIMEOUT. */
#define CFG_DEFAULT_TIMEOUT_MS 1000u
/* The longest -t: a day, so that every deadline fits poll()'s int. */
#define CFG_MAX_TIMEOUT_MS 86400000u

/* A crash artifact that cannot be written (a full disk) is printed, then
 * written again this many times, a second apart. */
#define CFG_ARTIFACT_RETRIES 3

/* libFuzzer mode: when the supervisor dies during an input, the worker runs
 * that input once more under a stand-in parent for at most this many
 * seconds, to tell a harness that killed its supervisor from a kill from
 * outside (driver/worker.c). */
#define CFG_RESCUE_RUN_SEC 10

/* Runs per seed in calibration, AFL's CAL_CYCLES (8) trimmed to 4 for speed;
 * a seed showing variable edges gets CFG_CAL_RUNS_VARIABLE in all. */
#define CFG_CAL_RUNS 4
#define CFG_CAL_RUNS_VARIABLE 8

/* Havoc: stacked mutations per candidate are 1 << (1 + rng_below(7)), AFL's
 * HAVOC_STACK_POW2 = 7. */
#define CFG_HAVOC_STACK_POW2 7

/*
 * The fuzzing loop's numbers (src/core/loop.c fills struct loop_params from
 * these), one pair per mode where the modes differ. OUTSIDE is `ferret
 * fuzz`, where a run costs a fork or a pipe round trip; INPROC is the
 * in-process worker of libFuzzer-style harnesses and FERRET_TESTs, where a
 * run costs little more than the harness itself, about 100x less.
 */

/* Base havoc candidates per scheduled entry at perf score 100: AFL's
 * HAVOC_CYCLES (256) outside; in-process a quarter, so entries rotate
 * faster and new ones get fuzzed sooner. */
#define CFG_OUTSIDE_HAVOC_CYCLES 256
#define CFG_INPROC_HAVOC_CYCLES 64

/* Perf score ceiling in multiples of 100: AFL's HAVOC_MAX_MULT (64)
 * outside, 16 in-process (no entry hogs a fast loop). */
#define CFG_OUTSIDE_MAX_MULT 64
#define CFG_INPROC_MAX_MULT 16

/* Fewest candidates per scheduled entry: AFL's floor of 16 outside, where
 * scheduling an entry costs a trim and a compare stage; 1 in-process. */
#define CFG_OUTSIDE_MIN_ENERGY 16
#define CFG_INPROC_MIN_ENERGY 1

/* Havoc depth ceiling 1 << k: 3 (1..8 mutations, near libFuzzer's 1..5)
 * in both modes. AFL's 7 (up to 128) outside took bench/ttfc.sh's
 * persistent `ferret fuzz` about twice the executions to nested_len's and
 * rle's bugs (medians over seeds 1-6: 13 K against 6.1 K, 8.2 K against
 * 3.6 K) and no fewer on statemachine, textproto or vm (a miss in 60 s on
 * one seed of six either way). */
#define CFG_OUTSIDE_STACK_POW2 3
#define CFG_INPROC_STACK_POW2 3

/* One candidate in this many is a splice (or the harness's crossover),
 * AFL's splice stage share and libFuzzer's CrossOver weight alike. */
#define CFG_SPLICE_ONE_IN 8

/* One candidate in this many, of an entry that is a chain of records
 * (records.h), is a record-level mutation instead: rarer than splicing,
 * as most of what an entry can become is inside its records. */
#define CFG_RECORDS_ONE_IN 16

/* Input-to-state candidates per new entry (AFL++'s colorization budget is
 * of the same order); half in-process, where entries are many. */
#define CFG_OUTSIDE_I2S_MAX 2048
#define CFG_INPROC_I2S_MAX 1024

/* Following a string compared a byte at a time (src/core/loop.c,
 * cmp_stage): at most this many rounds, a byte each (keywords up to 32
 * bytes), each with at most FOLLOW_MAX input-to-state candidates. */
#define CFG_I2S_FOLLOW_ROUNDS 32
#define CFG_I2S_FOLLOW_MAX 8

/* A stall: this many executions without a new entry (and at least as many
 * as it took to find the last one). Then one mutant in STALL_SAMPLE runs
 * with the compare log on and gets up to STALL_I2S_MAX input-to-state
 * candidates of its own, and havoc stacks up to 2^STALL_STACK_POW2. Outside
 * a run costs a fork, so both are rarer. The stacks stay at 1..8
 * mutations in both modes: stacks of up to 128 once stalled took ferret's
 * libFuzzer mode 2-3x the executions to bench/ttfc_vm.c's bug on two seeds
 * of five (16.8 M against 5.6 M, 3.5 M against 1.9 M) and to
 * statemachine's on one (3.0 M against 2.2 M), and fewer on none of 15
 * targets x 5 seeds. */
#define CFG_OUTSIDE_STALL_EXECS 50000
#define CFG_INPROC_STALL_EXECS 1000000
#define CFG_OUTSIDE_STALL_SAMPLE 256
#define CFG_INPROC_STALL_SAMPLE 64
#define CFG_OUTSIDE_STALL_I2S_MAX 64
#define CFG_INPROC_STALL_I2S_MAX 128
#define CFG_OUTSIDE_STALL_STACK_POW2 3
#define CFG_INPROC_STALL_STACK_POW2 CFG_INPROC_STACK_POW2

/* Executions between the shell's ticks (clock reads for -V/-max_total_time,
 * signals, status). Outside a run costs a fork, so every run; in-process a
 * clock read per input was 8 % of the time, so every 256. */
#define CFG_OUTSIDE_TICK_EXECS 1
#define CFG_INPROC_TICK_EXECS 256

/* An entry's cost (src/core/loop.c) counts one unit per edge execution
 * and one per this many bytes the run allocated, where the executor can
 * tell (in-process under a sanitizer): a 16 MiB allocation under ASan costs
 * about a millisecond, as much as half a million edge executions. */
#define CFG_ALLOC_BYTES_PER_COST 32u

/* libFuzzer mode's stack-depth features (driver/worker.c): counters after
 * the edges and value profile, one per step of libFuzzer's
 * StackDepthStepFunction (8 per doubling of the depth); 256 reach beyond
 * 2^33 words, deeper than any stack. A multiple of 64 (the map's word). */
#define CFG_STACK_DEPTH_COUNTERS 256u

/* libFuzzer's -len_control default: inputs may grow by log2 of the
 * current limit after this many times log2(limit) executions without a
 * new entry (FuzzerFlags.def: 100). */
#define CFG_LEN_CONTROL 100

/* Scratch for the values value-level mutation creates (4 MiB). */
#define CFG_VS_ARENA_BYTES (4u << 20)
/* Compare hints (vmutate.h) kept per value-stream entry: each is tried as
 * up to three candidates by the compare stage, so this also bounds it
 * (with i2s_max); 64 B each. */
#define CFG_VS_HINTS 256
/* Candidates a value stream's compare stage runs at most (its strong
 * hints, strongest first, each as the operand and the operand +-1), and
 * the strength (significant bytes of the matched value) a hint needs for
 * that; weaker ones wait for VMUT_CMP. On examples/deque, whose compares
 * are of small lengths and operation numbers, trying every hint at once
 * cost ~2x the executions to its bug (bench/README.md). */
#define CFG_VS_CMP_MAX 64
#define CFG_VS_CMP_STRENGTH 2

/* Slots in the path-frequency table of the "fast" schedule (AFL++'s N_FUZZ_SIZE). */
#define CFG_N_FUZZ_SLOTS (1u << 21)

/* Seconds between status lines and between fuzzer_stats / plot_data writes. */
#define CFG_STATUS_SEC 3
#define CFG_STATS_SEC 5

/* Milliseconds of wall time between redraws of the status screen (src/ui.c). */
#define CFG_UI_MS 250

/* Seconds between imports from other instances (-M/-S), AFL's
 * SYNC_INTERVAL in spirit. */
#define CFG_SYNC_SEC 30

/* libFuzzer mode: -max_len when not given and no input is longer, as
 * libFuzzer's default (4096); a longer corpus input raises it up to
 * CFG_MAX_INPUT_BYTES. */
#define CFG_LF_DEFAULT_MAX_LEN 4096u

/* Largest file read to be run once (reproducing a crash, replaying a
 * saved test input): 1 GiB, far past what fuzzing makes. */
#define CFG_MAX_REPLAY_BYTES (1u << 30)

/* Most dictionary tokens used by havoc, and the longest token (AFL's
 * MAX_DICT_FILE is 128). */
#define CFG_DICT_MAX_TOKENS 4096
#define CFG_DICT_MAX_TOKEN_BYTES 128

/* A watched child (src/exec/child.c): its RSS is sampled this often, as
 * libFuzzer's -rss_limit_mb thread does once a second; an idle watcher
 * checks the limits this often (a pidfd wakes it at once when the child
 * ends). */
#define CFG_RSS_SAMPLE_MS 1000
#define CFG_CHILD_POLL_MS 10

/* Most children watched at once (libFuzzer mode's -workers); child.c keeps
 * a table this long of the groups to kill on SIGINT/SIGTERM/SIGHUP. */
#define CFG_MAX_JOBS 256

/* libFuzzer mode: how often the supervisor drains the worker's ring of new
 * entries, and how long past -max_total_time a worker that has not stopped
 * by itself may run before it is killed. */
#define CFG_LF_DRAIN_MS 2
#define CFG_LF_GRACE_MS 10000
/* Passes of -cleanse_crash over the input at most (libFuzzer's number); a
 * pass that replaces no byte ends it sooner. */
#define CFG_LF_CLEANSE_PASSES 5

/* libFuzzer mode's -fork: how many inputs that killed a worker the
 * supervisor remembers (by hash) so that the workers after it skip them
 * instead of dying on them again; later ones are not added. */
#define CFG_LF_KNOWN_DEATHS 1024

/* -fork=N: jobs run at once, at most (each has a shared area of ~9 MiB,
 * mostly its ring, LF_RING_BYTES). */
#define CFG_LF_FORK_MAX 64

/* -fork=N: function entries a job reports to the supervisor (its seeds'
 * and its finds', for the NEW_FUNC lines after its job line), plus one
 * (the count); later ones are not reported. 256 KiB of each job's shared
 * area; a multiple of 1024 (driver/inproc.h). */
#define CFG_LF_FORK_FUNCS 65536

/* The NEW_FUNC lines: how long the symbolizer may take to describe one
 * address (its first answer loads the debug info), in ms; past it, and
 * for the rest of the process, addresses are printed undescribed. */
#define CFG_SRCPOS_WAIT_MS 10000

/* Per-input timeout of a FERRET_TEST binary (./tests: replay, --run,
 * shrinking, and --fuzz without -timeout), in seconds. libFuzzer's 1200 s
 * suits a fuzzing farm; a test suite should fail fast, and 10 s is still
 * far above any one replay of a unit-sized property test. */
#define CFG_TEST_TIMEOUT_SEC 10

/* RSS limit of each of those runs, libFuzzer's -rss_limit_mb default. */
#define CFG_TEST_RSS_LIMIT_MB 2048

/* Generated examples plain ./tests runs per FERRET_TEST after its saved
 * corpus: Hypothesis's max_examples default. */
#define CFG_TEST_EXAMPLES 100

/* Wall time each FERRET_TEST may spend generating examples, in seconds;
 * past it the remaining examples are skipped (never replaced). One second
 * keeps a suite of many tests fast; 100 examples of a unit-sized property
 * take well under it (one fork and one run each). */
#define CFG_TEST_BUDGET_SEC 1

/* Shrinking a failing FERRET_TEST stream (src/core/shrink.c): at most
 * this many runs of the test. Each is a forked run, about a millisecond for
 * a unit-sized test, so the cap bounds shrinking to seconds; Hypothesis
 * caps its shrink phase by calls too. Candidates tried before are not run
 * again and do not count. */
#define CFG_SHRINK_MAX_TRIES 10000

/* A shrinking try whose log of consumed values came this close to the
 * log's size (LF_SLOG_BYTES) may have been cut: its log is not used. */
#define CFG_SHRINK_LOG_SLACK 65536

/* AFL++ custom mutators (src/custom.c). A custom trim of one entry by
 * one mutator takes at most this many steps: AFL++ has no bound, but a
 * trimmer whose post_trim never reaches its count would trim forever. */
#define CFG_CUSTOM_TRIM_MAX_STEPS 65536

/* A mutator's describe() in a file name: at most this many characters,
 * the max_description_len it is given. AFL++ gives what is left of
 * NAME_MAX; a bound keeps names readable. */
#define CFG_CUSTOM_DESC_MAX 64

/* AFL++'s default havoc_mutation probability, in percent, when a mutator
 * has havoc_mutation without havoc_mutation_probability. */
#define CFG_CUSTOM_HAVOC_PCT 6

/* libFuzzer mode's -distill=1 (loop_distill): trimming the entries kept
 * to their own features may spend one run per this many executions of the
 * fuzzing that came before (at a million executions, 62,500 runs: a few
 * dozen per entry of a corpus of a thousand). */
#define CFG_DISTILL_TRIM_SHARE 16

/* At most this many custom mutator libraries at once. */
#define CFG_CUSTOM_MAX 16

#endif
