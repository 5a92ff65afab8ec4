/*
 * custom_test.c - unit tests of src/custom.c's pure part: the rule that
 * makes a custom mutator's describe() safe in a file name (kept
 * characters, replaced ones, the length bound, NULL), and the refusals of
 * custom_load that need no library: a missing file, from the list and
 * from the flag, and empty parts of the ';' list. Loading real libraries
 * is tested end to end (t2006-t2008).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "custom.h"

static void test_sanitize(void **state)
{
	(void)state;
	char out[16];
	assert_int_equal(custom_sanitize("smite-ir:fresh", 64, out, sizeof(out)), 14);
	assert_string_equal(out, "smite-ir:fresh");
	custom_sanitize("a/b c,d\te=f+g.h", 64, out, sizeof(out));
	assert_string_equal(out, "a_b_c_d_e=f+g.h");
	/* bounded by max and by the buffer */
	assert_int_equal(custom_sanitize("abcdefgh", 3, out, sizeof(out)), 3);
	assert_string_equal(out, "abc");
	assert_int_equal(custom_sanitize("abcdefghijklmnopqrstuvwxyz", 64, out, sizeof(out)), 15);
	assert_string_equal(out, "abcdefghijklmno");
	assert_int_equal(custom_sanitize(NULL, 64, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	custom_sanitize("\xff\x01", 64, out, sizeof(out));
	assert_string_equal(out, "__");
}

static void test_load_missing(void **state)
{
	(void)state;
	struct custom c;
	char why[256];
	assert_int_equal(custom_load(&c, ";;", NULL, 0, NULL, why, sizeof(why)), 0);
	assert_int_equal(c.n, 0);
	custom_release(&c);
	assert_int_equal(custom_load(&c, "/nonexistent/a.so", NULL, 0, NULL, why, sizeof(why)), -1);
	assert_string_equal(why, "cannot load custom mutator '/nonexistent/a.so': No such file "
				 "or directory");
	assert_null(c.v);
	const char *paths[] = {"missing.so"};
	assert_int_equal(custom_load(&c, NULL, paths, 1, NULL, why, sizeof(why)), -1);
	assert_string_equal(why, "cannot load custom mutator 'missing.so': No such file or "
				 "directory");
	struct loop_mutators m;
	custom_hooks(&c, &m);
	assert_int_equal(m.n, 0);
	assert_null(m.post);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_load_missing),
	};
	return cmocka_run_group_tests_name("custom", tests, NULL, NULL);
}
