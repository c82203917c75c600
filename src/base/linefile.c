/*
 * linefile.c — the one reader of huitou's line files (forms, policy rules, keymaps, views):
 * comments and blank lines skipped, each line split into words, dispatched by its first word
 * through the format's {keyword, handler} table, and every refusal worded "FILE:LINE: reason".
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base.h"

#define BOM "\xef\xbb\xbf"	/* a byte order mark some editors write */

/* What one reading reuses from line to line. */
struct lf_scratch {
	char **words;
	size_t cap;
	struct buf rest;
};

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

int
linefile_fail_at(struct linefile *lf, int line, const char *fmt, ...)
{
	va_list ap;
	char *reason, *msg;

	va_start(ap, fmt);
	if (vasprintf(&reason, fmt, ap) < 0)
		fatal("out of memory");
	va_end(ap);
	if (line > 0)
		msg = xasprintf("%s:%d: %s", lf->path, line, reason);
	else
		msg = xasprintf("%s: %s", lf->path, reason);
	lf->refused++;
	if (lf->warn != NULL)
		lf->warn(lf->warn_arg, msg);
	else if (lf->err != NULL && lf->err->message == NULL)
		error_set(lf->err, ST_FAILED, "%s", msg);
	free(msg);
	free(reason);
	return -1;
}

int
linefile_fail(struct linefile *lf, const char *fmt, ...)
{
	va_list ap;
	char *reason;
	int rc;

	va_start(ap, fmt);
	if (vasprintf(&reason, fmt, ap) < 0)
		fatal("out of memory");
	va_end(ap);
	rc = linefile_fail_at(lf, lf->line, "%s", reason);
	free(reason);
	return rc;
}

/* Splits s (already trimmed) in place at blanks into words, NULL-terminated. */
static void
split_words(char *s, struct lf_line *ln, struct lf_scratch *sc)
{
	ln->n_words = 0;
	for (;;) {
		while (is_blank(*s))
			s++;
		if (*s == '\0')
			break;
		if (ln->n_words + 2 > sc->cap) {
			sc->cap = sc->cap == 0 ? 16 : sc->cap * 2;
			sc->words = xrealloc(sc->words, sc->cap * sizeof *sc->words);
		}
		sc->words[ln->n_words++] = s;
		while (*s != '\0' && !is_blank(*s))
			s++;
		if (*s != '\0')
			*s++ = '\0';
	}
	sc->words[ln->n_words] = NULL;
	ln->words = sc->words;
}

/* What follows the first word of s (trimmed), kept whole: a label, an expression. */
static const char *
rest_of_line(const char *s, struct lf_scratch *sc)
{
	while (*s != '\0' && !is_blank(*s))
		s++;
	while (is_blank(*s))
		s++;
	buf_reset(&sc->rest);
	buf_adds(&sc->rest, s);
	return buf_str(&sc->rest);
}

/*
 * Prepares one line: NULL when it says nothing (blank or a comment), else its text trimmed
 * with the comment cut off where the format allows one after words.
 */
static char *
line_content(const struct linefile *lf, char *line)
{
	char *s;

	if (lf->hash_anywhere)
		line[strcspn(line, "#")] = '\0';
	s = str_trim(line);
	if (*s == '\0' || *s == '#')
		return NULL;
	return s;
}

static lf_handler
handler_for(const struct lf_keyword *table, const char *word)
{
	for (; table->word != NULL; table++)
		if (str_eq(table->word, word))
			return table->fn;
	return table->fn;
}

static int
unknown_line(struct linefile *lf, const struct lf_line *ln)
{
	return linefile_fail(lf, _("unknown line '%s'"), ln->words[0]);
}

/* One line of len bytes at line (NUL-terminated there): 0, or -1 when it was refused. */
static int
read_line(struct linefile *lf, char *line, size_t len, struct lf_scratch *sc)
{
	struct lf_line ln = { 0 };
	lf_handler fn;
	char *s;

	if (memchr(line, '\0', len) != NULL || !utf8_valid(line, len))
		return linefile_fail(lf, _("the line is not valid UTF-8"));
	if ((s = line_content(lf, line)) == NULL)
		return 0;
	ln.number = lf->line;
	ln.indented = is_blank(*line);
	ln.rest = rest_of_line(s, sc);
	split_words(s, &ln, sc);
	if ((fn = handler_for(lf->keywords, ln.words[0])) == NULL)
		fn = unknown_line;
	return fn(lf, &ln);
}

int
linefile_read(struct linefile *lf, const char *text, size_t len)
{
	char *copy = xmalloc(len + 1), *line = copy, *end = copy + len, *nl;
	struct lf_scratch sc = { NULL, 0, BUF_INIT };
	int rc = 0;

	memcpy(copy, text, len);
	copy[len] = '\0';
	lf->line = 0;
	lf->refused = 0;
	if (len >= 3 && memcmp(line, BOM, 3) == 0)
		line += 3;
	while (line < end) {
		if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
			nl = end;
		*nl = '\0';
		lf->line++;
		if (read_line(lf, line, (size_t)(nl - line), &sc) != 0) {
			rc = -1;
			if (lf->warn == NULL)
				break;
		}
		line = nl + 1;
	}
	lf->line = 0;
	free(sc.words);
	buf_free(&sc.rest);
	free(copy);
	return rc;
}
