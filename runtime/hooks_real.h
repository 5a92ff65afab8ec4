/*
 * hooks_real.h - how a wrapper of common/cmp_hooks.def refers to the real
 * routine, by the row's shape (hooks.c's wrappers and shstub.c's stand-ins
 * alike): libc's strongly (a weak reference would not pull memmem out of
 * libc.a into a -static program), libstdc++'s weakly (a C program has
 * none, and its wrapper is never called).
 */
#ifndef FERRET_HOOKS_REAL_H
#define FERRET_HOOKS_REAL_H

#define REAL_MEM
#define REAL_STR
#define REAL_STRN
#define REAL_STRSTR
#define REAL_MEMMEM
#define REAL_CXXSTR_CSTR __attribute__((weak))
#define REAL_CXXSTR_STR __attribute__((weak))

#endif
