/*
 * fold.c — folding for search: lower case, full-width ASCII to ASCII, Traditional to Simplified
 * Chinese, Han characters to pinyin. ICU transliterates each Han character once, the first time
 * it is seen, and the result is cached, so folding a name costs a few table lookups. Not
 * thread-safe: one thread folds. When ICU fails, characters are left as they are.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utrans.h>
#include <utf8proc.h>

#include "base.h"

#define HAN_FIRST 0x3400	/* CJK extension A, then the unified ideographs … */
#define HAN_LAST 0x9fff		/* … to their end: nearly every character typed */
#define SIMP_MAX 5		/* one character in UTF-8 and a NUL */
#define PINYIN_MAX 8		/* "zhuang", the longest syllable, fits */

/* What ICU said about one Han character. */
struct han {
	bool known;		/* ICU has been asked */
	char simp[SIMP_MAX];	/* the Simplified character; "" when it is the same */
	char pinyin[PINYIN_MAX];	/* lower-case ASCII; "" when ICU knows no reading */
};

/* The rarer ideographs (〇, compatibility forms, extensions B and on), by code point. */
struct han_slot {
	int32_t cp;		/* 0: free */
	struct han han;
};

static struct {
	bool tried;		/* the transliterators were opened (or failed to be) */
	UTransliterator *simplify;	/* Traditional-Simplified; NULL if ICU failed */
	UTransliterator *latin;	/* Han-Latin; Latin-ASCII; NULL if ICU failed */
	struct han *table;	/* HAN_FIRST … HAN_LAST */
	struct han_slot *slots;
	size_t n_slots, cap_slots;	/* cap is a power of two, at most half full */
} fold;

static UTransliterator *
translit_open(const char *id)
{
	UChar uid[64];
	UParseError pe;
	UErrorCode st = U_ZERO_ERROR;
	UTransliterator *t;

	u_uastrncpy(uid, id, (int32_t)(sizeof uid / sizeof uid[0]) - 1);
	uid[sizeof uid / sizeof uid[0] - 1] = 0;
	t = utrans_openU(uid, -1, UTRANS_FORWARD, NULL, -1, &pe, &st);
	if (U_FAILURE(st)) {
		if (t != NULL)
			utrans_close(t);
		return NULL;
	}
	return t;
}

/* One code point through t, as UTF-8 in out; -1 when ICU fails or it does not fit. */
static int
translit_char(UTransliterator *t, int32_t cp, char *out, size_t cap)
{
	UChar text[32];
	int32_t len = 0, limit, n = 0;
	UErrorCode st = U_ZERO_ERROR;

	if (t == NULL || cp < 0 || cp > 0x10ffff)
		return -1;
	U16_APPEND_UNSAFE(text, len, cp);
	limit = len;
	utrans_transUChars(t, text, &len, (int32_t)(sizeof text / sizeof text[0]), 0, &limit,
	    &st);
	if (U_FAILURE(st))
		return -1;
	u_strToUTF8(out, (int32_t)cap, &n, text, len, &st);
	if (U_FAILURE(st) || n < 0 || (size_t)n >= cap)
		return -1;
	return 0;
}

/* A syllable of lower-case ASCII letters, as Han-Latin; Latin-ASCII gives it. */
static bool
store_pinyin(const char *s, char out[PINYIN_MAX])
{
	size_t n = strlen(s);

	if (n == 0 || n >= PINYIN_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c < 'a' || c > 'z')
			return false;
		out[i] = c;
	}
	out[n] = '\0';
	return true;
}

/* Asks ICU about cp, once; what it cannot say stays "" and the character stands for itself. */
static void
han_fill(int32_t cp, struct han *h)
{
	char out[32];
	int32_t simp_cp = cp;

	h->known = true;
	if (!fold.tried) {
		fold.tried = true;
		fold.simplify = translit_open("Traditional-Simplified");
		fold.latin = translit_open("Han-Latin; Latin-ASCII");
	}
	if (translit_char(fold.simplify, cp, out, sizeof out) == 0 && strlen(out) < SIMP_MAX &&
	    utf8_decode(out, strlen(out), &simp_cp) == (int)strlen(out) && simp_cp != cp)
		memcpy(h->simp, out, strlen(out) + 1);
	if (translit_char(fold.latin, cp, out, sizeof out) == 0 && store_pinyin(out, h->pinyin))
		return;
	if (h->simp[0] != '\0' && translit_char(fold.latin, simp_cp, out, sizeof out) == 0)
		(void)store_pinyin(out, h->pinyin);
}

static size_t
slot_index(int32_t cp, size_t cap)
{
	return ((uint32_t)cp * 2654435761u) & (cap - 1);
}

static void
slots_grow(void)
{
	struct han_slot *old = fold.slots;
	size_t old_cap = fold.cap_slots;

	fold.cap_slots = old_cap == 0 ? 64 : old_cap * 2;
	fold.slots = xcalloc(fold.cap_slots, sizeof *fold.slots);
	for (size_t i = 0; i < old_cap; i++) {
		size_t j;

		if (old[i].cp == 0)
			continue;
		j = slot_index(old[i].cp, fold.cap_slots);
		while (fold.slots[j].cp != 0)
			j = (j + 1) & (fold.cap_slots - 1);
		fold.slots[j] = old[i];
	}
	free(old);
}

