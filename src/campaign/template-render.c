/*
 * template-render.c — fills a parsed template from one record: names resolved as the checker
 * of template.c resolved them, refs followed through the store, every value HTML-escaped.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/template-private.h"

struct renderer {
	const struct template *t;
	struct store *store;
	struct store_txn *txn;
	const struct record *scope[TPL_MAX_DEPTH];
	size_t depth;
	char today[11];
	bool escape;		/* off inside a setting, whose whole text is escaped once */
	struct buf *out;
	struct error *err;
	struct record *const *recs;	/* a list document's records */
	size_t n_recs;
	char *const *params;	/* NAME, VALUE, … NULL */
};

/* A param's value, or NULL when none is given. */
static const char *
param_value(const struct renderer *r, const char *name)
{
	for (size_t i = 0; r->params != NULL && r->params[i] != NULL && r->params[i + 1] != NULL;
	    i += 2)
		if (str_eq(r->params[i], name))
			return r->params[i + 1];
	return NULL;
}

void
template_escape_html(struct buf *out, const char *s)
{
	while (*s != '\0') {
		size_t run = strcspn(s, "&<>\"'");	/* what needs no escape, added at once */

		buf_add(out, s, run);
		s += run;
		switch (*s) {
		case '&': buf_adds(out, "&amp;"); break;
		case '<': buf_adds(out, "&lt;"); break;
		case '>': buf_adds(out, "&gt;"); break;
		case '"': buf_adds(out, "&quot;"); break;
		case '\'': buf_adds(out, "&#39;"); break;
		default: continue;	/* the end */
		}
		s++;
	}
}

void
template_format_date(struct buf *out, const char *date)
{
	int y, m, d, used = 0;

	if (strlen(date) == 10 && sscanf(date, "%4d-%2d-%2d%n", &y, &m, &d, &used) == 3 &&
	    used == 10)
		buf_printf(out, "%d年%d月%d日", y, m, d);
	else
		buf_adds(out, date);
}

/* A stored value as a person reads it on paper (in Chinese). */
static void
display_value(const struct renderer *r, const struct field *f, const char *v,
    const char *filter, struct buf *out)
{
	const struct enum_option *o;
	const struct division *d;

	if (filter != NULL && str_eq(filter, "date"))
		template_format_date(out, v);
	else if ((filter != NULL && str_eq(filter, "raw")) || *v == '\0')
		buf_adds(out, v);
	else if (f->kind == FT_ENUM)
		buf_adds(out, (o = field_option(f, v)) != NULL ? o->label_zh : v);
	else if (f->kind == FT_BOOL)
		buf_adds(out, str_eq(v, "yes") ? "是" : str_eq(v, "no") ? "否" : v);
	else if (f->kind == FT_SET)
		buf_adds(out, field_display_zh(f, v));
	else if (f->kind == FT_DIVISION)
		buf_adds(out, (d = store_division_find(r->store, v, f->level, NULL)) != NULL ?
		    d->name : v);
	else
		buf_adds(out, v);
}

/* A field's value for the document's reader: a private one the read rules keep from them
 * is 〔不公开〕 in the document too. */
static const char *
shown_value(const struct renderer *r, const struct record *rec, const char *field)
{
	int i = form_field_index(rec->form, field);

	if (i > 0 && r->store != NULL && *rec->values[i] != '\0' &&
	    !store_may_read(r->store, rec, (size_t)i))
		return store_withheld();
	return record_get(rec, field);
}

/* The value of a dotted path from rec, following refs through the store, into out. */
static int
record_value(struct renderer *r, const struct record *rec, const char *path,
    const char *filter, struct buf *out)
{
	char *copy, *seg, *dot;
	struct record *held = NULL, *next;
	const struct field *f;
	const struct form *form;
	int rc = 0;

	if (strchr(path, '.') == NULL) {	/* a field of rec: no copy (a cell of 500,000 rows) */
		display_value(r, form_field(rec->form, path), shown_value(r, rec, path), filter, out);
		return 0;
	}
	seg = copy = xstrdup(path);
	for (;;) {
		if ((dot = strchr(seg, '.')) != NULL)
			*dot = '\0';
		f = form_field(rec->form, seg);
		if (dot == NULL) {
			display_value(r, f, shown_value(r, rec, seg), filter, out);
			break;
		}
		if (*record_get(rec, seg) == '\0')
			break;	/* an empty ref: nothing to show */
		form = formset_find(r->t->forms, f->ref_form);
		if ((rc = store_get(r->txn, form, record_get(rec, seg), &next, r->err)) != 0)
			break;
		record_free(held);
		rec = held = next;
		seg = dot + 1;
	}
	record_free(held);
	free(copy);
	return rc;
}

static int render_list(struct renderer *r, const struct tpl_nodes *l);

/* A setting's text, filled from the document's record, then escaped once. */
static int
setting_value(struct renderer *r, const struct tpl_setting *s, struct buf *out)
{
	struct buf text = BUF_INIT, *was_out = r->out;
	bool was_escape = r->escape;
	size_t was_depth = r->depth;
	int rc;

	r->out = &text;
	r->escape = false;
	r->depth = r->t->is_list ? 0 : 1;	/* checked against the document's record alone */
	rc = render_list(r, &s->value);
	r->out = was_out;
	r->escape = was_escape;
	r->depth = was_depth;
	if (rc == 0)
		buf_adds(out, buf_str(&text));
	buf_free(&text);
	return rc;
}

