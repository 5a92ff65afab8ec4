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

/* Runs per seed in calibration, AFL's CAL_CYCLES (8) trimmed to 4 for speed;
 * a seed showing variable edges gets CFG_CAL_RUNS_VARIABLE in all. */
#define CFG_CAL_RUNS 4
#define CFG_CAL_RUNS_VARIABLE 8

/* Havoc: stacked mutations per candidate are 1 << (1 + rng_below(7)), AFL's
 * HAVOC_STACK_POW2 = 7. */
#define CFG_HAVOC_STACK_POW2 7

/* Base number of havoc candidates per scheduled entry at perf score 100,
 * AFL's HAVOC_CYCLES (256). */
#define CFG_HAVOC_CYCLES 256

/* Perf score ceiling, AFL's HAVOC_MAX_MULT (64x of 100). */
#define CFG_HAVOC_MAX_MULT 64

/* Slots in the path-frequency table of the "fast" schedule (AFL++'s N_FUZZ_SIZE). */
#define CFG_N_FUZZ_SLOTS (1u << 21)

/* Seconds between status lines and between fuzzer_stats / plot_data writes. */
#define CFG_STATUS_SEC 3
#define CFG_STATS_SEC 30

/* Input-to-state candidates tried per new queue entry (AFL++'s colorization
 * budget is of the same order). */
#define CFG_I2S_MAX_CANDIDATES 2048

/* Most dictionary tokens used by havoc, and the longest token (AFL's
 * MAX_DICT_FILE is 128). */
#define CFG_DICT_MAX_TOKENS 4096
#define CFG_DICT_MAX_TOKEN_BYTES 128

#endif
