/*
 * cmd-report.c — "huitou report [--period FROM..TO] [--district D] [--format csv|html]
 * [-o FILE]": the districts' evaluation (督导检查 / 综合考评) of a period, each district's
 * measures, its findings per check item, its score out of 100 and its rank, as CSV (labels as
 * header) or as a printable report in Chinese from templates/report.html. The report's rows
 * are records of a form made here from the measures, so the template engine's list documents
 * print them as they print the ledger's entries. It only reads: nothing is committed.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/campaign.h"
#include "campaign/casework.h"
#include "campaign/evaluation.h"
#include "campaign/template.h"
#include "cli/cli.h"

#define REPORT_TEMPLATE "report"
#define ROW_FORM "evaluation"

struct report {
	struct eval_rules *rules;
	char from[11], to[11];
	const struct division *district;	/* --district, or NULL: every one */
	struct evaluation ev;
	struct form *row_form;
};

/* --period FROM..TO, else the rules' period, else the last three months. */
static int
report_period(struct cli *cli, const char *arg, struct report *r)
{
	const char *dots = arg != NULL ? strstr(arg, "..") : NULL;
	char today[11];

	if (arg == NULL) {
		clock_format_date(clock_today(), today);
		eval_default_period(r->rules, today, r->from, r->to);
		return 0;
	}
	if (dots == NULL || dots - arg != 10 || strlen(dots + 2) != 10)
		return error_set(&cli->err, ST_USAGE, _("--period: '%s' is not FROM..TO "
		    "(2026-09-01..2026-11-30)"), arg);
	memcpy(r->from, arg, 10);
	r->from[10] = '\0';
	snprintf(r->to, sizeof r->to, "%s", dots + 2);
	if (!eval_date_ok(r->from) || !eval_date_ok(r->to))
		return error_set(&cli->err, ST_USAGE, _("--period: '%s' is not FROM..TO "
		    "(2026-09-01..2026-11-30)"), arg);
	if (strcmp(r->from, r->to) > 0)
		return error_set(&cli->err, ST_USAGE, _("--period: %s is after %s"), r->from, r->to);
	return 0;
}

static int
report_options(struct cli *cli, const struct cmd_args *args, struct report *r)
{
	const char *d = cmd_value(args, "district"), *format = cmd_value(args, "format");
	char *dir = xasprintf("%s/forms", cli->dir);
	int rc;

	if (format != NULL && !str_eq(format, "csv") && !str_eq(format, "html")) {
		free(dir);
		return error_set(&cli->err, ST_USAGE, _("usage: huitou report %s"),
		    _(cmd_report_entry.usage));
	}
	rc = eval_rules_load(dir, &r->rules, &cli->err);
	free(dir);
	if (rc != 0 || report_period(cli, cmd_value(args, "period"), r) != 0)
		return -1;
	if (d != NULL && (r->district = store_division_find(cli->store, d, DIV_DISTRICT,
	    NULL)) == NULL)
		return error_set(&cli->err, ST_USAGE, _("--district: '%s' is no district of %s"), d,
		    store_city_name(cli->store));
	return 0;
}

/* The report's columns: district, the measures, findings per check, score, rank. */
static size_t
column_count(const struct evaluation *ev)
{
	return 1 + EVAL_N + ev->n_checks + 2;
}

static char *
column_label(const struct evaluation *ev, size_t c)
{
	if (c == 0)
		return xstrdup(_("District"));
	if (--c < EVAL_N)
		return xstrdup(eval_measure_label(c));
	if ((c -= EVAL_N) < ev->n_checks)
		return xasprintf(_("Findings: %s"), ev->check_labels[c]);
	return xstrdup(c == ev->n_checks ? _("Score") : _("Rank"));
}

static char *
column_name(const struct evaluation *ev, size_t c)
{
	if (c == 0)
		return xstrdup("district");
	if (--c < EVAL_N)
		return xstrdup(eval_measure_name(c));
	if ((c -= EVAL_N) < ev->n_checks)
		return xasprintf("findings_%s", ev->checks[c]);
	return xstrdup(c == ev->n_checks ? "score" : "rank");
}

static char *
cell(const struct evaluation *ev, const struct eval_district *d, size_t c)
{
	char out[32];

	if (c == 0)
		return xstrdup(d->name);
	if (--c < EVAL_N) {
		eval_format(d, c, out, sizeof out);
		return xstrdup(out);
	}
	if ((c -= EVAL_N) < ev->n_checks)
		return xasprintf("%zu", d->by_check[c]);
	eval_format_score(d, c != ev->n_checks, out, sizeof out);
	return xstrdup(out);
}

static bool
shown(const struct report *r, const struct eval_district *d)
{
	return r->district == NULL || str_eq(r->district->code, d->code);
}

static void
report_csv(const struct report *r, struct buf *out)
{
	size_t n = column_count(&r->ev);
	char **cells = xcalloc(n + 1, sizeof *cells);

	for (size_t c = 0; c < n; c++)
		cells[c] = column_label(&r->ev, c);
	csv_write_row_buf(out, cells, n);
	for (size_t i = 0; i < r->ev.n; i++) {
		if (!shown(r, &r->ev.d[i]))
			continue;
		for (size_t c = 0; c < n; c++) {
			free(cells[c]);
			cells[c] = cell(&r->ev, &r->ev.d[i], c);
		}
		csv_write_row_buf(out, cells, n);
	}
	strv_free(cells);
}

