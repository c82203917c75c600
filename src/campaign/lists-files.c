/*
 * lists-files.c — a published list as a CSV file (id, name, district, street, reason; UTF-8,
 * RFC 4180 quoting) and back, and the difference between two memberships: who was added to
 * and removed from each list, which the preview and "huitou lists diff" show.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/lists.h"

#define CSV_HEADER "id,name,district,street,reason\n"

static void
csv_cell(struct buf *b, const char *s, bool last)
{
	if (strpbrk(s, ",\"\r\n") == NULL)
		buf_adds(b, s);
	else {
		buf_addc(b, '"');
		for (; *s != '\0'; s++) {
			if (*s == '"')
				buf_addc(b, '"');
			buf_addc(b, *s);
		}
		buf_addc(b, '"');
	}
	buf_addc(b, last ? '\n' : ',');
}

static size_t
len_or_0(const char *s)
{
	return s != NULL ? strlen(s) : 0;
}

size_t
list_text_guess(const struct list_membership *m, enum list_kind k, size_t per_row)
{
	size_t n = 0;

	for (size_t i = 0; i < m->n; i++) {
		const struct list_member *x = &m->members[i];

		if (k == LIST_NONE || x->list == k)
			n += len_or_0(x->id) + len_or_0(x->name) + len_or_0(x->district) +
			    len_or_0(x->street) + len_or_0(x->reason) + per_row;
	}
	return n;
}

char *
list_csv(const struct list_membership *m, enum list_kind k)
{
	struct buf b = BUF_INIT;

	buf_grow(&b, list_text_guess(m, k, 16) + strlen(CSV_HEADER));	/* grown once */
	buf_adds(&b, CSV_HEADER);
	for (size_t i = 0; i < m->n; i++) {
		const struct list_member *x = &m->members[i];

		if (x->list != k)
			continue;
		csv_cell(&b, x->id, false);
		csv_cell(&b, x->name, false);
		csv_cell(&b, x->district, false);
		csv_cell(&b, x->street, false);
		csv_cell(&b, x->reason, true);
	}
	return buf_detach(&b);
}

/* One cell from *p, quoted or not; *p after its comma or line end; *end_of_row at a line end.
 * An unquoted cell (nearly all) is copied at once, not a byte at a time. */
static char *
csv_next_cell(const char **p, const char *end, bool *end_of_row)
{
	struct buf b = BUF_INIT;
	const char *s = *p, *start = s;
	char *cell;

	if (s < end && *s == '"') {
		for (s++; s < end; s++) {
			if (*s == '"' && s + 1 < end && s[1] == '"')
				buf_addc(&b, *s++);
			else if (*s == '"') {
				s++;
				break;
			} else
				buf_addc(&b, *s);
		}
		cell = buf_detach(&b);
	} else {
		while (s < end && *s != ',' && *s != '\n' && *s != '\r')
			s++;
		cell = xstrndup(start, (size_t)(s - start));
	}
	if (s < end && *s == '\r')
		s++;
	*end_of_row = s >= end || *s == '\n';
	if (s < end)
		s++;
	*p = s;
	return cell;
}

static void
member_push(struct list_membership *m, struct list_member *x)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 256;
		m->members = xrealloc(m->members, m->cap * sizeof *m->members);
	}
	m->members[m->n++] = *x;
	if (x->list == LIST_WHITE)
		m->n_white++;
	else
		m->n_black++;
}

int
list_csv_read(const char *text, size_t len, enum list_kind k, struct list_membership *out,
    struct error *err)
{
	const char *p = text, *end = text + len;
	size_t line = 1;

	if (len < strlen(CSV_HEADER) || strncmp(text, CSV_HEADER, strlen(CSV_HEADER)) != 0)
		return error_set(err, ST_FAILED, _("a published list does not begin with '%.*s'"),
		    (int)strlen(CSV_HEADER) - 1, CSV_HEADER);
	p += strlen(CSV_HEADER);
	while (p < end) {
		char *cells[5] = { NULL };
		bool eor = false;
		size_t n = 0;

		line++;
		while (!eor && p < end) {
			char *cell = csv_next_cell(&p, end, &eor);

			if (n < 5)
				cells[n++] = cell;
			else
				free(cell);
		}
		if (n != 5) {
			for (size_t i = 0; i < n; i++)
				free(cells[i]);
			return error_set(err, ST_FAILED, _("line %zu of a published list has %zu cells, "
			    "not 5"), line, n);
		}
		member_push(out, &(struct list_member){ cells[0], cells[1], cells[2], cells[3], NULL,
		    NULL, k, cells[4] });
	}
	return 0;
}

static int
by_list_then_id(const void *a, const void *b)
{
	const struct list_member *x = *(struct list_member *const *)a;
	const struct list_member *y = *(struct list_member *const *)b;

	if (x->list != y->list)
		return x->list == LIST_BLACK ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* Pointers to m's members, by list (black first) then id. */
static const struct list_member **
sorted_members(const struct list_membership *m)
{
	const struct list_member **v = xcalloc(m->n + 1, sizeof *v);

	for (size_t i = 0; i < m->n; i++)
		v[i] = &m->members[i];
	if (m->n > 1)
		qsort(v, m->n, sizeof *v, by_list_then_id);
	return v;
}

static void
change_add(struct list_diff *d, const struct list_member *x, bool added, const char *why)
{
	d->changes = xrealloc(d->changes, (d->n + 1) * sizeof *d->changes);
	d->changes[d->n].member = x;
	d->changes[d->n].why = why;
	d->changes[d->n++].added = added;
	if (added)
		d->added[x->list]++;
	else
		d->removed[x->list]++;
}

static int
by_id(const void *a, const void *b)
{
	return strcmp((*(struct list_member *const *)a)->id, (*(struct list_member *const *)b)->id);
}

/* Why x left its list: the list it is on now and why, or the decision that keeps it off
 * both, or that the rules no longer put it there (of a publication read back from git, only
 * that it is not on its lists). by_id: after's members in id order. */
static const char *
why_removed(const struct list_member *x, const struct list_member **by_id_after, size_t n,
    const struct list_membership *after)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(by_id_after[mid]->id, x->id);

		if (cmp == 0)
			return by_id_after[mid]->reason;
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	lo = 0, hi = after->n_off;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(after->off[mid].id, x->id);

		if (cmp == 0)
			return after->off[mid].reason;
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return after->computed ? "不再符合名单规则" : "本期未列入";
}

/* Merges the two sorted runs: what only after has is added, what only before has removed. */
void
list_diff_make(const struct list_membership *before, const struct list_membership *after,
    struct list_diff *out)
{
	const struct list_member **b = sorted_members(before), **a = sorted_members(after);
	const struct list_member **ids = xcalloc(after->n + 1, sizeof *ids);
	size_t i = 0, j = 0;

	for (size_t k = 0; k < after->n; k++)
		ids[k] = &after->members[k];
	if (after->n > 1)
		qsort(ids, after->n, sizeof *ids, by_id);
	memset(out, 0, sizeof *out);
	while (i < before->n || j < after->n) {
		int cmp = i == before->n ? 1 : j == after->n ? -1 : by_list_then_id(&b[i], &a[j]);

		if (cmp < 0) {
			change_add(out, b[i], false, why_removed(b[i], ids, after->n, after));
			i++;
		} else if (cmp > 0) {
			change_add(out, a[j], true, a[j]->reason);
			j++;
		} else {
			i++, j++;
		}
	}
	free(ids);
	free(b);
	free(a);
}

void
list_diff_free(struct list_diff *d)
{
	free(d->changes);
	memset(d, 0, sizeof *d);
}
