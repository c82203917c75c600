/*
 * store-outbox.c — the bridge from LMDB to the audit record. The write transaction that
 * changes records also writes, under the next outbox sequence number, the whole commit to
 * make (author, time, message, files). A write holds the audit lock from its start until its
 * commit is in git, and first makes any commit a stopped process left, so the store's state
 * when a commit is made is the state that commit describes: a commit of many records (an
 * import) names their paths and takes their texts from the store then, instead of copying
 * megabytes of text into the outbox; a write is refused while an earlier entry cannot be
 * made (store-env.c), so those texts are still the ones that transaction left. The store's
 * anchor and the commits above it (store-trust.c) say how far git has come, so replaying
 * after a crash at any point makes each commit exactly once. Each write transaction records
 * the anchor its flush found and deletes the entries up to it.
 *
 * Entry format: author NUL email NUL when NUL subject NUL body NUL trailers NUL count NUL,
 * then per file: path NUL ('+' len NUL bytes | '-' | '@' for the text the store holds |
 * '=' 40 hex digits: the id of a blob written into git before this entry, audit_blobs_write).
 * The files a transaction takes (store_txn_take_file: the lists' megabytes) are written so,
 * as one synced pack, before the LMDB commit: their bytes are written once, not into the
 * outbox and then git's pack. A crash between leaves a pack nothing names (garbage for git
 * gc); an entry naming a blob git lacks is refused when its commit is made.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store-private.h"

#define OUTBOX_SEQ_KEY "outbox/seq"

static const char *
first_text_value(const struct record *rec)
{
	for (size_t i = 1; i < rec->form->n_fields; i++)
		if (rec->form->fields[i].kind == FT_TEXT && !rec->form->fields[i].private_)
			return rec->values[i];
	return "";
}

static const char *
district_of(const struct record *rec)
{
	for (size_t i = 1; i < rec->form->n_fields; i++)
		if (rec->form->fields[i].kind == FT_DIVISION &&
		    rec->form->fields[i].level == DIV_DISTRICT)
			return rec->values[i];
	return "";
}

/* "校外培训机构 JG-… 办学状态 持证→整改中", or how many fields changed. */
static char *
change_summary(struct store_txn *txn, const struct record *old, const struct record *rec)
{
	const struct form *form = rec->form;
	struct buf s = BUF_INIT;
	size_t changed = 0, last = 0;

	if (old == NULL) {
		buf_printf(&s, "新增%s %s ", form->label_zh, record_id(rec));
		width_escape_controls(&s, first_text_value(rec));
		return buf_detach(&s);
	}
	for (size_t i = 1; i < form->n_fields; i++)
		if (!str_eq(old->values[i], rec->values[i]))
			changed++, last = i;
	buf_printf(&s, "%s %s ", form->label_zh, record_id(rec));
	if (changed == 1) {
		store_change_words(txn, &form->fields[last], old->values[last], rec->values[last], &s);
	} else {
		buf_printf(&s, "修改 %zu 项：", changed);
		for (size_t i = 1, n = 0; i < form->n_fields; i++)
			if (!str_eq(old->values[i], rec->values[i]))
				buf_printf(&s, "%s%s", n++ > 0 ? "、" : "", form->fields[i].label_zh);
	}
	return buf_detach(&s);
}

#define POOL_BLOCK ((size_t)64 << 10)

/* A copy of s that lives until pool_free. */
static const char *
pool_add(struct text_pool *pool, const char *s)
{
	size_t n = strlen(s) + 1;
	char *copy;

	if (n > pool->left) {
		size_t size = n > POOL_BLOCK ? n : POOL_BLOCK;

		pool->blocks = xrealloc(pool->blocks, (pool->n_blocks + 1) * sizeof *pool->blocks);
		pool->next = pool->blocks[pool->n_blocks++] = xmalloc(size);
		pool->left = size;
	}
	copy = pool->next;
	memcpy(copy, s, n);
	pool->next += n;
	pool->left -= n;
	return copy;
}

static void
pool_free(struct text_pool *pool)
{
	for (size_t i = 0; i < pool->n_blocks; i++)
		free(pool->blocks[i]);
	free(pool->blocks);
	memset(pool, 0, sizeof *pool);
}

