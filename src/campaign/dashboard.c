/*
 * dashboard.c — a dashboard as a file describes it (views/README.md): the records of a form
 * counted by a row field (districts) and a column field (status), and named counts of the
 * records an expression matches, per row and in all. The counts come from the form's tally
 * (counts per combination of values, kept by the write path) when it holds every field they
 * need, else from the indexes when each is indexed, else from the records. A count may count
 * another form ("form NAME" inside it), by that form's field named as the row field; a form
 * not in force leaves the count missing ("-"), so a view works on older data directories.
 * The rows may be a district's streets instead of the districts (dashboard_load_within). A
 * count marked "summary" is counted the same way and shown under the table, not as a column.
 * A bad line is refused as "FILE:LINE: reason".
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/campaign.h"
#include "store/query.h"

struct view_parser {
	struct store *store;
	struct dashboard *d;
	struct dashboard_count *count;	/* the count being described, NULL before the first */
	struct field_ctx ctx;		/* division names in expressions */
	const char *within;		/* a district's code: its streets are the rows */
};

/* The street field of form that lies within its district field named district. */
static int
street_field_within(const struct form *form, const char *district)
{
	for (size_t i = 1; i < form->n_fields; i++)
		if (form->fields[i].kind == FT_DIVISION && form->fields[i].level == DIV_STREET &&
		    form->fields[i].within != NULL && str_eq(form->fields[i].within, district))
			return (int)i;
	return -1;
}

/* The rows of a district's screen: the streets of p->within, then its records without one. */
static void
rows_of_streets(struct view_parser *p)
{
	struct dashboard *d = p->d;
	size_t n = store_division_count(p->store, DIV_STREET);

	d->row_values = xcalloc(n + 2, sizeof *d->row_values);
	d->row_labels = xcalloc(n + 2, sizeof *d->row_labels);
	for (size_t i = 0; i < n; i++) {
		const struct division *div = store_division_at(p->store, DIV_STREET, i);

		if (!str_eq(div->parent, p->within))
			continue;
		d->row_values[d->n_rows] = div->code;
		d->row_labels[d->n_rows++] = div->name;
	}
	d->row_values[d->n_rows] = "";
	d->row_labels[d->n_rows++] = _("(no street)");
}

/* The rows of a division field are the city's districts; of an enum field, its options. */
static void
rows_from_field(struct view_parser *p, const struct field *f)
{
	struct dashboard *d = p->d;

	d->n_rows = f->kind == FT_ENUM ? f->n_options : store_division_count(p->store, DIV_DISTRICT);
	d->row_values = xcalloc(d->n_rows + 1, sizeof *d->row_values);
	d->row_labels = xcalloc(d->n_rows + 1, sizeof *d->row_labels);
	for (size_t i = 0; i < d->n_rows; i++) {
		const struct division *div;

		if (f->kind == FT_ENUM) {
			d->row_values[i] = f->options[i].value;
			d->row_labels[i] = lang_pick(f->options[i].label_zh, f->options[i].label_en);
		} else {
			div = store_division_at(p->store, DIV_DISTRICT, i);
			d->row_values[i] = div->code;
			d->row_labels[i] = div->name;
		}
	}
}

/* "form NAME" inside a count: the form it counts; one not in force leaves it missing. */
static int
count_form(struct linefile *lf, const struct lf_line *ln)
{
	struct dashboard_count *c = ((struct view_parser *)lf->arg)->count;

	if (c->form_name != NULL)
		return linefile_fail(lf, _("a second 'form' line for the count '%s'"), c->name);
	if (c->where != NULL)
		return linefile_fail(lf, _("the count's 'form' line comes before its 'where'"));
	c->form_name = xstrdup(ln->rest);
	c->form = formset_find(store_forms(((struct view_parser *)lf->arg)->store), ln->rest);
	c->missing = c->form == NULL;
	return 0;
}

static int
view_form(struct linefile *lf, const struct lf_line *ln)
{
	struct view_parser *p = lf->arg;
	struct dashboard *d = p->d;

	if (p->count != NULL)
		return count_form(lf, ln);
	if (d->form != NULL)
		return linefile_fail(lf, _("a second 'form' line"));
	d->form = formset_find(store_forms(p->store), ln->rest);
	return d->form != NULL ? 0 : linefile_fail(lf, _("no form named '%s' is in force"),
	    ln->rest);
}

