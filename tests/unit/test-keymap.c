/*
 * test-keymap.c — the action registry, key names, and the keymap files: every shipped file
 * loads without a warning and binds every action, bad lines are reported and skipped, and
 * keymaps/README.md lists exactly the actions of the registry.
 */
#include "config.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <curses.h>

#include "unit.h"
#include "console/keymap.h"

#define KEYMAP_DIR ABS_TOP_SRCDIR "/keymaps"
#define FK(k) (KEY_FUNCTION | (k))
#define MAX_WARNINGS 16

static const char *const contexts[] = { KEYMAP_CONTEXTS };

#define N_CONTEXTS (sizeof contexts / sizeof contexts[0])

struct warnings {
	char *v[MAX_WARNINGS];
	int n;
};

static void
collect_warning(void *arg, const char *message)
{
	struct warnings *w = arg;

	if (w->n < MAX_WARNINGS)
		w->v[w->n] = xstrdup(message);
	w->n++;
}

static void
warnings_free(struct warnings *w)
{
	for (int i = 0; i < w->n && i < MAX_WARNINGS; i++)
		free(w->v[i]);
	w->n = 0;
}

/* A keymap from one file of keymaps/, asserting that it loads without a warning. */
static struct keymap *
load_shipped(const char *file)
{
	struct keymap *km = keymap_new();
	struct warnings w = { { NULL }, 0 };
	char *path = xasprintf("%s/%s", KEYMAP_DIR, file);
	int rc = keymap_load_file(km, path, collect_warning, &w);

	if (w.n > 0)
		fail_msg("%s", w.v[0]);
	assert_int_equal(rc, 0);
	free(path);
	return km;
}

/* The *.keys names in keymaps/; caller frees with strv_free. */
static char **
shipped_files(void)
{
	DIR *d = opendir(KEYMAP_DIR);
	struct dirent *e;
	char **v = xcalloc(1, sizeof *v);
	size_t n = 0, len;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		len = strlen(e->d_name);
		if (len <= 5 || strcmp(e->d_name + len - 5, ".keys") != 0)
			continue;
		v = xrealloc(v, (n + 2) * sizeof *v);
		v[n++] = xstrdup(e->d_name);
		v[n] = NULL;
	}
	assert_int_equal(closedir(d), 0);
	return v;
}

static void
test_shipped_files_load(void **state)
{
	char **files = shipped_files();
	size_t n = 0;

	(void)state;
	for (; files[n] != NULL; n++)
		keymap_free(load_shipped(files[n]));
	assert_true(n >= 3);
	strv_free(files);
}

static void
test_default_lookups(void **state)
{
	struct keymap *km = load_shipped("default.keys");

	(void)state;
	assert_int_equal(keymap_lookup(km, "table", 'j'), ACT_DOWN);
	assert_int_equal(keymap_lookup(km, "table", 'k'), ACT_UP);
	assert_int_equal(keymap_lookup(km, "table", FK(KEY_DOWN)), ACT_DOWN);
	assert_int_equal(keymap_lookup(km, "form", 0x13), ACT_SAVE);
	assert_int_equal(keymap_lookup(km, "form", FK(KEY_F(2))), ACT_SAVE);
	assert_int_equal(keymap_lookup(km, "table", 'q'), ACT_BACK);
	assert_int_equal(keymap_lookup(km, "global", 'q'), ACT_BACK);
	assert_int_equal(keymap_lookup(km, "table", FK(KEY_HOME)), ACT_FIRST);
	assert_int_equal(keymap_lookup(km, "table", FK(KEY_END)), ACT_LAST);
	assert_int_equal(keymap_lookup(km, "table", 13), ACT_OPEN);
	assert_int_equal(keymap_lookup(km, "table", 10), ACT_OPEN);
	assert_int_equal(keymap_lookup(km, "table", FK(KEY_ENTER)), ACT_OPEN);
	assert_int_equal(keymap_lookup(km, "form", 13), ACT_OPEN);	/* a reference opens, else next */
	assert_int_equal(keymap_lookup(km, "form", FK(KEY_BTAB)), ACT_PREV_FIELD);
	assert_int_equal(keymap_lookup(km, "form", 27), ACT_CANCEL);
	assert_int_equal(keymap_lookup(km, "table", ';'), ACT_APPLY_TAGGED);
	assert_int_equal(keymap_lookup(km, "dashboard", '2'), ACT_SCREEN_2);
	/* An unknown context, or none, sees the global keys only. */
	assert_int_equal(keymap_lookup(km, "board", 'j'), ACT_DOWN);
	assert_int_equal(keymap_lookup(km, NULL, 't'), ACT_NONE);
	assert_int_equal(keymap_lookup(km, "table", 'Z'), ACT_NONE);
	keymap_free(km);
}

