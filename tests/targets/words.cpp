// A C++ program for ferret-c++: reads words from stdin into a std::map and
// prints each with its count, sorted; exit status 1 when there are none.
#include <iostream>
#include <map>
#include <string>

int main()
{
	std::map<std::string, int> counts;
	std::string w;
	while (std::cin >> w)
		counts[w]++;
	for (const auto &kv : counts)
		std::cout << kv.first << ' ' << kv.second << '\n';
	return counts.empty() ? 1 : 0;
}
