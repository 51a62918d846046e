/* UTF-8 encoding, shared by every layer that builds text from keys. */
#ifndef SITECARE_NET_UTF8_H
#define SITECARE_NET_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Writes code point cp (at most U+10FFFF) as UTF-8 into out; its length. */
size_t utf8_encode(uint32_t cp, char out[4]);

#endif
