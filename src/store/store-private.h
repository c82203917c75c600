/*
 * store-private.h — what the files of src/store/ share and nobody else sees: the LMDB handles
 * behind struct store, the record codec, index upkeep and id assignment.
 *
 * Sub-databases: "meta" (format, city, form versions, id counters, index signatures),
 * "divisions" (code → parent NUL name), "rec/FORM" (id → encoded record),
 * "idx/FORM/FIELD" ("value NUL id" → nothing), "uniq/FORM/FIELD" (value → id),
 * "tally/FORM" (values NUL-joined → count, store-tally.c) and "outbox" (sequence number →
 * the audit commit still to make, see store-outbox.c).
 * A bulk transaction holds its new records and index keys in a stage (store-stage.c) until
 * its commit: read records and unique values with txn_get, which sees them.
 */
#ifndef HUITOU_STORE_PRIVATE_H
#define HUITOU_STORE_PRIVATE_H

#include <lmdb.h>

#include "audit/audit.h"
#include "store/policy.h"
#include "store/seal.h"
#include "store/store.h"

struct form_dbs {
	const struct form *form;
	MDB_dbi records;
	MDB_dbi *field_dbi;	/* per field: its index or unique db; used only where flagged */
	MDB_dbi *pair_dbi;	/* per field with index-by: its index of value, other value, id */
	MDB_dbi tally_dbi;	/* "tally": combination of values → how many records (store-tally.c) */
	int tally_at[TALLY_FIELDS_MAX];	/* the tally's fields, by index in the form */
	size_t n_tally;		/* 0: the form has no tally */
	int tally_count_at[TALLY_COUNTS_MAX];	/* "tally-count": its fields, by index */
	size_t n_tally_count;
};

struct store {
	char *dir;
	MDB_env *env;
	const struct formset *forms;
	MDB_dbi meta;
	MDB_dbi divisions;
	MDB_dbi outbox;
	struct audit *audit;		/* opened when first needed */
	uint64_t audit_done_seq;	/* outbox entries up to this are in git */
	bool map_looked;		/* store_release_pages has looked for the map: */
	void *map_at;			/* where data.mdb is mapped (NULL: not found) */
	size_t map_len;
	uint64_t audit_hint_seq;	/* DIR/store/audit-done: what the last flush, by any process,
					 * saw in git; spares a start opening git to find out */
	char *audit_warning;		/* why the last audit commit is still pending */
	bool audit_deferred;		/* commits wait for store_audit_flush */
	bool last_stored;		/* the last store_txn_commit wrote to LMDB */
	struct audit_prepared *audit_prepared;	/* the last write's commit, its objects written
						 * while LMDB committed (store-audit.c) */
	bool unaudited;			/* rebuild's new store: its writes check and commit nothing */
	bool untrusted;			/* the last flush found main not trusted */
	bool anchor_ready;		/* this write's flush found main trusted; the write records: */
	char anchor_next[41];		/* the anchor ("" for a main with no commit) */
	uint64_t anchor_next_seq;	/* and its Outbox-Seq; entries up to it are trimmed */
	struct form_dbs *dbs;	/* parallel to forms->forms */
	char *city_code;
	char *city_name;
	struct division *districts;
	size_t n_districts;
	struct division *streets;
	size_t n_streets;
	struct policy *policy;		/* DATA/forms/policy.rules (store-policy.c) */
	struct store_actor actor;	/* who acts, as store_open and the last write found them */
	struct seal *seal;		/* DIR/seal.key; NULL until made (a directory from before) */
};

/* An id counter as this transaction sees it; written back to meta at commit. */
struct id_counter {
	char *key;
	uint64_t n;
	bool dirty;
};

/* A change made in a transaction, as the audit commit will show it. */
struct txn_change {
	const struct form *form;
	const char *path;	/* in the transaction's text pool */
	char *summary;		/* one line in words, for a commit of this change alone */
	const char *district;	/* for the District trailer; may be ""; in the pool */
	bool created;		/* a new record (a Creates trailer beside a named Record) */
};

