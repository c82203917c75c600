/*
 * credit.c — reads forms/credit.rules (forms/README.md): the points an institution's facts
 * are worth (findings by check and severity, overdue, open, on-time and late orders,
 * complaints by state, list membership) and the thresholds of the tiers; scores facts
 * counted per rule and explains the score line by line. The weights are data; this is a sum.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "campaign/credit.h"

enum credit_kind { K_FINDING, K_OVERDUE, K_OPEN, K_ON_TIME, K_LATE, K_COMPLAINT, K_LIST,
	K_PUBLISHED, K_LATEST };

struct credit_rule {
	enum credit_kind kind;
	char *a, *b;		/* finding: check, severity; complaint: state; list, published,
				 * latest: a value of list */
	long points;
	int line;
};

struct credit_tier {
	char *tier;		/* an option of credit_tier */
	long min;		/* the score from which it applies */
	bool any;		/* "*": any score below the tiers before it */
	int line;
};

struct credit_rules {
	char *path, *text;
	long start;
	bool has_start;
	struct credit_rule *rules;
	size_t n;
	struct credit_tier *tiers;
	size_t n_tiers;
	/* For labels and checks; NULL without forms. */
	const struct field *check, *severity, *complaint_state, *list, *tier;
};

static const struct {
	const char *word;
	enum credit_kind kind;
	int n_keys;		/* words between the keyword and the points */
} kinds[] = {
	{ "finding", K_FINDING, 2 }, { "overdue", K_OVERDUE, 0 }, { "open", K_OPEN, 0 },
	{ "on-time", K_ON_TIME, 0 }, { "late", K_LATE, 0 }, { "complaint", K_COMPLAINT, 1 },
	{ "list", K_LIST, 1 }, { "published", K_PUBLISHED, 1 }, { "latest", K_LATEST, 1 },
	{ NULL, 0, 0 },
};

static int
parse_number(struct linefile *lf, const char *word, long lo, long hi, long *out)
{
	char *end;
	long v = strtol(word, &end, 10);

	if (*word == '\0' || *end != '\0' || v < lo || v > hi)
		return linefile_fail(lf, _("'%s' is not a number from %ld to %ld"), word, lo, hi);
	*out = v;
	return 0;
}

/* A key word: "*" or an option of the field that names it (when forms were given). */
static int
check_key(struct linefile *lf, const struct field *f, const char *word, bool star)
{
	if (star && str_eq(word, "*"))
		return 0;
	if (f != NULL && field_option(f, word) == NULL)
		return linefile_fail(lf, _("'%s' is not an option of field %s"), word, f->name);
	return 0;
}

static bool
same_rule(const struct credit_rule *x, enum credit_kind kind, const char *a, const char *b)
{
	return x->kind == kind && str_eq(x->a != NULL ? x->a : "", a != NULL ? a : "") &&
	    str_eq(x->b != NULL ? x->b : "", b != NULL ? b : "");
}

static const struct field *
key_field(const struct credit_rules *r, enum credit_kind kind, int i)
{
	if (kind == K_FINDING)
		return i == 0 ? r->check : r->severity;
	return kind == K_COMPLAINT ? r->complaint_state : r->list;
}

static int
read_rule(struct linefile *lf, const struct lf_line *ln)
{
	struct credit_rules *r = lf->arg;
	struct credit_rule rule = { 0 };
	size_t k = 0;

	while (!str_eq(kinds[k].word, ln->words[0]))
		k++;
	if (ln->n_words != (size_t)kinds[k].n_keys + 2)
		return linefile_fail(lf, kinds[k].n_keys == 2 ? _("'%s' takes CHECK SEVERITY POINTS") :
		    kinds[k].n_keys == 1 ? _("'%s' takes VALUE POINTS") : _("'%s' takes POINTS"),
		    ln->words[0]);
	rule.kind = kinds[k].kind;
	for (int i = 0; i < kinds[k].n_keys; i++)
		if (check_key(lf, key_field(r, rule.kind, i), ln->words[1 + i], true) != 0)
			return -1;
	if (parse_number(lf, ln->words[ln->n_words - 1], -10000, 10000, &rule.points) != 0)
		return -1;
	rule.a = kinds[k].n_keys > 0 ? ln->words[1] : NULL;
	rule.b = kinds[k].n_keys > 1 ? ln->words[2] : NULL;
	for (size_t i = 0; i < r->n; i++)
		if (same_rule(&r->rules[i], rule.kind, rule.a, rule.b))
			return linefile_fail(lf, _("this line repeats line %d"), r->rules[i].line);
	rule.a = rule.a != NULL ? xstrdup(rule.a) : NULL;
	rule.b = rule.b != NULL ? xstrdup(rule.b) : NULL;
	rule.line = ln->number;
	r->rules = xrealloc(r->rules, (r->n + 1) * sizeof *r->rules);
	r->rules[r->n++] = rule;
	return 0;
}

