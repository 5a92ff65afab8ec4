// libFuzzer harnesses for std::string equality (issue 14), one per
// -DSOLVE_<CASE>; each aborts on its answer only:
//   STRING  the whole input == "ferret-std-string" (operator== with a
//           literal, inlined from libstdc++'s header)
//   STRING2 the whole input == a std::string built at run time
//   FDP     FuzzedDataProvider: ConsumeRandomLengthString() == "hello-fdp"
// -DSOLVE_ANY builds all three, picked at run time by $LF_SOLVE (string,
// string2, fdp): one build per engine for tests/e2e/t5012-conformance.sh.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#if defined(SOLVE_FDP) || defined(SOLVE_ANY)
#include <fuzzer/FuzzedDataProvider.h>
#endif

enum { STRING = 1, STRING2, FDP };

#if defined(SOLVE_ANY)
static int which()
{
	static int w = -1;
	if (w < 0) {
		const char *s = getenv("LF_SOLVE");
		w = !s                      ? 0
		    : !strcmp(s, "string")  ? STRING
		    : !strcmp(s, "string2") ? STRING2
		    : !strcmp(s, "fdp")     ? FDP
					    : 0;
	}
	return w;
}
#define WHICH which()
#elif defined(SOLVE_STRING)
#define WHICH STRING
#elif defined(SOLVE_STRING2)
#define WHICH STRING2
#elif defined(SOLVE_FDP)
#define WHICH FDP
#else
#error "define one SOLVE_<CASE>, or SOLVE_ANY"
#endif

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	switch (WHICH) {
	case STRING: {
		std::string s(reinterpret_cast<const char *>(d), n);
		if (s == "ferret-std-string")
			abort();
		break;
	}
	case STRING2: {
		static const std::string want = std::string("ferret-") + "runtime-str";
		std::string s(reinterpret_cast<const char *>(d), n);
		if (s == want)
			abort();
		break;
	}
#if defined(SOLVE_FDP) || defined(SOLVE_ANY)
	case FDP: {
		FuzzedDataProvider p(d, n);
		std::string s = p.ConsumeRandomLengthString(64);
		if (s == "hello-fdp")
			abort();
		break;
	}
#endif
	}
	return 0;
}
