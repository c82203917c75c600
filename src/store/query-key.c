/*
 * query-key.c — a record's search key (its text folded, with the pinyin of its Chinese) and
 * the matching of one word against such a key, as "/" search and bare words in a limit use it.
 * Each field's lines follow a marker line ("\x01" and the field's index in two UTF-8
 * continuation bytes), which no folded word can match, so "field~text" is answered from the
 * key too.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store/query.h"
#include "store/query-private.h"

/* Han characters are what pinyin spells: unified ideographs, extensions, compatibility forms. */
bool
has_han(const char *s)
{
	size_t len = strlen(s), i = 0;
	int32_t cp;

	while (i < len) {
		int n = utf8_decode(s + i, len - i, &cp);

		if (n <= 0)
			n = 1;
		else if (cp == 0x3007 || (cp >= 0x3400 && cp <= 0x9fff) ||
		    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x3ffff))
			return true;
		i += (size_t)n;
	}
	return false;
}

bool
kind_in_key(enum field_kind kind)
{
	switch (kind) {
	case FT_ID: case FT_TEXT: case FT_LONGTEXT: case FT_ENUM: case FT_REF:
	case FT_DIVISION: case FT_USCC: case FT_PHONE:
		return true;
	default:
		return false;
	}
}

static void
key_line(struct buf *key, char *s)
{
	if (s[0] != '\0') {
		if (key->len > 0)
			buf_addc(key, '\n');
		buf_adds(key, s);
	}
	free(s);
}

static void
key_add(struct buf *key, const char *s)
{
	if (s == NULL || s[0] == '\0')
		return;
	key_line(key, fold_text(s));
	if (has_han(s)) {
		key_line(key, fold_pinyin(s, false));
		key_line(key, fold_pinyin(s, true));
	}
}

/* The marker line that opens field i's lines: NUL-terminated in out[4]. */
static void
field_marker(size_t i, char out[4])
{
	out[0] = '\x01';
	out[1] = (char)(0x80 | ((i >> 6) & 0x3f));
	out[2] = (char)(0x80 | (i & 0x3f));
	out[3] = '\0';
}

char *
query_record_key(const struct record *rec)
{
	struct buf key = BUF_INIT;
	char marker[4];
	size_t len;

	for (size_t i = 0; i < rec->form->n_fields; i++) {
		const struct field *f = &rec->form->fields[i];
		const struct enum_option *o;

		/* Private values are in no key: a search must not find what a reader cannot see. */
		if (!kind_in_key(f->kind) || f->private_ || rec->values[i][0] == '\0')
			continue;
		field_marker(i, marker);
		key_line(&key, xstrdup(marker));
		key_add(&key, rec->values[i]);
		if (f->kind == FT_ENUM && (o = field_option(f, rec->values[i])) != NULL) {
			key_add(&key, o->label_zh);
			key_add(&key, o->label_en);
		}
	}
	len = key.len;	/* the console keeps one for every record: no room to grow in it */
	return xrealloc(buf_detach(&key), len + 1);
}

/* Field i's lines in a key: [*start, *end); false when the record has no value there. A
 * marker's first byte occurs nowhere else, so strchr (much faster than strstr here, where
 * every record's key is searched) finds each marker. */
bool
key_field_lines(const char *key, size_t i, const char **start, const char **end)
{
	char marker[4];
	const char *at = key, *next;

	field_marker(i, marker);
	if (key == NULL)
		return false;
	while ((at = strchr(at, '\x01')) != NULL && (at[1] != marker[1] || at[2] != marker[2]))
		at++;
	if (at == NULL)
		return false;
	*start = at[3] == '\n' ? at + 4 : at + 3;	/* after the marker line */
	next = strchr(*start, '\x01');
	*end = next == NULL ? *start + strlen(*start) : next > *start ? next - 1 : *start;
	return true;
}

static bool
is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* needle in line [s, e): anywhere, or with starts_only at its start or a word's start (after a
 * byte that is not a letter or digit). */
