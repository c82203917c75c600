/*
 * table-scan.c — a limit whose words read every search key (l name~qmx) kept off the
 * keystroke, as less, fzf and VisiData do: the ids are matched in the table's order a slice at
 * a time between keys (table_background), the rows found so far shown at once and the progress
 * on the status line until the count is final. Keys stay live: scrolling, another limit (which
 * replaces it), Esc or l and an empty line (which cancel it). Whatever reads the limited rows
 * (tags by pattern, a sort, the frequency view, a review queue, a batch) finishes the scan
 * first (limit_finish), so nothing acts on part of them. The answer is apply_query's, row for
 * row. A limit whose index terms are all "field=value" reads them the same way, a slice of ids
 * at a time (each term's index entries between the slice's first and last id), so a limit the
 * indexes answer alone (l status=banned and district=雁塔区) paints its first rows at once at
 * any size too; one with a range term (a date before) counts its terms first, as before.
 */
#include "config.h"

#include <stdint.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "console/table.h"

#define TEST_PAUSE_US 20000	/* --limit-slice: the pause after each slice, for tests to see it */

struct limit_scan {
	struct query *q;
	struct key_reader keys;
	struct error err;
	struct index_count c;	/* the index terms' hits; its txn only during a slice */
	size_t next;		/* the next id to match */
	size_t kept;		/* the rows found: t->rows[0 .. kept) */
	uint64_t started, drawn_at;
	size_t drawn_kept;	/* the rows found when the screen was last painted */
	unsigned slices;
	bool terms_by_slice;	/* the index terms are read for each slice's ids (all "=") */
	size_t slice_end;	/* while they are: the slice's end */
};

/* The first screenful is found since the last repaint: shown at once, not at the next tick. */
static bool
screen_filled(const struct app *app, const struct limit_scan *s)
{
	size_t page = (size_t)table_rows(app);

	return s->drawn_kept < page && s->kept >= page;
}

bool
limit_scanning(const struct table *t)
{
	return t->scan != NULL;
}

void
limit_scan_free(struct table *t)
{
	struct limit_scan *s = t->scan;

	if (s == NULL)
		return;
	query_free(s->q);
	key_reader_free(&s->keys);
	free(s->c.hits);
	error_clear(&s->err);
	free(s);
	t->scan = NULL;
}

/* Stopped before its end: no limit, every row in id order. */
void
limit_cancel(struct table *t)
{
	if (t->scan == NULL)
		return;
	limit_scan_free(t);
	for (size_t i = 0; i < t->n_ids; i++)
		t->rows[i] = (uint32_t)i;
	t->n_rows = t->n_ids;
	t->all_rows = true;
	free(t->limit);
	t->limit = NULL;
	t->list.cursor = t->list.top = 0;
}

/* Keys made up to id end (the background makes them in the same order); false when the
 * store gives no more (records gone: those ids are matched from their records). */
static void
keys_up_to(struct app *app, struct table *t, size_t end)
{
	while (!t->keys_done && t->keys_next < end) {
		size_t was = t->keys_next;

		load_keys(app, t, KEY_CHUNK);
		if (t->keys_next == was)
			break;
	}
}

/* Whether every index term of q is "field=value" (and there is one): terms readable a slice
 * of ids at a time. */
static int
note_term(void *arg, const struct field *f, enum store_cmp cmp, const char *value)
{
	int *eq = arg;

	(void)f, (void)value;
	*eq = *eq != 0 && cmp == STORE_EQ ? 1 : 0;
	return 0;
}

static bool
terms_all_equal(struct query *q)
{
	int eq = 2;	/* 2: no term seen yet */

	return q != NULL && query_index_terms(q, note_term, &eq) == 0 && eq == 1;
}

/* Whether id (len bytes) comes at or after the table's id at (in byte order). */
static bool
id_at_or_after(const char *id, size_t len, const char *at)
{
	size_t have = strlen(at);
	int cmp = memcmp(id, at, len < have ? len : have);

	return cmp > 0 || (cmp == 0 && len >= have);
}

/* An index entry of the slice's term: counted for its id; 1 (stop) at the slice's end. */
static int
slice_hit(void *arg, const char *value, size_t vlen, const char *id, size_t len)
{
	struct limit_scan *s = arg;
	struct table *t = s->c.t;

	(void)value, (void)vlen;
	if (s->slice_end < t->n_ids && id_at_or_after(id, len, t->ids[s->slice_end]))
		return 1;
	if (str_seek_sorted(t->ids, s->slice_end, &s->c.at, id, len))
		s->c.hits[s->c.at]++;
	return 0;
}

/* One term's index entries for the ids of the slice [s->next, s->slice_end). */
static int
slice_term(void *arg, const struct field *f, enum store_cmp cmp, const char *value)
{
	struct limit_scan *s = arg;
	struct table *t = s->c.t;
	int rc;

	(void)cmp;
	if (s->c.terms == UCHAR_MAX)
		return 0;	/* enough terms: the rest are checked record by record */
	s->c.at = s->next;
	rc = store_each_by_page(s->c.txn, t->form, f->name, value, false,
	    s->next > 0 ? t->ids[s->next - 1] : NULL, slice_hit, s, &s->err);
	if (rc < 0)
		return -1;
	s->c.terms++;
	return 0;
}

/* Matches ids for up to budget_us, or until `enough` rows are found, or (--limit-slice, for
 * tests) that many ids; true while ids are left. */
