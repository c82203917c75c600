/*
 * keymap.c — the action registry, key names and the bindings read from the keymaps/ files. A bad
 * line never stops the console: it is reported as "FILE:LINE: reason" and skipped. Keys are
 * normalised once (Enter as 10, Backspace as KEY_BACKSPACE) both when bound and when looked up.
 */
#include "config.h"

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "console/keymap.h"

/* The registry: names and help texts in enum order, from the one ACTIONS table. */
static const struct {
	const char *name;
	const char *help;
} actions[ACT_COUNT] = {
#define X(e, name, help) { name, help },
	ACTIONS(X)
#undef X
};

const char *
action_name(enum action a)
{
	if ((int)a < 0 || a >= ACT_COUNT)
		return NULL;
	return actions[a].name;
}

const char *
action_help(enum action a)
{
	if ((int)a < 0 || a >= ACT_COUNT)
		return NULL;
	return _(actions[a].help);
}

int
action_from_name(const char *name, enum action *out)
{
	for (int i = 0; i < ACT_COUNT; i++) {
		if (str_eq(actions[i].name, name)) {
			*out = (enum action)i;
			return 0;
		}
	}
	return -1;
}

#define FKEY(k) (KEY_FUNCTION | (k))
#define MAX_FKEY 12

/* Keys with a name of their own; "C-a".."C-z", "F1".."F12" and single characters are made up. */
static const struct {
	const char *name;
	int key;
} named_keys[] = {
	{ "Space", ' ' },
	{ "Tab", '\t' },
	{ "S-Tab", FKEY(KEY_BTAB) },
	{ "Enter", '\n' },
	{ "Esc", 27 },
	{ "Backspace", FKEY(KEY_BACKSPACE) },
	{ "Delete", FKEY(KEY_DC) },
	{ "Insert", FKEY(KEY_IC) },
	{ "Up", FKEY(KEY_UP) },
	{ "Down", FKEY(KEY_DOWN) },
	{ "Left", FKEY(KEY_LEFT) },
	{ "Right", FKEY(KEY_RIGHT) },
	{ "PgUp", FKEY(KEY_PPAGE) },
	{ "PgDn", FKEY(KEY_NPAGE) },
	{ "Home", FKEY(KEY_HOME) },
	{ "End", FKEY(KEY_END) },
};

#define N_NAMED (sizeof named_keys / sizeof named_keys[0])

/*
 * Terminals send one key several ways: Enter as CR, LF or KEY_ENTER, Backspace as DEL, C-h or
 * KEY_BACKSPACE. Bindings and lookups both go through here, so any of them finds the binding.
 */
static int
key_normalize(int key)
{
	if (key == '\r' || key == FKEY(KEY_ENTER))
		return '\n';
	if (key == 127 || key == 8)
		return FKEY(KEY_BACKSPACE);
	return key;
}

/* A character that stands for itself: printable, not a blank ("Space" names that). */
static bool
key_is_plain_char(int32_t cp)
{
	return cp > ' ' && cp != 127 && !(cp >= 0x80 && cp < 0xa0) &&
	    utf8proc_codepoint_valid(cp);
}

static int
key_from_special(const char *name, int *out)
{
	char *end;
	long n;

	for (size_t i = 0; i < N_NAMED; i++) {
		if (strcasecmp(named_keys[i].name, name) == 0) {
			*out = named_keys[i].key;
			return 0;
		}
	}
	if ((name[0] == 'C' || name[0] == 'c') && name[1] == '-' && name[2] != '\0' &&
	    name[3] == '\0' && strchr("abcdefghijklmnopqrstuvwxyz", name[2] | 0x20) != NULL) {
		*out = key_normalize((name[2] | 0x20) - 'a' + 1);
		return 0;
	}
	if ((name[0] == 'F' || name[0] == 'f') && name[1] >= '1' && name[1] <= '9') {
		n = strtol(name + 1, &end, 10);
		if (*end == '\0' && n >= 1 && n <= MAX_FKEY) {
			*out = FKEY(KEY_F(n));
			return 0;
		}
	}
	return -1;
}

/* Named keys are matched without regard to case ("pgdn" is PgDn); single characters exactly. */
int
key_from_name(const char *name, int *out)
{
	size_t len;
	int32_t cp;
	int n;

	if (name == NULL || *name == '\0')
		return -1;
	len = strlen(name);
	n = utf8_decode(name, len, &cp);
	if (n > 0 && (size_t)n == len) {
		if (!key_is_plain_char(cp))
			return -1;
		*out = cp;
		return 0;
	}
	return key_from_special(name, out);
}

/* Appends the key's name to out: the name a keymap file would use for it. */
void
key_to_name(int key, struct buf *out)
{
	utf8proc_uint8_t enc[4];
	utf8proc_ssize_t n;

	key = key_normalize(key);
	for (size_t i = 0; i < N_NAMED; i++) {
		if (named_keys[i].key == key) {
			buf_adds(out, named_keys[i].name);
			return;
		}
	}
	if (key >= 1 && key <= 26) {
		buf_printf(out, "C-%c", 'a' + key - 1);
		return;
	}
	if (key > FKEY(KEY_F0) && key <= FKEY(KEY_F(MAX_FKEY))) {
		buf_printf(out, "F%d", key - FKEY(KEY_F0));
		return;
	}
	if (key < 0 || (key & KEY_FUNCTION) != 0) {
		buf_printf(out, "<key %d>", key < 0 ? key : key & ~KEY_FUNCTION);
		return;
	}
	if (key_is_plain_char(key) && (n = utf8proc_encode_char(key, enc)) > 0) {
		buf_add(out, enc, (size_t)n);
		return;
	}
	buf_printf(out, "<U+%04X>", (unsigned)key);
}

