/*
 * review-queue.c — a review queue (the records, the place, the decisions) and where it is
 * kept between sessions: one file per Unix user and data directory under the user's state
 * dir ($XDG_STATE_HOME/huitou/, else ~/.local/state/huitou/), written to a temporary file and
 * renamed over the old one, so a crash leaves the old queue or the new one, never half.
 * A file that cannot be read is refused with a sentence; the caller starts afresh.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "console/review.h"

#define QUEUE_FORMAT "1"

static const char *const decision_words[] = { "-", "accept", "reject", "skip" };

struct review_queue *
review_queue_new(const char *dir, const char *name, char *const *ids, size_t n)
{
	struct review_queue *q = xcalloc(1, sizeof *q);

	q->dir = xstrdup(dir);
	q->name = xstrdup(name);
	q->items = xcalloc(n > 0 ? n : 1, sizeof *q->items);
	for (size_t i = 0; i < n; i++)
		q->items[i].id = xstrdup(ids[i]);
	q->n = n;
	return q;
}

static void
item_clear(struct review_item *it)
{
	free(it->id);
	free(it->seen);
	free(it->reason);
	free(it->note);
}

void
review_queue_free(struct review_queue *q)
{
	if (q == NULL)
		return;
	for (size_t i = 0; i < q->n; i++)
		item_clear(&q->items[i]);
	free(q->items);
	free(q->dir);
	free(q->name);
	free(q);
}

size_t
review_queue_count(const struct review_queue *q, enum review_decision d, bool pending)
{
	size_t n = 0;

	for (size_t i = 0; i < q->n; i++)
		n += q->items[i].decision == d && q->items[i].pending == pending;
	return n;
}

bool
review_queue_same_ids(const struct review_queue *q, char *const *ids, size_t n)
{
	if (q->n != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!str_eq(q->items[i].id, ids[i]))
			return false;
	return true;
}

bool
review_queue_finished(const struct review_queue *q)
{
	for (size_t i = 0; i < q->n; i++)
		if (q->items[i].decision == DECIDE_NONE || q->items[i].pending)
			return false;
	return true;
}

/* The state dir of the user running huitou, as the keymap finds its config dir. */
static char *
state_dir(void)
{
	const char *xdg = secure_getenv("XDG_STATE_HOME"), *home = secure_getenv("HOME");

	if (xdg != NULL && *xdg == '/')
		return xasprintf("%s/huitou", xdg);
	return xasprintf("%s/.local/state/huitou", home != NULL && *home != '\0' ? home :
	    "/nonexistent");
}

/* The data directory's full name, so that "-d demo" and "-d ./demo" share a queue. */
static char *
dir_key(const char *dir)
{
	char *full = realpath(dir, NULL);

	return full != NULL ? full : xstrdup(dir);
}

char *
review_queue_path(const char *dir)
{
	char *full = dir_key(dir), *sd = state_dir(), *path;
	uint64_t h = 14695981039346656037ULL;	/* FNV-1a of the data directory's name */

	for (const unsigned char *p = (const unsigned char *)full; *p != '\0'; p++)
		h = (h ^ *p) * 1099511628211ULL;
	path = xasprintf("%s/review-%016llx", sd, (unsigned long long)h);
	free(full);
	free(sd);
	return path;
}

/* ---- reading ---- */

struct queue_reader {
	struct review_queue *q;
	const char *want_dir;
	bool other_dir;
};

static int
read_format(struct linefile *lf, const struct lf_line *ln)
{
	if (ln->n_words != 2 || !str_eq(ln->words[1], QUEUE_FORMAT))
		return linefile_fail(lf, _("not a review queue of this huitou ('review %s')"),
		    QUEUE_FORMAT);
	return 0;
}

static int
read_dir(struct linefile *lf, const struct lf_line *ln)
{
	struct queue_reader *r = lf->arg;
	char *want = dir_key(r->want_dir);

	r->other_dir = !str_eq(ln->rest, want);
	free(r->q->dir);
	r->q->dir = xstrdup(ln->rest);
	free(want);
	return 0;
}

static int
read_name(struct linefile *lf, const struct lf_line *ln)
{
	struct queue_reader *r = lf->arg;

	free(r->q->name);
	r->q->name = xstrdup(ln->rest);
	return 0;
}

static int
read_mode(struct linefile *lf, const struct lf_line *ln)
{
	struct queue_reader *r = lf->arg;

	if (ln->n_words != 2 || (!str_eq(ln->words[1], "each") && !str_eq(ln->words[1], "end")))
		return linefile_fail(lf, _("'mode' is each or end"));
	r->q->at_end = str_eq(ln->words[1], "end");
	return 0;
}

static int
read_at(struct linefile *lf, const struct lf_line *ln)
{
	struct queue_reader *r = lf->arg;
	char *end;
	unsigned long at;

	errno = 0;
	at = ln->n_words == 2 ? strtoul(ln->words[1], &end, 10) : 0;
	if (ln->n_words != 2 || errno != 0 || *end != '\0' || *ln->words[1] == '-')
		return linefile_fail(lf, _("'at' takes the place, a number"));
	r->q->pos = (size_t)at;
	return 0;
}

