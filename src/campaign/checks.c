/*
 * checks.c — reads forms/checks.list (forms/README.md): the ten checks of an inspection with
 * their numbers, labels and sub-points, checked against the forms, so the console shows a
 * check's points from data and the checks, the inspection's fields and the order's options
 * cannot drift apart.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "campaign/casework.h"

#define CHECKS_FILE "checks.list"

static struct check *
current_check(struct linefile *lf)
{
	struct checklist *cl = lf->arg;

	return cl->n > 0 ? &cl->checks[cl->n - 1] : NULL;
}

static int
read_form(struct linefile *lf, const struct lf_line *ln)
{
	struct checklist *cl = lf->arg;

	if (ln->n_words != 2)
		return linefile_fail(lf, _("'form' takes the name of the form the checks are fields of"));
	if (cl->form != NULL)
		return linefile_fail(lf, _("'form' is given twice"));
	cl->form = xstrdup(ln->words[1]);
	return 0;
}

static int
read_orders(struct linefile *lf, const struct lf_line *ln)
{
	struct checklist *cl = lf->arg;
	const char *dot = ln->n_words == 2 ? strchr(ln->words[1], '.') : NULL;

	if (dot == NULL || dot == ln->words[1] || dot[1] == '\0')
		return linefile_fail(lf, _("'orders' takes FORM.FIELD, the enum whose options are the checks"));
	if (cl->orders_form != NULL)
		return linefile_fail(lf, _("'orders' is given twice"));
	cl->orders_form = xstrndup(ln->words[1], (size_t)(dot - ln->words[1]));
	cl->orders_field = xstrdup(dot + 1);
	return 0;
}

static int
read_check(struct linefile *lf, const struct lf_line *ln)
{
	struct checklist *cl = lf->arg;
	struct check *c;

	if (ln->n_words != 2)
		return linefile_fail(lf, _("'check' takes one check id"));
	if (checklist_find(cl, ln->words[1]) != NULL)
		return linefile_fail(lf, _("the check '%s' is given twice"), ln->words[1]);
	cl->checks = xrealloc(cl->checks, (cl->n + 1) * sizeof *cl->checks);
	c = &cl->checks[cl->n++];
	memset(c, 0, sizeof *c);
	c->id = xstrdup(ln->words[1]);
	c->line = ln->number;
	return 0;
}

static int
read_number(struct linefile *lf, const struct lf_line *ln)
{
	struct check *c = current_check(lf);
	char *end;
	long n;

	if (c == NULL)
		return linefile_fail(lf, _("'%s' must follow a 'check' line"), ln->words[0]);
	if (ln->n_words != 2)
		return linefile_fail(lf, _("'number' takes one number"));
	n = strtol(ln->words[1], &end, 10);
	if (*end != '\0' || n < 1 || n > 99)
		return linefile_fail(lf, _("the number must be from 1 to 99, not '%s'"), ln->words[1]);
	if (c->number != 0)
		return linefile_fail(lf, _("'number' is given twice for '%s'"), c->id);
	c->number = (int)n;
	return 0;
}

static int
read_label(struct linefile *lf, const struct lf_line *ln)
{
	struct check *c = current_check(lf);

	if (c == NULL)
		return linefile_fail(lf, _("'%s' must follow a 'check' line"), ln->words[0]);
	if (*ln->rest == '\0')
		return linefile_fail(lf, _("'%s' takes a text: 中文 | English"), ln->words[0]);
	if (c->label_zh != NULL)
		return linefile_fail(lf, _("'label' is given twice for '%s'"), c->id);
	split_label(ln->rest, &c->label_zh, &c->label_en);
	return 0;
}

static int
read_item(struct linefile *lf, const struct lf_line *ln)
{
	struct check *c = current_check(lf);

	if (c == NULL)
		return linefile_fail(lf, _("'%s' must follow a 'check' line"), ln->words[0]);
	if (*ln->rest == '\0')
		return linefile_fail(lf, _("'%s' takes a text: 中文 | English"), ln->words[0]);
	c->items_zh = xrealloc(c->items_zh, (c->n_items + 1) * sizeof *c->items_zh);
	c->items_en = xrealloc(c->items_en, (c->n_items + 1) * sizeof *c->items_en);
	c->items_zh[c->n_items] = c->items_en[c->n_items] = NULL;
	split_label(ln->rest, &c->items_zh[c->n_items], &c->items_en[c->n_items]);
	c->n_items++;
	return 0;
}

static const struct lf_keyword keys[] = {
	{ "form", read_form }, { "orders", read_orders }, { "check", read_check },
	{ "number", read_number }, { "label", read_label }, { "item", read_item },
	{ NULL, NULL },
};

/* Each check complete, numbered 1, 2, … in file order. */
static int
check_numbers(struct linefile *lf, struct checklist *cl)
{
	if (cl->form == NULL || cl->orders_form == NULL)
		return linefile_fail_at(lf, 0, _("the 'form' and 'orders' lines are missing"));
	if (cl->n == 0)
		return linefile_fail_at(lf, 0, _("no check is listed"));
	for (size_t i = 0; i < cl->n; i++) {
		const struct check *c = &cl->checks[i];

		if (c->label_zh == NULL)
			return linefile_fail_at(lf, c->line, _("the check '%s' has no label"), c->id);
		if (c->n_items == 0)
			return linefile_fail_at(lf, c->line, _("the check '%s' has no item"), c->id);
		if (c->number != (int)i + 1)
			return linefile_fail_at(lf, c->line, _("the check '%s' must be number %zu"),
			    c->id, i + 1);
	}
	return 0;
}