void
txn_note_change(struct store_txn *txn, const struct record *old, const struct record *rec)
{
	struct txn_change *c;
	char *path;

	if (txn->no_audit)
		return;
	if (txn->n_changes == txn->changes_cap) {
		txn->changes_cap = txn->changes_cap ? txn->changes_cap * 2 : 16;
		txn->changes = xrealloc_big(txn->changes, txn->n_changes * sizeof *txn->changes,
		    txn->changes_cap * sizeof *txn->changes);
	}
	c = &txn->changes[txn->n_changes++];
	c->form = rec->form;
	path = record_path(rec->form, record_id(rec));
	c->path = pool_add(&txn->change_texts, path);
	free(path);
	/* A commit names at most 20 changes in words: an import's others need no summary. */
	c->summary = txn->n_changes <= 21 ? change_summary(txn, old, rec) : NULL;
	if (txn->n_changes <= 21)
		txn_note_persons(txn, old, rec);
	c->district = pool_add(&txn->change_texts, district_of(rec));
	c->created = old == NULL;
}

void
txn_changes_free(struct store_txn *txn)
{
	for (size_t i = 0; i < txn->n_changes; i++)
		free(txn->changes[i].summary);
	pool_free(&txn->change_texts);
	free(txn->changes);
	txn->changes = NULL;
	txn->n_changes = txn->changes_cap = 0;
	audit_commit_free(&txn->extra);
	if (txn->outbox_commit != NULL)
		audit_commit_free(txn->outbox_commit);
	free(txn->outbox_commit);
	txn->outbox_commit = NULL;
	free(txn->action);
	free(txn->subject);
	free(txn->body);
	free(txn->trailers);
	free(txn->record);
	free(txn->unreasoned);
	txn->action = txn->subject = txn->body = txn->trailers = txn->record = NULL;
	txn->unreasoned = NULL;
	buf_free(&txn->persons);
	txn->n_persons = 0;
}

void
store_txn_describe(struct store_txn *txn, const char *action, const char *subject,
    const char *body)
{
	free(txn->action);
	free(txn->subject);
	free(txn->body);
	txn->action = action != NULL ? xstrdup(action) : NULL;
	txn->subject = subject != NULL ? xstrdup(subject) : NULL;
	txn->body = body != NULL ? xstrdup(body) : NULL;
}

void
store_txn_add_trailer(struct store_txn *txn, const char *key, const char *value)
{
	char *line = xasprintf("%s%s: %s\n", txn->trailers != NULL ? txn->trailers : "", key, value);

	free(txn->trailers);
	txn->trailers = line;
}

void
store_txn_tag(struct store_txn *txn, const char *name)
{
	store_txn_add_trailer(txn, "Tag", name);
}

void
store_txn_add_file(struct store_txn *txn, const char *path, const char *content, size_t len)
{
	audit_commit_add_file(&txn->extra, path, content, len);
}

void
store_txn_take_file(struct store_txn *txn, const char *path, char *content, size_t len)
{
	audit_commit_take_file(&txn->extra, path, content, len);
	txn->extra.files[txn->extra.n_files - 1].ahead = true;
}

void
store_txn_set_record(struct store_txn *txn, const char *id)
{
	free(txn->record);
	txn->record = xstrdup(id);
}

#define RULES_TEXT_KEY "rulestext/"

bool
store_is_rules_path(const char *path)
{
	size_t n = strlen(path);

	return str_starts(path, "forms/") && strchr(path + 6, '/') == NULL &&
	    !(n > 5 && str_eq(path + n - 5, ".form"));
}

int
store_txn_add_rules_file(struct store_txn *txn, const char *path, const char *text,
    struct error *err)
{
	char *key = xasprintf("%s%s", RULES_TEXT_KEY, path);
	size_t len = strlen(text);
	MDB_val v;
	int rc = meta_get(txn->txn, txn->store->meta, key, &v);

	if (rc != 0 && rc != MDB_NOTFOUND) {
		free(key);
		return store_lmdb_error(err, rc, _("reading the store's metadata"));
	}
	if (rc == 0 && v.mv_size == len && memcmp(v.mv_data, text, len) == 0) {
		free(key);
		return 0;
	}
	store_txn_add_file(txn, path, text, len);
	rc = meta_put(txn->txn, txn->store->meta, key, text, len, err);
	free(key);
	return rc;
}