static int
decision_of(const char *word, enum review_decision *out)
{
	for (size_t i = 0; i < COUNT(decision_words); i++)
		if (str_eq(word, decision_words[i]))
			return *out = (enum review_decision)i, 0;
	return -1;
}

/* "item ID DECISION PENDING SEEN": its decision, whether kept for the end, the state seen. */
static int
read_item(struct linefile *lf, const struct lf_line *ln)
{
	struct review_queue *q = ((struct queue_reader *)lf->arg)->q;
	struct review_item it = { 0 };

	if (ln->n_words != 5 || decision_of(ln->words[2], &it.decision) != 0 ||
	    (!str_eq(ln->words[3], "yes") && !str_eq(ln->words[3], "no")))
		return linefile_fail(lf, _("'item' takes ID DECISION PENDING SEEN"));
	it.pending = str_eq(ln->words[3], "yes");
	if (it.pending && (it.decision == DECIDE_NONE || it.decision == DECIDE_SKIP))
		return linefile_fail(lf, _("only an accept or a reject is kept for the end"));
	it.id = xstrdup(ln->words[1]);
	it.seen = str_eq(ln->words[4], "-") ? NULL : xstrdup(ln->words[4]);
	q->items = xrealloc(q->items, (q->n + 1) * sizeof *q->items);
	q->items[q->n++] = it;
	return 0;
}

static int
read_reason(struct linefile *lf, const struct lf_line *ln)
{
	struct review_queue *q = ((struct queue_reader *)lf->arg)->q;

	if (q->n == 0 || q->items[q->n - 1].reason != NULL || *ln->rest == '\0')
		return linefile_fail(lf, _("'reason' follows the item it belongs to, once"));
	q->items[q->n - 1].reason = xstrdup(ln->rest);
	return 0;
}

static int
unknown_line(struct linefile *lf, const struct lf_line *ln)
{
	return linefile_fail(lf, _("unknown line '%s'"), ln->words[0]);
}

static const struct lf_keyword queue_keys[] = {
	{ "review", read_format }, { "dir", read_dir }, { "name", read_name },
	{ "mode", read_mode }, { "at", read_at }, { "item", read_item },
	{ "reason", read_reason }, { NULL, unknown_line },
};

int
review_queue_load(const char *dir, struct review_queue **out, struct error *err)
{
	char *path = review_queue_path(dir);
	struct buf text = BUF_INIT;
	struct queue_reader r = { .want_dir = dir };
	struct linefile lf = { .path = path, .keywords = queue_keys, .arg = &r, .err = err };
	int rc = 1;

	*out = NULL;
	if (!path_exists(path))
		goto out;
	r.q = review_queue_new(dir, "", NULL, 0);
	if ((rc = file_read_as_caller(path, &text, err)) == 0 &&
	    (rc = linefile_read(&lf, buf_str(&text), text.len)) == 0 && r.q->n == 0)
		rc = error_set(err, ST_FAILED, _("%s: names no records"), path);
	if (rc == 0 && r.other_dir)
		rc = 1;		/* a name clash with another data directory's queue: not ours */
	if (rc == 0) {
		if (r.q->pos >= r.q->n)
			r.q->pos = r.q->n - 1;
		*out = r.q;
		r.q = NULL;
	}
	review_queue_free(r.q);
out:
	buf_free(&text);
	free(path);
	return rc;
}

/* ---- writing ---- */

static void
write_queue(const struct review_queue *q, struct buf *b)
{
	char *dir = dir_key(q->dir);

	buf_printf(b, "# huitou's review queue, saved when it is left; huitou offers to resume it.\n"
	    "review %s\ndir %s\nname %s\nmode %s\nat %zu\n", QUEUE_FORMAT, dir, q->name,
	    q->at_end ? "end" : "each", q->pos);
	for (size_t i = 0; i < q->n; i++) {
		const struct review_item *it = &q->items[i];

		buf_printf(b, "item %s %s %s %s\n", it->id, decision_words[it->decision],
		    it->pending ? "yes" : "no", it->seen != NULL ? it->seen : "-");
		if (it->reason != NULL && *it->reason != '\0')
			buf_printf(b, "reason %s\n", it->reason);
	}
	free(dir);
}

int
review_queue_save(const struct review_queue *q, struct error *err)
{
	char *path = review_queue_path(q->dir);
	struct buf text = BUF_INIT;
	int rc;

	write_queue(q, &text);
	rc = file_write_private(path, &text, err);
	buf_free(&text);
	free(path);
	return rc;
}

int
review_queue_forget(const char *dir, struct error *err)
{
	char *path = review_queue_path(dir);
	int rc = 0;

	if (unlink(path) != 0 && errno != ENOENT)
		rc = error_set(err, ST_FAILED, _("cannot remove %s: %s"), path, strerror(errno));
	free(path);
	return rc;
}
