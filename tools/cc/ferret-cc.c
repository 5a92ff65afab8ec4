/*
 * ferret-cc.c - the compiler wrapper ferret-cc (and ferret-c++, an argv[0]
 * alias: C++ mode when the invoked name contains "++").
 *
 * It owns one decision per invocation: which real compiler to run, which
 * instrumentation flags to add, and whether the command links, in which case
 * the runtime archive libferret-rt.a is appended. The user's arguments are
 * passed through unchanged and in order, and the compiler is exec'd directly
 * (no shell), so the wrapper can stand in for CC/CXX in configure and CMake
 * builds. Flags that depend on the compiler kind live only in cc_kinds[].
 *
 * It does not own the runtime or the header it points at: those are found
 * next to the binary (<bindir>/../{include,lib}) or under $FERRET_PATH.
 * Invocations without input files (--version, -v, -dumpversion, probes) are
 * passed through with nothing added.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "usage.h"
#include "banned.h"

#define ME "ferret-cc"

/*
 * The one table of compiler-kind-specific flags. Each kind lists the names
 * used when FERRET_CC/FERRET_CXX say just "clang" or "gcc" (and by default),
 * and the flags added to every invocation that has input files. Compare
 * tracing goes here, nowhere else.
 */
static const char *const clang_flags[] = {
	/* pc-table: a table of the blocks' addresses (data, no code) from
	 * which showmap -S and unstable_edges name edges */
	"-fsanitize-coverage=trace-pc-guard,pc-table,trace-cmp",
	NULL,
};
/* Added for clang when the program is a libFuzzer harness (-fsanitize=
 * fuzzer or fuzzer-no-link):
 * - clang's own -fsanitize=fuzzer-no-link, which is not only coverage
 *   flags: it changes code generation (more blocks keep their own edge:
 *   8 coverage points where the flags alone give 5 in a loop that counts
 *   matches), so that ferret's coverage points are libFuzzer's and `cov:`
 *   counts the same; with its coverage kinds replaced by ferret's
 *   (trace-pc-guard, not inline 8-bit counters; no indirect-call
 *   callbacks);
 * - stack-depth, as clang adds it on Linux: the deepest stack a run
 *   reached is a feature in libFuzzer mode (driver/worker.c), so deeper
 *   recursion is kept. A load, a compare and a rare store at the entry of
 *   each function that calls others.
 * gcc has no such instrumentation. */
static const char *const clang_fuzzer_flags[] = {
	"-fsanitize=fuzzer-no-link",
	"-fno-sanitize-coverage=inline-8bit-counters,indirect-calls",
	"-fsanitize-coverage=trace-pc-guard,pc-table,trace-cmp,stack-depth",
	NULL,
};

static const char *const gcc_flags[] = {
	"-fsanitize-coverage=trace-pc,trace-cmp",
	NULL,
};

/* Added after the kind's flags, for every kind: keep the compilers from
 * inlining the compare routines of common/cmp_hooks.def into byte compares,
 * so the calls reach the link-time wrappers below. */
static const char *const no_builtin_flags[] = {
#define HOOK(name, ...) "-fno-builtin-" #name,
#include "cmp_hooks.def"
#undef HOOK
	NULL,
};

/* Link flag for every kind: route the program's calls to the compare
 * routines through the runtime's loggers (runtime/hooks.c), one
 * ",--wrap=NAME" per row of common/cmp_hooks.def in a single -Wl. */
static const char wrap_flag[] = "-Wl"
#define HOOK(name, ...) ",--wrap=" #name
#include "cmp_hooks.def"
#undef HOOK
	;

struct cc_kind {
	const char *cc;  /* C compiler name */
	const char *cxx; /* C++ compiler name */
	const char *const *flags;
	const char *runtime;  /* archive in libdir with this kind's edge callbacks */
	const char *fuzzer;   /* the same plus the libFuzzer-style driver (--fuzzer) */
	const char *no_sanrt; /* link flag keeping the compiler's own sancov runtime out */
};

/*
 * clang links its ubsan runtime whenever -fsanitize-coverage is given without
 * a sanitizer, and that runtime defines (weak) coverage callbacks of its own;
 * -fno-sanitize-link-runtime keeps it out unless the user asked for a
 * sanitizer, or the link is a libFuzzer harness's: clang's -fsanitize=fuzzer
 * links that runtime, whose handler reports a SEGV, FPE or BUS itself (and
 * exits 1) before libFuzzer's death callback writes the unit, and ferret's
 * driver does as libFuzzer (docs/libfuzzer.md). Our archive is linked whole
 * so its strong callbacks win over a sanitizer runtime's weak ones either way.
 */