static bool
line_has(const char *s, const char *e, const char *needle, bool starts_only)
{
	size_t n = strlen(needle);
	const char *at = s;

	while (n > 0 && (size_t)(e - at) >= n &&
	    (at = memmem(at, (size_t)(e - at), needle, n)) != NULL) {
		if (!starts_only || at == s || !is_alnum(at[-1]))
			return true;
		at++;
	}
	return false;
}

/*
 * The lines [start, end) of a key, as key_add wrote them: a value folded and, when it has Han,
 * its full pinyin and its initials. Initials count only from the start of the name or of a
 * word in it: qmx finds 启明星 but not 新城区墨香 (区墨香), whose initials are xcqmx.
 */
bool
lines_have(const char *start, const char *end, const char *folded, const char *pinyin)
{
	int pinyin_lines = 0;	/* after a line with Han: 2 (full), then 1 (initials) */

	if (folded[0] == '\0')
		return true;	/* as strstr finds "" */

	for (const char *s = start, *e; s < end; s = e + 1) {
		char *line;
		bool han, initials = pinyin_lines == 1;

		if ((e = memchr(s, '\n', (size_t)(end - s))) == NULL)
			e = end;
		if (line_has(s, e, folded, initials) ||
		    (pinyin != NULL && line_has(s, e, pinyin, initials)))
			return true;
		if (pinyin_lines > 0) {
			pinyin_lines--;
			continue;
		}
		line = xstrndup(s, (size_t)(e - s));
		han = has_han(line);
		free(line);
		pinyin_lines = han ? 2 : 0;
	}
	return false;
}

/* folded is fold_text of a word, pinyin its fold_pinyin when it has no Han (else NULL). */
bool
word_in_key(const char *folded, const char *pinyin, const char *key)
{
	if (key == NULL || (strstr(key, folded) == NULL &&
	    (pinyin == NULL || strstr(key, pinyin) == NULL)))
		return false;	/* most keys: rejected by strstr alone */
	return lines_have(key, key + strlen(key), folded, pinyin);
}

/* The lines a key has for text s (a value or an enum label): as query_record_key makes them. */
char *
text_key(const char *s)
{
	struct buf key = BUF_INIT;

	key_add(&key, s);
	return buf_detach(&key);
}

/* A word without Han as pinyin may spell it; NULL for Han, or when it adds nothing to folded
 * (a key holds the pinyin itself, so there folded is tried first). */
char *
word_pinyin(const char *word, const char *folded)
{
	char *py;

	if (has_han(word))
		return NULL;
	py = fold_pinyin(word, false);
	if (py[0] == '\0' || (folded != NULL && str_eq(py, folded))) {
		free(py);
		return NULL;
	}
	return py;
}

/* Lower-case ASCII letters and digits, which neither folding nor pinyin changes. */
static bool
is_plain(const char *s)
{
	for (; *s != '\0'; s++)
		if ((*s < 'a' || *s > 'z') && (*s < '0' || *s > '9'))
			return false;
	return true;
}

bool
query_word_matches(const char *word, const char *key)
{
	char *folded, *py;
	bool hit;

	if (is_plain(word))	/* as "/" passes it, already folded: nothing to allocate */
		return word_in_key(word, NULL, key);
	folded = fold_text(word);
	py = word_pinyin(word, folded);
	hit = word_in_key(folded, py, key);
	free(folded);
	free(py);
	return hit;
}

struct query_word {
	char *folded;
	char *pinyin;		/* NULL: the word has Han, or its pinyin adds nothing */
};

struct query_word *
query_word_new(const char *word)
{
	struct query_word *w = xcalloc(1, sizeof *w);

	w->folded = fold_text(word);
	w->pinyin = word_pinyin(word, w->folded);
	return w;
}

bool
query_word_in(const struct query_word *w, const char *key)
{
	return word_in_key(w->folded, w->pinyin, key);
}

const char *
query_word_folded(const struct query_word *w)
{
	return w->folded;
}

void
query_word_free(struct query_word *w)
{
	if (w == NULL)
		return;
	free(w->folded);
	free(w->pinyin);
	free(w);
}