/* The records a commit about one record wrote besides it: one trailer each, once. */
static void
add_other_record_trailers(const struct store_txn *txn, struct buf *t)
{
	for (size_t i = 0; i < txn->n_changes; i++) {
		const struct txn_change *c = &txn->changes[i];
		const char *id = strrchr(c->path, '/') + 1;
		bool seen = str_eq(id, txn->record), created = c->created;

		for (size_t j = 0; j < i && !seen; j++)
			seen = str_eq(txn->changes[j].path, c->path);
		for (size_t j = i + 1; j < txn->n_changes && !seen; j++)
			if (str_eq(txn->changes[j].path, c->path))
				created = created || txn->changes[j].created;
		if (!seen)
			buf_printf(t, "%s: %s\n", created ? "Creates" : "Changes", id);
	}
}

/* The District trailer: the one district all changes share, else the distinct ones. */
static void
add_district_trailer(struct store_txn *txn, struct buf *t)
{
	struct buf seen = BUF_INIT;
	size_t n = 0;

	for (size_t i = 0; i < txn->n_changes && n <= 8; i++) {
		const char *d = txn->changes[i].district;
		char *key = xasprintf(",%s,", d);

		if (*d != '\0' && strstr(buf_str(&seen), key) == NULL) {
			buf_printf(&seen, ",%s,", d);
			buf_printf(t, "%s%s", n++ == 0 ? "District: " : ", ", d);
		}
		free(key);
	}
	if (n > 8)
		buf_adds(t, ", …");
	if (n > 0)
		buf_addc(t, '\n');
	buf_free(&seen);
}

/* The caller's subject, else the one change in words, else how many records changed. */
static char *
commit_subject(const struct store_txn *txn)
{
	if (txn->subject != NULL)
		return xstrdup(txn->subject);
	if (txn->n_changes == 1)
		return xstrdup(txn->changes[0].summary);
	if (txn->n_changes == 0)
		return xstrdup("更新表单");
	return xasprintf("批量修改 %zu 条记录", txn->n_changes);
}

static void
describe_commit(struct store_txn *txn, struct audit_commit *c)
{
	struct buf t = BUF_INIT, body = BUF_INIT;
	size_t n = txn->n_changes;

	c->subject = commit_subject(txn);
	if (txn->body != NULL)
		buf_adds(&body, txn->body);
	for (size_t i = 0; n > 1 && i < n && i < 20; i++)
		buf_printf(&body, "%s%s\n", i == 0 && body.len > 0 ? "\n" : "", txn->changes[i].summary);
	if (n > 20)
		buf_printf(&body, "… (%zu)\n", n);
	buf_printf(&t, "Action: %s\n", txn->action != NULL ? txn->action :
	    n == 1 ? "record.change" : "record.bulk");
	if (txn->record != NULL)
		buf_printf(&t, "Record: %s\n", txn->record);
	else if (n == 1)
		buf_printf(&t, "Record: %s\n", strrchr(txn->changes[0].path, '/') + 1);
	add_district_trailer(txn, &t);
	if (txn->record != NULL)
		add_other_record_trailers(txn, &t);
	else if (n > 1)
		buf_printf(&t, "Count: %zu\n", n);
	buf_adds(&t, buf_str(&txn->persons));
	if (txn->trailers != NULL)
		buf_adds(&t, txn->trailers);
	c->body = buf_detach(&body);
	c->trailers = buf_detach(&t);
}

/* Where an entry is encoded: at NULL, its bytes only counted (n), so that it is written once
 * where it goes (LMDB's page, MDB_RESERVE), not built apart and copied: megabytes of files. */
struct sink {
	char *at;
	size_t n;
};

static void
put(struct sink *k, const void *data, size_t len)
{
	if (k->at != NULL)
		memcpy(k->at + k->n, data, len);
	k->n += len;
}

static void
put_str(struct sink *k, const char *s)
{
	put(k, s != NULL ? s : "", (s != NULL ? strlen(s) : 0) + 1);	/* with its NUL */
}

