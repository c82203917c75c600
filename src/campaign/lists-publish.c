/*
 * lists-publish.c — a month's publication (一月一公布): the plan (this month's membership, the
 * last publication's as published, what changed, whether the month may be published) and the
 * publication itself — one write transaction and one audit commit holding the publication
 * record, lists/NAME/white.csv, black.csv and notice.html and the lists rules in force, and
 * the annotated tag lists/NAME whose message gives the counts (store_txn_tag).
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/lists.h"
#include "campaign/template.h"

#define NOTICE_TEMPLATE "lists-notice"

bool
lists_month_valid(const char *s)
{
	if (strlen(s) != 7 || s[4] != '-')
		return false;
	for (int i = 0; i < 7; i++)
		if (i != 4 && !isdigit((unsigned char)s[i]))
			return false;
	return (s[5] == '0' && s[6] >= '1') || (s[5] == '1' && s[6] <= '2');
}

void
lists_this_month(char out[8])
{
	char today[11];

	clock_format_date(clock_today(), today);
	memcpy(out, today, 7);
	out[7] = '\0';
}

/* The publications of month, and the newest of all. */
static void
find_published(const struct list_publications *ps, const char *month, size_t *n_month,
    const struct list_publication **newest_of_month, const struct list_publication **newest)
{
	*n_month = 0;
	*newest_of_month = *newest = NULL;
	for (size_t i = 0; i < ps->n; i++) {
		if (str_eq(ps->p[i].month, month)) {
			(*n_month)++;
			*newest_of_month = &ps->p[i];
		}
		*newest = &ps->p[i];
	}
}

/* Whether month may be published (or corrected) now, and under which name. */
static int
plan_name(struct list_publish_plan *p, const struct list_publications *ps, bool correct,
    struct error *err)
{
	const struct list_publication *of_month, *newest;
	size_t n;

	find_published(ps, p->month, &n, &of_month, &newest);
	if (n > 0 && !correct)
		return error_set(err, ST_REFUSED, _("the lists of %s are published already (%s, %s, "
		    "on %s): a month is published once; to correct it, publish it again with "
		    "--correct --reason TEXT"), p->month, of_month->name, of_month->id,
		    of_month->published_on);
	if (n == 0 && correct)
		return error_set(err, ST_REFUSED, _("the lists of %s were never published: there is "
		    "nothing to correct"), p->month);
	p->name = n == 0 ? xstrdup(p->month) : xasprintf("%s-c%zu", p->month, n);
	if (correct) {
		p->corrects_id = xstrdup(of_month->id);
		p->corrects_name = xstrdup(of_month->name);
	}
	if (newest != NULL)
		p->last_name = xstrdup(newest->name);
	return 0;
}

int
lists_plan(struct store *store, const char *data_dir, const char *month, bool correct,
    const char *reason, void (*progress)(void *arg, size_t done, size_t whole), void *arg,
    struct list_publish_plan *out, struct error *err)
{
	char *forms_dir = xasprintf("%s/forms", data_dir);
	struct list_rules *rules = NULL;
	struct list_publications ps = { 0 };
	struct store_txn *txn = NULL;
	int rc;

	memset(out, 0, sizeof *out);
	out->month = xstrdup(month);
	out->reason = xstrdup(reason != NULL ? reason : "");
	if (!lists_month_valid(month))
		rc = error_set(err, ST_USAGE, _("'%s' is not a month: write it as 2026-11"), month);
	else
		rc = list_rules_load(forms_dir, store_forms(store), &rules, &out->rules_text, err);
	if (rc == 0)
		rc = store_txn_begin(store, false, &txn, err);
	if (rc == 0 && (rc = lists_publications(store, txn, &ps, err)) == 0)
		rc = plan_name(out, &ps, correct, err);
	if (rc == 0)
		rc = lists_compute(store, txn, rules, progress, arg, &out->now, err);
	store_txn_abort(txn);
	if (rc == 0 && out->last_name != NULL)
		rc = lists_read_published(store, out->last_name, &out->last, err);
	if (rc == 0)
		list_diff_make(&out->last, &out->now, &out->diff);
	lists_publications_free(&ps);
	list_rules_free(rules);
	free(forms_dir);
	return rc;
}

void
list_publish_plan_free(struct list_publish_plan *p)
{
	free(p->month);
	free(p->name);
	free(p->corrects_id);
	free(p->corrects_name);
	free(p->reason);
	free(p->last_name);
	list_membership_free(&p->now);
	list_membership_free(&p->last);
	list_diff_free(&p->diff);
	free(p->rules_text);
	memset(p, 0, sizeof *p);
}