static int
read_start(struct linefile *lf, const struct lf_line *ln)
{
	struct credit_rules *r = lf->arg;

	if (ln->n_words != 2)
		return linefile_fail(lf, _("'start' takes POINTS"));
	if (r->has_start)
		return linefile_fail(lf, _("'start' is given twice"));
	r->has_start = true;
	return parse_number(lf, ln->words[1], -100000, 100000, &r->start);
}

/* "tier T MIN" in falling order of MIN; the last may be "tier T *" (any lower score). */
static int
read_tier(struct linefile *lf, const struct lf_line *ln)
{
	struct credit_rules *r = lf->arg;
	struct credit_tier t = { .line = ln->number };

	if (ln->n_words != 3)
		return linefile_fail(lf, _("'tier' takes TIER MIN (* for any lower score)"));
	if (r->n_tiers > 0 && r->tiers[r->n_tiers - 1].any)
		return linefile_fail(lf, _("no tier can follow 'tier %s *'"), r->tiers[r->n_tiers - 1].tier);
	if (check_key(lf, r->tier, ln->words[1], false) != 0)
		return -1;
	for (size_t i = 0; i < r->n_tiers; i++)
		if (str_eq(r->tiers[i].tier, ln->words[1]))
			return linefile_fail(lf, _("tier %s is given twice"), ln->words[1]);
	t.any = str_eq(ln->words[2], "*");
	if (!t.any && parse_number(lf, ln->words[2], -100000, 100000, &t.min) != 0)
		return -1;
	if (!t.any && r->n_tiers > 0 && t.min >= r->tiers[r->n_tiers - 1].min)
		return linefile_fail(lf, _("the tiers go from the highest score down: %ld is not below %ld"),
		    t.min, r->tiers[r->n_tiers - 1].min);
	t.tier = xstrdup(ln->words[1]);
	r->tiers = xrealloc(r->tiers, (r->n_tiers + 1) * sizeof *r->tiers);
	r->tiers[r->n_tiers++] = t;
	return 0;
}

static const struct lf_keyword keys[] = {
	{ "start", read_start }, { "tier", read_tier }, { "finding", read_rule },
	{ "overdue", read_rule }, { "open", read_rule }, { "on-time", read_rule },
	{ "late", read_rule }, { "complaint", read_rule }, { "list", read_rule },
	{ "published", read_rule }, { "latest", read_rule }, { NULL, NULL },
};

static const struct field *
find_field(const struct formset *forms, const char *form, const char *field)
{
	const struct form *f = forms != NULL ? formset_find(forms, form) : NULL;

	return f != NULL ? form_field(f, field) : NULL;
}

int
credit_rules_parse(const char *path, const char *text, const struct formset *forms,
    struct credit_rules **out, struct error *err)
{
	struct credit_rules *r = xcalloc(1, sizeof *r);
	struct linefile lf = { .path = path, .keywords = keys, .arg = r, .err = err };

	r->path = xstrdup(path);
	r->text = xstrdup(text);
	r->check = find_field(forms, "rectification", "check");
	r->severity = find_field(forms, "rectification", "severity");
	r->complaint_state = find_field(forms, "complaint", "state");
	r->list = find_field(forms, CREDIT_INSTITUTION_FORM, "list");
	r->tier = find_field(forms, CREDIT_INSTITUTION_FORM, CREDIT_TIER_FIELD);
	if (forms != NULL && r->tier == NULL) {
		error_set(err, ST_FAILED, _("%s: form institution has no field credit_tier"), path);
		credit_rules_free(r);
		return -1;
	}
	if (linefile_read(&lf, text, strlen(text)) != 0 ||
	    (r->n_tiers == 0 && linefile_fail_at(&lf, 0, _("no 'tier' line: say which scores make each tier")) != 0)) {
		credit_rules_free(r);
		return -1;
	}
	*out = r;
	return 0;
}

