/*
 * draw-files.c — the files a draw commits (doc/draw.md, "Files"): population.csv and pool.csv
 * ("id,name", one row a line, in id order), sample.csv ("order,id,name,team", in the order
 * drawn) and teams.csv ("team,role,id,name"). UTF-8, LF, a header line; a cell is quoted only
 * where CSV needs it, and an id never needs it, so the id is what comes before the first comma.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/draw.h"

char *
draw_path(const char *id, const char *name)
{
	return xasprintf("draws/%s/%s", id, name);
}

/* One CSV cell (RFC 4180), quoted where it holds a comma, a quote or a space at an end. */
static void
cell(struct buf *out, const char *s)
{
	if (*s == '\0' || (strpbrk(s, ",\"\r\n") == NULL && *s != ' ' && s[strlen(s) - 1] != ' ')) {
		buf_adds(out, s);
		return;
	}
	buf_addc(out, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			buf_addc(out, '"');
		buf_addc(out, *s);
	}
	buf_addc(out, '"');
}

int
draw_rows_text(struct store_txn *txn, const struct form *form, char *const *ids, size_t n,
    struct buf *out, struct error *err)
{
	const char *title = form->title != NULL ? form->title : "name";

	buf_adds(out, "id,name\n");
	for (size_t i = 0; i < n; i++) {
		struct record *rec = NULL;
		const char *name;

		if (store_get(txn, form, ids[i], &rec, err) != 0)
			return -1;
		name = record_get(rec, title);
		buf_adds(out, ids[i]);
		buf_addc(out, ',');
		cell(out, name != NULL ? name : "");
		buf_addc(out, '\n');
		record_free(rec);
	}
	return 0;
}

void
draw_rows_free(struct draw_rows *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->ids[i]);
		free(r->rest[i]);
	}
	free(r->ids);
	free(r->rest);
	memset(r, 0, sizeof *r);
}

int
draw_rows_parse(const char *text, const char *what, struct draw_rows *out,
    struct error *err)
{
	const char *line = text;
	size_t number = 1;

	memset(out, 0, sizeof *out);
	if (!str_starts(text, "id,name\n"))
		return error_set(err, ST_FAILED, _("%s: line 1 is not the header id,name"), what);
	for (line = strchr(text, '\n') + 1; *line != '\0';) {
		const char *end = strchr(line, '\n'), *comma = strchr(line, ',');

		number++;
		if (end == NULL || comma == NULL || comma > end || comma == line) {
			draw_rows_free(out);
			return error_set(err, ST_FAILED, _("%s: line %zu is not a row id,name"), what,
			    number);
		}
		out->ids = xrealloc(out->ids, (out->n + 1) * sizeof *out->ids);
		out->rest = xrealloc(out->rest, (out->n + 1) * sizeof *out->rest);
		out->ids[out->n] = xstrndup(line, (size_t)(comma - line));
		out->rest[out->n++] = xstrndup(comma + 1, (size_t)(end - comma - 1));
		line = end + 1;
	}
	return 0;
}

/* teams.csv: the pool shuffled with the teams' seed, cut into teams of per_team from the
 * front (the first of each its lead); those left over are in no team. *teams: how many. */
static char *
teams_text(const uint8_t seed[DRAW_SEED_BYTES], const struct draw_rows *pool, size_t per_team,
    size_t *teams)
{
	uint8_t team_seed[DRAW_SEED_BYTES];
	size_t *order = xcalloc(pool->n + 1, sizeof *order);
	struct buf out = BUF_INIT;

	draw_team_seed(seed, team_seed);
	draw_pick(team_seed, pool->n, pool->n, order);
	*teams = per_team > 0 ? pool->n / per_team : 0;
	buf_adds(&out, "team,role,id,name\n");
	for (size_t i = 0; i < *teams * per_team; i++)
		buf_printf(&out, "%zu,%s,%s,%s\n", i / per_team + 1,
		    i % per_team == 0 ? "lead" : "member", pool->ids[order[i]], pool->rest[order[i]]);
	free(order);
	return buf_detach(&out);
}

void
draw_result_texts(const uint8_t seed[DRAW_SEED_BYTES], const struct draw_rows *population,
    size_t size, const struct draw_rows *pool, size_t per_team, char **sample_csv,
    char **teams_csv)
{
	size_t k = size < population->n ? size : population->n, teams = 0;
	size_t *picked = xcalloc(k + 1, sizeof *picked);
	struct buf out = BUF_INIT;

	*teams_csv = pool != NULL ? teams_text(seed, pool, per_team, &teams) : NULL;
	draw_pick(seed, population->n, k, picked);
	buf_adds(&out, "order,id,name,team\n");
	for (size_t i = 0; i < k; i++) {
		buf_printf(&out, "%zu,%s,%s,", i + 1, population->ids[picked[i]],
		    population->rest[picked[i]]);
		if (teams > 0)
			buf_printf(&out, "%zu", i % teams + 1);
		buf_addc(&out, '\n');
	}
	free(picked);
	*sample_csv = buf_detach(&out);
}