static bool
scan_slice(struct app *app, struct table *t, uint64_t budget_us, size_t enough)
{
	struct limit_scan *s = t->scan;
	uint64_t start = clock_us();
	size_t quota = app->opt->limit_slice > 0 ? app->opt->limit_slice : SIZE_MAX;

	while (s->next < t->n_ids && quota > 0 && s->kept < enough &&
	    clock_us() - start < budget_us) {
		size_t end = s->next + (quota < LIMIT_CHUNK ? quota : LIMIT_CHUNK);

		end = end < t->n_ids ? end : t->n_ids;
		if (s->q != NULL && !query_by_index(s->q))
			keys_up_to(app, t, end);	/* every row for no query: no key read */
		if (store_txn_begin(app->store, false, &s->c.txn, &s->err) != 0) {
			app_message(app, true, _("the limit stopped: %s"), s->err.message);
			limit_cancel(t);
			return false;
		}
		s->slice_end = end;
		if (s->terms_by_slice && (s->c.terms = 0, query_index_terms(s->q, slice_term, s)) != 0) {
			app_message(app, true, _("the limit stopped: %s"), s->err.message);
			store_txn_abort(s->c.txn);
			s->c.txn = NULL;
			limit_cancel(t);
			return false;
		}
		quota -= end - s->next;
		for (; s->next < end; s->next++)
			if (id_matches(t, s->q, &s->c, s->next))
				t->rows[s->kept++] = (uint32_t)s->next;
		store_txn_abort(s->c.txn);
		s->c.txn = NULL;
	}
	t->n_rows = s->kept;
	return s->next < t->n_ids;
}

/* The scan's end: the rows are the limit's, the count final. */
static void
scan_done(struct app *app, struct table *t)
{
	timings_note(app, "limit-done", NULL, t->scan->started);
	t->n_rows = t->scan->kept;
	limit_scan_free(t);
	table_release_pages(app, t);
}

/* One slice between keys; the screen repainted with the progress now and then, and at the
 * end, while the table is on top and the console waits for a key (not over a prompt). */
bool
limit_step(struct app *app, struct table *t, uint64_t budget_us)
{
	struct limit_scan *s = t->scan;
	bool more;

	if (s == NULL)
		return false;
	more = scan_slice(app, t, budget_us, SIZE_MAX);
	if (t->scan == NULL)
		return false;	/* stopped by an error */
	if (!more)
		scan_done(app, t);
	else if (++s->slices % RELEASE_SLICES == 0)
		table_release_pages(app, t);
	if (app->waiting && app->top != NULL && app->top->data == t && (!more ||
	    clock_us() - s->drawn_at >= LIMIT_PROGRESS_US || screen_filled(app, s))) {
		app_draw(app);
		if (more) {
			s->drawn_at = clock_us();
			s->drawn_kept = s->kept;
		}
	}
	if (more && app->opt->limit_slice > 0)
		usleep(TEST_PAUSE_US);
	return more;
}

/* The rest of the scan now, its progress on the status line as it goes. */
void
limit_finish(struct app *app, struct table *t)
{
	uint64_t drawn = clock_us();

	while (t->scan != NULL) {
		bool more = scan_slice(app, t, SLICE_US, SIZE_MAX);

		if (t->scan == NULL)
			break;
		if (!more) {
			scan_done(app, t);
			break;
		}
		if (++t->scan->slices % RELEASE_SLICES == 0)
			table_release_pages(app, t);
		if (app->top != NULL && app->top->data == t &&
		    clock_us() - drawn >= LIMIT_PROGRESS_US) {
			app_draw(app);
			drawn = clock_us();
		}
		if (app->opt->limit_slice > 0)
			usleep(TEST_PAUSE_US);
	}
}

/* Limits the table to q's rows (NULL: every row), the rows shown from the first slice on. */
int
limit_begin(struct app *app, struct table *t, struct query *q, const char *text,
    struct error *err)
{
	struct limit_scan *s = xcalloc(1, sizeof *s);

	limit_scan_free(t);	/* another limit replaces it */
	s->q = q;
	s->err = (struct error)ERROR_INIT;
	s->c = (struct index_count){ t, &s->keys, NULL, NULL, 0, &s->err, 0 };
	s->started = app->key_at != 0 ? app->key_at : clock_us();
	t->scan = s;
	s->terms_by_slice = terms_all_equal(q);
	if (s->terms_by_slice) {
		load_ids(app, t, SIZE_MAX);
		s->c.hits = xcalloc(t->n_ids + 1, 1);
	} else if (count_index_terms(app, t, q, &s->c) != 0) {
		error_set(err, ST_FAILED, "%s", _("the limit could not be read from the indexes"));
		limit_scan_free(t);
		return -1;
	}
	store_txn_abort(s->c.txn);
	s->c.txn = NULL;
	free(t->limit);
	t->limit = text != NULL && *text != '\0' ? xstrdup(text) : NULL;
	t->all_rows = false;
	t->sort_col = -1;
	t->n_rows = 0;
	t->list.cursor = t->list.top = 0;
	if (q == NULL || (query_by_index(q) && !s->terms_by_slice)) {	/* at once, as before */
		while (t->scan != NULL && scan_slice(app, t, UINT64_MAX, SIZE_MAX))
			;
		if (t->scan != NULL)
			scan_done(app, t);
		t->all_rows = q == NULL;
		return 0;
	}
	if (!scan_slice(app, t, LIMIT_FIRST_US, (size_t)table_rows(app)))
		scan_done(app, t);	/* found whole in the first slice */
	else
		app_background(app, table_background, t);
	s = t->scan;
	if (s != NULL) {
		s->drawn_at = clock_us();
		s->drawn_kept = s->kept;
	}
	return 0;
}

/* "filtering 37% · 412 found" for the status line; NULL when no scan runs. */
char *
limit_progress(const struct table *t)
{
	const struct limit_scan *s = t->scan;

	if (s == NULL)
		return NULL;
	return xasprintf(_("filtering %u%% · %zu found"),
	    (unsigned)(t->n_ids > 0 ? s->next * 100 / t->n_ids : 0), s->kept);
}
