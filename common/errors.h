/*
 * errors.h - enum ferret_err, generated from errors.def, and its messages.
 * Core functions return 0 or a negative ferret_err; only the CLI prints.
 */
#ifndef FERRET_ERRORS_H
#define FERRET_ERRORS_H

enum ferret_err {
	FERRET_OK = 0,
	FERRET__ERR_BASE = -1000,
#define ERR(name, msg) FERRET_E##name,
#include "errors.def"
#undef ERR
};

/* The message of a ferret_err; "unknown error" for anything else. */
const char *ferret_strerror(int err);

#endif
