/*
 * banned.h - functions the engine must not use, as git's banned.h: each has a
 * bounded or checked replacement (snprintf, strtol/strtoul, memcpy with a
 * length). Included by every engine file after the system headers.
 */
#ifndef FERRET_BANNED_H
#define FERRET_BANNED_H

#define BANNED(func) sorry_##func##_is_banned_in_ferret

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef gets
#define gets(x) BANNED(gets)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef atoi
#define atoi(x) BANNED(atoi)

#endif
