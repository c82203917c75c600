/*
 * lang.c — the language of messages: Simplified Chinese under zh_* locales, English otherwise,
 * or what --lang says. Messages go through gettext with English msgids and a zh_CN catalog.
 * The choice does not depend on which locales the machine has generated: gettext is steered
 * with LANGUAGE, which glibc honours in any locale but plain "C", and output is always UTF-8.
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"

static enum lang current = LANG_EN;

static const char *
locale_messages_name(void)
{
	static const char *vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };

	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);

		if (v != NULL && *v != '\0')
			return v;
	}
	return "C";
}

static void
locale_bind_catalog(void)
{
	char *dir = NULL;

	if (running_from_build_tree())
		dir = xstrdup(ABS_TOP_BUILDDIR "/po/locale");
	else if (installed_prefix() != NULL)
		dir = xasprintf("%s/share/locale", installed_prefix());
	else
		dir = xstrdup(LOCALEDIR);
	if (bindtextdomain(PACKAGE, dir) == NULL)
		fatal("cannot bind the message catalog");
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
	free(dir);
}

void
lang_init(const char *override)
{
	const char *name = override != NULL ? override : locale_messages_name();
	const char *loc = setlocale(LC_ALL, "");

	/* Wide characters need a UTF-8 locale even where only "C" was asked for. */
	if (loc == NULL || strcmp(loc, "C") == 0 || strcmp(loc, "POSIX") == 0)
		loc = setlocale(LC_ALL, "C.UTF-8");
	if (loc == NULL)
		setlocale(LC_ALL, "");
	current = str_starts(name, "zh") ? LANG_ZH : LANG_EN;
	if (setenv("LANGUAGE", current == LANG_ZH ? "zh_CN" : "en", 1) != 0)
		fatal("cannot set the message language");
	locale_bind_catalog();
}

enum lang
lang_current(void)
{
	return current;
}

bool
lang_is_zh(void)
{
	return current == LANG_ZH;
}

const char *
lang_pick(const char *zh, const char *en)
{
	if (current == LANG_ZH)
		return zh != NULL && *zh != '\0' ? zh : en;
	return en != NULL && *en != '\0' ? en : zh;
}
