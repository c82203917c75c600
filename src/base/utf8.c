/*
 * utf8.c — UTF-8 decoding, validation and NFC normalisation (utf8proc). Everything that enters
 * a record passes through here, so the store only ever holds valid, normalised UTF-8.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "base.h"

/* The two- and three-byte sequences (all of Chinese) decoded here, checked as utf8proc checks
 * them (no overlong forms, no surrogates); the rest, and every error, by utf8proc. */
static int
decode_short(const unsigned char *u, size_t len, int32_t *cp)
{
	int32_t c;

	if (u[0] >= 0xc2 && u[0] <= 0xdf && len >= 2 && (u[1] & 0xc0) == 0x80) {
		*cp = (int32_t)(u[0] & 0x1f) << 6 | (u[1] & 0x3f);
		return 2;
	}
	if (u[0] >= 0xe0 && u[0] <= 0xef && len >= 3 && (u[1] & 0xc0) == 0x80 &&
	    (u[2] & 0xc0) == 0x80) {
		c = (int32_t)(u[0] & 0x0f) << 12 | (int32_t)(u[1] & 0x3f) << 6 | (u[2] & 0x3f);
		if (c >= 0x800 && (c < 0xd800 || c > 0xdfff)) {
			*cp = c;
			return 3;
		}
	}
	return 0;
}

static bool
has_high_byte(const char *s)
{
	uint64_t word;

	memcpy(&word, s, sizeof word);
	return (word & 0x8080808080808080ull) != 0;
}

int
utf8_decode(const char *s, size_t len, int32_t *cp)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t n;
	int short_len;

	if (len > 0 && (unsigned char)s[0] < 0x80) {
		*cp = (unsigned char)s[0];
		return 1;
	}
	if (len > 0 && (short_len = decode_short((const unsigned char *)s, len, cp)) > 0)
		return short_len;
	n = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &c);
	if (n <= 0 || c < 0)
		return -1;
	*cp = c;
	return (int)n;
}

bool
utf8_valid(const char *s, size_t len)
{
	size_t i = 0;
	int32_t cp;

	while (i < len) {
		int n;

		while (i + 8 <= len && !has_high_byte(s + i))	/* ASCII, eight bytes at a time */
			i += 8;
		if (i >= len)
			break;
		n = utf8_decode(s + i, len - i, &cp);

		if (n < 0)
			return false;
		i += (size_t)n;
	}
	return true;
}

/* -1: bad UTF-8; 1: already NFC whatever the context; 0: normalisation needed. */
static int
utf8_scan(const char *s, size_t len)
{
	size_t i = 0;
	int32_t cp;
	int stable = 1;

	while (i < len) {
		int n = utf8_decode(s + i, len - i, &cp);

		if (n < 0)
			return -1;
		if (stable && !utf8_nfc_stable(cp))
			stable = 0;
		i += (size_t)n;
	}
	return stable;
}

char *
utf8_nfc(const char *s)
{
	utf8proc_uint8_t *out = NULL;
	char *copy;

	switch (utf8_scan(s, strlen(s))) {
	case -1:
		return NULL;
	case 1:
		return xstrdup(s);
	}
	if (utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
	    UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE) < 0)
		return NULL;
	copy = xstrdup((char *)out);
	free(out);
	return copy;
}

bool
utf8_has_control(const char *s, bool allow_newline)
{
	size_t len = strlen(s), i = 0;
	int32_t cp;

	while (i < len) {
		int n = utf8_decode(s + i, len - i, &cp);

		if (n < 0)
			return true;
		if (utf8_control(cp) && !(allow_newline && cp == '\n'))
			return true;
		i += (size_t)n;
	}
	return false;
}
