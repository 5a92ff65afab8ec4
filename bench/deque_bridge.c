/*
 * deque_bridge.c - the FERRET_TEST of examples/deque/deque_test.c, unchanged,
 * run by any libFuzzer-style engine through the byte bridge (raw bytes read
 * as the Smith's values: ints 8 bytes little endian, eos one byte). Built by
 * bench/structured.sh with clang -fsanitize=fuzzer -I include and
 * build/lib/libferret-smith.a.
 */
#include "../examples/deque/deque_test.c"

FERRET_BYTE_BRIDGE(deque_matches_model)
