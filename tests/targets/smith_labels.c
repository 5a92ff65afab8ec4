/*
 * smith_labels.c - labelled call sites, for t6003. One ferret_u32_l call
 * site in a helper is called from two places with the labels "width" and
 * "height"; include/ferret.h promises that the *_l forms tell such call
 * sites apart, so each label is its own uid, named by the label in the
 * logged stream.
 *   labels      asks for a width and a height, compares them (paths for
 *               the fuzzer to save streams on; build with -O0, or clang
 *               turns the compares into one conditional move); never fails
 *   labels_3x4  fails when the width is 3 and the height 4, which a
 *               stream can only ask for when the labels have their own uids
 */
#include <ferret.h>

static uint32_t dim(ferret_smith *s, const char *label)
{
	return ferret_u32_l(s, label);
}

static volatile uint32_t wider, taller, square; /* one store per path */

FERRET_TEST(labels, s)
{
	uint32_t w = dim(s, "width");
	uint32_t h = dim(s, "height");
	if (w < h)
		taller = 1;
	else if (w > h)
		wider = 1;
	else
		square = 1;
}

FERRET_TEST(labels_3x4, s)
{
	uint32_t w = dim(s, "width");
	uint32_t h = dim(s, "height");
	FERRET_ASSERT(!(w == 3 && h == 4));
}
