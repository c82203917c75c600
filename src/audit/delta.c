/*
 * delta.c — git's delta format for record texts. Two records of a form share their field
 * names, line order and many values, so a line-by-line encoder does well: a line the base has
 * is copied from it, else the part it shares with the base's line at the same place ("status:
 * ") is copied and the rest inserted. The result is what git's delta decoder (and libgit2's)
 * reads: source size, target size, then copy and insert operations.
 */
#include "config.h"

#include <string.h>

#include "audit/delta.h"

static void
put_varint(struct buf *out, size_t n)
{
	do {
		unsigned char c = n & 0x7f;

		n >>= 7;
		buf_addc(out, (char)(c | (n ? 0x80 : 0)));
	} while (n);
}

static void
put_copy(struct buf *out, size_t off, size_t len)
{
	while (len > 0) {
		size_t n = len > 0xffff ? 0xffff : len;
		unsigned char op = 0x80, bytes[8];
		int k = 0;

		for (int i = 0; i < 4; i++)
			if ((off >> (8 * i)) & 0xff) {
				op |= (unsigned char)(1 << i);
				bytes[k++] = (unsigned char)(off >> (8 * i));
			}
		for (int i = 0; i < 2; i++)
			if ((n >> (8 * i)) & 0xff) {
				op |= (unsigned char)(0x10 << i);
				bytes[k++] = (unsigned char)(n >> (8 * i));
			}
		buf_addc(out, (char)op);
		buf_add(out, bytes, (size_t)k);
		off += n;
		len -= n;
	}
}

static void
put_insert(struct buf *out, const char *p, size_t len)
{
	while (len > 0) {
		size_t n = len > 127 ? 127 : len;

		buf_addc(out, (char)n);
		buf_add(out, p, n);
		p += n;
		len -= n;
	}
}

struct line {
	size_t off, len;	/* len includes the '\n' */
};

static size_t
split_lines(const char *s, size_t len, struct line *lines, size_t max)
{
	size_t n = 0, off = 0;

	while (off < len && n < max) {
		const char *nl = memchr(s + off, '\n', len - off);
		size_t l = nl != NULL ? (size_t)(nl - (s + off)) + 1 : len - off;

		lines[n].off = off;
		lines[n++].len = l;
		off += l;
	}
	return off == len ? n : 0;
}

/* A pending copy is extended while the next copy continues it. */
struct ops {
	struct buf *out;
	size_t copy_off, copy_len;
};

static void
flush_copy(struct ops *o)
{
	if (o->copy_len > 0)
		put_copy(o->out, o->copy_off, o->copy_len);
	o->copy_len = 0;
}

static void
op_copy(struct ops *o, size_t off, size_t len)
{
	if (o->copy_len > 0 && o->copy_off + o->copy_len == off) {
		o->copy_len += len;
		return;
	}
	flush_copy(o);
	o->copy_off = off;
	o->copy_len = len;
}

static void
op_insert(struct ops *o, const char *p, size_t len)
{
	flush_copy(o);
	put_insert(o->out, p, len);
}

int
delta_encode(const char *base, size_t base_len, const char *target, size_t target_len,
    struct buf *out)
{
	struct line bl[DELTA_MAX_LINES], tl[DELTA_MAX_LINES];
	size_t nb = split_lines(base, base_len, bl, DELTA_MAX_LINES);
	size_t nt = split_lines(target, target_len, tl, DELTA_MAX_LINES);
	struct ops o = { out, 0, 0 };

	if (nb == 0 || nt == 0)
		return -1;
	buf_reset(out);
	put_varint(out, base_len);
	put_varint(out, target_len);
	for (size_t i = 0; i < nt; i++) {
		const char *t = target + tl[i].off;
		size_t common = 0;

		if (i < nb) {
			const char *b = base + bl[i].off;
			size_t max = bl[i].len < tl[i].len ? bl[i].len : tl[i].len;

			while (common < max && b[common] == t[common])
				common++;
			if (common == tl[i].len && bl[i].len == tl[i].len) {
				op_copy(&o, bl[i].off, common);
				continue;
			}
			if (common < 4)
				common = 0;
		}
		if (common > 0)
			op_copy(&o, bl[i].off, common);
		op_insert(&o, t + common, tl[i].len - common);
	}
	flush_copy(&o);
	return 0;
}