/*
 * The store: (context, key) → action in the order first bound. A later binding of the same
 * pair replaces the action in place, so the help keeps the shipped order; ACT_NONE stays as
 * an entry because it also hides the global binding of the key in that context.
 */
static const char *const contexts[] = { KEYMAP_CONTEXTS };

#define N_CONTEXTS ((int)(sizeof contexts / sizeof contexts[0]))
#define CTX_GLOBAL 0

struct binding {
	int context;
	int key;
	enum action action;
};

struct keymap {
	struct binding *v;
	size_t n, cap;
};

struct keymap *
keymap_new(void)
{
	return xcalloc(1, sizeof(struct keymap));
}

void
keymap_free(struct keymap *km)
{
	if (km == NULL)
		return;
	free(km->v);
	free(km);
}

/* -1 for an unknown context or NULL: such a caller sees the global bindings only. */
static int
context_index(const char *name)
{
	if (name == NULL)
		return -1;
	for (int i = 0; i < N_CONTEXTS; i++)
		if (str_eq(contexts[i], name))
			return i;
	return -1;
}

static const struct binding *
keymap_find(const struct keymap *km, int context, int key)
{
	for (size_t i = 0; i < km->n; i++)
		if (km->v[i].context == context && km->v[i].key == key)
			return &km->v[i];
	return NULL;
}

static void
keymap_bind(struct keymap *km, int context, int key, enum action a)
{
	struct binding *b = (struct binding *)keymap_find(km, context, key);

	if (b != NULL) {
		b->action = a;
		return;
	}
	if (km->n == km->cap) {
		km->cap = km->cap == 0 ? 64 : km->cap * 2;
		km->v = xrealloc(km->v, km->cap * sizeof km->v[0]);
	}
	km->v[km->n++] = (struct binding){ context, key, a };
}

enum action
keymap_lookup(const struct keymap *km, const char *context, int key)
{
	int ctx = context_index(context);
	const struct binding *b = NULL;

	key = key_normalize(key);
	if (ctx > CTX_GLOBAL)
		b = keymap_find(km, ctx, key);
	if (b == NULL)
		b = keymap_find(km, CTX_GLOBAL, key);
	return b != NULL ? b->action : ACT_NONE;
}

void
keymap_each(const struct keymap *km, const char *context, keymap_binding_fn fn, void *arg)
{
	int ctx = context_index(context);

	for (size_t i = 0; i < km->n; i++) {
		const struct binding *b = &km->v[i];

		if (b->action == ACT_NONE)
			continue;
		if (b->context == CTX_GLOBAL) {
			if (ctx > CTX_GLOBAL && keymap_find(km, ctx, b->key) != NULL)
				continue;
		} else if (b->context != ctx) {
			continue;
		}
		fn(arg, b->key, b->action, contexts[b->context]);
	}
}

/* The file parser: one "bind CONTEXT KEY ACTION" a line, through the line-file reader. */
static int
bind_line(struct linefile *lf, const struct lf_line *ln)
{
	char **w = ln->words;
	int ctx, key;
	enum action a;

	if (ln->n_words != 4)
		return linefile_fail(lf, _("'bind' needs 3 words, CONTEXT KEY ACTION, not %d"),
		    (int)ln->n_words - 1);
	if ((ctx = context_index(w[1])) < 0)
		return linefile_fail(lf, _("unknown context '%s'"), w[1]);
	if (key_from_name(w[2], &key) != 0)
		return linefile_fail(lf, _("unknown key '%s'"), w[2]);
	if (action_from_name(w[3], &a) != 0)
		return linefile_fail(lf, _("unknown action '%s'"), w[3]);
	keymap_bind(lf->arg, ctx, key, a);
	return 0;
}

static int
unknown_command(struct linefile *lf, const struct lf_line *ln)
{
	return linefile_fail(lf, _("unknown command '%s' (lines are 'bind CONTEXT KEY ACTION')"),
	    ln->words[0]);
}

static const struct lf_keyword keymap_keys[] = {
	{ "bind", bind_line },
	{ NULL, unknown_command },
};

static void
ignore_warning(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* Returns how many lines were skipped (each reported through warn): 0 when all were good. */
int
keymap_load_text(struct keymap *km, const char *name, const char *text, keymap_warn_fn warn,
    void *arg)
{
	struct linefile lf = { .path = name, .keywords = keymap_keys, .arg = km };

	/* Without a warn function the bad lines are still skipped, and only counted. */
	if (warn != NULL) {
		lf.warn = warn;
		lf.warn_arg = arg;
	} else
		lf.warn = ignore_warning;
	(void)linefile_read(&lf, text, strlen(text));	/* -1 just says lf.refused > 0 */
	return lf.refused;
}

/* As keymap_load_text; -1 (reported through warn) when the file cannot be read. */
int
keymap_load_file(struct keymap *km, const char *path, keymap_warn_fn warn, void *arg)
{
	struct buf text = BUF_INIT;
	struct error err = ERROR_INIT;
	int rc;

	if (file_read_as_caller(path, &text, &err) != 0) {
		if (warn != NULL)
			warn(arg, err.message);
		error_clear(&err);
		buf_free(&text);
		return -1;
	}
	rc = keymap_load_text(km, path, buf_str(&text), warn, arg);
	buf_free(&text);
	return rc;
}
