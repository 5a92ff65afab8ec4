/* ttfc_vm.c - a small stack machine behind a verifier. "VM", a length byte
 * that must be the rest of the input, then the program: 'P' imm (push imm,
 * below 16), '+' (add), 'D' (dup), 'X' (drop), 'L' (load: address popped,
 * masked to the 16-cell memory), 'S' (store: address popped, then the value),
 * 'H' (halt, last byte). The verifier rejects unknown ops, immediates of 16
 * or more, a stack deeper than 8 or popped when empty, and a stack not empty
 * at 'H'. It assumes every address comes from a 'P' and so is below 16, but
 * '+' can make 16 or more: a store to such an address is the planted bug,
 * caught by a check. Hard because random bytes are almost never a program
 * the verifier accepts, and the bug needs a short well-formed sequence such
 * as P1 P9 P9 + S H (bench/ttfc.sh). */
#include "ttfc.h"

enum { MEM = 16, STACK = 8 };

/* The stack effect of op: how many it pops (*pop) and pushes (*push), and the
 * bytes it takes; 0 for an unknown op. */
static size_t op_info(uint8_t op, int *pop, int *push)
{
	switch (op) {
	case 'P':
		*pop = 0, *push = 1;
		return 2;
	case '+':
		*pop = 2, *push = 1;
		return 1;
	case 'D':
		*pop = 1, *push = 2;
		return 1;
	case 'X':
		*pop = 1, *push = 0;
		return 1;
	case 'L':
		*pop = 1, *push = 1;
		return 1;
	case 'S':
		*pop = 2, *push = 0;
		return 1;
	case 'H':
		*pop = 0, *push = 0;
		return 1;
	default:
		return 0;
	}
}

static int verify(const uint8_t *code, size_t len)
{
	int depth = 0;
	size_t pc = 0;
	while (pc < len) {
		int pop, push;
		size_t w = op_info(code[pc], &pop, &push);
		if (w == 0 || w > len - pc)
			return 0;
		if (code[pc] == 'P' && code[pc + 1] >= MEM)
			return 0;
		if (depth < pop || depth - pop + push > STACK)
			return 0;
		depth += push - pop;
		if (code[pc] == 'H')
			return pc + 1 == len && depth == 0;
		pc += w;
	}
	return 0;
}

static volatile uint8_t sink;

static void check(const uint8_t *d, size_t n)
{
	if (n < 3 || d[0] != 'V' || d[1] != 'M' || d[2] != n - 3)
		return;
	const uint8_t *code = d + 3;
	size_t len = n - 3;
	if (!verify(code, len))
		return;
	uint8_t mem[MEM] = {0}, st[STACK];
	int sp = 0;
	for (size_t pc = 0; code[pc] != 'H'; pc++) {
		uint8_t x, y;
		switch (code[pc]) {
		case 'P':
			st[sp++] = code[++pc];
			break;
		case '+':
			y = st[--sp], x = st[--sp];
			st[sp++] = (uint8_t)(x + y);
			break;
		case 'D':
			x = st[sp - 1];
			st[sp++] = x;
			break;
		case 'X':
			sp--;
			break;
		case 'L':
			x = st[--sp];
			st[sp++] = mem[x % MEM];
			break;
		case 'S':
			y = st[--sp], x = st[--sp];
			if (y >= MEM)
				TTFC_CRASH(); /* the planted bug: the verifier let it through */
			mem[y] = x;
			break;
		}
	}
	sink = mem[0] ^ mem[MEM - 1];
}

/* seed: two stores to constant addresses, an add and a load; answer: a
 * store to 9 + 9. */
static void sample(int answer, struct ttfc_out *o)
{
	static const char seed[] = "P\7P\3SP\1P\2+P\4SP\3LXH";
	static const char ans[] = "P\1P\11P\11+SH";
	const char *prog = answer ? ans : seed;
	size_t len = answer ? sizeof ans - 1 : sizeof seed - 1;
	ttfc_puts(o, "VM");
	ttfc_put8(o, (uint8_t)len);
	ttfc_put(o, prog, len);
}
