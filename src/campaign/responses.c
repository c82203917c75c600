/*
 * responses.c — reads forms/responses.rules (forms/README.md): how many days a complaint has
 * to be answered, by the channel it came in by, "*" for any other. The engine is a lookup;
 * the numbers are data. Applied by the effect response-deadline (move-complaints.c).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/casework.h"

#define COMPLAINT_FORM "complaint"
#define CHANNEL_FIELD "channel"

struct response_rule {
	char *channel;		/* "*" for any */
	int days;
	int line;
};

struct response_rules {
	char *path;
	struct response_rule *rules;
	size_t n;
};

static int
read_days(struct linefile *lf, const struct lf_line *ln)
{
	struct response_rules *r = lf->arg;
	char *end;
	long days;

	if (ln->n_words != 3)
		return linefile_fail(lf, _("'days' takes CHANNEL N (* for any channel)"));
	days = strtol(ln->words[2], &end, 10);
	if (*ln->words[2] == '\0' || *end != '\0' || days < 0 || days > 3650)
		return linefile_fail(lf, _("the days must be a number from 0 to 3650, not '%s'"),
		    ln->words[2]);
	for (size_t i = 0; i < r->n; i++)
		if (str_eq(r->rules[i].channel, ln->words[1]))
			return linefile_fail(lf, _("'days %s' is given twice"), ln->words[1]);
	r->rules = xrealloc(r->rules, (r->n + 1) * sizeof *r->rules);
	r->rules[r->n].channel = xstrdup(ln->words[1]);
	r->rules[r->n].line = ln->number;
	r->rules[r->n++].days = (int)days;
	return 0;
}

static const struct lf_keyword keys[] = {
	{ "days", read_days }, { NULL, NULL },
};

int
response_rules_parse(const char *path, const char *text, struct response_rules **out,
    struct error *err)
{
	struct response_rules *r = xcalloc(1, sizeof *r);
	struct linefile lf = { .path = path, .keywords = keys, .arg = r, .err = err };

	r->path = xstrdup(path);
	if (linefile_read(&lf, text, strlen(text)) != 0) {
		response_rules_free(r);
		return -1;
	}
	*out = r;
	return 0;
}

void
response_rules_free(struct response_rules *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n; i++)
		free(r->rules[i].channel);
	free(r->rules);
	free(r->path);
	free(r);
}

int
response_days(const struct response_rules *r, const char *channel)
{
	int days = -1;

	for (size_t i = 0; r != NULL && i < r->n; i++) {
		if (str_eq(r->rules[i].channel, channel))
			return r->rules[i].days;
		if (str_eq(r->rules[i].channel, "*"))
			days = r->rules[i].days;
	}
	return days;
}

int
response_rules_check(const struct response_rules *r, const struct formset *forms,
    struct error *err)
{
	const struct form *complaints = formset_find(forms, COMPLAINT_FORM);
	const struct field *channel = complaints != NULL ?
	    form_field(complaints, CHANNEL_FIELD) : NULL;

	if (r == NULL || complaints == NULL)
		return 0;	/* no complaints: nothing to answer */
	if (channel == NULL || channel->kind != FT_ENUM)
		return error_set(err, ST_FAILED, _("%s: needs form complaint with an enum field channel"),
		    r->path);
	for (size_t i = 0; i < r->n; i++)
		if (!str_eq(r->rules[i].channel, "*") &&
		    field_option(channel, r->rules[i].channel) == NULL)
			return error_set(err, ST_FAILED,
			    _("%s:%d: '%s' is not an option of field channel of form complaint"),
			    r->path, r->rules[i].line, r->rules[i].channel);
	return 0;
}