static const struct cc_kind cc_kinds[] = {
	{"clang", "clang++", clang_flags, "libferret-rt.a", "libferret-fuzzer.a",
	 "-fno-sanitize-link-runtime"},
	{"gcc", "g++", gcc_flags, "libferret-rt-gcc.a", "libferret-fuzzer-gcc.a", NULL},
};
enum { KIND_CLANG, KIND_GCC };

/* Options whose mere presence means "no link step". -M and -MM imply -E;
 * -MD, -MMD and -MF do not stop linking, so they are not here. */
static const char *const nolink_opts[] = {
	"-c", "-S", "-E", "-M", "-MM", "-fsyntax-only", "-r", NULL,
};

/* Options that take their value as the next argument; that value is not an
 * input file. Only used to tell "cc -v" from "cc -v foo.c". */
static const char *const value_opts[] = {
	"-o",
	"-x",
	"-I",
	"-D",
	"-U",
	"-L",
	"-l",
	"-include",
	"-imacros",
	"-isystem",
	"-idirafter",
	"-iquote",
	"-iprefix",
	"-iwithprefix",
	"-iwithprefixbefore",
	"-isysroot",
	"--sysroot",
	"-MF",
	"-MT",
	"-MQ",
	"-Xlinker",
	"-Xassembler",
	"-Xpreprocessor",
	"-Xclang",
	"-mllvm",
	"-target",
	"-arch",
	"--param",
	"-T",
	"-u",
	"-z",
	"-e",
	"-B",
	"-aux-info",
	"-dumpbase",
	"-dumpdir",
	"-gcc-toolchain",
	"-resource-dir",
	NULL,
};

/* What --ferret-help and ferret-cc(1) say (usage.h). The options are
 * those the wrapper itself acts on; every other argument, --help included,
 * goes to the compiler. */
static const struct usage_opt cc_opts[] = {
	{0, "--fuzzer", "",
	 "link libferret-fuzzer.a (driver + engine) instead of the runtime: "
	 "for libFuzzer harnesses (LLVMFuzzerTestOneInput); with clang, and UBSan's "
	 "runtime, as clang's -fsanitize=fuzzer does; see ferret-libfuzzer(1)"},
	{0, "-fsanitize=fuzzer", "", "the same as --fuzzer; other sanitizers in the list stay"},
	{0, "-fsanitize=fuzzer-no-link", "", "instrument only (accepted for OSS-Fuzz builds)"},
	{0, "--print-fuzzer-lib", "",
	 "print the archive's path, for $LIB_FUZZING_ENGINE; passing "
	 "that archive on a link line also selects it"},
	{0, "--ferret-help", "", "print this help (--help goes to the compiler)"},
	{0},
};

static const struct usage_item cc_env[] = {
	{"FERRET_CC", "C compiler: clang, gcc, or any name/path (kind is clang if the name "
		      "contains \"clang\", else gcc)"},
	{"FERRET_CXX", "C++ compiler for ferret-c++ (default: the C++ sibling of FERRET_CC, e.g. "
		       "gcc -> g++); unset: clang if on PATH, else gcc"},
	{"FERRET_PATH", "prefix holding include/ferret.h and lib/libferret-rt.a (default: the "
			"directory above this binary's bin/)"},
	{"FERRET_CC_VERBOSE", "1: print the final command line to stderr"},
	{0},
};

static const char *const cc_synopsis[] = {
	"ferret-cc [compiler arguments...]",
	"ferret-c++ [compiler arguments...]",
	NULL,
};

