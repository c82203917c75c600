/*
 * width.c — display width, the one place that knows how many terminal columns text takes.
 * Chinese characters take two columns; truncation never splits one. Control characters are
 * never drawn: width_escape_controls() turns them, and the bidirectional controls that reorder
 * a line, into visible escapes like "\x1b" and "\u202e".
 */
#include "config.h"

#include <string.h>
#include <utf8proc.h>

#include "base.h"

int
width_of_codepoint(int32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
		return 0;
	if (cp < 0x7f)
		return 1;
	if (cp >= 0x4e00 && cp <= 0x9fff)	/* unified ideographs: utf8proc's 2, without a lookup */
		return 2;
	return utf8proc_charwidth(cp);
}

size_t
width_of(const char *s)
{
	size_t len = strlen(s), i = 0, cols = 0;
	int32_t cp;

	while (i < len) {
		int n = utf8_decode(s + i, len - i, &cp);

		if (n < 0) {	/* a bad byte shows as one replacement column */
			cols++;
			i++;
			continue;
		}
		cols += (size_t)width_of_codepoint(cp);
		i += (size_t)n;
	}
	return cols;
}

size_t
width_of_plain(const char *s, size_t len)
{
	size_t i = 0, cols = 0;
	int32_t cp;

	if (len > 0 && (s[0] == ' ' || s[len - 1] == ' ' || str_starts(s, "\xe3\x80\x80") ||
	    (len >= 3 && memcmp(s + len - 3, "\xe3\x80\x80", 3) == 0)))
		return SIZE_MAX;	/* ASCII space or U+3000 at an end: to be trimmed */
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		int n;

		if (c < 0x80) {		/* ASCII without a call */
			if (c < 0x20 || c == 0x7f)
				return SIZE_MAX;
			cols++;
			i++;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if (n < 0 || utf8_control(cp) || !utf8_nfc_stable(cp) || text_invisible(cp))
			return SIZE_MAX;	/* invisible ones: to be checked as the cleaning checks */
		cols += (size_t)width_of_codepoint(cp);
		i += (size_t)n;
	}
	return cols;
}

/*
 * How many bytes of s fit in cols columns; *used_cols (if not NULL) gets the columns they
 * take, which is cols - 1 when a two-column character did not fit in the last column.
 */
size_t
width_fit_bytes(const char *s, size_t cols, size_t *used_cols)
{
	size_t len = strlen(s), i = 0, used = 0;
	int32_t cp;

	while (i < len) {
		int n = utf8_decode(s + i, len - i, &cp);
		size_t w = 1;

		if (n < 0)
			n = 1;
		else
			w = (size_t)width_of_codepoint(cp);
		if (used + w > cols)
			break;
		used += w;
		i += (size_t)n;
	}
	if (used_cols != NULL)
		*used_cols = used;
	return i;
}

/* Whether a code point is never sent as it is: it moves the cursor, starts an escape
 * sequence (C0, DEL, C1) or reorders the line (bidi controls). */
static bool
escaped_codepoint(int32_t cp, bool keep_newline)
{
	if (cp == '\n')
		return !keep_newline;
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || text_bidi_control(cp);
}

bool
width_needs_escape(const char *s, bool keep_newline)
{
	size_t len = strlen(s), i = 0;
	int32_t cp;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		int n;

		if (c >= 0x20 && c < 0x7f) {	/* most text is ASCII: no decoding */
			i++;
			continue;
		}
		if ((n = utf8_decode(s + i, len - i, &cp)) < 0 || escaped_codepoint(cp, keep_newline))
			return true;
		i += (size_t)n;
	}
	return false;
}

void
width_escape_controls(struct buf *out, const char *s)
{
	width_escape_controls_keep(out, s, false);
}

void
width_escape_controls_keep(struct buf *out, const char *s, bool keep_newline)
{
	size_t len = strlen(s), i = 0;
	int32_t cp;

	while (i < len) {
		int n = utf8_decode(s + i, len - i, &cp);

		if (n < 0) {
			buf_printf(out, "\\x%02x", (unsigned char)s[i]);
			i++;
			continue;
		}
		if (cp == '\n' && keep_newline)
			buf_addc(out, '\n');
		else if (cp == '\n')
			buf_adds(out, "\\n");
		else if (cp == '\t')
			buf_adds(out, "\\t");
		else if (cp < 0x20 || cp == 0x7f)
			buf_printf(out, "\\x%02x", (unsigned)cp);
		else if ((cp >= 0x80 && cp < 0xa0) || text_bidi_control(cp))
			buf_printf(out, "\\u%04x", (unsigned)cp);	/* bidi: it reorders the line */
		else
			buf_add(out, s + i, (size_t)n);
		i += (size_t)n;
	}
}
