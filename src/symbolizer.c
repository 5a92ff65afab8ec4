/*
 * symbolizer.c - code addresses of the target as function and file:line
 * (see symbolizer.h), with libdw's dwfl over the executable on disk.
 */
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "symbolizer.h"
#include "banned.h"

#define OBJ_BIT 40 /* runtime/modules.c: a shared object's name tag */

/* libstdc++'s demangler (the Itanium C++ ABI's __cxa_demangle) */
char *__cxa_demangle(const char *name, char *out, size_t *len, int *status);

struct symbolizer {
	char *exe;
	Dwfl *dwfl;
	Dwfl_Module *mod;
	GElf_Addr low; /* where the executable's first byte is in dwfl's space */
	int tried;
};

static const Dwfl_Callbacks offline_callbacks = {
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
};

struct symbolizer *symbolizer_new(const char *exe_path)
{
	struct symbolizer *s = calloc(1, sizeof(*s));
	if (!s || !(s->exe = strdup(exe_path))) {
		free(s);
		return NULL;
	}
	return s;
}

void symbolizer_free(struct symbolizer *s)
{
	if (!s)
		return;
	if (s->dwfl)
		dwfl_end(s->dwfl);
	free(s->exe);
	free(s);
}

static void open_dwfl(struct symbolizer *s)
{
	s->tried = 1;
	s->dwfl = dwfl_begin(&offline_callbacks);
	if (!s->dwfl)
		return;
	s->mod = dwfl_report_offline(s->dwfl, "exe", s->exe, -1);
	dwfl_report_end(s->dwfl, NULL, NULL);
	if (!s->mod || !dwfl_module_info(s->mod, NULL, &s->low, NULL, NULL, NULL, NULL, NULL)) {
		log_warn("cannot read symbols of '%s': %s", s->exe, dwfl_errmsg(-1));
		s->mod = NULL;
	}
}

/* The file and line of addr. The unit is found by a walk over all of them,
 * not by .debug_aranges: a program that links clang's units (which have
 * none) with gcc's (the runtime's) gets a wrong unit from the index. */
static const char *source_line(Dwfl_Module *mod, Dwarf_Addr addr, int *lineno)
{
	Dwarf_Die *cu = NULL;
	Dwarf_Addr bias;
	while ((cu = dwfl_module_nextcu(mod, cu, &bias))) {
		if (dwarf_haspc(cu, addr - bias) <= 0)
			continue;
		Dwarf_Line *line = dwarf_getsrc_die(cu, addr - bias);
		if (!line || dwarf_lineno(line, lineno) != 0)
			return NULL;
		return dwarf_linesrc(line, NULL, NULL);
	}
	return NULL;
}

/* Control characters (a tab or newline would break a line-based file). */
static void printable(char *p)
{
	for (; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
}

int symbolizer_name(struct symbolizer *s, uint64_t pc, char *fn, size_t fn_cap, char *loc,
		    size_t loc_cap)
{
	snprintf(loc, loc_cap, "?");
	if (pc >> OBJ_BIT) {
		snprintf(fn, fn_cap, "obj:%06" PRIx64 "+0x%" PRIx64, (uint64_t)(pc >> OBJ_BIT),
			 (uint64_t)(pc & ((1ull << OBJ_BIT) - 1)));
		return 1;
	}
	if (!s->tried)
		open_dwfl(s);
	if (!s->mod) {
		snprintf(fn, fn_cap, "0x%" PRIx64, pc);
		return 1;
	}
	Dwarf_Addr addr = s->low + pc;
	const char *name = dwfl_module_addrname(s->mod, addr);
	if (name && (!strncmp(name, "ferret__", 8) || !strcmp(name, "_start")))
		return 0; /* the runtime's, or the C start-up's */
	char *demangled =
		name && !strncmp(name, "_Z", 2) ? __cxa_demangle(name, NULL, NULL, NULL) : NULL;
	if (name)
		snprintf(fn, fn_cap, "%s", demangled ? demangled : name);
	else
		snprintf(fn, fn_cap, "0x%" PRIx64, pc);
	int lineno = 0;
	const char *file = source_line(s->mod, addr, &lineno);
	const char *base = file ? strrchr(file, '/') : NULL;
	base = base ? base + 1 : file;
	if (base)
		snprintf(loc, loc_cap, "%s:%d", base, lineno);
	free(demangled);
	printable(fn);
	printable(loc);
	return 1;
}

void symbolizer_edge(struct symbolizer *s, const uint64_t *pcs, uint32_t n, size_t edge, char *out,
		     size_t cap)
{
	char fn[256] = "?", loc[256] = "?";
	if (edge < n && pcs[edge])
		symbolizer_name(s, pcs[edge], fn, sizeof(fn), loc, sizeof(loc));
	snprintf(out, cap, "%s\t%s", fn, loc);
}