/* Sets field name of rec, which the form must have. */
static int
set_field(struct record *rec, const char *name, const char *value, struct error *err)
{
	int i = form_field_index(rec->form, name);

	if (i < 0)
		return error_set(err, ST_FAILED, _("%s: a publication needs field %s"),
		    rec->form->path, name);
	record_set_raw(rec, (size_t)i, value);
	return 0;
}

/* The publication record, filled in and inserted; *id its id. */
static int
insert_record(struct store_txn *txn, const struct form *form, const struct list_publish_plan *p,
    char **id, struct error *err)
{
	struct record *rec = record_new(form);
	char today[11], white[24], black[24];
	int rc;

	clock_format_date(clock_today(), today);
	snprintf(white, sizeof white, "%zu", p->now.n_white);
	snprintf(black, sizeof black, "%zu", p->now.n_black);
	rc = set_field(rec, "name", p->name, err);
	rc = rc == 0 ? set_field(rec, "month", p->month, err) : rc;
	rc = rc == 0 ? set_field(rec, "published_on", today, err) : rc;
	rc = rc == 0 ? set_field(rec, "corrects", p->corrects_id ? p->corrects_id : "", err) : rc;
	rc = rc == 0 ? set_field(rec, "reason", p->reason, err) : rc;
	rc = rc == 0 ? set_field(rec, "white_count", white, err) : rc;
	rc = rc == 0 ? set_field(rec, "black_count", black, err) : rc;
	if (rc == 0)
		rc = store_insert(txn, rec, err);
	if (rc == 0)
		*id = xstrdup(record_id(rec));
	record_free(rec);
	return rc;
}

/* The month as 2026年11月. */
static char *
month_words(const char *month)
{
	return xasprintf("%.4s年%d月", month, atoi(month + 5));
}

/* The fields of a list decision the notice's rows fill, in the order render_notice gives them. */
static const char *const notice_fields[] = {
	"institution", "name", "district", "street", "list", "reason",
};
#define NOTICE_FIELDS (sizeof notice_fields / sizeof notice_fields[0])
#define NOTICE_ROW_MARKUP 128	/* a row's tags and the list's words, about (a guess to grow by) */

/* The notice from the template: the members as list decisions, black first. */
static int
render_notice(struct store *store, struct store_txn *txn, const char *data_dir,
    const struct list_publish_plan *p, struct buf *out, struct error *err)
{
	const struct form *form = formset_find(store_forms(store), "listing");
	struct template *t = NULL;
	struct record **recs;
	struct buf on = BUF_INIT;
	char today[11], white[24], black[24], *month = month_words(p->month);
	size_t n = 0, at[NOTICE_FIELDS];
	int rc;

	if (form == NULL)
		return error_set(err, ST_FAILED, _("this data directory has no publications: copy "
		    "the shipped forms/publication.form and listing.form into its forms/"));
	if ((rc = template_load(data_dir, NOTICE_TEMPLATE, store_forms(store), &t, err)) != 0) {
		free(month);
		return rc;
	}
	for (size_t f = 0; f < NOTICE_FIELDS; f++)	/* looked up once, not per row */
		if (form_field_index(form, notice_fields[f]) < 0) {
			template_free(t);
			free(month);
			return error_set(err, ST_FAILED, _("%s: the notice needs field %s"), form->path,
			    notice_fields[f]);
		} else
			at[f] = (size_t)form_field_index(form, notice_fields[f]);
	recs = xcalloc(p->now.n + 1, sizeof *recs);
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < p->now.n; i++) {
			const struct list_member *m = &p->now.members[i];
			const char *v[NOTICE_FIELDS] = { m->id, m->name, m->district_code,
			    m->street_code, list_kind_value(m->list), m->reason };

			if ((m->list == LIST_BLACK) != (pass == 0))
				continue;
			recs[n] = record_new(form);
			for (size_t f = 0; f < NOTICE_FIELDS; f++)
				record_set_borrowed(recs[n], at[f], v[f]);	/* the members outlive it */
			n++;
		}
	buf_grow(out, list_text_guess(&p->now, LIST_NONE, NOTICE_ROW_MARKUP) + 65536);
	clock_format_date(clock_today(), today);
	template_format_date(&on, today);
	snprintf(white, sizeof white, "%zu", p->now.n_white);
	snprintf(black, sizeof black, "%zu", p->now.n_black);
	{
		char *params[] = { "name", p->name, "month", month, "published_on",
		    (char *)buf_str(&on), "white_count", white, "black_count", black, "corrects",
		    p->corrects_name ? p->corrects_name : "", "reason", p->reason, NULL };

		if (!template_is_list(t) || template_form(t) != form)
			rc = error_set(err, ST_FAILED, _("the template '%s' must be a list of listing "
			    "records ('form listing' and 'list' in its settings)"), NOTICE_TEMPLATE);
		else
			rc = template_render_list(t, store, txn, recs, n, params, out, err);
	}
	for (size_t i = 0; i < n; i++)
		record_free(recs[i]);
	free(recs);
	free(month);
	buf_free(&on);
	template_free(t);
	return rc;
}

