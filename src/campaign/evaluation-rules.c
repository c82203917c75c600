/*
 * evaluation-rules.c — reads forms/evaluation.rules (forms/README.md): the campaign's period,
 * the day a month's lists are due, the institution statuses left out, and for each measure
 * its weight and the values that earn full marks and none. The score's arithmetic is in
 * evaluation-score.c; the numbers are data.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "campaign/evaluation.h"

#define RULES_FILE "evaluation.rules"

/* Whether s is a real date written YYYY-MM-DD. */
bool
eval_date_ok(const char *s)
{
	struct tm tm = { 0 };
	int y, m, d;
	char back[32];

	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3 || s[4] != '-' ||
	    s[7] != '-')
		return false;
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = 12;
	if (timegm(&tm) == (time_t)-1)
		return false;
	snprintf(back, sizeof back, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday);
	return strcmp(back, s) == 0;
}

static int
number_word(struct linefile *lf, const char *word, double min, double max, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(word, &end);
	if (*word == '\0' || *end != '\0' || errno != 0 || !isfinite(*out) || *out < min ||
	    *out > max)
		return linefile_fail(lf, _("'%s' is not a number from %g to %g"), word, min, max);
	return 0;
}

static int
read_period(struct linefile *lf, const struct lf_line *ln)
{
	struct eval_rules *r = lf->arg;

	if (ln->n_words != 3)
		return linefile_fail(lf, _("'period' takes FROM TO, two dates"));
	if (!eval_date_ok(ln->words[1]) || !eval_date_ok(ln->words[2]))
		return linefile_fail(lf, _("write the period's dates as 2026-09-01"));
	if (strcmp(ln->words[1], ln->words[2]) > 0)
		return linefile_fail(lf, _("the period ends before it starts"));
	snprintf(r->from, sizeof r->from, "%s", ln->words[1]);
	snprintf(r->to, sizeof r->to, "%s", ln->words[2]);
	return 0;
}

static int
read_publish_by(struct linefile *lf, const struct lf_line *ln)
{
	struct eval_rules *r = lf->arg;
	double day;

	if (ln->n_words != 2)
		return linefile_fail(lf, _("'publish-by' takes a day of the month"));
	if (number_word(lf, ln->words[1], 1, 28, &day) != 0)
		return -1;
	if (day != (double)(int)day)
		return linefile_fail(lf, _("'%s' is not a whole day"), ln->words[1]);
	r->publish_by = (int)day;
	return 0;
}

static int
read_exclude(struct linefile *lf, const struct lf_line *ln)
{
	struct eval_rules *r = lf->arg;

	if (ln->n_words < 2)
		return linefile_fail(lf, _("'exclude-status' takes one status or more"));
	strv_free(r->exclude);
	r->exclude = xcalloc(ln->n_words, sizeof *r->exclude);
	for (size_t i = 1; i < ln->n_words; i++)
		r->exclude[i - 1] = xstrdup(ln->words[i]);
	return 0;
}

/* measure NAME WEIGHT FULL ZERO */
static int
read_measure(struct linefile *lf, const struct lf_line *ln)
{
	struct eval_rules *r = lf->arg;
	struct eval_weight w = { .set = true };
	int m;

	if (ln->n_words != 5)
		return linefile_fail(lf, _("'measure' takes NAME WEIGHT FULL ZERO"));
	if ((m = eval_measure_from_name(ln->words[1])) < 0)
		return linefile_fail(lf, _("'%s' is not a measure"), ln->words[1]);
	if (r->w[m].set)
		return linefile_fail(lf, _("measure '%s' is given twice"), ln->words[1]);
	if (number_word(lf, ln->words[2], 0, 100, &w.weight) != 0 ||
	    number_word(lf, ln->words[3], -1e9, 1e9, &w.full) != 0 ||
	    number_word(lf, ln->words[4], -1e9, 1e9, &w.zero) != 0)
		return -1;
	if (w.full == w.zero)
		return linefile_fail(lf, _("full marks and none need two different values"));
	r->w[m] = w;
	return 0;
}

static const struct lf_keyword keys[] = {
	{ "period", read_period }, { "publish-by", read_publish_by },
	{ "exclude-status", read_exclude }, { "measure", read_measure }, { NULL, NULL },
};

int
eval_rules_parse(const char *path, const char *text, struct eval_rules **out,
    struct error *err)
{
	struct eval_rules *r = xcalloc(1, sizeof *r);
	struct linefile lf = { .path = path, .keywords = keys, .arg = r, .err = err,
	    .hash_anywhere = true };
	double total = 0;

	r->path = xstrdup(path);
	r->publish_by = 5;
	if (linefile_read(&lf, text, strlen(text)) != 0) {
		eval_rules_free(r);
		return -1;
	}
	for (size_t m = 0; m < EVAL_N; m++)
		total += r->w[m].weight;
	if (total < 100 - 1e-9 || total > 100 + 1e-9) {
		linefile_fail_at(&lf, 0, _("the weights total %g, not 100"), total);
		eval_rules_free(r);
		return -1;
	}
	*out = r;
	return 0;
}

int
eval_rules_load(const char *forms_dir, struct eval_rules **out, struct error *err)
{
	char *path = xasprintf("%s/%s", forms_dir, RULES_FILE);
	struct buf text = BUF_INIT;
	int rc;

	if (access(path, F_OK) != 0 && errno == ENOENT) {
		free(path);
		if ((path = datafile_find("forms/" RULES_FILE)) == NULL)
			return error_set(err, ST_FAILED, _("forms/%s is not installed"), RULES_FILE);
	}
	rc = file_read_all(path, &text, err);
	if (rc == 0)
		rc = eval_rules_parse(path, buf_str(&text), out, err);
	buf_free(&text);
	free(path);
	return rc;
}

void
eval_rules_free(struct eval_rules *r)
{
	if (r == NULL)
		return;
	free(r->path);
	strv_free(r->exclude);
	free(r);
}

void
eval_default_period(const struct eval_rules *r, const char *today, char from[11],
    char to[11])
{
	struct tm tm = { 0 };
	int y, m, d;

	if (r != NULL && r->from[0] != '\0') {
		memcpy(from, r->from, 11);
		memcpy(to, r->to, 11);
		return;
	}
	memcpy(to, today, 11);
	if (sscanf(today, "%4d-%2d-%2d", &y, &m, &d) != 3) {
		memcpy(from, today, 11);
		return;
	}
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1 - 3;
	tm.tm_mday = d;
	tm.tm_hour = 12;
	if (timegm(&tm) == (time_t)-1) {
		memcpy(from, today, 11);
		return;
	}
	strftime(from, 11, "%Y-%m-%d", &tm);
}
