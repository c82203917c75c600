/*
 * store-id.c — identifiers from a form's id-format, e.g. JG-{district}-{seq:6} gives
 * JG-610113-000042. Each prefix has a counter in the meta database that only grows, so an id
 * is never given twice, not even after its record is gone or an import brought its own ids.
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

static int
counter_get(struct store_txn *txn, const char *key, uint64_t *n)
{
	MDB_val v;
	int rc = meta_get(txn->txn, txn->store->meta, key, &v);

	*n = 0;
	if (rc == 0 && v.mv_size == 8)
		*n = be64_get(v.mv_data);
	return rc == 0 || rc == MDB_NOTFOUND ? 0 : rc;
}

static int
counter_put(struct store_txn *txn, const char *key, uint64_t n, struct error *err)
{
	unsigned char v[8];

	be64_put(v, n);
	return meta_put(txn->txn, txn->store->meta, key, v, sizeof v, err);
}

int
id_assign(struct store_txn *txn, struct record *rec, struct error *err)
{
	struct id_parts parts;
	char *key, *id = NULL;
	uint64_t n;
	int rc;

	id_parts_make(rec, &parts);
	key = xasprintf("seq/%s", buf_str(&parts.prefix));
	if ((rc = counter_get(txn, key, &n)) != 0) {
		store_lmdb_error(err, rc, _("reading an id counter"));
		goto out;
	}
	do {	/* skip any id taken by an import that did not raise the counter */
		free(id);
		id = xasprintf("%s%0*" PRIu64 "%s", buf_str(&parts.prefix), parts.digits, ++n,
		    buf_str(&parts.suffix));
	} while (store_exists(txn, rec->form, id));
	record_set_raw(rec, 0, id);
	rc = counter_put(txn, key, n, err);
out:
	free(id);
	free(key);
	id_parts_free(&parts);
	return rc == 0 ? 0 : -1;
}

int
id_claim(struct store_txn *txn, const struct record *rec, struct error *err)
{
	struct id_parts parts;
	const char *id = record_id(rec), *digits;
	size_t len = strlen(id), plen, slen, i;
	char *key = NULL;
	uint64_t n, have;
	int rc = -1;

	id_parts_make(rec, &parts);
	plen = parts.prefix.len;
	slen = parts.suffix.len;
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
	if ((rc = counter_get(txn, key, &have)) != 0)
		rc = store_lmdb_error(err, rc, _("reading an id counter"));
	else
		rc = n > have ? counter_put(txn, key, n, err) : 0;
	goto out;
bad:
	error_set(err, ST_REFUSED, _("id %s does not fit this record: expected %s%.*s%s"), id,
	    buf_str(&parts.prefix), parts.digits, "NNNNNNNNNNNN", buf_str(&parts.suffix));
out:
	free(key);
	id_parts_free(&parts);
	return rc;
}
