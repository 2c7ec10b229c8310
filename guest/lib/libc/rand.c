/* rand(): a 64-bit linear congruential generator (Knuth's MMIX constants),
 * returning the top 31 bits. Deterministic: the same seed gives the same
 * sequence on both ISAs; without srand() the seed is 1. */
#include <stdint.h>
#include <stdlib.h>

static uint64_t state;

void srand(unsigned seed)
{
    state = (uint64_t)seed - 1;
}

int rand(void)
{
    state = 6364136223846793005ull * state + 1;
    return (int)(state >> 33);
}