static const struct usage cc_usage = {
	.page = "ferret-cc",
	.summary = "compile and link programs for ferret (ferret-c++: the same, for C++)",
	.synopsis = cc_synopsis,
	.description =
		"Runs the real compiler with ferret's coverage and compare instrumentation,\n"
		"-I for <ferret.h>, -D__FERRET__=1, AFL++'s harness macros (__AFL_LOOP,\n"
		"__AFL_FUZZ_TESTCASE_BUF, ...: -include ferret-afl.h), and links the runtime\n"
		"when the command links. Other arguments (including --help) go to the compiler.",
	.opts = cc_opts,
	.env = cc_env,
	.files = "PREFIX/lib/libferret-rt.a, libferret-rt-gcc.a: the runtime (clang, gcc);\n"
		 "PREFIX/lib/libferret-fuzzer.a, libferret-fuzzer-gcc.a: the harness driver;\n"
		 "PREFIX/include/ferret.h, ferret-afl.h: the headers.",
	.see_also = "ferret(1), ferret-fuzz(1), ferret-libfuzzer(1)",
	.flags = USAGE_NO_HELP_OPT,
};

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs(ME ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static char *xfmt(const char *fmt, ...)
{
	char *s;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		die("out of memory");
	return s;
}

static int in_list(const char *arg, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(arg, *list))
			return 1;
	return 0;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* Search PATH for an executable called name, as execvp would, so the default
 * can fall back to gcc without running a shell. Returns the full path, which
 * is what gets exec'd: a "clang" on PATH that links back to this wrapper is
 * skipped here and must not be found again by execvp. */
static char *on_path(const char *name, const char *self)
{
	const char *p = getenv("PATH");
	char real[PATH_MAX];

	if (!p || !*p)
		p = "/usr/local/bin:/usr/bin:/bin";
	while (p) {
		const char *colon = strchr(p, ':');
		int len = colon ? (int)(colon - p) : (int)strlen(p);
		char *cand = xfmt("%.*s/%s", len, len ? p : ".", name);

		if (access(cand, X_OK) == 0 && !(realpath(cand, real) && !strcmp(real, self)))
			return cand;
		free(cand);
		p = colon ? colon + 1 : NULL;
	}
	return NULL;
}

/*
 * The C++ sibling of a C compiler name: the last "clang" or "gcc" in the
 * base name gains its C++ spelling, so "gcc-12" gives "g++-12" and
 * "/opt/llvm/bin/clang" gives "/opt/llvm/bin/clang++". A name that already
 * has "++" is kept; one with neither word gives NULL.
 */
static const char *cxx_sibling(const char *name, int kind)
{
	const char *base = base_name(name), *c = cc_kinds[kind].cc, *hit = NULL;

	if (strstr(base, "++"))
		return name;
	for (const char *p = base; (p = strstr(p, c)); p++)
		hit = p;
	if (!hit)
		return NULL;
	return xfmt("%.*s%s%s", (int)(hit - name), name, cc_kinds[kind].cxx, hit + strlen(c));
}

/*
 * Pick the compiler and its kind. C mode uses FERRET_CC as given. C++ mode
 * uses FERRET_CXX, else FERRET_CC; either is mapped to its C++ sibling, and
 * a FERRET_CC without a recognisable name falls back to the kind's default.
 * Unset: clang if on PATH, else gcc.
 */
static const char *pick_compiler(int cxx, const char *self, int *kind)
{
	const char *cc = getenv("FERRET_CC"), *cxxenv = getenv("FERRET_CXX");
	const char *env = cxx && cxxenv && *cxxenv ? cxxenv : cc, *path;

	if (env && *env) {
		*kind = strstr(base_name(env), "clang") ? KIND_CLANG : KIND_GCC;
		if (!cxx)
			return env;
		path = cxx_sibling(env, *kind);
		if (path)
			return path;
		return env == cxxenv ? env : cc_kinds[*kind].cxx;
	}
	*kind = KIND_CLANG;
	if ((path = on_path(cxx ? "clang++" : "clang", self)))
		return path;
	*kind = KIND_GCC;
	return cxx ? cc_kinds[*kind].cxx : cc_kinds[*kind].cc;
}

/* Print argv on one line, single-quoting words a shell would split. */
static void print_cmd(char **argv)
{
	for (int i = 0; argv[i]; i++) {
		const char *a = argv[i];
		int plain = *a && !a[strcspn(a, " \t\n'\"\\$`*?[]{}()<>|&;#~")];

		fputs(i ? " " : "", stderr);
		if (plain) {
			fputs(a, stderr);
			continue;
		}
		fputc('\'', stderr);
		for (; *a; a++) {
			if (*a == '\'')
				fputs("'\\'", stderr); /* close, escaped quote, reopen */
			fputc(*a, stderr);
		}
		fputc('\'', stderr);
	}
	fputc('\n', stderr);
}

/* The directory part of path (a fresh string). */
static char *dirname_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? xfmt("%.*s", (int)(slash - path), path) : xfmt(".");
}