/* What a name stands for, unescaped, in the same order as the checker resolves it. */
static int
name_value(struct renderer *r, const char *name, const char *filter, struct buf *out)
{
	const struct tpl_setting *s;
	const char *p;

	for (size_t i = r->depth; i-- > 0;)
		if (template_path_field(r->t->forms, r->scope[i]->form, name) != NULL)
			return record_value(r, r->scope[i], name, filter, out);
	if (template_is_param(r->t, name)) {
		if ((p = param_value(r, name)) != NULL)
			buf_adds(out, p);
		return 0;
	}
	if (r->escape && (s = template_find_setting(r->t, name)) != NULL)
		return setting_value(r, s, out);
	if (str_eq(name, "today")) {
		if (filter != NULL && str_eq(filter, "date"))
			template_format_date(out, r->today);
		else
			buf_adds(out, r->today);
	} else if (str_eq(name, "city"))
		buf_adds(out, store_city_name(r->store));
	return 0;
}

/* The text out holds from offset from on, HTML-escaped; most values need nothing. */
static void
escape_tail(struct buf *out, size_t from)
{
	char *raw;

	if (out->len == from || out->data[from + strcspn(out->data + from, "&<>\"'")] == '\0')
		return;
	raw = xstrdup(out->data + from);
	out->len = from;
	out->data[from] = '\0';
	template_escape_html(out, raw);
	free(raw);
}

/* The value added where it goes, then escaped there: no buffer of its own per value. */
static int
render_value(struct renderer *r, const struct tpl_node *n)
{
	size_t from = r->out->len;
	int rc = name_value(r, n->text, n->filter, r->out);

	if (rc == 0 && r->escape)
		escape_tail(r->out, from);
	else if (rc != 0 && r->out->len > from) {	/* as if nothing was added */
		r->out->len = from;
		r->out->data[from] = '\0';
	}
	return rc;
}

static int
render_if(struct renderer *r, const struct tpl_node *n)
{
	struct buf v = BUF_INIT;
	int rc = name_value(r, n->text, "raw", &v);

	if (rc == 0)
		rc = render_list(r, text_blank(buf_str(&v)) ? &n->alt : &n->body);
	buf_free(&v);
	return rc;
}

/* A list document's body once for each record the command chose ("records FIELD=VALUE":
 * each of them whose FIELD holds VALUE as stored). */
static int
render_records(struct renderer *r, const struct tpl_node *n)
{
	char *field, *value;
	int rc = 0, at = -1;

	(void)template_records_filter(n->text, &field, &value);
	if (field != NULL)
		at = form_field_index(r->t->form, field);
	for (size_t i = 0; rc == 0 && i < r->n_recs; i++) {
		if (at > 0 && !str_eq(r->recs[i]->values[at], value))
			continue;
		r->scope[r->depth++] = r->recs[i];
		rc = render_list(r, &n->body);
		r->depth--;
	}
	free(field);
	free(value);
	return rc;
}

/* The body once for each record of FORM whose ref FIELD names the innermost record. */
static int
render_each(struct renderer *r, const struct tpl_node *n)
{
	const char *dot = strchr(n->text, '.');
	char *form_name, **ids = NULL;
	const struct form *form;
	struct record *rec;
	size_t n_ids = 0;
	int rc;

	if (r->t->is_list && r->depth == 0 && str_starts(n->text, TPL_RECORDS) &&
	    (n->text[strlen(TPL_RECORDS)] == '\0' || n->text[strlen(TPL_RECORDS)] == ' '))
		return render_records(r, n);
	form_name = xstrndup(n->text, (size_t)(dot - n->text));
	form = formset_find(r->t->forms, form_name);
	free(form_name);
	rc = store_find_by(r->txn, form, dot + 1, record_id(r->scope[r->depth - 1]), &ids,
	    &n_ids, r->err);
	for (size_t i = 0; rc == 0 && i < n_ids; i++) {
		if ((rc = store_get(r->txn, form, ids[i], &rec, r->err)) != 0)
			break;
		r->scope[r->depth++] = rec;
		rc = render_list(r, &n->body);
		r->depth--;
		record_free(rec);
	}
	strv_free(ids);
	return rc;
}

static int
render_list(struct renderer *r, const struct tpl_nodes *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct tpl_node *n = &l->v[i];
		int rc = 0;

		if (n->kind == TPL_TEXT)
			buf_adds(r->out, n->text);
		else if (n->kind == TPL_VALUE)
			rc = render_value(r, n);
		else if (n->kind == TPL_IF)
			rc = render_if(r, n);
		else
			rc = render_each(r, n);
		if (rc != 0)
			return -1;
	}
	return 0;
}

int
template_render(const struct template *t, struct store *store, struct store_txn *txn,
    const struct record *rec, struct buf *out, struct error *err)
{
	struct renderer r = { t, store, txn, { rec }, 1, "", true, out, err, NULL, 0, NULL };

	if (t->is_list)
		return error_set(err, ST_REFUSED, _("%s is a list document, not one for a record"),
		    t->path), -1;
	if (rec->form != t->form)
		return error_set(err, ST_REFUSED, _("%s: the template %s is for %s records, not "
		    "%s"), record_id(rec), t->path, form_label(t->form), form_label(rec->form)), -1;
	clock_format_date(clock_today(), r.today);
	return render_list(&r, &t->nodes);
}

int
template_render_list(const struct template *t, struct store *store, struct store_txn *txn,
    struct record *const *recs, size_t n, char *const *params, struct buf *out,
    struct error *err)
{
	struct renderer r = { t, store, txn, { NULL }, 0, "", true, out, err, recs, n, params };

	if (!t->is_list)
		return error_set(err, ST_REFUSED, _("%s is a document for one record, not a list"),
		    t->path), -1;
	clock_format_date(clock_today(), r.today);
	return render_list(&r, &t->nodes);
}
