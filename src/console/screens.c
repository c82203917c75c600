/*
 * screens.c — the registry of the console's screens (key, title, opener: a new screen is one
 * line of the table below), the names of the views' keymap contexts, and the screen picker,
 * which lists every screen, the ones beyond 1–9 included, and returns the one chosen.
 */
#include "config.h"

#include <stdlib.h>

#include "campaign/campaign.h"
#include "console/console-private.h"
#include "console/draws.h"
#include "console/views.h"

const char view_context_names[CTX_COUNT][16] = {
#define X(name) #name,
	VIEW_CONTEXTS(X)
#undef X
};

static struct view *
open_table(struct app *app, const char *form_name, struct error *err)
{
	const struct form *form = formset_find(store_forms(app->store), form_name);

	if (form == NULL) {
		error_set(err, ST_FAILED, _("the forms in force have no '%s' form"), form_name);
		return NULL;
	}
	return view_table_new(app, form, err);
}

static struct view *
open_dashboard(struct app *app, const char *arg, struct error *err)
{
	(void)arg;
	return view_dashboard_new(app, err);
}

static struct view *
open_casework(struct app *app, const char *arg, struct error *err)
{
	(void)arg;
	return view_casework_new(app, err);
}

static struct view *
open_supervision(struct app *app, const char *arg, struct error *err)
{
	(void)arg;
	return view_supervision_new(app, err);
}

static struct view *
open_board(struct app *app, const char *arg, struct error *err)
{
	(void)arg;
	return view_board_new(app, err);
}

static struct view *
open_views(struct app *app, const char *arg, struct error *err)
{
	(void)arg;
	return view_views_new(app, err);
}

static struct view *
open_lists(struct app *app, const char *arg, struct error *err)
{
	(void)arg;
	return view_lists_new(app, err);
}

/* In key order: the first nine are on the keys 1–9, every one is in the picker. */
static const struct screen_def screens[] = {
	{ "institutions", "培训机构", "Institutions", open_table, "institution" },
	{ "dashboard", "看板", "Dashboard", open_dashboard, NULL },
	{ "people", "人员", "People", open_table, PERSON_FORM },
	{ "board", "任务看板", "Task board", open_board, NULL },
	{ "inspections", "检查", "Inspections", open_table, "inspection" },
	{ "rectifications", "整改", "Rectification orders", open_table, "rectification" },
	{ "views", "视图", "Views", open_views, NULL },
	{ "casework", "案件统计", "Casework counts", open_casework, NULL },
	{ "filings", "备案", "Filings", open_table, "filing" },
	{ "ledger", "执法台账", "Enforcement ledger", open_table, "enforcement" },
	{ "complaints", "举报", "Complaints", open_table, "complaint" },
	{ "supervisors", "社会监督员", "Social supervisors", open_table, "supervisor" },
	{ "cases", "案件", "Cases", open_table, "case" },
	{ "teachers", "教师", "Teachers", open_table, "teacher" },
	{ "supervision", "督导考评", "Supervision", open_supervision, NULL },
	{ "draws", "随机抽查", "Spot-check draws", view_draws_new, NULL },
	{ "listings", "名单决定", "List decisions", open_table, "listing" },
	{ "lists", "黑白名单", "Black and white lists", open_lists, NULL },
};

size_t
screens_count(void)
{
	return sizeof screens / sizeof screens[0];
}

const struct screen_def *
screen_def(size_t i)
{
	return i < screens_count() ? &screens[i] : NULL;
}

const char *
screen_title(const struct screen_def *s)
{
	return lang_pick(s->title_zh, s->title_en);
}

struct view *
screen_open(struct app *app, size_t i, struct error *err)
{
	const struct screen_def *s = screen_def(i);

	if (s == NULL) {
		error_set(err, ST_REFUSED, _("screen %zu is not defined yet"), i + 1);
		return NULL;
	}
	return s->open(app, s->arg, err);
}

/* "2  看板 dashboard": the key (none past 9), the title, the name typing also finds. */
static char *
picker_label(size_t i)
{
	const struct screen_def *s = &screens[i];

	if (i < 9)
		return xasprintf("%zu  %s  (%s)", i + 1, screen_title(s), s->name);
	return xasprintf("   %s  (%s)", screen_title(s), s->name);
}

int
screen_pick(struct app *app, size_t current)
{
	size_t n = screens_count();
	struct pick_item *items = xcalloc(n, sizeof *items);
	char **labels = xcalloc(n + 1, sizeof *labels);
	int chosen;

	for (size_t i = 0; i < n; i++) {
		labels[i] = picker_label(i);
		items[i].value = screens[i].name;
		items[i].label = labels[i];
	}
	chosen = app_pick(app, _("screens: type to narrow, Enter opens"), items, n, NULL, current);
	strv_free(labels);
	free(items);
	return chosen;
}