static void
encode_to(const struct audit_commit *c, struct sink *k)
{
	char num[32];

	put_str(k, c->author_name);
	put_str(k, c->author_email);
	snprintf(num, sizeof num, "%lld", (long long)c->when);
	put_str(k, num);
	put_str(k, c->subject);
	put_str(k, c->body);
	put_str(k, c->trailers);
	snprintf(num, sizeof num, "%zu", c->n_files);
	put_str(k, num);
	for (size_t i = 0; i < c->n_files; i++) {
		put_str(k, c->files[i].path);
		if (c->files[i].by_id) {
			put(k, "=", 1);
			for (int b = 0; b < 20; b++) {
				snprintf(num, sizeof num, "%02x", c->files[i].id[b]);
				put(k, num, 2);
			}
			continue;
		}
		if (c->files[i].content == NULL) {
			put(k, c->files[i].len == OUTBOX_FROM_STORE ? "@" : "-", 1);
			continue;
		}
		snprintf(num, sizeof num, "+%zu", c->files[i].len);
		put_str(k, num);
		put(k, c->files[i].content, c->files[i].len);
	}
}

/* How many bytes c's entry takes. */
static size_t
encoded_len(const struct audit_commit *c)
{
	struct sink count = { NULL, 0 };

	encode_to(c, &count);
	return count.n;
}

void
outbox_encode(const struct audit_commit *c, struct buf *b)
{
	size_t len = encoded_len(c);
	struct sink k;

	buf_grow(b, len);
	k.at = b->data + b->len;
	k.n = 0;
	encode_to(c, &k);
	b->len += k.n;
	b->data[b->len] = '\0';
}

static const char *
get_str(const char **p, const char *end)
{
	const char *s = *p, *nul = memchr(s, '\0', (size_t)(end - s));

	if (nul == NULL)
		return NULL;
	*p = nul + 1;
	return s;
}

/* The header's seven strings; *p then points at the files. */
static int
decode_header(const char **p, const char *end, struct audit_commit *c, size_t *n_files)
{
	const char *f[7];

	memset(c, 0, sizeof *c);
	for (int i = 0; i < 7; i++)
		if ((f[i] = get_str(p, end)) == NULL)
			return -1;
	c->author_name = xstrdup(f[0]);
	c->author_email = xstrdup(f[1]);
	c->when = (time_t)strtoll(f[2], NULL, 10);
	c->subject = xstrdup(f[3]);
	c->body = xstrdup(f[4]);
	c->trailers = xstrdup(f[5]);
	*n_files = strtoull(f[6], NULL, 10);
	return 0;
}

int
outbox_decode_header(const void *data, size_t len, struct audit_commit *c, struct error *err)
{
	const char *p = data;
	size_t n;

	if (decode_header(&p, p + len, c, &n) == 0)
		return 0;
	audit_commit_free(c);
	return error_set(err, ST_FAILED, _("an outbox entry is damaged"));
}

/* '=' and the 40 hex digits of a blob's id, after path: the file added by id. */
static int
decode_blob_id(const char **p, const char *end, struct audit_commit *c, const char *path)
{
	struct audit_file *f;
	unsigned char id[20];

	if (end - *p < 41)
		return -1;
	for (int b = 0; b < 20; b++) {
		unsigned v = 0;

		for (int h = 1; h <= 2; h++) {
			char ch = (*p)[2 * b + h];

			if (ch >= '0' && ch <= '9')
				v = v * 16 + (unsigned)(ch - '0');
			else if (ch >= 'a' && ch <= 'f')
				v = v * 16 + (unsigned)(ch - 'a' + 10);
			else
				return -1;
		}
		id[b] = (unsigned char)v;
	}
	*p += 41;
	audit_commit_add_file(c, path, NULL, 0);
	f = &c->files[c->n_files - 1];
	f->by_id = true;
	memcpy(f->id, id, sizeof id);
	return 0;
}

