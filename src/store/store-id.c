/*
 * store-id.c — identifiers from a form's id-format, e.g. JG-{district}-{seq:6} gives
 * JG-610113-000042. Each prefix has a counter in the meta database that only grows, so an id
 * is never given twice, not even after its record is gone or an import brought its own ids.
 * A transaction keeps the counters it touches in memory and writes them back at commit, so an
 * import of 100,000 rows reads and writes each counter once.
 */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store-private.h"

struct id_parts {
	struct buf prefix;
	struct buf suffix;
	int digits;
};

static void
id_parts_make(const struct record *rec, struct id_parts *parts)
{
	const char *s = rec->form->id_format;
	struct buf *to = &parts->prefix;

	memset(parts, 0, sizeof *parts);
	while (*s != '\0') {
		const char *end;
		char *name;

		if (*s != '{' || (end = strchr(s, '}')) == NULL) {
			buf_addc(to, *s++);
			continue;
		}
		name = xstrndup(s + 1, (size_t)(end - s - 1));
		if (str_starts(name, "seq:")) {
			parts->digits = atoi(name + 4);
			to = &parts->suffix;
		} else {
			const char *v = record_get(rec, name);

			buf_adds(to, v != NULL ? v : "");
		}
		free(name);
		s = end + 1;
	}
}

static void
id_parts_free(struct id_parts *parts)
{
	buf_free(&parts->prefix);
	buf_free(&parts->suffix);
}

static struct id_counter *
counter_find(struct store_txn *txn, const char *key, struct error *err)
{
	struct id_counter *c;
	MDB_val v;
	int rc;

	for (size_t i = 0; i < txn->n_counters; i++)
		if (str_eq(txn->counters[i].key, key))
			return &txn->counters[i];
	rc = meta_get(txn->txn, txn->store->meta, key, &v);
	if (rc != 0 && rc != MDB_NOTFOUND) {
		store_lmdb_error(err, rc, _("reading an id counter"));
		return NULL;
	}
	txn->counters = xrealloc(txn->counters, (txn->n_counters + 1) * sizeof *txn->counters);
	c = &txn->counters[txn->n_counters++];
	c->key = xstrdup(key);
	c->n = rc == 0 && v.mv_size == 8 ? be64_get(v.mv_data) : 0;
	c->dirty = false;
	return c;
}

int
id_counters_flush(struct store_txn *txn, struct error *err)
{
	unsigned char v[8];

	for (size_t i = 0; i < txn->n_counters; i++) {
		if (!txn->counters[i].dirty)
			continue;
		be64_put(v, txn->counters[i].n);
		if (meta_put(txn->txn, txn->store->meta, txn->counters[i].key, v, sizeof v, err) != 0)
			return -1;
		txn->counters[i].dirty = false;
	}
	return 0;
}

void
id_counters_free(struct store_txn *txn)
{
	for (size_t i = 0; i < txn->n_counters; i++)
		free(txn->counters[i].key);
	free(txn->counters);
	txn->counters = NULL;
	txn->n_counters = 0;
}

int
id_assign(struct store_txn *txn, struct record *rec, struct error *err)
{
	struct id_parts parts;
	struct id_counter *c;
	char *key, *id = NULL;

	id_parts_make(rec, &parts);
	key = xasprintf("seq/%s", buf_str(&parts.prefix));
	if ((c = counter_find(txn, key, err)) != NULL) {
		do {	/* skip an id taken by an import that did not raise the counter */
			free(id);
			id = xasprintf("%s%0*" PRIu64 "%s", buf_str(&parts.prefix), parts.digits,
			    ++c->n, buf_str(&parts.suffix));
		} while (store_exists(txn, rec->form, id));
		c->dirty = true;
		record_set_raw(rec, 0, id);
	}
	free(id);
	free(key);
	id_parts_free(&parts);
	return c != NULL ? 0 : -1;
}

/* Whether text is a value the form's field `name` takes as it is (a real district's code …). */
static bool
part_is_value(struct store_txn *txn, const struct record *rec, const char *name,
    const char *text, size_t len)
{
	int i = form_field_index(rec->form, name);
	char *part = xstrndup(text, len), *value = NULL;
	struct error err = ERROR_INIT;
	struct field_ctx ctx;
	bool ok;

	store_field_ctx(txn, rec, &ctx);
	ok = i >= 0 && record_parse_input(rec->form, (size_t)i, part, &ctx, &value, &err) == 0 &&
	    str_eq(value, part);
	error_clear(&err);
	free(value);
	free(part);
	return ok;
}