/* The dashboard's title before the first count, the count's heading after it. */
static int
view_label(struct linefile *lf, const struct lf_line *ln)
{
	struct view_parser *p = lf->arg;

	if (p->count != NULL)
		split_label(ln->rest, &p->count->label_zh, &p->count->label_en);
	else
		split_label(ln->rest, &p->d->label_zh, &p->d->label_en);
	return 0;
}

/* "rows FIELD" and "columns FIELD". */
static int
view_axis(struct linefile *lf, const struct lf_line *ln)
{
	struct view_parser *p = lf->arg;
	struct dashboard *d = p->d;
	const char *key = ln->words[0], *name = ln->rest;
	bool rows = str_eq(key, "rows");
	int i;
	const struct field *f;

	if (d->form == NULL)
		return linefile_fail(lf, _("'%s' comes after the 'form' line"), key);
	if ((rows ? d->row_field : d->column_field) != 0)
		return linefile_fail(lf, _("a second '%s' line"), key);
	if ((i = form_field_index(d->form, name)) <= 0)
		return linefile_fail(lf, _("the form %s has no field '%s'"), d->form->name, name);
	f = &d->form->fields[i];
	if (!rows && f->kind != FT_ENUM)
		return linefile_fail(lf, _("the columns must be an enum field; %s is not"), name);
	if (rows && f->kind != FT_ENUM && !(f->kind == FT_DIVISION && f->level == DIV_DISTRICT))
		return linefile_fail(lf,
		    _("the rows must be a district or an enum field; %s is neither"), name);
	if (rows && p->within != NULL) {
		if (f->kind != FT_DIVISION || (i = street_field_within(d->form, name)) < 0)
			return linefile_fail(lf, _("the form %s has no street field within '%s'"),
			    d->form->name, name);
		d->district_field = (size_t)form_field_index(d->form, name);
		d->row_field = (size_t)i;
		rows_of_streets(p);
	} else if (rows) {
		d->row_field = (size_t)i;
		rows_from_field(p, f);
	} else
		d->column_field = (size_t)i;
	return 0;
}

static int
view_count(struct linefile *lf, const struct lf_line *ln)
{
	struct view_parser *p = lf->arg;
	struct dashboard *d = p->d;
	const char *name = ln->rest;

	if (d->form == NULL)
		return linefile_fail(lf, _("'%s' comes after the 'form' line"), ln->words[0]);
	if (*name == '\0' || strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(name))
		return linefile_fail(lf, _("'count' needs one name of a-z, 0-9 and _: count NAME"));
	for (size_t i = 0; i < d->n_counts; i++)
		if (str_eq(d->counts[i].name, name))
			return linefile_fail(lf, _("a second count named '%s'"), name);
	d->counts = xrealloc(d->counts, (d->n_counts + 1) * sizeof *d->counts);
	p->count = &d->counts[d->n_counts++];
	memset(p->count, 0, sizeof *p->count);
	p->count->name = xstrdup(name);
	p->count->line = ln->number;
	p->count->form = d->form;
	split_label(name, &p->count->label_zh, &p->count->label_en);
	return 0;
}

static int
view_where(struct linefile *lf, const struct lf_line *ln)
{
	struct view_parser *p = lf->arg;
	struct dashboard_count *c = p->count;
	const char *text = ln->rest;
	struct error err = ERROR_INIT;
	size_t at = 0;

	if (c == NULL)
		return linefile_fail(lf, _("'where' belongs to a count: count NAME first"));
	if (c->query != NULL)
		return linefile_fail(lf, _("a second 'where' line for the count '%s'"), c->name);
	if (*text == '\0')
		return linefile_fail(lf, _("'where' needs an expression"));
	if (c->missing) {	/* nothing to parse it against: the count shows "-" */
		c->where = xstrdup(text);
		return 0;
	}
	if (query_parse(c->form, &p->ctx, text, &c->query, &at, &err) != 0) {
		char *before = xstrndup(text, at);	/* the column, Chinese counting two */

		linefile_fail(lf, _("%s (at column %zu)"), err.message, width_of(before) + 1);
		free(before);
		error_clear(&err);
		return -1;
	}
	c->where = xstrdup(text);
	return 0;
}