static void
test_overrides(void **state)
{
	struct keymap *km = keymap_new();
	struct warnings w = { { NULL }, 0 };

	(void)state;
	assert_int_equal(keymap_load_text(km, "a", "bind global x table.tag\n"
	    "bind global y cursor.up\n"
	    "bind global z cursor.down\n"
	    "bind table  y cursor.first\n"
	    "bind global x table.limit\n", collect_warning, &w), 0);
	assert_int_equal(keymap_lookup(km, "table", 'x'), ACT_LIMIT);	/* later wins */
	assert_int_equal(keymap_lookup(km, "table", 'y'), ACT_FIRST);	/* context wins */
	assert_int_equal(keymap_lookup(km, "form", 'y'), ACT_UP);
	/* A second file (the user's) overrides the first; none unbinds, masking global too. */
	assert_int_equal(keymap_load_text(km, "b", "bind global x none\n"
	    "bind table z none\n"
	    "bind table y cursor.last\n", collect_warning, &w), 0);
	assert_int_equal(keymap_lookup(km, "table", 'x'), ACT_NONE);
	assert_int_equal(keymap_lookup(km, "table", 'z'), ACT_NONE);
	assert_int_equal(keymap_lookup(km, "form", 'z'), ACT_DOWN);
	assert_int_equal(keymap_lookup(km, "table", 'y'), ACT_LAST);
	assert_int_equal(w.n, 0);
	keymap_free(km);
}

struct listing {
	struct buf text;
};

static void
list_binding(void *arg, int key, enum action a, const char *context)
{
	struct listing *l = arg;

	buf_printf(&l->text, "%s:", context);
	key_to_name(key, &l->text);
	buf_printf(&l->text, "=%s ", action_name(a));
}

static void
test_each_in_file_order(void **state)
{
	struct keymap *km = keymap_new();
	struct listing l = { BUF_INIT };

	(void)state;
	assert_int_equal(keymap_load_text(km, "t", "bind global j cursor.down\n"
	    "bind table k cursor.up\n"
	    "bind global k cursor.first\n"
	    "bind global Enter record.open\n"
	    "bind form x table.tag\n"
	    "bind table C-s table.search\n"
	    "bind table Enter none\n"
	    "bind global q view.back\n", NULL, NULL), 0);
	keymap_each(km, "table", list_binding, &l);
	assert_string_equal(buf_str(&l.text), "global:j=cursor.down table:k=cursor.up "
	    "table:C-s=table.search global:q=view.back ");
	buf_reset(&l.text);
	keymap_each(km, "global", list_binding, &l);
	assert_string_equal(buf_str(&l.text), "global:j=cursor.down global:k=cursor.first "
	    "global:Enter=record.open global:q=view.back ");
	buf_reset(&l.text);
	keymap_each(km, "nowhere", list_binding, &l);
	assert_string_equal(buf_str(&l.text), "global:j=cursor.down global:k=cursor.first "
	    "global:Enter=record.open global:q=view.back ");
	buf_free(&l.text);
	keymap_free(km);
}

static void
test_bad_lines(void **state)
{
	static const char text[] =
	    "# a comment\n"
	    "\n"
	    "bind table j cursor.down\n"
	    "bind tabel j cursor.down\n"
	    "bind table Pgdown cursor.page-down\n"
	    "bind table j cursor.dwn\n"
	    "bind table j\n"
	    "bind table j cursor.up extra\n"
	    "set table j cursor.up\n"
	    "bind table ab cursor.up\n"
	    "bind form \xff cursor.up\n"
	    "   bind\ttable\tk   cursor.up  \r\n"
	    "bind table F13 cursor.up\n"
	    "bind table C-1 cursor.up";
	static const char *const expected[] = {
		"user.keys:4: unknown context 'tabel'",
		"user.keys:5: unknown key 'Pgdown'",
		"user.keys:6: unknown action 'cursor.dwn'",
		"user.keys:7: 'bind' needs 3 words, CONTEXT KEY ACTION, not 2",
		"user.keys:8: 'bind' needs 3 words, CONTEXT KEY ACTION, not 4",
		"user.keys:9: unknown command 'set' (lines are 'bind CONTEXT KEY ACTION')",
		"user.keys:10: unknown key 'ab'",
		"user.keys:11: the line is not valid UTF-8",
		"user.keys:13: unknown key 'F13'",
		"user.keys:14: unknown key 'C-1'",
	};
	const int n = (int)(sizeof expected / sizeof expected[0]);
	struct keymap *km = keymap_new();
	struct warnings w = { { NULL }, 0 };

	(void)state;
	assert_int_equal(keymap_load_text(km, "user.keys", text, collect_warning, &w), n);
	assert_int_equal(w.n, n);
	for (int i = 0; i < n; i++)
		assert_string_equal(w.v[i], expected[i]);
	/* The good lines around them still apply, the bad ones changed nothing. */
	assert_int_equal(keymap_lookup(km, "table", 'j'), ACT_DOWN);
	assert_int_equal(keymap_lookup(km, "table", 'k'), ACT_UP);
	assert_int_equal(keymap_lookup(km, "form", 'j'), ACT_NONE);
	warnings_free(&w);
	/* Without a warn function the lines are still counted and skipped. */
	assert_int_equal(keymap_load_text(km, "user.keys", text, NULL, NULL), n);
	keymap_free(km);
}

