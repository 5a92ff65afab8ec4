// A libFuzzer harness whose bug is behind two std::string compares that
// end in libstdc++.so, not in inlined code: `==` with a C string literal,
// then compare() with another std::string built at run time. The first
// line of the input must be "ferret-magic-word", the rest "second-secret".
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	std::string s(reinterpret_cast<const char *>(d), n);
	size_t nl = s.find('\n');
	if (nl == std::string::npos)
		return 0;
	if (s.substr(0, nl) == "ferret-magic-word") {
		std::string want = std::string("second-") + "secret";
		if (s.substr(nl + 1).compare(want) == 0)
			abort();
	}
	return 0;
}
