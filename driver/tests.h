/*
 * tests.h - main() of binaries holding FERRET_TESTs: replay the saved
 * corpora, --list, --fuzz, --run, --shrink (see tests.c and docs/smith.md).
 */
#ifndef FERRET_TESTS_H
#define FERRET_TESTS_H

/* Returns the process exit code. */
int lf_tests_main(int argc, char **argv);

#endif
