/*
 * draw-plan.c — "huitou draw ID --public-value TEXT --plan": one planned inspection per sampled
 * institution (method 随机抽查 spot_check, dated today, its lead inspector the lead of the
 * institution's team), written in the completion's transaction, so the draw and the work it
 * assigns are one commit (each inspection a Creates trailer).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/draw.h"

#define INSPECTION_FORM "inspection"
#define SPOT_CHECK "spot_check"

/* The i-th cell (from 0) of a CSV line whose cells before it need no quotes; caller frees. */
static char *
cell_at(const char *line, size_t i)
{
	const char *end;

	for (; i > 0 && line != NULL; i--)
		line = (line = strchr(line, ',')) != NULL ? line + 1 : NULL;
	if (line == NULL)
		return xstrdup("");
	end = line + strcspn(line, ",\n");
	return xstrndup(line, (size_t)(end - line));
}

/* The last cell of a line (a sample's team), which never needs quotes; caller frees. */
static char *
last_cell(const char *line)
{
	const char *end = strchr(line, '\n'), *comma;
	char *copy = end != NULL ? xstrndup(line, (size_t)(end - line)) : xstrdup(line), *team;

	comma = strrchr(copy, ',');
	team = xstrdup(comma != NULL ? comma + 1 : "");
	free(copy);
	return team;
}

/* The lead of team in teams.csv, or NULL (caller frees). */
static char *
team_lead(const char *teams, const char *team)
{
	for (const char *line = teams; line != NULL && *line != '\0';
	    line = strchr(line, '\n') != NULL ? strchr(line, '\n') + 1 : NULL) {
		char *t = cell_at(line, 0), *role = cell_at(line, 1);
		bool lead = str_eq(t, team) && str_eq(role, "lead");

		free(t);
		free(role);
		if (lead)
			return cell_at(line, 2);
	}
	return NULL;
}

static int
plan_one(struct store_txn *txn, const struct form *form, const char *institution,
    const char *lead, struct error *err)
{
	char today[11];
	const char *pairs[] = { "institution", institution, "date", today, "method", SPOT_CHECK,
	    "inspector", lead, NULL };

	clock_format_date(clock_today(), today);
	return insert_pairs(txn, form, pairs, NULL, err);
}

int
draw_plan_inspections(struct store_txn *txn, const struct formset *forms,
    const struct draw_outcome *o, size_t *n, struct error *err)
{
	const struct form *form = formset_find(forms, INSPECTION_FORM);
	const char *line = strchr(o->sample_csv, '\n');
	int rc = 0;

	*n = 0;
	if (form == NULL || form_field_index(form, "method") < 0)
		return error_set(err, ST_FAILED, _("--plan needs the inspection form with its field method"));
	for (; rc == 0 && line != NULL && *++line != '\0'; line = strchr(line, '\n')) {
		char *institution = cell_at(line, 1), *team = last_cell(line);
		char *lead = *team != '\0' && o->teams_csv != NULL ? team_lead(o->teams_csv, team) : NULL;

		rc = plan_one(txn, form, institution, lead, err);
		*n += rc == 0;
		free(institution);
		free(team);
		free(lead);
	}
	return rc;
}
