/* Returns argv[1] (a decimal number, default 0) from main, to check that the
 * guest's own exit code passes through zxsim and that codes equal to zxsim's
 * own outcomes (2, 3, 4) are told apart on standard error. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    int code = argc > 1 ? atoi(argv[1]) : 0;
    printf("returning %d from main\n", code);
    return code;
}
