// A C++ program that dies of an uncaught exception: std::out_of_range
// when the first byte of stdin is 'X' (t1010).
#include <cstdio>
#include <stdexcept>

int main()
{
	char buf[16];
	size_t n = fread(buf, 1, sizeof buf, stdin);
	if (n > 0 && buf[0] == 'X')
		throw std::out_of_range("index past the end");
	return 0;
}
