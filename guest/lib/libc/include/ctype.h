/* <ctype.h> of zxsim's guest libc: the "C" locale, ASCII only. */
#pragma once

#include <zircon/compiler.h>

__BEGIN_CDECLS

int isalnum(int c);
int isalpha(int c);
int isblank(int c);
int iscntrl(int c);
int isdigit(int c);
int isgraph(int c);
int islower(int c);
int isprint(int c);
int ispunct(int c);
int isspace(int c);
int isupper(int c);
int isxdigit(int c);
int tolower(int c);
int toupper(int c);

__END_CDECLS
