/*
 * text-encoding.c — files as spreadsheets in China save them: UTF-8 with or without a BOM,
 * or GBK/GB18030. Valid UTF-8 is taken as UTF-8; anything else is read as GB18030 (a superset
 * of GBK and GB2312) unless --encoding names the encoding. A byte that fits neither is an error
 * naming its line.
 */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"

static size_t
line_of_offset(const char *text, size_t off)
{
	size_t line = 1;

	for (size_t i = 0; i < off; i++)
		line += text[i] == '\n';
	return line;
}

static int
convert_to_utf8(struct buf *text, const char *from, const char *path, struct error *err)
{
	iconv_t cd = iconv_open("UTF-8", from);
	struct buf out = BUF_INIT;
	char *in = text->data;
	size_t inleft = text->len;

	if (cd == (iconv_t)-1)
		return error_set(err, ST_USAGE, _("unknown encoding '%s' (use utf-8, gbk or gb18030)"), from);
	while (inleft > 0) {
		char *o;
		size_t oleft, room = inleft * 2 + 16;

		buf_grow(&out, room);
		o = out.data + out.len;
		oleft = room;
		if (iconv(cd, &in, &inleft, &o, &oleft) == (size_t)-1 && errno != E2BIG) {
			size_t off = (size_t)(in - text->data);

			iconv_close(cd);
			buf_free(&out);
			return error_set(err, ST_REFUSED,
			    _("%s:%zu: the text is neither UTF-8 nor %s (byte 0x%02x); save it as UTF-8 or name the encoding with --encoding"),
			    path, line_of_offset(text->data, off), from, (unsigned char)text->data[off]);
		}
		out.len += room - oleft;
		out.data[out.len] = '\0';
	}
	iconv_close(cd);
	buf_free(text);
	*text = out;
	if (text->data == NULL)
		buf_add(text, "", 0);
	return 0;
}

static void
drop_bom(struct buf *text)
{
	if (text->len >= 3 && memcmp(text->data, "\xef\xbb\xbf", 3) == 0) {
		memmove(text->data, text->data + 3, text->len - 3 + 1);
		text->len -= 3;
	}
}

int
text_to_utf8(struct buf *text, const char *encoding, const char *path, const char **used,
    struct error *err)
{
	bool want_utf8 = encoding != NULL &&
	    (strcasecmp(encoding, "utf-8") == 0 || strcasecmp(encoding, "utf8") == 0);

	if (text->data == NULL)
		buf_add(text, "", 0);
	if (encoding == NULL || want_utf8) {
		drop_bom(text);
		if (utf8_valid(text->data, text->len)) {
			*used = "UTF-8";
			return 0;
		}
		if (want_utf8) {
			size_t off = 0;
			int32_t cp;

			while (off < text->len) {
				int n = utf8_decode(text->data + off, text->len - off, &cp);

				if (n < 0)
					break;
				off += (size_t)n;
			}
			return error_set(err, ST_REFUSED, _("%s:%zu: not valid UTF-8"), path,
			    line_of_offset(text->data, off));
		}
		encoding = "GB18030";
	}
	if (strcasecmp(encoding, "gbk") == 0 || strcasecmp(encoding, "gb2312") == 0)
		encoding = "GB18030";	/* a superset: what GBK files hold, it reads the same */
	*used = encoding;
	return convert_to_utf8(text, encoding, path, err);
}