/* Every check an enum field of the form and an option of the orders' field, and back. */
static int
check_against_forms(struct linefile *lf, const struct checklist *cl, const struct formset *forms)
{
	const struct form *form = formset_find(forms, cl->form);
	const struct form *orders = formset_find(forms, cl->orders_form);
	const struct field *of = orders != NULL ? form_field(orders, cl->orders_field) : NULL;

	if (form == NULL)
		return linefile_fail_at(lf, 0, _("there is no form '%s'"), cl->form);
	if (of == NULL || of->kind != FT_ENUM)
		return linefile_fail_at(lf, 0, _("'%s.%s' is not an enum field of the forms"),
		    cl->orders_form, cl->orders_field);
	for (size_t i = 0; i < cl->n; i++) {
		const struct check *c = &cl->checks[i];
		const struct field *f = form_field(form, c->id);

		if (f == NULL || f->kind != FT_ENUM)
			return linefile_fail_at(lf, c->line, _("'%s' is not an enum field of the form %s"),
			    c->id, form->name);
		if (field_option(of, c->id) == NULL)
			return linefile_fail_at(lf, c->line, _("'%s' is not an option of %s.%s"), c->id,
			    orders->name, of->name);
	}
	for (size_t i = 0; i < of->n_options; i++)
		if (checklist_find(cl, of->options[i].value) == NULL)
			return linefile_fail_at(lf, 0, _("the option '%s' of %s.%s is not a check here"),
			    of->options[i].value, orders->name, of->name);
	return 0;
}

int
checklist_parse(const char *path, const char *text, const struct formset *forms,
    struct checklist **out, struct error *err)
{
	struct checklist *cl = xcalloc(1, sizeof *cl);
	struct linefile lf = { .path = path, .keywords = keys, .arg = cl, .err = err };

	if (linefile_read(&lf, text, strlen(text)) != 0 || check_numbers(&lf, cl) != 0 ||
	    (forms != NULL && check_against_forms(&lf, cl, forms) != 0)) {
		checklist_free(cl);
		return -1;
	}
	cl->path = xstrdup(path);
	*out = cl;
	return 0;
}

int
checklist_load(const char *forms_dir, const struct formset *forms, struct checklist **out,
    struct error *err)
{
	char *path = xasprintf("%s/%s", forms_dir, CHECKS_FILE);
	struct buf text = BUF_INIT;
	int rc;

	if (access(path, F_OK) != 0 && errno == ENOENT) {	/* an older data directory */
		free(path);
		path = datafile_find("forms/" CHECKS_FILE);
	}
	if (path == NULL)
		return 1;
	if ((rc = file_read_all(path, &text, err)) == 0)
		rc = checklist_parse(path, buf_str(&text), forms, out, err);
	free(path);
	buf_free(&text);
	return rc;
}

void
checklist_free(struct checklist *cl)
{
	if (cl == NULL)
		return;
	for (size_t i = 0; i < cl->n; i++) {
		struct check *c = &cl->checks[i];

		for (size_t j = 0; j < c->n_items; j++) {
			free(c->items_zh[j]);
			free(c->items_en[j]);
		}
		free(c->items_zh);
		free(c->items_en);
		free(c->id);
		free(c->label_zh);
		free(c->label_en);
	}
	free(cl->checks);
	free(cl->path);
	free(cl->form);
	free(cl->orders_form);
	free(cl->orders_field);
	free(cl);
}

const struct check *
checklist_find(const struct checklist *cl, const char *id)
{
	for (size_t i = 0; cl != NULL && i < cl->n; i++)
		if (str_eq(cl->checks[i].id, id))
			return &cl->checks[i];
	return NULL;
}

const struct check *
checklist_for_field(const struct checklist *cl, const struct form *form, const char *field)
{
	static const char note[] = "_note";
	size_t len = strlen(field), nl = sizeof note - 1;
	const struct check *c;
	char *id;

	if (cl == NULL || form == NULL || !str_eq(form->name, cl->form))
		return NULL;
	if ((c = checklist_find(cl, field)) != NULL || len <= nl || !str_eq(field + len - nl, note))
		return c;
	id = xstrndup(field, len - nl);
	c = checklist_find(cl, id);
	free(id);
	return c;
}

const char *
check_label(const struct check *c)
{
	return lang_is_zh() ? c->label_zh : c->label_en;
}

const char *
check_item(const struct check *c, size_t i)
{
	return i >= c->n_items ? NULL : lang_is_zh() ? c->items_zh[i] : c->items_en[i];
}
