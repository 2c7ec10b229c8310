/* Found only through the -I flag the test passes to zxsim-cc. */
#pragma once

#define SAMPLE_PAGES 3
#define SAMPLE_NAME  "square"

static inline int sample_square(int x)
{
    return x * x;
}
