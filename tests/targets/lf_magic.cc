// libFuzzer harness (C++) with the same planted crash as lf_magic.c:
// SIGSEGV when the input is "FUZ" followed by the 32-bit little-endian
// magic 0x1badb002; uses std::string so the C++ runtime is linked.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

static void crash()
{
	volatile int *volatile p = nullptr;
	*p = 1; // SIGSEGV
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	std::string s(reinterpret_cast<const char *>(data), size);
	if (s.size() < 7 || s[0] != 'F')
		return 0;
	if (s[1] != 'U')
		return 0;
	if (s[2] != 'Z')
		return 0;
	uint32_t magic;
	std::memcpy(&magic, s.data() + 3, 4);
	if (magic == 0x1badb002u)
		crash();
	return 0;
}