/* An id made from another district than the record's raises that district's counter: only a
 * rebuild, or a role that writes every record (the import of a whole export), claims one. */
static bool
may_claim_moved(const struct store_txn *txn)
{
	const struct store *store = txn->store;

	return txn->no_audit ||
	    (store->policy != NULL && policy_writes_everything(store->policy, &store->actor) != NULL);
}

/*
 * Whether id has the format's shape with other field values than the record's now: a record
 * keeps its id when its district changes, so an import of its export or a rebuild claims an id
 * made from the district it had. The literal text must match, each {FIELD} be a value the field
 * takes (a real district's code), and the sequence number have exactly its digits;
 * *prefix_len gets the length before the sequence number (seq_digits of them, then suffix).
 */
static bool
id_fits_shape(struct store_txn *txn, const struct record *rec, const char *id,
    size_t seq_digits, size_t suffix_len, size_t *prefix_len)
{
	const char *fmt = rec->form->id_format, *p = id;
	size_t len = strlen(id), end;

	if (len < seq_digits + suffix_len + 1)
		return false;
	end = len - seq_digits - suffix_len;
	for (size_t i = end; i < end + seq_digits; i++)
		if (!isdigit((unsigned char)id[i]))
			return false;
	while (*fmt != '\0' && !str_starts(fmt, "{seq:")) {
		const char *close = strchr(fmt, '}');
		const char *stop = id + end;
		char *name;
		bool ok;

		if (*fmt != '{' || close == NULL) {
			if (p >= id + end || *p++ != *fmt++)
				return false;
			continue;
		}
		name = xstrndup(fmt + 1, (size_t)(close - fmt - 1));
		fmt = close + 1;	/* a field's value: up to the next literal character */
		if (*fmt != '\0' && *fmt != '{' &&
		    (stop = memchr(p, *fmt, (size_t)(id + end - p))) == NULL)
			stop = p;
		ok = stop != p && part_is_value(txn, rec, name, p, (size_t)(stop - p));
		free(name);
		if (!ok)
			return false;
		p = stop;
	}
	*prefix_len = end;
	return p == id + end;
}

int
id_claim(struct store_txn *txn, const struct record *rec, struct error *err)
{
	struct id_parts parts;
	const char *id = record_id(rec), *digits;
	size_t len = strlen(id), plen, slen, i;
	struct id_counter *c;
	char *key = NULL;
	uint64_t n;
	int rc = -1;

	id_parts_make(rec, &parts);
	plen = parts.prefix.len;
	slen = parts.suffix.len;
	if ((len <= plen + slen || strncmp(id, buf_str(&parts.prefix), plen) != 0) &&
	    may_claim_moved(txn) && id_fits_shape(txn, rec, id, (size_t)parts.digits, slen, &plen)) {
		buf_reset(&parts.prefix);	/* made from an earlier value: its counter */
		buf_add(&parts.prefix, id, plen);
	}
	if (len <= plen + slen || strncmp(id, buf_str(&parts.prefix), plen) != 0 ||
	    strcmp(id + len - slen, buf_str(&parts.suffix)) != 0)
		goto bad;
	digits = id + plen;
	for (i = 0; i < len - plen - slen; i++)
		if (!isdigit((unsigned char)digits[i]))
			goto bad;
	if (len - plen - slen > 18)
		goto bad;
	n = strtoull(digits, NULL, 10);
	key = xasprintf("seq/%s", buf_str(&parts.prefix));
	if ((c = counter_find(txn, key, err)) != NULL && n > c->n) {
		c->n = n;
		c->dirty = true;
	}
	rc = c != NULL ? 0 : -1;
	goto out;
bad:
	error_set(err, ST_REFUSED, _("id %s does not fit this record: expected %s%.*s%s"), id,
	    buf_str(&parts.prefix), parts.digits, "NNNNNNNNNNNN", buf_str(&parts.suffix));
out:
	free(key);
	id_parts_free(&parts);
	return rc;
}
