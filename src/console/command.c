/*
 * command.c — the ":" command line. A command is an action of the registry, by its full name
 * (table.limit) or a short word (limit), then the text it would otherwise ask for:
 * ":limit status=rectifying", ":set 办学状态=整改中", ":sort", ":2". So everything a key
 * does can be typed, and nothing is implemented twice.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "console/console-private.h"
#include "console/views.h"

static const struct {
	const char *word;
	enum action action;
} short_words[] = {
	{ "q", ACT_BACK }, { "quit", ACT_QUIT }, { "help", ACT_HELP }, { "limit", ACT_LIMIT },
	{ "l", ACT_LIMIT }, { "search", ACT_SEARCH }, { "sort", ACT_SORT }, { "tag", ACT_TAG_PATTERN },
	{ "set", ACT_SET }, { "new", ACT_NEW }, { "history", ACT_HISTORY }, { "undo", ACT_UNDO },
	{ "save", ACT_SAVE }, { "w", ACT_SAVE }, { "open", ACT_OPEN },
	{ "columns", ACT_COLUMNS }, { "screens", ACT_SCREEN_PICK },
	{ "review", ACT_REVIEW },
};

static int
command_action(const char *word, enum action *out)
{
	for (size_t i = 0; i < sizeof short_words / sizeof *short_words; i++)
		if (str_eq(word, short_words[i].word))
			return *out = short_words[i].action, 0;
	if (word[0] >= '1' && word[0] <= '9' && word[1] == '\0')
		return *out = (enum action)(ACT_SCREEN_1 + (word[0] - '1')), 0;
	return action_from_name(word, out);
}

int
command_run(struct app *app, const char *line)
{
	size_t skip = strspn(line, " \t"), len = strcspn(line + skip, " \t");
	char *word = xstrndup(line + skip, len);
	const char *rest = line + skip + len;
	enum action a;
	int r;

	rest += strspn(rest, " \t");
	if (*word == '\0') {
		free(word);
		return R_NONE;
	}
	if (str_eq(word, "view")) {	/* saved views: :view [NAME | save NAME | share NAME …] */
		free(word);
		return views_command(app, rest);
	}
	if (command_action(word, &a) != 0) {
		app_message(app, true, _("unknown command '%s'; try limit, set, sort, new, help or q"), word);
		free(word);
		return R_DRAW;
	}
	free(word);
	free(app->pending_input);
	app->pending_input = *rest != '\0' ? xstrdup(rest) : NULL;
	r = app_dispatch(app, a, 0);
	free(app->pending_input);	/* an argument the action did not ask for */
	app->pending_input = NULL;
	return r;
}

int
command_prompt(struct app *app)
{
	char *line = app_prompt(app, ":", NULL);
	int r = line != NULL ? command_run(app, line) : R_DRAW;

	free(line);
	return r | R_DRAW;
}
