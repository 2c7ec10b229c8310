/* Lab 4: cache conflicts. Reads COUNT bytes that lie DISTANCE bytes apart
 * inside one page, 100 times over, between zxsim_detail_begin/end. Inside
 * a page the physical address has the virtual one's low 12 bits, so the
 * cache set of each byte is known: with the teaching profile's L1 data
 * cache (1 KiB, 64-byte lines, 2 ways: 8 sets, 512 bytes per way) bytes
 * 512 apart share a set. Two fit in its two ways; a third evicts the
 * least recently used one just before it is needed again. */
#include <stdio.h>
#include <stdlib.h>
#include <zxsim/zxsim.h>

#define ROUNDS 100

__attribute__((aligned(4096))) static volatile unsigned char page[4096];

__attribute__((noinline)) unsigned long touch(unsigned long distance, unsigned long count)
{
    unsigned long sum = 0;
    for (int r = 0; r < ROUNDS; r++)
        for (unsigned long i = 0; i < count; i++)
            sum += page[i * distance];
    return sum;
}

int main(int argc, char **argv)
{
    unsigned long distance = argc > 1 ? strtoul(argv[1], NULL, 0) : 512;
    unsigned long count = argc > 2 ? strtoul(argv[2], NULL, 0) : 3;
    if (count == 0 || distance * (count - 1) >= sizeof page)
        return 1;
    for (unsigned long i = 0; i < count; i++)
        page[i * distance] = 1; /* commit the page before measuring */
    zxsim_detail_begin();
    unsigned long sum = touch(distance, count);
    zxsim_detail_end();
    printf("%lu bytes %lu apart, %d rounds: %lu reads\n", count, distance, ROUNDS, sum);
    return 0;
}
