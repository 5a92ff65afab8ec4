// libFuzzer harnesses for std::string equality (issue 14), one per
// -DSOLVE_<CASE>; each aborts on its answer only:
//   STRING  the whole input == "ferret-std-string" (operator== with a
//           literal, inlined from libstdc++'s header)
//   STRING2 the whole input == a std::string built at run time
//   FDP     FuzzedDataProvider: ConsumeRandomLengthString() == "hello-fdp"
#include <cstdint>
#include <cstdlib>
#include <string>
#if defined(SOLVE_FDP)
#include <fuzzer/FuzzedDataProvider.h>
#endif

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
#if defined(SOLVE_STRING)
	std::string s(reinterpret_cast<const char *>(d), n);
	if (s == "ferret-std-string")
		abort();
#elif defined(SOLVE_STRING2)
	static const std::string want = std::string("ferret-") + "runtime-str";
	std::string s(reinterpret_cast<const char *>(d), n);
	if (s == want)
		abort();
#elif defined(SOLVE_FDP)
	FuzzedDataProvider p(d, n);
	std::string s = p.ConsumeRandomLengthString(64);
	if (s == "hello-fdp")
		abort();
#else
#error "define one SOLVE_<CASE>"
#endif
	return 0;
}