/* The entry's commit; with borrow, the files' texts point into data (outbox_unborrow). */
static int
decode(const void *data, size_t len, struct audit_commit *c, bool borrow, struct error *err)
{
	const char *p = data, *end = p + len;
	size_t n;

	if (decode_header(&p, end, c, &n) != 0)
		goto bad;
	for (size_t i = 0; i < n; i++) {
		const char *path = get_str(&p, end), *size;
		size_t flen;

		if (path == NULL || p >= end)
			goto bad;
		if (*p == '=') {
			if (decode_blob_id(&p, end, c, path) != 0)
				goto bad;
			continue;
		}
		if (*p == '-' || *p == '@') {
			audit_commit_add_file(c, path, NULL, *p == '@' ? OUTBOX_FROM_STORE : 0);
			p++;
			continue;
		}
		if ((size = get_str(&p, end)) == NULL || *size != '+' ||
		    (flen = strtoull(size + 1, NULL, 10)) > (size_t)(end - p))
			goto bad;
		if (borrow)
			audit_commit_take_file(c, path, (char *)p, flen);
		else
			audit_commit_add_file(c, path, p, flen);
		p += flen;
	}
	return 0;
bad:
	if (borrow)
		outbox_unborrow(c, data, len);
	audit_commit_free(c);
	return error_set(err, ST_FAILED, _("an outbox entry is damaged"));
}

int
outbox_decode(const void *data, size_t len, struct audit_commit *c, struct error *err)
{
	return decode(data, len, c, false, err);
}

int
outbox_decode_borrowed(const void *data, size_t len, struct audit_commit *c,
    struct error *err)
{
	return decode(data, len, c, true, err);
}

void
outbox_unborrow(struct audit_commit *c, const void *data, size_t len)
{
	const char *from = data, *to = from + len;

	for (size_t i = 0; i < c->n_files; i++)
		if (c->files[i].content != NULL && c->files[i].content >= from &&
		    c->files[i].content <= to)
			c->files[i].content = NULL;
}

/* Forms whose text git does not have yet go into the commit (the forms in force). */
static int
add_changed_forms(struct store_txn *txn, struct error *err)
{
	const struct formset *forms = txn->store->forms;

	for (size_t i = 0; i < forms->n; i++) {
		const struct form *form = forms->forms[i];
		char *key = xasprintf("formtext/%s", form->name);
		MDB_val v;
		int rc = meta_get(txn->txn, txn->store->meta, key, &v);

		if (rc == 0 && v.mv_size == strlen(form->text) &&
		    memcmp(v.mv_data, form->text, v.mv_size) == 0) {
			free(key);
			continue;
		}
		char *path = xasprintf("forms/%s.form", form->name);

		store_txn_add_file(txn, path, form->text, strlen(form->text));
		free(path);
		rc = meta_put(txn->txn, txn->store->meta, key, form->text, strlen(form->text), err);
		free(key);
		if (rc != 0)
			return -1;
	}
	return store_policy_add_if_changed(txn, err);	/* the policy in force, likewise */
}

/* Records the anchor the flush before this write found, and deletes the entries up to it. */
static int
outbox_trim(struct store_txn *txn, struct error *err)
{
	MDB_cursor *cur;
	MDB_val k, v;
	int rc;

	if (!txn->store->anchor_ready)
		return 0;
	if (anchor_write(txn, err) != 0)
		return -1;
	rc = mdb_cursor_open(txn->txn, txn->store->outbox, &cur);
	while (rc == 0 && (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST)) == 0 &&
	    k.mv_size == 8 && be64_get(k.mv_data) <= txn->store->anchor_next_seq)
		rc = mdb_cursor_del(cur, 0);
	if (rc == 0 || rc == MDB_NOTFOUND) {
		mdb_cursor_close(cur);
		return 0;
	}
	mdb_cursor_close(cur);
	return store_lmdb_error(err, rc, _("clearing the outbox"));
}

static int
next_seq(struct store_txn *txn, uint64_t *seq, struct error *err)
{
	unsigned char buf[8];
	MDB_val v;
	int rc = meta_get(txn->txn, txn->store->meta, OUTBOX_SEQ_KEY, &v);

	*seq = rc == 0 && v.mv_size == 8 ? be64_get(v.mv_data) + 1 : 1;
	if (rc != 0 && rc != MDB_NOTFOUND)
		return store_lmdb_error(err, rc, _("reading the outbox"));
	be64_put(buf, *seq);
	return meta_put(txn->txn, txn->store->meta, OUTBOX_SEQ_KEY, buf, sizeof buf, err);
}