int
credit_rules_load(const char *forms_dir, const struct formset *forms,
    struct credit_rules **out, struct error *err)
{
	char *path = xasprintf("%s/%s", forms_dir, CREDIT_RULES_FILE);
	struct buf text = BUF_INIT;
	int rc;

	if (access(path, F_OK) != 0) {
		free(path);
		path = datafile_find("forms/" CREDIT_RULES_FILE);
	}
	if (path == NULL)
		return 1;
	rc = file_read_all(path, &text, err);
	if (rc == 0)
		rc = credit_rules_parse(path, buf_str(&text), forms, out, err);
	free(path);
	buf_free(&text);
	return rc;
}

void
credit_rules_free(struct credit_rules *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->rules[i].a);
		free(r->rules[i].b);
	}
	for (size_t i = 0; i < r->n_tiers; i++)
		free(r->tiers[i].tier);
	free(r->rules);
	free(r->tiers);
	free(r->path);
	free(r->text);
	free(r);
}

const char *
credit_rules_text(const struct credit_rules *r)
{
	return r->text;
}

size_t
credit_rules_count(const struct credit_rules *r)
{
	return r->n;
}

bool
credit_rules_weigh_history(const struct credit_rules *r)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->rules[i].kind == K_PUBLISHED || r->rules[i].kind == K_LATEST)
			return true;
	return false;
}

void
credit_facts_init(const struct credit_rules *r, struct credit_facts *f)
{
	f->n = r->n;
	f->counts = xcalloc(r->n + 1, sizeof *f->counts);
	f->months = xcalloc(r->n + 1, sizeof *f->months);
}

void
credit_facts_reset(const struct credit_rules *r, struct credit_facts *f)
{
	memset(f->counts, 0, (r->n + 1) * sizeof *f->counts);
	for (size_t i = 0; i < f->n; i++) {
		free(f->months[i]);
		f->months[i] = NULL;
	}
}

void
credit_facts_free(struct credit_facts *f)
{
	for (size_t i = 0; f->months != NULL && i < f->n; i++)
		free(f->months[i]);
	free(f->months);
	free(f->counts);
	memset(f, 0, sizeof *f);
}

/* How well a key word matches a value: 2 exactly, 1 by "*", 0 not at all. */
static int
key_match(const char *key, const char *value)
{
	if (str_eq(key, value))
		return 2;
	return str_eq(key, "*") ? 1 : 0;
}

/* The rule of kind that names a and b most specifically, or -1. */
static int
best_rule(const struct credit_rules *r, enum credit_kind kind, const char *a, const char *b)
{
	int best = -1, best_score = 0;

	for (size_t i = 0; i < r->n; i++) {
		const struct credit_rule *x = &r->rules[i];
		int ma, mb, score;

		if (x->kind != kind)
			continue;
		ma = x->a != NULL ? key_match(x->a, a) : 2;
		mb = x->b != NULL ? key_match(x->b, b) : 2;
		score = ma * 3 + mb;	/* the first key counts more: check before severity */
		if (ma > 0 && mb > 0 && score > best_score) {
			best = (int)i;
			best_score = score;
		}
	}
	return best;
}

static int
note(const struct credit_rules *r, uint32_t *counts, enum credit_kind kind, const char *a,
    const char *b)
{
	int i = best_rule(r, kind, a != NULL ? a : "", b != NULL ? b : "");

	if (i >= 0)
		counts[i]++;
	return i;
}

void
credit_note_finding(const struct credit_rules *r, uint32_t *counts, const char *check,
    const char *severity)
{
	note(r, counts, K_FINDING, check, severity);
}

void
credit_note_order(const struct credit_rules *r, uint32_t *counts, enum credit_order o)
{
	static const enum credit_kind of[] = { K_OVERDUE, K_OPEN, K_ON_TIME, K_LATE };

	note(r, counts, of[o], NULL, NULL);
}

void
credit_note_complaint(const struct credit_rules *r, uint32_t *counts, const char *state)
{
	note(r, counts, K_COMPLAINT, state, NULL);
}

void
credit_note_list(const struct credit_rules *r, uint32_t *counts, const char *list)
{
	if (list != NULL && *list != '\0')
		note(r, counts, K_LIST, list, NULL);
}

int
credit_note_published(const struct credit_rules *r, uint32_t *counts, const char *list,
    bool latest)
{
	return note(r, counts, latest ? K_LATEST : K_PUBLISHED, list, NULL);
}