int main(int argc, char **argv)
{
	char self[PATH_MAX];
	const char *prefix = getenv("FERRET_PATH");
	const char *compiler, *verbose;
	char *incdir, *archive, **out, **args;
	int cxx, kind, links = 1, inputs = 0, has_x = 0, sanitizer = 0, fuzzer = 0, shared = 0,
		       n = 0;
	int nargs = 1, print_lib = 0, fuzzer_instr = 0; /* fuzzer_instr: a harness, linked or not */
	size_t nflags = 0;
	ssize_t len;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--ferret-help")) {
			usage_print(stdout, &cc_usage);
			return 0;
		}
		if (!strcmp(argv[i], "--ferret-man")) { /* for make man */
			usage_man(stdout, &cc_usage, FERRET_VERSION);
			return 0;
		}
	}

	/* Set below for the compiler we exec; seeing it means the "compiler"
	 * was this wrapper again, which would loop forever. */
	if (getenv("__FERRET_CC_ACTIVE"))
		die("the compiler runs ferret-cc again; point FERRET_CC/FERRET_CXX at a real "
		    "compiler");

	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len < 0)
		die("cannot read '/proc/self/exe': %s", strerror(errno));
	self[len] = '\0';

	cxx = argc > 0 && strstr(base_name(argv[0]), "++") != NULL;
	compiler = pick_compiler(cxx, self, &kind);

	/*
	 * libFuzzer's spellings select the harness driver: --fuzzer,
	 * -fsanitize=fuzzer (alone or in a list, whose other sanitizers stay),
	 * or the archive itself as $LIB_FUZZING_ENGINE. -fsanitize=fuzzer-no-link
	 * only instruments, which ferret-cc always does.
	 */
	args = calloc((size_t)argc + 1, sizeof(*args));
	if (!args)
		die("out of memory");
	args[0] = argv[0];
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		const char *b = base_name(a);
		if (!strcmp(a, "--fuzzer")) {
			fuzzer = fuzzer_instr = 1;
			continue;
		}
		if (!strcmp(a, "--print-fuzzer-lib")) {
			print_lib = 1;
			continue;
		}
		if (!strncmp(b, "libferret-fuzzer", 16) && strstr(b, ".a")) {
			fuzzer = fuzzer_instr = 1;
			continue;
		}
		if (!strncmp(a, "-fsanitize=", 11)) {
			char *rest = xfmt("-fsanitize=");
			char *list = xfmt("%s", a + 11), *save = NULL;
			int kept = 0;
			for (char *t = strtok_r(list, ",", &save); t;
			     t = strtok_r(NULL, ",", &save)) {
				if (!strcmp(t, "fuzzer")) {
					fuzzer = fuzzer_instr = 1;
					continue;
				}
				if (!strcmp(t, "fuzzer-no-link")) {
					fuzzer_instr = 1;
					continue;
				}
				rest = xfmt("%s%s%s", rest, kept ? "," : "", t);
				kept++;
			}
			if (!kept)
				continue;
			a = rest;
			sanitizer = 1;
		}
		args[nargs++] = a;
	}
	argv = args;
	argc = nargs;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strncmp(a, "-x", 2))
			has_x = 1;
		if (in_list(a, value_opts))
			i++; /* skip the value: "-Xlinker -r" is not "-r" */
		else if (in_list(a, nolink_opts))
			links = 0;
		else if (!strcmp(a, "-shared"))
			shared = 1;
		else if (a[0] != '-' || !a[1])
			inputs++; /* file, "-" for stdin, or @response-file */
	}

	if (prefix && *prefix) {
		incdir = xfmt("%s/include", prefix);
		archive =
			xfmt("%s/lib/%s", prefix,
			     fuzzer || print_lib ? cc_kinds[kind].fuzzer : cc_kinds[kind].runtime);
	} else {
		*strrchr(self, '/') = '\0'; /* self is absolute: bindir */
		incdir = xfmt("%s/../include", self);
		archive =
			xfmt("%s/../lib/%s", self,
			     fuzzer || print_lib ? cc_kinds[kind].fuzzer : cc_kinds[kind].runtime);
	}
	if (print_lib) {
		char real[PATH_MAX];
		puts(realpath(archive, real) ? real : archive);
		return 0;
	}

	/* compiler, kind and no-builtin flags, -I, -D, user args, -x none,
	 * runtime flags, NULL */
	for (const char *const *f = cc_kinds[kind].flags; *f; f++)
		nflags++;
	for (const char *const *f = no_builtin_flags; *f; f++)
		nflags++;
	out = calloc((size_t)argc + nflags + 30, sizeof(*out));
	if (!out)
		die("out of memory");
	out[n++] = (char *)compiler;
	if (inputs) {
		for (const char *const *f = cc_kinds[kind].flags; *f; f++)
			out[n++] = (char *)*f;
		for (const char *const *f = no_builtin_flags; *f; f++)
			out[n++] = (char *)*f;
		for (const char *const *f = clang_fuzzer_flags;
		     kind == KIND_CLANG && fuzzer_instr && *f; f++)
			out[n++] = (char *)*f;
		out[n++] = xfmt("-I%s", incdir);
		/* <fuzzer/FuzzedDataProvider.h>, which only clang ships */
		if (kind == KIND_GCC)
			out[n++] = xfmt("-idirafter%s/ferret-compat", incdir);
		out[n++] = "-D__FERRET__=1";
		out[n++] = "-include";
		out[n++] = xfmt("%s/ferret-afl.h", incdir);
	}
	/* The driver has a weak stand-in for the harness (driver/harness.c: a
	 * FERRET_TEST binary has none), which would satisfy the linker before
	 * a harness inside a static library is ever pulled in (pcre2's
	 * OSS-Fuzz build). Asking for the symbol before the user's archives
	 * pulls it, as libFuzzer's strong reference does. A harness in a
	 * shared library the program loads is looked up when it starts
	 * (driver/harness.c). */
	if (inputs && links && !shared && fuzzer)
		out[n++] = "-Wl,--undefined=LLVMFuzzerTestOneInput";
	for (int i = 1; i < argc; i++)
		out[n++] = argv[i];
	if (inputs && links && shared) {
		/*
		 * A shared object gets no runtime of its own: its callbacks and
		 * compare wrappers resolve, when it is loaded, to the one runtime
		 * of the executable, which exports them (below), so every
		 * module's edges land in one map. Two runtimes would be two maps,
		 * two fork servers. (libtool's default build: the program under
		 * .libs/ and its libraries.) It gets weak stand-ins instead
		 * (runtime/shstub.c), so that it has no undefined ferret symbol
		 * (-Wl,--no-undefined links) and loads without ferret too.
		 */
		char *stub = xfmt("%s/libferret-shstub.a", dirname_of(archive));
		if (access(stub, R_OK) != 0)
			die("cannot find '%s'", stub);
		if (has_x)
			out[n++] = "-x", out[n++] = "none";
		out[n++] = (char *)wrap_flag;
		out[n++] = "-Wl,--whole-archive";
		out[n++] = stub;
		out[n++] = "-Wl,--no-whole-archive";
	} else if (inputs && links) {
		if (access(archive, R_OK) != 0)
			die("cannot find runtime '%s'", archive);
		if (has_x)
			out[n++] = "-x", out[n++] = "none"; /* archive is not source */
		/* a harness gets UBSan's runtime, as from clang (above) */
		if (cc_kinds[kind].no_sanrt && !sanitizer && !fuzzer)
			out[n++] = (char *)cc_kinds[kind].no_sanrt;
		out[n++] = (char *)wrap_flag;
		out[n++] = "-Wl,--whole-archive";
		out[n++] = archive;
		out[n++] = "-Wl,--no-whole-archive";
		/* for the instrumented shared objects it loads, even by dlopen */
		out[n++] = "-Wl,--export-dynamic-symbol=__sanitizer_cov_*";
		out[n++] = "-Wl,--export-dynamic-symbol=__sancov_lowest_stack";
		out[n++] = "-Wl,--export-dynamic-symbol=__wrap_*";
		out[n++] = "-Wl,--export-dynamic-symbol=ferret_*";
	}
	out[n] = NULL;

	verbose = getenv("FERRET_CC_VERBOSE");
	if (verbose && *verbose && strcmp(verbose, "0"))
		print_cmd(out);
	setenv("__FERRET_CC_ACTIVE", "1", 1);
	execvp(compiler, out);
	fprintf(stderr, ME ": cannot run '%s': %s\n", compiler, strerror(errno));
	return 127;
}
