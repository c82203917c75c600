/*
 * deadlines.c — reads forms/deadlines.rules (forms/README.md): the days an institution has to
 * rectify a failed check, by check and severity, and the severity each check's findings
 * start with. The most specific line wins; the engine is a lookup, the numbers are data.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/casework.h"

struct deadline_rule {
	char *check, *severity;	/* "*" for any */
	int days;
	int line;
};

struct deadline_rules {
	char *path;
	struct deadline_rule *days;
	size_t n_days;
	char **severity_check, **severity_value;	/* parallel, n_severity each */
	int *severity_line;
	size_t n_severity;
};

static int
read_days(struct linefile *lf, const struct lf_line *ln)
{
	struct deadline_rules *r = lf->arg;
	char *end;
	long days;

	if (ln->n_words != 4)
		return linefile_fail(lf, _("'days' takes CHECK SEVERITY N (* for any check or severity)"));
	days = strtol(ln->words[3], &end, 10);
	if (*ln->words[3] == '\0' || *end != '\0' || days < 0 || days > 3650)
		return linefile_fail(lf, _("the days must be a number from 0 to 3650, not '%s'"),
		    ln->words[3]);
	for (size_t i = 0; i < r->n_days; i++)
		if (str_eq(r->days[i].check, ln->words[1]) &&
		    str_eq(r->days[i].severity, ln->words[2]))
			return linefile_fail(lf, _("'days %s %s' is given twice"), ln->words[1],
			    ln->words[2]);
	r->days = xrealloc(r->days, (r->n_days + 1) * sizeof *r->days);
	r->days[r->n_days].check = xstrdup(ln->words[1]);
	r->days[r->n_days].severity = xstrdup(ln->words[2]);
	r->days[r->n_days].line = ln->number;
	r->days[r->n_days++].days = (int)days;
	return 0;
}

static int
read_severity(struct linefile *lf, const struct lf_line *ln)
{
	struct deadline_rules *r = lf->arg;

	if (ln->n_words != 3)
		return linefile_fail(lf, _("'severity' takes CHECK SEVERITY"));
	if (deadline_severity(r, ln->words[1]) != NULL)
		return linefile_fail(lf, _("the severity of '%s' is given twice"), ln->words[1]);
	r->severity_check = xrealloc(r->severity_check, (r->n_severity + 1) * sizeof(char *));
	r->severity_value = xrealloc(r->severity_value, (r->n_severity + 1) * sizeof(char *));
	r->severity_line = xrealloc(r->severity_line, (r->n_severity + 1) * sizeof(int));
	r->severity_line[r->n_severity] = ln->number;
	r->severity_check[r->n_severity] = xstrdup(ln->words[1]);
	r->severity_value[r->n_severity++] = xstrdup(ln->words[2]);
	return 0;
}

static const struct lf_keyword keys[] = {
	{ "days", read_days }, { "severity", read_severity }, { NULL, NULL },
};

int
deadline_rules_parse(const char *path, const char *text, struct deadline_rules **out,
    struct error *err)
{
	struct deadline_rules *r = xcalloc(1, sizeof *r);
	struct linefile lf = { .path = path, .keywords = keys, .arg = r, .err = err };

	r->path = xstrdup(path);
	if (linefile_read(&lf, text, strlen(text)) != 0) {
		deadline_rules_free(r);
		return -1;
	}
	*out = r;
	return 0;
}

void
deadline_rules_free(struct deadline_rules *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n_days; i++) {
		free(r->days[i].check);
		free(r->days[i].severity);
	}
	free(r->days);
	for (size_t i = 0; i < r->n_severity; i++) {
		free(r->severity_check[i]);
		free(r->severity_value[i]);
	}
	free(r->severity_check);
	free(r->severity_value);
	free(r->severity_line);
	free(r->path);
	free(r);
}

/* How specific a line is for that check and severity: 3 both named … 0 both "*"; -1 no match. */
static int
specificity(const struct deadline_rule *d, const char *check, const char *severity)
{
	bool c = str_eq(d->check, check), s = str_eq(d->severity, severity);

	if ((!c && !str_eq(d->check, "*")) || (!s && !str_eq(d->severity, "*")))
		return -1;
	return (c ? 2 : 0) + (s ? 1 : 0);
}

int
deadline_days(const struct deadline_rules *r, const char *check, const char *severity)
{
	int best = -1, days = -1;

	for (size_t i = 0; r != NULL && i < r->n_days; i++) {
		int s = specificity(&r->days[i], check, severity);

		if (s > best) {
			best = s;
			days = r->days[i].days;
		}
	}
	return days;
}

const char *
deadline_severity(const struct deadline_rules *r, const char *check)
{
	for (size_t i = 0; r != NULL && i < r->n_severity; i++)
		if (str_eq(r->severity_check[i], check))
			return r->severity_value[i];
	return NULL;
}

/* name is "*" (when star is allowed) or an option of the orders' field; else err at line. */
static int
check_option(const struct deadline_rules *r, const struct field *f, const char *name,
    bool star, int line, struct error *err)
{
	if ((star && str_eq(name, "*")) || field_option(f, name) != NULL)
		return 0;
	return error_set(err, ST_FAILED, _("%s:%d: '%s' is not an option of field %s of form rectification"),
	    r->path, line, name, f->name);
}

int
deadline_rules_check(const struct deadline_rules *r, const struct formset *forms,
    struct error *err)
{
	const struct form *orders = formset_find(forms, "rectification");
	const struct field *check = orders != NULL ? form_field(orders, "check") : NULL;
	const struct field *sev = orders != NULL ? form_field(orders, "severity") : NULL;

	if (r == NULL)
		return 0;
	if (check == NULL || sev == NULL || check->kind != FT_ENUM || sev->kind != FT_ENUM)
		return error_set(err, ST_FAILED,
		    _("%s: needs form rectification with enum fields check and severity"), r->path);
	for (size_t i = 0; i < r->n_days; i++)
		if (check_option(r, check, r->days[i].check, true, r->days[i].line, err) != 0 ||
		    check_option(r, sev, r->days[i].severity, true, r->days[i].line, err) != 0)
			return -1;
	for (size_t i = 0; i < r->n_severity; i++)
		if (check_option(r, check, r->severity_check[i], false, r->severity_line[i], err) != 0 ||
		    check_option(r, sev, r->severity_value[i], false, r->severity_line[i], err) != 0)
			return -1;
	return 0;
}
