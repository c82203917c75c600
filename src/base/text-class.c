/*
 * text-class.c — characters a value may not hold, or may not consist of: bidirectional
 * controls, which reorder what a terminal shows (a name could display as another), and the
 * invisible ones (format characters, utf8proc's category Cf, and white space) that make a
 * value look empty while it is not. The field types, the console and the import share them.
 */
#include "config.h"

#include <string.h>
#include <utf8proc.h>

#include "base.h"

bool
text_bidi_control(int32_t cp)
{
	return cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069);
}

/* Fillers that are letters to Unicode but show nothing (Hangul fillers, the combining
 * grapheme joiner, the Braille blank). */
static bool
blank_letter(int32_t cp)
{
	return cp == 0x034f || cp == 0x115f || cp == 0x1160 || cp == 0x2800 || cp == 0x3164 ||
	    cp == 0xffa0;
}

bool
text_invisible(int32_t cp)
{
	if (cp < 0x80)
		return cp <= 0x20 || cp == 0x7f;
	if (cp >= 0x4e00 && cp <= 0x9fff)	/* unified ideographs, without a lookup */
		return false;
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_CF:
	case UTF8PROC_CATEGORY_CC:
	case UTF8PROC_CATEGORY_ZS:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
		return true;
	default:
		return blank_letter(cp);
	}
}

int32_t
text_find_bidi_control(const char *s)
{
	size_t len = strlen(s), i = 0;
	int32_t cp;

	while (i < len) {
		int n;

		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		if ((n = utf8_decode(s + i, len - i, &cp)) < 0) {
			i++;
			continue;
		}
		if (text_bidi_control(cp))
			return cp;
		i += (size_t)n;
	}
	return 0;
}

bool
text_blank(const char *s)
{
	size_t len = strlen(s), i = 0;
	int32_t cp;

	while (i < len) {
		int n = utf8_decode(s + i, len - i, &cp);

		if (n < 0 || !text_invisible(cp))
			return false;
		i += (size_t)n;
	}
	return true;
}

int32_t
text_first_invisible(const char *s)
{
	size_t len = strlen(s), i = 0;
	int32_t cp;

	while (i < len) {
		int n = utf8_decode(s + i, len - i, &cp);

		if (n < 0)
			return 0;
		if (text_invisible(cp) && cp != ' ')
			return cp;
		i += (size_t)n;
	}
	return 0;
}