/* The subject and body of the commit, which are the tag's message too. */
static void
describe(struct store_txn *txn, const struct list_publish_plan *p)
{
	struct buf body = BUF_INIT;
	char *subject = xasprintf("公布 %s 黑白名单：白名单 %zu 家，黑名单 %zu 家", p->name,
	    p->now.n_white, p->now.n_black);

	buf_printf(&body, "白名单 %zu 家，黑名单 %zu 家。\n", p->now.n_white, p->now.n_black);
	if (p->corrects_name != NULL)
		buf_printf(&body, "更正 %s：%s\n", p->corrects_name, p->reason);
	if (p->last_name != NULL)
		buf_printf(&body, "较 %s：白名单新增 %zu、移出 %zu；黑名单新增 %zu、移出 %zu。\n",
		    p->last_name, p->diff.added[LIST_WHITE], p->diff.removed[LIST_WHITE],
		    p->diff.added[LIST_BLACK], p->diff.removed[LIST_BLACK]);
	store_txn_describe(txn, p->corrects_name != NULL ? "lists.correct" : "lists.publish",
	    subject, buf_str(&body));
	free(subject);
	buf_free(&body);
}

/* The file's text is the transaction's from here on (megabytes at 1,000,000 institutions:
 * taken, not copied). */
static void
add_text_file(struct store_txn *txn, const char *name, const char *file, char *text,
    size_t len)
{
	char *path = xasprintf("lists/%s/%s", name, file);

	store_txn_take_file(txn, path, text, len);
	free(path);
}

int
lists_publish(struct store *store, const char *data_dir, struct list_publish_plan *p, char **id,
    struct error *err)
{
	const struct form *form = formset_find(store_forms(store), "publication");
	struct store_txn *txn = NULL;
	struct buf notice = BUF_INIT;
	char *white = list_csv(&p->now, LIST_WHITE), *black = list_csv(&p->now, LIST_BLACK);
	char *tag = xasprintf("lists/%s", p->name), **ids = NULL;
	size_t taken = 0;
	int rc;

	*id = NULL;
	if (form == NULL)
		rc = error_set(err, ST_FAILED, _("this data directory has no publications: copy "
		    "the shipped forms/publication.form and listing.form into its forms/"));
	else
		rc = store_txn_begin(store, true, &txn, err);
	/* A publication made meanwhile by someone else: its name is taken, refused. */
	if (rc == 0 && (rc = store_find_by(txn, form, "name", p->name, &ids, &taken, err)) == 0 &&
	    taken > 0)
		rc = error_set(err, ST_REFUSED, _("%s was published meanwhile; look again"), p->name);
	strv_free(ids);
	if (rc == 0)
		rc = insert_record(txn, form, p, id, err);
	if (rc == 0)
		rc = render_notice(store, txn, data_dir, p, &notice, err);
	if (rc == 0)
		rc = store_txn_add_rules_file(txn, "forms/lists.rules", p->rules_text, err);
	if (rc == 0) {
		size_t len = notice.len;

		add_text_file(txn, p->name, "white.csv", white, strlen(white));
		add_text_file(txn, p->name, "black.csv", black, strlen(black));
		add_text_file(txn, p->name, "notice.html", buf_detach(&notice), len);
		white = black = NULL;
		describe(txn, p);
		if (p->corrects_name != NULL)
			store_txn_add_trailer(txn, "Reason", p->reason);
		store_txn_tag(txn, tag);
		rc = store_txn_commit(txn, err);
		txn = NULL;
	}
	store_txn_abort(txn);
	if (rc != 0 && !store_txn_stored(store)) {
		free(*id);
		*id = NULL;
	}
	free(tag);
	free(white);
	free(black);
	buf_free(&notice);
	return rc;
}
