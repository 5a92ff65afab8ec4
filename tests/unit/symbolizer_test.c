/*
 * symbolizer_test.c - unit tests of src/symbolizer.c: a code address of
 * this very program, made relative as the runtime makes it (an offset from
 * the executable's first byte), is named with its function and this
 * file's name and a line; an edge line is "function TAB file:line", and
 * "? TAB ?" for an edge without a PC (none recorded, past the table, or
 * 0); a shared object's address is "obj:TAG+0xOFF"; a file that cannot be
 * read gives the address.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "symbolizer.h"

extern char __executable_start[];

__attribute__((noinline)) static int named_here(int x)
{
	return x * 3 + 1;
}

static uint64_t rel(const void *fn)
{
	return (uint64_t)((uintptr_t)fn - (uintptr_t)__executable_start);
}

static void test_names_own_function(void **state)
{
	(void)state;
	struct symbolizer *s = symbolizer_new("/proc/self/exe");
	assert_non_null(s);
	char fn[128], loc[128];
	assert_int_equal(1, symbolizer_name(s, rel((const void *)named_here), fn, sizeof(fn), loc,
					    sizeof(loc)));
	assert_string_equal("named_here", fn);
	assert_true(!strncmp(loc, "symbolizer_test.c:", 18));
	assert_true(named_here(1) == 4);
	symbolizer_free(s);
}

static void test_edge_lines(void **state)
{
	(void)state;
	struct symbolizer *s = symbolizer_new("/proc/self/exe");
	assert_non_null(s);
	uint64_t pcs[3] = {0, rel((const void *)named_here), 0};
	char line[300];
	symbolizer_edge(s, pcs, 3, 1, line, sizeof(line));
	assert_true(!strncmp(line, "named_here\tsymbolizer_test.c:", 29));
	symbolizer_edge(s, pcs, 3, 0, line, sizeof(line)); /* PC 0: unknown */
	assert_string_equal("?\t?", line);
	symbolizer_edge(s, pcs, 3, 7, line, sizeof(line)); /* past the table */
	assert_string_equal("?\t?", line);
	symbolizer_edge(s, NULL, 0, 1, line, sizeof(line)); /* no table (gcc) */
	assert_string_equal("?\t?", line);
	symbolizer_free(s);
}

static void test_object_and_unreadable(void **state)
{
	(void)state;
	struct symbolizer *s = symbolizer_new("/proc/self/exe");
	char fn[128], loc[128];
	symbolizer_name(s, (0xabcdefull << 40) | 0x1234, fn, sizeof(fn), loc, sizeof(loc));
	assert_string_equal("obj:abcdef+0x1234", fn);
	assert_string_equal("?", loc);
	symbolizer_free(s);
	s = symbolizer_new("/nonexistent/ferret-symbolizer-test");
	fprintf(stderr, "(one warning expected:)\n");
	symbolizer_name(s, 0x1234, fn, sizeof(fn), loc, sizeof(loc));
	assert_string_equal("0x1234", fn);
	assert_string_equal("?", loc);
	symbolizer_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_own_function),
		cmocka_unit_test(test_edge_lines),
		cmocka_unit_test(test_object_and_unreadable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
