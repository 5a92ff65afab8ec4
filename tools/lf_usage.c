/*
 * lf_usage.c - the man page of the flags a libFuzzer-style harness takes
 * (ferret-cc --fuzzer links driver/'s main() into it): driver/lf_flags.def
 * expanded into a usage table, so `make man` writes ferret-libfuzzer(1)
 * from the same rows as the harness's -help=1 and its parser
 * (driver/options.c). Nothing here runs in a harness.
 */
#include "commands.h"
#include "usage.h"
#include "banned.h"

#define LF_META_INT "N"
#define LF_META_STR "VALUE"
#define LF_DEFAULT_INT(def) " (default " #def ")"
#define LF_DEFAULT_STR(def) ""
static const struct usage_opt lf_opts[] = {
#define FLAG(name, kind, def, help) {0, "-" #name, LF_META_##kind, help LF_DEFAULT_##kind(def)},
#define IGNORED(name, why) {0, "-" #name, "VALUE", "accepted, no effect: " why},
#include "lf_flags.def"
#undef FLAG
#undef IGNORED
	{0},
};

static const char *const lf_synopsis[] = {
	"HARNESS [-flag=value...] [DIR...]",
	"HARNESS [-flag=value...] FILE...",
	NULL,
};

static const struct usage_item lf_env[] = {
	{"AFL_CUSTOM_MUTATOR_LIBRARY", "AFL++ custom mutator libraries to load"},
	{"AFL_CUSTOM_MUTATOR_ONLY", "set: no built-in mutation, only the custom mutators' stages"},
	{"FERRET_WHOLE_MAP",
	 "set: read and clear the whole coverage map on every run instead of "
	 "the counters the run touched (the same run, slower on large binaries)"},
	{0},
};

const struct usage lf_usage = {
	.page = "ferret-libfuzzer",
	.summary = "the flags of libFuzzer-style harnesses built with ferret-cc",
	.synopsis = lf_synopsis,
	.description =
		"A libFuzzer harness (LLVMFuzzerTestOneInput) linked with ferret-cc --fuzzer\n"
		"or -fsanitize=fuzzer takes libFuzzer's command line, with ferret's engine\n"
		"behind it. Given directories (corpora) or nothing, it fuzzes, adding new\n"
		"inputs to the first directory; given files, it runs each once. Flags are\n"
		"spelled -name=value; arguments starting with \"--\" are left to the\n"
		"harness, and unknown flags get a warning. HARNESS -help=1 lists the\n"
		"flags below.",
	.opts = lf_opts,
	.env = lf_env,
	.files = "crash-SHA1, timeout-SHA1, oom-SHA1: the input that crashed, hung or ran\n"
		 "out of memory, named by its SHA-1, in the current directory or under\n"
		 "-artifact_prefix.",
	.see_also = "ferret-cc(1), ferret(1), ferret-fuzz(1)",
	.flags = USAGE_NO_HELP_OPT,
};
