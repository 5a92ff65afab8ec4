/*
 * modules.c - code addresses that mean the same in every process. Compare
 * sites (cmp.c) and gcc's hashed edges (cov_pc.c) are named by their
 * address; under ASLR an absolute address changes from one process to the
 * next, and so would which ring or counter a site lands in, and a seed
 * would not replay its run. An address in the executable is taken
 * relative to its start; one in a shared object relative to that object's
 * load address, with a hash of its file name above bit 40, so that two
 * objects do not share names and each object's names stay the same
 * whatever the load order (t1009's libraries, libtool's .libs/ programs).
 *
 * The executable is one range compare, inline (rt.h). Other objects are
 * looked up in a table made by dl_iterate_phdr: filled by the fork server
 * before its first fork (children inherit it), and on a miss for an object
 * loaded later (a dlopen in the child), once per object and process.
 */
#include <link.h>
#include <stddef.h>
#include <string.h>

#include "rt.h"

extern char __executable_start[] __attribute__((weak));

uintptr_t ferret__exe_lo, ferret__exe_len;

#define MAX_MODULES 64
static struct module {
	uintptr_t lo, hi; /* its executable segments, [lo, hi) */
	uintptr_t base;   /* load bias */
	uint64_t tag;     /* hash of its file name, above bit 40 */
	int system;       /* libc and company: not the target's own code */
} mods[MAX_MODULES];
static unsigned n_mods;
static unsigned long long scanned_adds; /* dlpi_adds at the last scan */

static uint64_t name_tag(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */
	for (; s && *s; s++)
		h = (h ^ (uint8_t)*s) * 0x100000001b3ull;
	return (h & 0xffffff) << 40;
}

/* The system's objects, by the start of their base name. */
static int system_object(const char *path)
{
	static const char *const names[] = {
		"libc.so",  "libc-",      "libstdc++",  "libgcc_s",    "libm.so",  "libm-",
		"ld-linux", "libpthread", "libdl.",     "libasan",     "libubsan", "libtsan",
		"libmsan",  "liblsan",    "linux-vdso", "libclang_rt", "libc++",   "libunwind"};
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strncmp(base, names[i], strlen(names[i])))
			return 1;
	return 0;
}

static int add_module(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)data;
	if (size >= offsetof(struct dl_phdr_info, dlpi_adds) + sizeof(info->dlpi_adds))
		scanned_adds = info->dlpi_adds;
	int exe = !info->dlpi_name || !info->dlpi_name[0];
	if ((exe && ferret__exe_len) || (!exe && n_mods == MAX_MODULES))
		return 0; /* known already, or no room */
	uintptr_t lo = UINTPTR_MAX, hi = 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *p = &info->dlpi_phdr[i];
		if (p->p_type != PT_LOAD || !(p->p_flags & PF_X))
			continue;
		uintptr_t a = info->dlpi_addr + p->p_vaddr;
		if (a < lo)
			lo = a;
		if (a + p->p_memsz > hi)
			hi = a + p->p_memsz;
	}
	if (lo >= hi)
		return 0;
	if (exe) { /* the first object: its start, as before there was a table */
		uintptr_t start = __executable_start ? (uintptr_t)__executable_start : lo;
		ferret__exe_lo = start;
		ferret__exe_len = hi > start ? hi - start : 0;
		return 0;
	}
	for (unsigned i = 0; i < n_mods; i++)
		if (mods[i].lo == lo)
			return 0; /* known */
	mods[n_mods] = (struct module){lo, hi, info->dlpi_addr, name_tag(info->dlpi_name),
				       system_object(info->dlpi_name)};
	__atomic_store_n(&n_mods, n_mods + 1, __ATOMIC_RELEASE); /* the entry first */
	return 0;
}

void ferret__modules_scan(void)
{
	dl_iterate_phdr(add_module, NULL);
}

/* The loader's count of objects ever loaded: one callback, not a scan. */
static int read_adds(struct dl_phdr_info *info, size_t size, void *data)
{
	if (size >= offsetof(struct dl_phdr_info, dlpi_adds) + sizeof(info->dlpi_adds))
		*(unsigned long long *)data = info->dlpi_adds;
	return 1;
}

uintptr_t ferret__rel_pc_slow(uintptr_t pc)
{
	for (int pass = 0; pass < 2; pass++) {
		unsigned n = __atomic_load_n(&n_mods, __ATOMIC_ACQUIRE);
		for (unsigned i = 0; i < n; i++)
			if (pc - mods[i].lo < mods[i].hi - mods[i].lo)
				return (uintptr_t)(mods[i].tag ^ (pc - mods[i].base));
		if (pc - ferret__exe_lo < ferret__exe_len)
			return pc - ferret__exe_lo;
		if (pass == 0) {
			/* rescan only when something was loaded since the last
			 * scan: an address in no object (JIT code, the vdso)
			 * costs one callback, not a walk of every object */
			unsigned long long adds = 0;
			dl_iterate_phdr(read_adds, &adds);
			if (adds == scanned_adds && ferret__exe_len)
				break;
			ferret__modules_scan();
		}
	}
	return pc - ferret__exe_lo; /* nowhere known */
}

int ferret__own_pc(uintptr_t pc, uint64_t *rel)
{
	if (pc - ferret__exe_lo < ferret__exe_len) {
		*rel = pc - ferret__exe_lo;
		return 1;
	}
	unsigned n = __atomic_load_n(&n_mods, __ATOMIC_ACQUIRE);
	for (unsigned i = 0; i < n; i++)
		if (pc - mods[i].lo < mods[i].hi - mods[i].lo) {
			*rel = mods[i].tag ^ (pc - mods[i].base);
			return !mods[i].system;
		}
	return 0;
}
