/*
 * cmd-ledger.c — "huitou ledger --district D --from DATE --to DATE [--format csv|html]
 * [-o FILE]": a district's joint-enforcement ledger (联合执法台账) of a period, its entries in
 * date order, as CSV with the fields' labels as header and the values as people read them, or
 * as a printable HTML list from the template kept as data (templates/ledger.html). It only
 * reads: nothing is committed.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/campaign.h"
#include "campaign/template.h"
#include "cli/cli.h"

#define LEDGER_FORM "enforcement"
#define LEDGER_TEMPLATE "ledger"

struct ledger {
	const struct form *form;
	const struct division *district;
	char *from, *to;		/* canonical dates, from <= to */
	struct record **recs;		/* the entries, in date order */
	size_t n;
};

/* An option's date, as the form's date field reads one, into *out. */
static int
ledger_date(struct cli *cli, const struct ledger *l, const char *option, const char *value,
    char **out)
{
	const struct field *f = form_field(l->form, "date");
	struct error why = ERROR_INIT;

	if (f == NULL || f->kind != FT_DATE)
		return error_set(&cli->err, ST_FAILED, _("%s has no date field 'date'"),
		    l->form->path);
	if (field_parse(f, value, NULL, out, &why) == 0 && **out != '\0')
		return 0;
	error_set(&cli->err, ST_USAGE, _("--%s: '%s' is not a date (%s): write it as 2026-11-01"),
	    option, value, why.message != NULL ? why.message : _("is required"));
	error_clear(&why);
	return -1;
}

/* The options: the form, the district and the period, each checked. */
static int
ledger_options(struct cli *cli, const struct cmd_args *args, struct ledger *l)
{
	const char *d = cmd_value(args, "district"), *format = cmd_value(args, "format");

	if (d == NULL || cmd_value(args, "from") == NULL || cmd_value(args, "to") == NULL ||
	    (format != NULL && !str_eq(format, "csv") && !str_eq(format, "html")))
		return error_set(&cli->err, ST_USAGE, _("usage: huitou ledger %s"),
		    _(cmd_ledger_entry.usage));
	if ((l->form = formset_find(&cli->forms, LEDGER_FORM)) == NULL)
		return error_set(&cli->err, ST_FAILED, _("this data directory has no enforcement "
		    "ledger: copy the shipped forms/enforcement.form into its forms/"));
	if ((l->district = store_division_find(cli->store, d, DIV_DISTRICT, NULL)) == NULL)
		return error_set(&cli->err, ST_USAGE, _("--district: '%s' is no district of %s"), d,
		    store_city_name(cli->store));
	if (ledger_date(cli, l, "from", cmd_value(args, "from"), &l->from) != 0 ||
	    ledger_date(cli, l, "to", cmd_value(args, "to"), &l->to) != 0)
		return -1;
	if (strcmp(l->from, l->to) > 0)
		return error_set(&cli->err, ST_USAGE, _("--from %s is after --to %s"), l->from, l->to);
	return 0;
}

static int
by_date(const void *a, const void *b)
{
	const struct record *x = *(struct record *const *)a, *y = *(struct record *const *)b;
	int c = strcmp(record_get(x, "date"), record_get(y, "date"));

	return c != 0 ? c : strcmp(record_id(x), record_id(y));
}

/* The district's entries of the period, read in txn, into l->recs in date order. */
static int
ledger_select(struct store_txn *txn, struct ledger *l, struct error *err)
{
	char *where = xasprintf("district=%s and date>=%s and date<=%s", l->district->code,
	    l->from, l->to), **ids = NULL;
	struct query *q = NULL;
	bool *match = NULL;
	size_t n = 0, kept = 0;
	int rc = select_parse(txn, l->form, where, &q, err);

	if (rc == 0)
		rc = store_list_ids(txn, l->form, &ids, &n, err);
	if (rc == 0) {
		match = xcalloc(n + 1, sizeof *match);
		rc = select_matching(txn, l->form, q, ids, NULL, n, match, &kept, err);
	}
	l->recs = xcalloc(kept + 1, sizeof *l->recs);
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (match[i] && (rc = store_get(txn, l->form, ids[i], &l->recs[l->n], err)) == 0)
			l->n++;
	if (rc == 0)
		qsort(l->recs, l->n, sizeof *l->recs, by_date);
	query_free(q);
	strv_free(ids);
	free(match);
	free(where);
	return rc;
}

