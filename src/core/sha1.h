/*
 * sha1.h - SHA-1 (FIPS 180-1), only to name artifacts and corpus files the
 * way libFuzzer does (crash-<40 hex digits>). Not for security. Written
 * here because the harness archive must not pull in a crypto library.
 */
#ifndef FERRET_SHA1_H
#define FERRET_SHA1_H

#include <stddef.h>
#include <stdint.h>

/* The digest of data[0..len) as 40 lowercase hex digits and a NUL. */
void sha1_hex(const uint8_t *data, size_t len, char out[41]);

#endif
