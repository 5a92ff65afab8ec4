/*
 * rng.h - the engine's random number generator: xoshiro256** seeded through
 * splitmix64. Pure and allocation-free; every core function that needs
 * randomness takes a struct rng * so runs are reproducible from one seed.
 * Inline because mutators call it several times per execution.
 */
#ifndef FERRET_RNG_H
#define FERRET_RNG_H

#include <stddef.h>
#include <stdint.h>

struct rng {
	uint64_t s[4];
};

static inline uint64_t rng__splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Seeds the generator; the same seed always gives the same sequence. */
static inline void rng_seed(struct rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = rng__splitmix(&seed);
}

static inline uint64_t rng__rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* The next 64 random bits. */
static inline uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = rng__rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rng__rotl(s[3], 45);
	return out;
}

/*
 * A uniform value in [0, n); n == 0 gives 0. Lemire's multiply-shift: the
 * bias is below 2^-32 for the sizes a fuzzer uses, which is cheaper than a
 * rejection loop on the hot path.
 */
static inline uint64_t rng_below(struct rng *r, uint64_t n)
{
	return (uint64_t)(((unsigned __int128)rng_next(r) * n) >> 64);
}

/* True with probability num/den. */
static inline int rng_chance(struct rng *r, uint64_t num, uint64_t den)
{
	return rng_below(r, den) < num;
}

#endif