/* "streets": Enter on a district's total opens the same counts per street of it. */
static int
view_streets(struct linefile *lf, const struct lf_line *ln)
{
	struct view_parser *p = lf->arg;

	if (ln->n_words != 1 || p->count != NULL)
		return linefile_fail(lf, _("'streets' takes nothing and comes before the counts"));
	p->d->streets = true;
	return 0;
}

/* "summary" inside a count: a line under the table instead of a column (views/README.md). */
static int
view_summary(struct linefile *lf, const struct lf_line *ln)
{
	struct view_parser *p = lf->arg;

	if (ln->n_words != 1 || p->count == NULL)
		return linefile_fail(lf, _("'summary' takes nothing and belongs to a count"));
	p->count->summary = true;
	return 0;
}

static const struct lf_keyword view_keys[] = {
	{ "streets", view_streets },
	{ "summary", view_summary },
	{ "form", view_form },
	{ "label", view_label },
	{ "rows", view_axis },
	{ "columns", view_axis },
	{ "count", view_count },
	{ "where", view_where },
	{ NULL, NULL },		/* "unknown line 'WORD'" */
};

/* The field of a count's form that places its records in the rows: the one named as the
 * dashboard's row field, of the same kind; a form without one leaves the count missing. */
static int
count_row_field(struct linefile *lf, const struct dashboard *d, struct dashboard_count *c)
{
	const struct field *row = &d->form->fields[d->row_field];
	int i;

	if (c->missing || c->form == d->form) {
		c->row_field = d->row_field;
		c->district_field = d->district_field;
		return 0;
	}
	if (d->within != NULL) {	/* its district field, by the same name as the form's */
		int at = form_field_index(c->form, d->form->fields[d->district_field].name);

		if (at <= 0 || c->form->fields[at].kind != FT_DIVISION) {
			c->missing = true;
			return 0;
		}
		c->district_field = (size_t)at;
	}
	if ((i = form_field_index(c->form, row->name)) <= 0) {
		c->missing = true;
		return 0;
	}
	if (c->form->fields[i].kind != row->kind || c->form->fields[i].level != row->level)
		return linefile_fail_at(lf, c->line, _("the field %s of form %s is not of the "
		    "rows' kind"), row->name, c->form->name);
	c->row_field = (size_t)i;
	return 0;
}

/* What the whole file must have. */
static int
check_view(struct linefile *lf)
{
	struct dashboard *d = ((struct view_parser *)lf->arg)->d;

	if (d->form == NULL)
		return linefile_fail_at(lf, 0, _("the file has no 'form NAME' line"));
	if (d->row_field == 0)
		return linefile_fail_at(lf, 0, _("the file has no 'rows FIELD' line"));
	d->n_table_counts = d->n_counts;
	for (size_t i = 0; i < d->n_counts; i++) {
		if (d->counts[i].summary && d->n_table_counts == d->n_counts)
			d->n_table_counts = i;
		else if (!d->counts[i].summary && d->n_table_counts < d->n_counts)
			return linefile_fail_at(lf, d->counts[i].line, _("the count '%s' is a "
			    "column after a summary: the summaries come last"), d->counts[i].name);
		if (d->counts[i].where == NULL)
			return linefile_fail_at(lf, d->counts[i].line,
			    _("the count '%s' has no 'where' line"), d->counts[i].name);
		if (count_row_field(lf, d, &d->counts[i]) != 0)
			return -1;
	}
	return 0;
}

int
dashboard_load(struct store *store, const char *path, struct dashboard **out, struct error *err)
{
	return dashboard_load_within(store, path, NULL, out, err);
}

int
dashboard_load_within(struct store *store, const char *path, const char *district,
    struct dashboard **out, struct error *err)
{
	struct view_parser p = { store, NULL, NULL, { 0 }, district };
	struct linefile lf = { .path = path, .keywords = view_keys, .arg = &p, .err = err };
	struct buf text = BUF_INIT;
	struct store_txn *txn;
	int rc;

	*out = NULL;
	if (file_read_all(path, &text, err) != 0) {
		buf_free(&text);
		return -1;
	}
	if (store_txn_begin(store, false, &txn, err) != 0) {
		buf_free(&text);
		return -1;
	}
	store_field_ctx(txn, NULL, &p.ctx);
	p.d = xcalloc(1, sizeof *p.d);
	p.d->path = xstrdup(path);
	p.d->within = district != NULL ? xstrdup(district) : NULL;
	rc = linefile_read(&lf, buf_str(&text), text.len);
	if (rc == 0)
		rc = check_view(&lf);
	store_txn_abort(txn);
	buf_free(&text);
	if (rc != 0) {
		dashboard_free(p.d);
		return -1;
	}
	*out = p.d;
	return 0;
}

