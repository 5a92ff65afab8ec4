/*
 * expat_config.h - the configuration expat's build would generate, for
 * compiling expat's lib/*.c directly (bench/real.sh). Linux, glibc >= 2.25.
 * Same features as expat's default build: namespaces, DTDs, 1024 context
 * bytes. Written for this benchmark; not part of expat.
 */
#ifndef EXPAT_CONFIG_H
#define EXPAT_CONFIG_H
#define BYTEORDER 1234
#define HAVE_GETRANDOM 1
#define HAVE_SYSCALL_GETRANDOM 1
#define HAVE_FCNTL_H 1
#define HAVE_UNISTD_H 1
#define HAVE_MMAP 1
#define XML_NS 1
#define XML_DTD 1
#define XML_CONTEXT_BYTES 1024
#define XML_DEV_URANDOM 1
#endif