static void
test_unreadable_file(void **state)
{
	struct keymap *km = keymap_new();
	struct warnings w = { { NULL }, 0 };

	(void)state;
	assert_int_equal(keymap_load_file(km, "/nonexistent/keys", collect_warning, &w), -1);
	assert_int_equal(w.n, 1);
	assert_string_equal(w.v[0], "cannot open /nonexistent/keys: No such file or directory");
	warnings_free(&w);
	assert_int_equal(keymap_load_file(km, KEYMAP_DIR, collect_warning, &w), -1);
	assert_int_equal(w.n, 1);
	warnings_free(&w);
	keymap_free(km);
}

/* Every name keymaps/README.md documents, spelt as key_to_name() spells it. */
static const char *const key_names[] = {
	"Space", "Tab", "S-Tab", "Enter", "Esc", "Backspace", "Delete", "Insert",
	"Up", "Down", "Left", "Right", "PgUp", "PgDn", "Home", "End",
	"F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F10", "F11", "F12",
	"C-a", "C-b", "C-c", "C-d", "C-e", "C-f", "C-g", "C-k", "C-l", "C-n", "C-o", "C-p",
	"C-q", "C-r", "C-s", "C-t", "C-u", "C-v", "C-w", "C-x", "C-y", "C-z",
	"j", "G", "/", "?", ";", ":", "#", "%", "1", "~", "é", "回", "😀",
};

static void
test_key_names_round_trip(void **state)
{
	struct buf b = BUF_INIT;
	int key;

	(void)state;
	for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++) {
		if (key_from_name(key_names[i], &key) != 0)
			fail_msg("'%s' is not a key name", key_names[i]);
		buf_reset(&b);
		key_to_name(key, &b);
		assert_string_equal(buf_str(&b), key_names[i]);
	}
	buf_free(&b);
}

static void
assert_key(const char *name, int expected)
{
	int key = -1;

	if (key_from_name(name, &key) != 0)
		fail_msg("'%s' is not a key name", name);
	assert_int_equal(key, expected);
}

static void
test_key_values(void **state)
{
	static const char *const bad[] = {
		"", " ", "\t", "\x01", "\x7f", "ab", "C-", "C-1", "C-ab", "M-v", "F0", "F13",
		"F1x", "Spacebar", "\xff", "\xe5\x9b", "gg", "C-x C-s",
	};
	int key;

	(void)state;
	assert_key("C-s", 0x13);
	assert_key("C-a", 1);
	assert_key("F2", FK(KEY_F(2)));
	assert_key("Home", FK(KEY_HOME));
	assert_key("PgDn", FK(KEY_NPAGE));
	assert_key("S-Tab", FK(KEY_BTAB));
	assert_key("Enter", 10);
	assert_key("Esc", 27);
	assert_key("Space", ' ');
	assert_key("回", 0x56de);
	/* Aliases: the terminal sends the same byte for each pair. */
	assert_key("C-h", FK(KEY_BACKSPACE));
	assert_key("C-i", '\t');
	assert_key("C-j", '\n');
	assert_key("C-m", '\n');
	/* Named keys in any case; characters exactly. */
	assert_key("pgdn", FK(KEY_NPAGE));
	assert_key("ESC", 27);
	assert_key("c-S", 0x13);
	assert_key("f12", FK(KEY_F(12)));
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (key_from_name(bad[i], &key) == 0)
			fail_msg("'%s' should not be a key name", bad[i]);
	assert_int_equal(key_from_name(NULL, &key), -1);
}

static void
assert_name(int key, const char *expected)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "[");
	key_to_name(key, &b);	/* appends */
	assert_string_equal(buf_str(&b) + 1, expected);
	buf_free(&b);
}