/* Short texts that live as long as a transaction, in blocks that never move: an import
 * notes 100,000 paths, and as as many allocations they would scatter the heap between the
 * rows' short-lived ones, which slows every later malloc (LMDB's pages among them). */
struct text_pool {
	char **blocks;
	size_t n_blocks;
	char *next;		/* the free end of the last block */
	size_t left;		/* and how many bytes it has */
};

struct stage;

struct store_txn {
	struct store *store;
	MDB_txn *txn;
	bool write;
	struct stage *stage;		/* bulk: what waits to be written in key order */
	struct buf encoded;		/* the last record encoded, kept for its room */
	int lock_fd;		/* a write holds the audit lock from begin to its git commit */
	const struct record *ctx_record;	/* the record store_field_ctx answers for */
	struct id_counter *counters;		/* a handful: one per id prefix touched */
	size_t n_counters;
	struct txn_change *changes;
	size_t n_changes, changes_cap;
	struct text_pool change_texts;
	struct audit_commit extra;		/* files besides records (forms, divisions) */
	bool no_audit;				/* rebuild: records come from git */
	char *action;				/* the Action trailer, e.g. record.update */
	char *subject;				/* NULL: made from the changes */
	char *body;
	char *trailers;				/* "Key: value" lines besides the usual ones */
	char *record;				/* the Record trailer's id (store_txn_set_record) */
	struct buf persons;			/* "Person: ID NAME" lines (store-words.c) */
	size_t n_persons;
	bool always_commit;			/* a commit even with no file (a recovery) */
	struct audit_commit *outbox_commit;	/* the outbox entry's commit, when it holds
						 * every text (a save): prepared early */
	bool actor_checked;		/* the actor's user record read again in this write */
	bool policy_setup;		/* init's first person: no one yet to ask */
	bool denied;			/* the policy refused a change in this transaction */
	bool moving;			/* a move: by-move fields may change (store_txn_allow_moves) */
	struct tally_changes *tally;	/* the tallies' changes, written at commit (store-tally.c) */
	char *unreasoned;	/* "label (name) of ID": a change of a "reason" field, which the
				 * commit refuses without a Reason trailer (store_txn_commit) */
};

/* store-env.c */
int store_create_store_only(const char *dir, const struct division_row *city,
    const struct division_row *divisions, size_t n, struct error *err);
int store_lmdb_error(struct error *err, int rc, const char *what);
int store_env_open(const char *dir, MDB_env **out, struct error *err);
/* The map size the store of DIR opens with (store-mapsize.c); DIR/map-size written whole. */
size_t store_map_size_for(const char *dir);
int store_map_size_copy(const char *dir, const char *tmp, struct error *err);
/* Whether DIR's disk has room for a new store (store-rebuild.c): LMDB would SIGBUS without. */
int store_check_room(const char *dir, bool as_big_as_store, struct error *err);
int meta_get(MDB_txn *txn, MDB_dbi meta, const char *key, MDB_val *out);
int meta_put(MDB_txn *txn, MDB_dbi meta, const char *key, const void *data, size_t len,
    struct error *err);
struct form_dbs *store_form_dbs(struct store *store, const struct form *form);

/* A write transaction under the audit lock fd the caller took (store_txn_begin checks first). */
int txn_begin_locked(struct store *store, int fd, struct store_txn **out, struct error *err);

/* store-trust.c: the anchor, read and written in meta, and main checked against it. */
#define ANCHOR_KEY "audit/anchor"
int anchor_read(MDB_txn *txn, MDB_dbi meta, char oid[41], uint64_t *seq, bool *found);
int anchor_write(struct store_txn *txn, struct error *err);	/* store->anchor_next */
int trust_check_locked(struct store *store, MDB_txn *txn, struct store_trust *t,
    struct error *err);
