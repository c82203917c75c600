/*
 * test-linefile.c — the one line-file reader: line numbers, comments and blank lines,
 * words and the rest of a line, indented continuation lines, dispatch by keyword with a
 * switch of table, unknown keywords, and the "FILE:LINE: reason" of every refusal.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "unit.h"

#define MAX_SEEN 16

/* What the handlers saw, one entry a line. */
struct seen {
	char *what[MAX_SEEN];
	int n;
};

static void
seen_add(struct linefile *lf, const char *tag, const struct lf_line *ln)
{
	struct seen *s = lf->arg;
	struct buf b = BUF_INIT;

	buf_printf(&b, "%s@%d%s:", tag, ln->number, ln->indented ? "+" : "");
	for (size_t i = 0; i < ln->n_words; i++)
		buf_printf(&b, "[%s]", ln->words[i]);
	buf_printf(&b, " rest=%s", ln->rest);
	assert_null(ln->words[ln->n_words]);
	assert_int_equal(ln->number, lf->line);
	if (s->n < MAX_SEEN)
		s->what[s->n++] = buf_detach(&b);
	else
		buf_free(&b);
}

static void
seen_free(struct seen *s)
{
	for (int i = 0; i < s->n; i++)
		free(s->what[i]);
	s->n = 0;
}

static const struct lf_keyword block_keys[];

static int
on_name(struct linefile *lf, const struct lf_line *ln)
{
	seen_add(lf, "name", ln);
	return 0;
}

static int
on_block(struct linefile *lf, const struct lf_line *ln)
{
	if (ln->n_words != 2)
		return linefile_fail(lf, _("'%s' needs one name"), ln->words[0]);
	seen_add(lf, "block", ln);
	lf->keywords = block_keys;
	return 0;
}

static int
on_key(struct linefile *lf, const struct lf_line *ln)
{
	if (!ln->indented)
		return linefile_fail(lf, "'%s' belongs indented under a block", ln->words[0]);
	seen_add(lf, "key", ln);
	return 0;
}

static int
on_other_key(struct linefile *lf, const struct lf_line *ln)
{
	return linefile_fail(lf, "unknown block setting '%s'", ln->words[0]);
}

static const struct lf_keyword top_keys[] = {
	{ "name", on_name },
	{ "block", on_block },
	{ NULL, NULL },
};

static const struct lf_keyword block_keys[] = {
	{ "block", on_block },
	{ "key", on_key },
	{ NULL, on_other_key },
};

static int
read_text(const char *text, struct seen *s, struct error *err)
{
	struct linefile lf = { .path = "t.conf", .keywords = top_keys, .arg = s, .err = err };

	return linefile_read(&lf, text, strlen(text));
}

static void
test_lines_words_and_rest(void **state)
{
	static const char text[] =
	    "# a comment\n"
	    "\n"
	    "name  中文 | English  \r\n"
	    "   \t  \n"
	    "  # an indented comment\n"
	    "name\n"
	    "block b1\n"
	    "  key  x   y\n"
	    "\tkey where a=1 or   b=2 # not a comment\n"
	    "block b2\n"
	    "  key z";
	struct seen s = { { NULL }, 0 };
	struct error err = ERROR_INIT;

	(void)state;
	assert_int_equal(read_text(text, &s, &err), 0);
	assert_null(err.message);
	assert_int_equal(s.n, 7);
	assert_string_equal(s.what[0], "name@3:[name][中文][|][English] rest=中文 | English");
	assert_string_equal(s.what[1], "name@6:[name] rest=");
	assert_string_equal(s.what[2], "block@7:[block][b1] rest=b1");
	assert_string_equal(s.what[3], "key@8+:[key][x][y] rest=x   y");
	assert_string_equal(s.what[4],
	    "key@9+:[key][where][a=1][or][b=2][#][not][a][comment] rest=where a=1 or   b=2 # not a comment");
	assert_string_equal(s.what[5], "block@10:[block][b2] rest=b2");
	assert_string_equal(s.what[6], "key@11+:[key][z] rest=z");
	seen_free(&s);
}

static void
test_hash_anywhere_and_bom(void **state)
{
	struct seen s = { { NULL }, 0 };
	struct linefile lf = { .path = "t.conf", .keywords = top_keys, .arg = &s,
	    .hash_anywhere = true };
	static const char text[] = "\xef\xbb\xbfname a b# c d\nname#x\n";

	(void)state;
	assert_int_equal(linefile_read(&lf, text, strlen(text)), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.what[0], "name@1:[name][a][b] rest=a b");
	assert_string_equal(s.what[1], "name@2:[name] rest=");
	assert_int_equal(lf.line, 0);
	seen_free(&s);
}