/* The row of a value; the last row found is tried first, as records come in runs. */
static long
row_of(const struct dashboard *d, const char *value, size_t *last)
{
	if (*last < d->n_rows && str_eq(d->row_values[*last], value))
		return (long)*last;
	for (size_t i = 0; i < d->n_rows; i++)
		if (str_eq(d->row_values[i], value))
			return (long)(*last = i);
	return -1;
}

struct tally {
	struct dashboard *d;
	const struct field *columns;
	size_t last_row;
	size_t weight;		/* how many records the record passed stands for */
};

static int
count_record(const struct record *rec, void *arg)
{
	struct tally *t = arg;
	struct dashboard *d = t->d;
	long r;

	if (d->within != NULL && !str_eq(rec->values[d->district_field], d->within))
		return 0;	/* another district's */
	r = row_of(d, rec->values[d->row_field], &t->last_row);
	const struct enum_option *o = t->columns != NULL ?
	    field_option(t->columns, rec->values[d->column_field]) : NULL;
	long c = o != NULL ? (long)(o - t->columns->options) : -1;

	size_t w = t->weight;

	d->total += w;
	if (r >= 0)
		d->row_totals[r] += w;
	else
		d->unplaced += w;
	if (c >= 0)
		d->column_totals[c] += w;
	if (r >= 0 && c >= 0)
		d->cells[(size_t)r * d->n_columns + (size_t)c] += w;
	for (size_t i = 0; i < d->n_counts; i++)
		if (d->counts[i].form == d->form && !d->counts[i].missing &&
		    query_match(d->counts[i].query, rec, NULL)) {
			d->counts[i].total += w;
			if (r >= 0)
				d->counts[i].per_row[r] += w;
		}
	return 0;
}

/* Zeroes the results, sized for the rows and columns. */
static void
reset_results(struct dashboard *d)
{
	d->n_columns = d->column_field != 0 ? d->form->fields[d->column_field].n_options : 0;
	free(d->cells);
	free(d->row_totals);
	free(d->column_totals);
	d->cells = xcalloc(d->n_rows * d->n_columns + 1, sizeof *d->cells);
	d->row_totals = xcalloc(d->n_rows + 1, sizeof *d->row_totals);
	d->column_totals = xcalloc(d->n_columns + 1, sizeof *d->column_totals);
	d->total = d->unplaced = 0;
	for (size_t i = 0; i < d->n_counts; i++) {
		free(d->counts[i].per_row);
		d->counts[i].per_row = xcalloc(d->n_rows + 1, sizeof *d->counts[i].per_row);
		d->counts[i].total = 0;
	}
}

/* Whether the form's tally holds every wanted field, so its counts answer the dashboard. */
static bool
tally_covers(const struct form *form, const bool *wanted)
{
	for (size_t i = 1; i < form->n_fields; i++)
		if (wanted[i] && form_tally_index(form, form->fields[i].name) < 0)
			return false;
	return form->n_tally > 0;
}

/* A walk of a form's tally: each combination of its values as a record holding them (the
 * other fields ""), counted by each with *weight set to the records it stands for. */
struct tally_walk {
	struct record rec;
	int *at;		/* the tally's fields by index */
	int (*each)(const struct record *rec, void *arg);
	void *arg;
	size_t *weight;
};

static int
count_combination(void *arg, const char *const *values, const size_t *counts)
{
	struct tally_walk *w = arg;

	for (size_t j = 0; j < w->rec.form->n_tally; j++)
		w->rec.values[w->at[j]] = (char *)values[j];
	*w->weight = counts[0];
	return w->each(&w->rec, w->arg);
}

/* Counts from the form's tally: as many calls as combinations, whatever the size. */
static int
walk_tally(struct store_txn *txn, const struct form *form,
    int (*each)(const struct record *rec, void *arg), void *arg, size_t *weight,
    struct error *err)
{
	struct tally_walk w = { { form, 0, NULL, 0 }, NULL, each, arg, weight };
	int rc;