static void
test_key_name_of_other_keys(void **state)
{
	(void)state;
	assert_name(13, "Enter");
	assert_name(FK(KEY_ENTER), "Enter");
	assert_name(127, "Backspace");
	assert_name(8, "Backspace");
	assert_name(0x1c, "<U+001C>");
	assert_name(0x85, "<U+0085>");
	assert_name(FK(KEY_RESIZE), "<key 410>");
	assert_name(FK(KEY_F(13)), "<key 277>");
	assert_name(-1, "<key -1>");
}

static void
test_action_names(void **state)
{
	enum action a;

	(void)state;
	for (int i = 0; i < ACT_COUNT; i++) {
		const char *name = action_name((enum action)i);

		assert_non_null(name);
		assert_int_equal(action_from_name(name, &a), 0);
		assert_int_equal(a, i);
		assert_non_null(action_help((enum action)i));
		assert_true(strlen(action_help((enum action)i)) > 0);
	}
	assert_string_equal(action_name(ACT_NONE), "none");
	assert_string_equal(action_name(ACT_SAVE), "record.save");
	assert_string_equal(action_help(ACT_TAG), "tag or untag the row");
	assert_null(action_name(ACT_COUNT));
	assert_null(action_help(ACT_COUNT));
	assert_int_equal(action_from_name("record.sav", &a), -1);
	assert_int_equal(action_from_name("", &a), -1);
}

static void
mark_action(void *arg, int key, enum action a, const char *context)
{
	bool *bound = arg;

	(void)key;
	(void)context;
	bound[a] = true;
}

/* default.keys binds every action; so does each other file, complete on its own. */
static void
test_every_action_bound(void **state)
{
	char **files = shipped_files();

	(void)state;
	for (size_t f = 0; files[f] != NULL; f++) {
		struct keymap *km = load_shipped(files[f]);
		bool bound[ACT_COUNT] = { false };

		for (size_t c = 0; c < N_CONTEXTS; c++)
			keymap_each(km, contexts[c], mark_action, bound);
		assert_false(bound[ACT_NONE]);
		for (int i = 1; i < ACT_COUNT; i++)
			if (!bound[i])
				fail_msg("%s binds no key to %s", files[f], action_name((enum action)i));
		keymap_free(km);
	}
	strv_free(files);
}

/* The README's action table, row by row, is the registry; and it documents every key name. */
static void
test_readme_matches_registry(void **state)
{
	struct buf text = BUF_INIT, row = BUF_INIT;
	struct error err = ERROR_INIT;
	const char *p;
	int rows = 0;

	(void)state;
	if (file_read_all(KEYMAP_DIR "/README.md", &text, &err) != 0)
		fail_msg("%s", err.message);
	p = strstr(buf_str(&text), "\n## Actions\n");
	assert_non_null(p);
	while ((p = strstr(p, "\n| `")) != NULL) {
		const char *end = strchr(p + 1, '\n');
		size_t len = end != NULL ? (size_t)(end - p - 1) : strlen(p + 1);

		assert_true(rows < ACT_COUNT);
		buf_reset(&row);
		buf_printf(&row, "| `%s` | %s |", action_name((enum action)rows),
		    action_help((enum action)rows));
		if (len != row.len || memcmp(p + 1, row.data, len) != 0)
			fail_msg("README.md row %d: expected %s", rows + 1, buf_str(&row));
		rows++;
		p++;
	}
	assert_int_equal(rows, ACT_COUNT);
	for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++) {
		const char *k = key_names[i];

		/* Single characters, C-a … C-z and F1 … F12 are documented as ranges. */
		if ((unsigned char)k[0] >= 0x80 || strlen(k) == 1 || str_starts(k, "C-") ||
		    (k[0] == 'F' && k[1] >= '0' && k[1] <= '9'))
			continue;
		buf_reset(&row);
		buf_printf(&row, "`%s`", k);
		if (strstr(buf_str(&text), buf_str(&row)) == NULL)
			fail_msg("README.md does not document the key %s", k);
	}
	buf_free(&row);
	buf_free(&text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_files_load),
		cmocka_unit_test(test_default_lookups),
		cmocka_unit_test(test_overrides),
		cmocka_unit_test(test_each_in_file_order),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_unreadable_file),
		cmocka_unit_test(test_key_names_round_trip),
		cmocka_unit_test(test_key_values),
		cmocka_unit_test(test_key_name_of_other_keys),
		cmocka_unit_test(test_action_names),
		cmocka_unit_test(test_every_action_bound),
		cmocka_unit_test(test_readme_matches_registry),
	};

	return UNIT_RUN(tests);
}