static int
compare_change_paths(const void *a, const void *b)
{
	const struct txn_change *x = *(const struct txn_change *const *)a;
	const struct txn_change *y = *(const struct txn_change *const *)b;
	int c = strcmp(x->path, y->path);

	return c != 0 ? c : (x < y ? -1 : x > y);
}

/* The changes to commit: in path order, and the last one where a record changed twice. */
static struct txn_change **
changes_to_commit(struct store_txn *txn, size_t *n)
{
	struct txn_change **v = xcalloc(txn->n_changes + 1, sizeof *v);
	size_t kept = 0;

	for (size_t i = 0; i < txn->n_changes; i++)
		v[i] = &txn->changes[i];
	qsort(v, txn->n_changes, sizeof *v, compare_change_paths);
	for (size_t i = 0; i < txn->n_changes; i++)
		if (i + 1 == txn->n_changes || !str_eq(v[i]->path, v[i + 1]->path))
			v[kept++] = v[i];
	*n = kept;
	return v;
}

/* The record's text as this transaction leaves it, or (inline false) a mark to take it from
 * the store when the commit is made. */
static int
add_change_file(struct store_txn *txn, struct audit_commit *c, const struct txn_change *ch,
    bool inline_text, struct error *err)
{
	const char *id = strrchr(ch->path, '/') + 1;
	struct record *rec;
	struct buf text = BUF_INIT;

	if (!inline_text) {
		audit_commit_add_file(c, ch->path, NULL, OUTBOX_FROM_STORE);
		return 0;
	}
	if (store_get(txn, ch->form, id, &rec, err) != 0)
		return -1;
	record_text(rec, txn->store->seal, &text);
	audit_commit_add_file(c, ch->path, text.data, text.len);
	buf_free(&text);
	record_free(rec);
	return 0;
}

/* In the write transaction: the commit this transaction's changes will become. */
int
outbox_write(struct store_txn *txn, struct error *err)
{
	struct audit_commit c;
	struct identity id;
	struct txn_change **changes;
	size_t n;
	unsigned char key[8];
	MDB_val k = { sizeof key, key }, v;
	int rc;

	if (outbox_trim(txn, err) != 0 || add_changed_forms(txn, err) != 0)
		return -1;
	if (txn->n_changes == 0 && txn->extra.n_files == 0 && !txn->always_commit)
		return 0;
	if (identity_current(&id, err) != 0)
		return -1;
	memset(&c, 0, sizeof c);
	c.author_name = id.name, c.author_email = id.email, id.name = id.email = NULL;
	c.when = clock_real();
	describe_commit(txn, &c);
	for (size_t i = 0; i < txn->extra.n_files; i++) {	/* moved, not copied: megabytes */
		struct audit_file *f = &txn->extra.files[i];

		if (f->content != NULL)
			audit_commit_take_file(&c, f->path, f->content, f->len);
		else
			audit_commit_add_file(&c, f->path, NULL, f->len);
		c.files[c.n_files - 1].ahead = f->ahead && txn->store->audit != NULL;
		f->content = NULL;
	}
	if (audit_blobs_write(txn->store->audit, c.files, c.n_files, err) != 0) {
		identity_free(&id);
		audit_commit_free(&c);
		return -1;
	}
	fault_point("store-blobs-written");
	changes = changes_to_commit(txn, &n);
	rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = add_change_file(txn, &c, changes[i], n <= OUTBOX_INLINE_MAX, err);
	free(changes);
	identity_free(&id);
	if (rc == 0)
		rc = next_seq(txn, &c.seq, err);
	if (rc == 0) {	/* encoded where LMDB keeps it */
		struct sink into = { NULL, 0 };

		be64_put(key, c.seq);
		v.mv_size = encoded_len(&c);
		v.mv_data = NULL;
		if ((rc = mdb_put(txn->txn, txn->store->outbox, &k, &v, MDB_RESERVE)) != 0)
			rc = store_lmdb_error(err, rc, _("writing the outbox"));
		else {
			into.at = v.mv_data;
			encode_to(&c, &into);
		}
	}
	if (rc == 0 && n <= OUTBOX_INLINE_MAX) {	/* every text is in it: kept to prepare */
		txn->outbox_commit = xmalloc(sizeof *txn->outbox_commit);
		*txn->outbox_commit = c;
	} else
		audit_commit_free(&c);
	return rc;
}