static struct han *
slot_find(int32_t cp)
{
	size_t i;

	if ((fold.n_slots + 1) * 2 > fold.cap_slots)
		slots_grow();
	i = slot_index(cp, fold.cap_slots);
	while (fold.slots[i].cp != 0 && fold.slots[i].cp != cp)
		i = (i + 1) & (fold.cap_slots - 1);
	if (fold.slots[i].cp == 0) {
		fold.slots[i].cp = cp;
		fold.n_slots++;
	}
	return &fold.slots[i].han;
}

/* The cached facts about a Han character, asking ICU the first time; NULL if cp is not Han. */
static const struct han *
han_of(int32_t cp)
{
	struct han *h;

	if (cp >= HAN_FIRST && cp <= HAN_LAST) {
		if (fold.table == NULL)
			fold.table = xcalloc(HAN_LAST - HAN_FIRST + 1, sizeof *fold.table);
		h = &fold.table[cp - HAN_FIRST];
	} else if (cp == 0x3007 || (cp >= 0xf900 && cp <= 0xfaff) ||
	    (cp >= 0x20000 && cp <= 0x3ffff))	/* 〇, compatibility forms, extensions B on */
		h = slot_find(cp);
	else
		return NULL;
	if (!h->known)
		han_fill(cp, h);
	return h;
}

/* Any other character: ASCII and full width to lower-case ASCII, U+3000 to a space. */
static int32_t
fold_other(int32_t cp)
{
	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z' ? cp - 'A' + 'a' : cp;
	if (cp == 0x3000)
		return ' ';
	if (cp >= 0xff01 && cp <= 0xff5e)
		return fold_other(cp - 0xfee0);
	return u_tolower(cp);
}

/* cp folded, or the bytes it came from when folding leaves it alone. */
static void
add_char(struct buf *b, int32_t cp, const char *raw, size_t n, int32_t folded)
{
	utf8proc_uint8_t enc[4];
	utf8proc_ssize_t len;

	if (folded < 0x80) {
		buf_addc(b, (char)folded);
		return;
	}
	if (folded == cp || (len = utf8proc_encode_char(folded, enc)) <= 0)
		buf_add(b, raw, n);
	else
		buf_add(b, enc, (size_t)len);
}

/* Calls each for every character of s; bytes that are not UTF-8 come as cp -1. */
static char *
fold_each(const char *s, void (*each)(struct buf *, int32_t, const char *, size_t, bool),
    bool arg)
{
	struct buf b = BUF_INIT;
	size_t len = strlen(s), i = 0;
	int32_t cp;

	buf_grow(&b, len);
	buf_reset(&b);		/* terminated, even when nothing is added */
	while (i < len) {
		int n = utf8_decode(s + i, len - i, &cp);

		if (n <= 0) {
			n = 1;
			cp = -1;
		}
		each(&b, cp, s + i, (size_t)n, arg);
		i += (size_t)n;
	}
	return buf_detach(&b);
}

/* The Simplified form of a Han character, or the character itself. */
static void
add_han(struct buf *b, const struct han *h, const char *raw, size_t n)
{
	if (h->simp[0] != '\0')
		buf_adds(b, h->simp);
	else
		buf_add(b, raw, n);
}

static void
text_char(struct buf *b, int32_t cp, const char *raw, size_t n, bool unused)
{
	const struct han *h;

	(void)unused;
	if (cp < 0)
		buf_add(b, raw, n);
	else if ((h = han_of(cp)) != NULL)
		add_han(b, h, raw, n);
	else
		add_char(b, cp, raw, n, fold_other(cp));
}

static void
pinyin_char(struct buf *b, int32_t cp, const char *raw, size_t n, bool initials)
{
	const struct han *h;
	int32_t folded;

	if (cp < 0)
		return;
	if ((h = han_of(cp)) != NULL) {
		if (h->pinyin[0] == '\0')
			add_han(b, h, raw, n);
		else if (initials)
			buf_addc(b, h->pinyin[0]);
		else
			buf_adds(b, h->pinyin);
		return;
	}
	folded = fold_other(cp);
	if (folded < 0x80 ? (folded >= 'a' && folded <= 'z') || (folded >= '0' && folded <= '9') :
	    u_isalnum(folded))
		add_char(b, cp, raw, n, folded);
}

char *
fold_text(const char *s)
{
	return fold_each(s != NULL ? s : "", text_char, false);
}

char *
fold_pinyin(const char *s, bool initials)
{
	return fold_each(s != NULL ? s : "", pinyin_char, initials);
}

void
fold_cleanup(void)
{
	if (fold.simplify != NULL)
		utrans_close(fold.simplify);
	if (fold.latin != NULL)
		utrans_close(fold.latin);
	free(fold.table);
	free(fold.slots);
	memset(&fold, 0, sizeof fold);
}