/* The form of the report's rows: one text field per column, for the template. */
static int
row_form_make(struct report *r, struct error *err)
{
	struct buf text = BUF_INIT;
	int rc;

	buf_printf(&text, "form %s\nversion 1\nlabel 综合考评 | Evaluation\nid-format PJ-{seq:4}\n"
	    "field id\n type id\n label 编号 | ID\n", ROW_FORM);
	for (size_t c = 0; c < column_count(&r->ev); c++) {
		char *name = column_name(&r->ev, c), *label = column_label(&r->ev, c);

		buf_printf(&text, "field %s\n type text\n label %s\n", name, label);
		free(name);
		free(label);
	}
	rc = form_parse(ROW_FORM, buf_str(&text), &r->row_form, err);
	buf_free(&text);
	return rc;
}

/* The weights as one line for the report's foot, in Chinese as the report is:
 * 检查覆盖率 30、整改销号率 25 … */
static char *
weights_text(const struct eval_rules *rules)
{
	struct buf b = BUF_INIT;

	for (size_t m = 0; m < EVAL_N; m++)
		if (rules->w[m].set && rules->w[m].weight > 0)
			buf_printf(&b, "%s%s %g", b.len > 0 ? "、" : "", eval_measure_label_zh(m),
			    rules->w[m].weight);
	return buf_detach(&b);
}

static int
render_rows(struct cli *cli, struct store_txn *txn, const struct report *r,
    const struct template *t, struct buf *out)
{
	struct record **recs = xcalloc(r->ev.n + 1, sizeof *recs);
	struct buf from = BUF_INIT, to = BUF_INIT;
	char *weights = weights_text(r->rules), count[24];
	size_t n = 0;
	int rc;

	for (size_t i = 0; i < r->ev.n; i++) {
		if (!shown(r, &r->ev.d[i]))
			continue;
		recs[n] = record_new(r->row_form);
		for (size_t c = 0; c < column_count(&r->ev); c++) {
			char *v = cell(&r->ev, &r->ev.d[i], c);

			record_set_raw(recs[n], c + 1, v);
			free(v);
		}
		n++;
	}
	template_format_date(&from, r->from);
	template_format_date(&to, r->to);
	snprintf(count, sizeof count, "%zu", n);
	{
		char *params[] = { "from", (char *)buf_str(&from), "to", (char *)buf_str(&to),
		    "count", count, "weights", weights, NULL };

		rc = template_render_list(t, cli->store, txn, recs, n, params, out, &cli->err);
	}
	for (size_t i = 0; i < n; i++)
		record_free(recs[i]);
	free(recs);
	free(weights);
	buf_free(&from);
	buf_free(&to);
	return rc;
}

/* The HTML report: the template sees the forms in force and the rows' form. */
static int
report_html(struct cli *cli, struct store_txn *txn, struct report *r, struct buf *out)
{
	struct formset with_rows = { xcalloc(cli->forms.n + 1, sizeof *with_rows.forms),
	    cli->forms.n + 1 };
	struct template *t = NULL;
	int rc = -1;

	if (row_form_make(r, &cli->err) != 0) {
		free(with_rows.forms);
		return -1;
	}
	memcpy(with_rows.forms, cli->forms.forms, cli->forms.n * sizeof *with_rows.forms);
	with_rows.forms[cli->forms.n] = r->row_form;
	if (template_load(cli->dir, REPORT_TEMPLATE, &with_rows, &t, &cli->err) == 0) {
		if (!template_is_list(t) || template_form(t) != r->row_form)
			error_set(&cli->err, ST_FAILED, _("the template '%s' must be a list of %s "
			    "rows ('form %s' and 'list' in its settings)"), REPORT_TEMPLATE,
			    ROW_FORM, ROW_FORM);
		else
			rc = render_rows(cli, txn, r, t, out);
	}
	template_free(t);
	free(with_rows.forms);
	return rc;
}

static int
cmd_report_exec(struct cli *cli, const struct cmd_args *args)
{
	const char *format = cmd_value(args, "format"), *output = cmd_value(args, "output");
	struct report r = { 0 };
	struct store_txn *txn = NULL;
	struct casework *cw = NULL;
	struct buf doc = BUF_INIT;
	int rc = -1;

	if (report_options(cli, args, &r) != 0 || (cw = cli_casework(cli)) == NULL ||
	    store_txn_begin(cli->store, false, &txn, &cli->err) != 0 ||
	    evaluation_compute(txn, cli->store, cw, r.rules, r.from, r.to, &r.ev, &cli->err) != 0)
		goto out;
	if (format != NULL && str_eq(format, "html"))
		rc = report_html(cli, txn, &r, &doc);
	else {
		report_csv(&r, &doc);
		rc = 0;
	}
	if (rc == 0)
		rc = output != NULL ? cli_write_as_caller(output, &doc, &cli->err) :
		    cli_write_stdout(&doc, &cli->err);
out:
	store_txn_abort(txn);
	casework_free(cw);
	evaluation_clear(&r.ev);
	eval_rules_free(r.rules);
	form_free(r.row_form);
	buf_free(&doc);
	return rc == 0 ? ST_OK : cli_report(cli);
}

const struct cmd_entry cmd_report_entry = {
	"report", N_("[--period FROM..TO] [--district D] [--format csv|html] [-o FILE]"),
	N_("write the districts' evaluation of a period: measures, score and rank (CSV or HTML)"),
	{ { "period", true }, { "district", true }, { "format", true }, { "output", true },
	  { NULL, false } }, 0, 0, CMD_READS_STORE, cmd_report_exec,
};