/* t's case as err (ST_FAILED), with the commits involved. */
int trust_refuse(struct store *store, const struct store_trust *t, struct error *err);
uint64_t outbox_seq_read(MDB_txn *txn, MDB_dbi meta);

/* store-record.c: rewrites a restored record with the version git recorded. */
int store_restore_version(struct store_txn *txn, const struct record *rec, struct error *err);
/* store_get with one lookup, where absence is no error: *out NULL then. */
int store_get_if_present(struct store_txn *txn, const struct form *form, const char *id,
    struct record **out, struct error *err);

/* store-text.c: private fields sealed with seal (seal.h); with no seal they are written
 * "sealed:none", never plain. Reading opens sealed values, and takes a plain one (a record
 * committed before its form made the field private) as it is. */
void record_text(const struct record *rec, const struct seal *seal, struct buf *out);
int record_from_text(const struct form *form, const struct seal *seal, const char *text,
    size_t len, struct record **out, struct error *err);
/* store-mask.c: DIR/seal.key made before the first write where it is missing; meta's
 * SEAL_META_KEY says one was made, so a lost key is never silently replaced. */
#define SEAL_META_KEY "seal/made"
int store_seal_ensure(struct store *store, struct error *err);
char *record_path(const struct form *form, const char *id);
const struct form *record_path_form(const struct formset *forms, const char *path);

/* store-outbox.c */
void txn_note_change(struct store_txn *txn, const struct record *old, const struct record *rec);
void txn_changes_free(struct store_txn *txn);
/* store-words.c: the people the changed fields of rec refer to, for Person trailers; one
 * field's change as an auditor reads it, "办学状态 持证→停办", "责任人 →RY-00012(徐明)" (option
 * labels, 是/否, a referenced record's name beside its id, control bytes escaped). */
void txn_note_persons(struct store_txn *txn, const struct record *old, const struct record *rec);
void store_change_words(struct store_txn *txn, const struct field *f, const char *was,
    const char *now, struct buf *out);
int outbox_write(struct store_txn *txn, struct error *err);
/* An outbox file whose text is made from the store when its commit is made. */
#define OUTBOX_FROM_STORE ((size_t)-1)
#define OUTBOX_INLINE_MAX 64	/* commits of more records name them, not their texts */
void outbox_encode(const struct audit_commit *c, struct buf *b);
int outbox_decode(const void *data, size_t len, struct audit_commit *c, struct error *err);
/* The same with the files' texts not copied but pointing into data (megabytes: a month's
 * lists), which must outlive c; outbox_unborrow before audit_commit_free. */
int outbox_decode_borrowed(const void *data, size_t len, struct audit_commit *c,
    struct error *err);
void outbox_unborrow(struct audit_commit *c, const void *data, size_t len);
/* Who, when and the message only: no files. */
int outbox_decode_header(const void *data, size_t len, struct audit_commit *c, struct error *err);

/* store-audit.c: commits what the outbox holds; the caller holds the audit lock. */
int store_audit_flush_locked(struct store *store, struct error *err);
void audit_hint_load(struct store *store);
void audit_hint_close(struct store *store);
void audit_hint_reset(struct store *store, uint64_t seq);
/* The commit of a write's outbox entry, its objects written in another thread while LMDB
 * commits: started (NULL when it cannot be), then joined, which leaves it in
 * store->audit_prepared for the flush. */
struct audit_prepare_job;
struct audit_prepare_job *audit_prepare_start(struct store *store, const struct audit_commit *c);
void audit_prepare_join(struct store *store, struct audit_prepare_job *job);	/* writes it when this process made commits */
bool outbox_has_newer(struct store *store, MDB_txn *txn);

/* store-policy.c: the actor and the policy at store_open; the check of every write; the
 * policy file into the audit commit when its text is not the one git has. */
int store_policy_open(struct store *store, struct error *err);
void store_policy_close(struct store *store);
int store_policy_check(struct store_txn *txn, const struct record *old, const struct record *rec,
    struct error *err);