/* A refusal stops the reading at its line, worded FILE:LINE: reason, and only the first. */
static void
test_refusals_stop(void **state)
{
	static const struct {
		const char *text;
		const char *message;
		int seen;
	} cases[] = {
		{ "name a\n\nfrob x\nname b\n", "t.conf:3: unknown line 'frob'", 1 },
		{ "block b\n  key x\n  colour red\n", "t.conf:3: unknown block setting 'colour'", 2 },
		{ "block b\nkey x\n", "t.conf:2: 'key' belongs indented under a block", 1 },
		{ "  key x\n", "t.conf:1: unknown line 'key'", 0 },
		{ "# c\nblock\nblock c d\n", "t.conf:2: 'block' needs one name", 0 },
		{ "name a\nname \xff\n", "t.conf:2: the line is not valid UTF-8", 1 },
		{ "# \xc3\n", "t.conf:1: the line is not valid UTF-8", 0 },
	};

	(void)state;
	for (size_t i = 0; i < COUNT(cases); i++) {
		struct seen s = { { NULL }, 0 };
		struct error err = ERROR_INIT;

		assert_int_equal(read_text(cases[i].text, &s, &err), -1);
		assert_non_null(err.message);
		assert_string_equal(err.message, cases[i].message);
		assert_int_equal(err.status, ST_FAILED);
		assert_int_equal(s.n, cases[i].seen);
		error_clear(&err);
		seen_free(&s);
	}
}

static void
collect(void *arg, const char *message)
{
	struct seen *s = arg;

	/* The warnings land beside the lines the handlers saw, in reading order. */
	if (s->n < MAX_SEEN)
		s->what[s->n++] = xstrdup(message);
}

/* With a warn function each refusal is reported and the next line is read. */
static void
test_refusals_reported_and_skipped(void **state)
{
	struct seen s = { { NULL }, 0 };
	struct linefile lf = { .path = "dir/user.keys", .keywords = top_keys, .arg = &s,
	    .warn = collect, .warn_arg = &s };
	static const char text[] = "name a\nfrob\nname \xff\nname b\nblock\n";

	(void)state;
	assert_int_equal(linefile_read(&lf, text, strlen(text)), -1);
	assert_int_equal(lf.refused, 3);
	assert_int_equal(s.n, 5);
	assert_string_equal(s.what[0], "name@1:[name][a] rest=a");
	assert_string_equal(s.what[1], "dir/user.keys:2: unknown line 'frob'");
	assert_string_equal(s.what[2], "dir/user.keys:3: the line is not valid UTF-8");
	assert_string_equal(s.what[3], "name@4:[name][b] rest=b");
	assert_string_equal(s.what[4], "dir/user.keys:5: 'block' needs one name");
	seen_free(&s);
}

/* A check of the whole file names its own line, or none. */
static void
test_fail_at(void **state)
{
	struct error err = ERROR_INIT;
	struct linefile lf = { .path = "v.view", .keywords = top_keys, .err = &err };

	(void)state;
	assert_int_equal(linefile_fail_at(&lf, 7, "the count '%s' has no 'where' line", "open"), -1);
	assert_string_equal(err.message, "v.view:7: the count 'open' has no 'where' line");
	error_clear(&err);
	assert_int_equal(linefile_fail_at(&lf, 0, "holds no rule"), -1);
	assert_string_equal(err.message, "v.view: holds no rule");
	error_clear(&err);
	assert_int_equal(lf.refused, 2);
}

static void
test_empty_text(void **state)
{
	struct seen s = { { NULL }, 0 };
	struct error err = ERROR_INIT;

	(void)state;
	assert_int_equal(read_text("", &s, &err), 0);
	assert_int_equal(read_text("\n\n# only comments\n", &s, &err), 0);
	assert_int_equal(s.n, 0);
	assert_null(err.message);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_words_and_rest),
		cmocka_unit_test(test_hash_anywhere_and_bom),
		cmocka_unit_test(test_refusals_stop),
		cmocka_unit_test(test_refusals_reported_and_skipped),
		cmocka_unit_test(test_fail_at),
		cmocka_unit_test(test_empty_text),
	};

	return UNIT_RUN(tests);
}