/* A value as a person reads it: labels, divisions by name, a record by its title. */
static char *
ledger_cell(struct cli *cli, struct store_txn *txn, const struct field *f, const char *v)
{
	const struct division *d;
	const struct form *ref;

	if (*v == '\0')
		return xstrdup("");
	if (f->kind == FT_DIVISION && (d = store_division_find(cli->store, v, f->level, NULL)))
		return xstrdup(d->name);
	if (f->kind == FT_REF && (ref = formset_find(&cli->forms, f->ref_form)) != NULL)
		return store_record_title(txn, ref, v);
	return xstrdup(field_display(f, v));
}

static void
ledger_csv(struct cli *cli, struct store_txn *txn, const struct ledger *l, struct buf *out)
{
	char **cells = xcalloc(l->form->n_fields + 1, sizeof *cells);

	for (size_t i = 0; i < l->form->n_fields; i++)
		cells[i] = xstrdup(field_label(&l->form->fields[i]));
	csv_write_row_buf(out, cells, l->form->n_fields);
	for (size_t r = 0; r < l->n; r++) {
		for (size_t i = 0; i < l->form->n_fields; i++) {
			free(cells[i]);
			cells[i] = ledger_cell(cli, txn, &l->form->fields[i], l->recs[r]->values[i]);
		}
		csv_write_row_buf(out, cells, l->form->n_fields);
	}
	strv_free(cells);
}

/* The district, the period and the count as the template's params. */
static int
ledger_html(struct cli *cli, struct store_txn *txn, const struct ledger *l, struct buf *out)
{
	struct template *t = NULL;
	struct buf from = BUF_INIT, to = BUF_INIT;
	char count[24];
	int rc = -1;

	if (template_load(cli->dir, LEDGER_TEMPLATE, &cli->forms, &t, &cli->err) != 0)
		return -1;
	if (!template_is_list(t) || template_form(t) != l->form) {
		error_set(&cli->err, ST_FAILED, _("the template '%s' must be a list of %s records "
		    "('form %s' and 'list' in its settings)"), LEDGER_TEMPLATE, LEDGER_FORM,
		    LEDGER_FORM);
	} else {
		char *params[] = { "district", (char *)l->district->name, "district_code",
		    (char *)l->district->code, "from", NULL, "to", NULL, "count", count, NULL };

		template_format_date(&from, l->from);
		template_format_date(&to, l->to);
		params[5] = (char *)buf_str(&from);
		params[7] = (char *)buf_str(&to);
		snprintf(count, sizeof count, "%zu", l->n);
		rc = template_render_list(t, cli->store, txn, l->recs, l->n, params, out, &cli->err);
	}
	buf_free(&from);
	buf_free(&to);
	template_free(t);
	return rc;
}

static int
cmd_ledger_exec(struct cli *cli, const struct cmd_args *args)
{
	const char *format = cmd_value(args, "format"), *output = cmd_value(args, "output");
	struct ledger l = { 0 };
	struct store_txn *txn = NULL;
	struct buf doc = BUF_INIT;
	int rc = -1;

	if (ledger_options(cli, args, &l) != 0 ||
	    store_txn_begin(cli->store, false, &txn, &cli->err) != 0 ||
	    ledger_select(txn, &l, &cli->err) != 0)
		goto out;
	if (format != NULL && str_eq(format, "html"))
		rc = ledger_html(cli, txn, &l, &doc);
	else {
		ledger_csv(cli, txn, &l, &doc);
		rc = 0;
	}
	if (rc == 0)
		rc = output != NULL ? cli_write_as_caller(output, &doc, &cli->err) :
		    cli_write_stdout(&doc, &cli->err);
out:
	store_txn_abort(txn);
	for (size_t i = 0; i < l.n; i++)
		record_free(l.recs[i]);
	free(l.recs);
	free(l.from);
	free(l.to);
	buf_free(&doc);
	return rc == 0 ? ST_OK : cli_report(cli);
}

const struct cmd_entry cmd_ledger_entry = {
	"ledger", N_("--district D --from DATE --to DATE [--format csv|html] [-o FILE]"),
	N_("write a district's joint-enforcement ledger of a period (CSV or printable HTML)"),
	{ { "district", true }, { "from", true }, { "to", true }, { "format", true },
	  { "output", true }, { NULL, false } }, 0, 0, CMD_READS_STORE, cmd_ledger_exec,
};