int store_policy_add_if_changed(struct store_txn *txn, struct error *err);
/* The same against git's copy (NULL: git has none) instead of what the store last committed:
 * a recovery makes main's tree the store's state whatever main holds. */
int store_policy_add_unless_in_git(struct store_txn *txn, const char *git_text, size_t len,
    struct error *err);
/* store_create: the login that makes a store may set it up before anyone is registered. */
int store_policy_mark_founder(MDB_txn *txn, MDB_dbi meta, struct error *err);

/* store-divisions.c */
int store_divisions_write(MDB_txn *txn, MDB_dbi dbi, const struct division_row *rows, size_t n,
    struct error *err);
int store_divisions_load(struct store *store, MDB_txn *txn, struct error *err);
void store_divisions_free(struct store *store);
void store_divisions_text(const struct store *store, struct buf *out);

/* store-codec.c */
void record_encode(const struct record *rec, struct buf *out);
int record_decode(const struct form *form, const char *id, const void *data, size_t len,
    struct record **out, struct error *err);
/* values[j] gets the value of field fields[j] only ("" when empty), pointing into data; the
 * decode stops at the last field wanted. */
int record_decode_borrowed(const struct form *form, const char *id, const void *data, size_t len,
    const int *fields, size_t n, const char **values, struct error *err);

/* store-index.c */
int store_index_open(struct store *store, MDB_txn *txn, bool create, struct error *err);
#define INDEX_VALUE_MAX 400	/* an index key holds this much of a value, then the id */
void index_key(struct buf *key, const char *value, const char *id);
void pair_key(struct buf *key, const char *value, const char *second, const char *id);
int index_check_unique(struct store_txn *txn, const struct record *old,
    const struct record *rec, struct error *err);
int index_update(struct store_txn *txn, const struct record *old, const struct record *rec,
    struct error *err);

/* store-tally.c: counts of records per combination of a form's tally fields, kept in
 * "tally/FORM" (values joined by NUL → a big-endian count) by the write path. */
/* Opens (create: makes) the form's tally database; 1 when it must be made, -1 on error. */
int tally_open(MDB_txn *txn, struct form_dbs *dbs, bool create, struct error *err);
void tally_signature(const struct form *form, struct buf *out);
void tally_note(struct store_txn *txn, const struct record *old, const struct record *rec);
int tally_flush(struct store_txn *txn, struct error *err);
void tally_free(struct store_txn *txn);
/* Counts the form's records by combination and compares with its tally: each difference is
 * passed to report as a line and counted in *differences (huitou verify). */
int tally_check(struct store_txn *txn, const struct form *form,
    void (*report)(void *arg, const char *line), void *arg, size_t *differences,
    struct error *err);

/* store-stage.c */
void stage_begin(struct store_txn *txn, size_t input_bytes);
void stage_free(struct store_txn *txn);
int stage_get(const struct store_txn *txn, MDB_dbi dbi, const MDB_val *key, MDB_val *data);
void stage_put(struct store_txn *txn, MDB_dbi dbi, const MDB_val *key, const MDB_val *data,
    bool lookup);
bool stage_takes(const struct store_txn *txn, MDB_dbi dbi, const MDB_val *key, bool is_new);
int stage_flush(struct store_txn *txn, struct error *err);
int txn_get(struct store_txn *txn, MDB_dbi dbi, MDB_val *key, MDB_val *data);

/* store-id.c */
int id_assign(struct store_txn *txn, struct record *rec, struct error *err);
int id_claim(struct store_txn *txn, const struct record *rec, struct error *err);
int id_counters_flush(struct store_txn *txn, struct error *err);
void id_counters_free(struct store_txn *txn);

/* Big-endian integers, so plain byte order sorts numbers right. */
static inline void
be64_put(unsigned char *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)(v & 0xff);
}

static inline uint64_t
be64_get(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

/* The transaction behind a field_ctx that store_field_ctx filled; NULL for any other. */
struct store_txn *store_ctx_txn(const struct field_ctx *ctx);

#endif