void
credit_facts_name_month(const struct credit_rules *r, struct credit_facts *f, int rule,
    const char *month)
{
	char *joined;

	if (rule < 0 || (size_t)rule >= r->n)
		return;
	if (f->months[rule] == NULL)
		joined = xstrdup(month);
	else
		joined = xasprintf("%s%s%s", f->months[rule], _(", "), month);
	free(f->months[rule]);
	f->months[rule] = joined;
}

long
credit_score(const struct credit_rules *r, const uint32_t *counts)
{
	long score = r->start;

	for (size_t i = 0; counts != NULL && i < r->n; i++)
		score += (long)counts[i] * r->rules[i].points;
	return score;
}

const char *
credit_tier_of(const struct credit_rules *r, long score)
{
	for (size_t i = 0; i < r->n_tiers; i++)
		if (r->tiers[i].any || score >= r->tiers[i].min)
			return r->tiers[i].tier;
	return r->tiers[r->n_tiers - 1].tier;
}

/* Points with their sign, a true minus as people print it: "+6", "−20", "0". */
static void
format_points(long v, char out[32])
{
	if (v < 0)
		snprintf(out, 32, "−%ld", -v);
	else if (v > 0)
		snprintf(out, 32, "+%ld", v);
	else
		snprintf(out, 32, "0");
}

static const char *
key_label(const struct field *f, const char *value)
{
	if (value == NULL || str_eq(value, "*"))
		return NULL;
	return f != NULL ? field_option_label(f, value) : value;
}

/* What a rule counts, with its count, in the user's language. */
static char *
describe_rule(const struct credit_rules *r, const struct credit_rule *x, uint32_t n,
    const char *months)
{
	const char *a = key_label(key_field(r, x->kind, 0), x->a);
	const char *b = x->kind == K_FINDING ? key_label(r->severity, x->b) : NULL;

	switch (x->kind) {
	case K_FINDING:
		if (a != NULL && b != NULL)
			return xasprintf(_("%u findings (%s, %s)"), n, a, b);
		if (a != NULL || b != NULL)
			return xasprintf(_("%u findings (%s)"), n, a != NULL ? a : b);
		return xasprintf(_("%u findings"), n);
	case K_OVERDUE:
		return xasprintf(_("%u rectification orders overdue"), n);
	case K_OPEN:
		return xasprintf(_("%u rectification orders open"), n);
	case K_ON_TIME:
		return xasprintf(_("%u rectification orders verified on time"), n);
	case K_LATE:
		return xasprintf(_("%u rectification orders verified late"), n);
	case K_COMPLAINT:
		if (a != NULL)
			return xasprintf(_("%u complaints (%s)"), n, a);
		return xasprintf(_("%u complaints"), n);
	case K_LIST:
		return xasprintf(_("on the list: %s"), a != NULL ? a : x->a);
	case K_PUBLISHED:
		return xasprintf(_("%u published months on the list %s (%s)"), n,
		    a != NULL ? a : x->a, months != NULL ? months : "");
	case K_LATEST:
		return xasprintf(_("on the list %s of the latest publication (%s)"),
		    a != NULL ? a : x->a, months != NULL ? months : "");
	}
	return xstrdup("?");
}

static void
add_line(char ***lines, size_t *n, char *line)
{
	*lines = xrealloc(*lines, (*n + 2) * sizeof **lines);
	(*lines)[(*n)++] = line;
	(*lines)[*n] = NULL;
}

char **
credit_explain(const struct credit_rules *r, const struct credit_facts *f, size_t *n)
{
	const uint32_t *counts = f->counts;
	char **lines = NULL, pts[32];
	long score = credit_score(r, counts);
	const char *tier = credit_tier_of(r, score);

	*n = 0;
	add_line(&lines, n, xasprintf(_("starting score %ld"), r->start));
	for (size_t i = 0; counts != NULL && i < r->n; i++) {
		char *what;

		if (counts[i] == 0 || r->rules[i].points == 0)
			continue;
		what = describe_rule(r, &r->rules[i], counts[i], f->months != NULL ? f->months[i] :
		    NULL);
		format_points((long)counts[i] * r->rules[i].points, pts);
		add_line(&lines, n, xasprintf("%s %s", what, pts));
		free(what);
	}
	add_line(&lines, n, xasprintf(_("score %ld: tier %s"), score,
	    r->tier != NULL ? field_option_label(r->tier, tier) : tier));
	return lines;
}