	w.rec.values = xcalloc(form->n_fields, sizeof *w.rec.values);
	w.at = xcalloc(form->n_tally, sizeof *w.at);
	for (size_t i = 0; i < form->n_fields; i++)
		w.rec.values[i] = (char *)"";
	for (size_t j = 0; j < form->n_tally; j++)
		w.at[j] = form_field_index(form, form->tally[j]);
	rc = store_walk_tally(txn, form, count_combination, &w, err);
	free(w.rec.values);
	free(w.at);
	return rc;
}

int
scan_counted(struct store_txn *txn, const struct form *form, const bool *wanted,
    int (*each)(const struct record *rec, void *arg), void *arg, size_t *weight,
    struct error *err)
{
	if (tally_covers(form, wanted))
		return walk_tally(txn, form, each, arg, weight, err);
	*weight = 1;
	return store_scan_fields(txn, form, wanted, each, arg, err);
}

/* A count of another form, by its own row field: per row and in all. */
struct other {
	const struct dashboard *d;
	struct dashboard_count *c;
	size_t last_row;
	size_t weight;
};

static int
count_other_record(const struct record *rec, void *arg)
{
	struct other *o = arg;
	long r;

	if (o->d->within != NULL && !str_eq(rec->values[o->c->district_field], o->d->within))
		return 0;
	if (!query_match(o->c->query, rec, NULL))
		return 0;
	r = row_of(o->d, rec->values[o->c->row_field], &o->last_row);
	o->c->total += o->weight;
	if (r >= 0)
		o->c->per_row[r] += o->weight;
	return 0;
}

/* One count of another form: from its tally when it holds the fields, else its indexes or
 * records. */
static int
compute_other(struct store_txn *txn, const struct dashboard *d, struct dashboard_count *c,
    struct error *err)
{
	const struct form *form = c->form;
	struct other o = { d, c, 0, 1 };
	bool *wanted = xcalloc(form->n_fields, sizeof *wanted);
	int rc;

	wanted[c->row_field] = true;
	wanted[c->district_field] = d->within != NULL;
	query_mark_fields(c->query, wanted, form->n_fields);
	rc = scan_counted(txn, form, wanted, count_other_record, &o, &o.weight, err);
	free(wanted);
	return rc;
}

int
dashboard_compute(struct store *store, struct dashboard *d, struct error *err)
{
	struct tally t = { d, d->column_field != 0 ? &d->form->fields[d->column_field] : NULL, 0,
	    1 };
	bool *wanted = xcalloc(d->form->n_fields, sizeof *wanted);
	struct store_txn *txn;
	int rc;

	reset_results(d);
	wanted[d->row_field] = wanted[d->column_field] = true;
	wanted[d->district_field] = d->within != NULL;
	wanted[0] = false;	/* column_field 0: no columns */
	for (size_t i = 0; i < d->n_counts; i++)
		if (d->counts[i].form == d->form && !d->counts[i].missing)
			query_mark_fields(d->counts[i].query, wanted, d->form->n_fields);
	if ((rc = store_txn_begin(store, false, &txn, err)) == 0) {
		rc = scan_counted(txn, d->form, wanted, count_record, &t, &t.weight, err);
		for (size_t i = 0; rc == 0 && i < d->n_counts; i++)
			if (d->counts[i].form != d->form && !d->counts[i].missing)
				rc = compute_other(txn, d, &d->counts[i], err);
		store_txn_abort(txn);
	}
	free(wanted);
	return rc;
}

const struct form *
dashboard_count_form(const struct dashboard *d, const struct dashboard_count *c)
{
	return c->form != NULL ? c->form : d->form;
}

void
dashboard_free(struct dashboard *d)
{
	if (d == NULL)
		return;
	for (size_t i = 0; i < d->n_counts; i++) {
		free(d->counts[i].name);
		free(d->counts[i].label_zh);
		free(d->counts[i].label_en);
		free(d->counts[i].where);
		free(d->counts[i].form_name);
		free(d->counts[i].per_row);
		query_free(d->counts[i].query);
	}
	free(d->counts);
	free((void *)d->row_values);
	free((void *)d->row_labels);
	free(d->cells);
	free(d->row_totals);
	free(d->column_totals);
	free(d->label_zh);
	free(d->label_en);
	free(d->path);
	free(d->within);
	free(d);
}
