// A libFuzzer harness that reads its input through FuzzedDataProvider
// (clang's header-only helper), for gcc builds (t5000): SIGILL on a
// string "hello" followed by 42.
#include <fuzzer/FuzzedDataProvider.h>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzedDataProvider p(data, size);
	std::string s = p.ConsumeRandomLengthString(16);
	int v = p.ConsumeIntegralInRange<int>(0, 100);
	if (s == "hello" && v == 42)
		__builtin_trap();
	return 0;
}
