/*
 * store.h — the public face of src/store/: records described by forms, kept in one LMDB
 * environment under DATA_DIR/store/ with a sub-database per record type and per index.
 *
 * Guarantees: every write happens in one LMDB transaction (all of an import or none of it);
 * a record carries a version and an update against a stale version is refused, never lost;
 * identifiers are assigned from counters that only grow, so an id is never reused.
 */
#ifndef HUITOU_STORE_H
#define HUITOU_STORE_H

#include "base/base.h"
#include "store/form.h"

#define STORE_FORMAT 1	/* the layout of the LMDB environment this build reads and writes */

/* A record: one canonical string per field of its form, "" for empty. values[0] is the id. */
struct record {
	const struct form *form;
	uint64_t version;	/* 0 until the store has it */
	/* One per field, never NULL; made by the codec or record.c, changed only by record.c. */
	char **values;
	uint64_t borrowed;	/* bit i: values[i] is not the record's (record_set_borrowed) */
};

struct record *record_new(const struct form *form);	/* empty values, defaults applied */
struct record *record_copy(const struct record *rec);
/* Sets a checked value without copying it: it must outlive the record, or the field's next
 * set. The import's rows, checked on another thread, are set so. */
void record_set_borrowed(struct record *rec, size_t field, const char *value);
void record_free(struct record *rec);
const char *record_id(const struct record *rec);
const char *record_get(const struct record *rec, const char *field);
void record_set_raw(struct record *rec, size_t field, const char *value);
/* Validates input for one field through its type; err says "label (name): reason". */
int record_set_input(struct record *rec, const char *field, const char *input,
    const struct field_ctx *ctx, struct error *err);
int record_set_input_at(struct record *rec, size_t field, const char *input,
    const struct field_ctx *ctx, struct error *err);
/* What record_set_input_at would set (caller frees *value), or its refusal, the field named
 * as it names it; nothing is set. */
int record_parse_input(const struct form *form, size_t field, const char *input,
    const struct field_ctx *ctx, char **value, struct error *err);
/* Required fields hold something visible (a zero-width space alone does not count). */
int record_check_required(const struct record *rec, struct error *err);
/*
 * The form's rules over the whole record (record-rules.c): required fields, and a street that
 * lies in its `within` district, both named when it does not; ctx answers the city's
 * divisions (store_field_ctx), or NULL to compare codes. The store checks them before every
 * insert and update.
 */
int record_check_rules(const struct record *rec, const struct field_ctx *ctx,
    struct error *err);
/* After field `changed` was set: if it is a district, each street `within` it that does not
 * lie in it (or is left without a district) is cleared. record_set_input_at calls it; a
 * caller that sets checked values itself (record_set_borrowed) calls it after each. */
void record_follow_change(struct record *rec, size_t changed, const struct field_ctx *ctx);
/* Field differences as "name: old → new" lines, for conflicts and logs; caller frees. */
char *record_describe_changes(const struct record *from, const struct record *to);

/* A division of the city kept in the store, loaded by init from the GB/T 2260 table. */
struct division_row {
	char code[16];
	char parent[16];
	char *name;
};

struct store;
struct store_txn;

/* Creates DIR/store and DIR/audit.git for a city; the first commit holds the divisions. */
int store_create(const char *dir, const struct division_row *city,
    const struct division_row *divisions, size_t n, struct error *err);
/* The first audit commit, made once after store_create: divisions.csv, the forms, the
 * policy and the user record of the login running it, the first city coordinator. */
int store_commit_setup(struct store *store, struct error *err);
int store_open(const char *dir, const struct formset *forms, struct store **out,
    struct error *err);
/* Whether DIR/store's own files are damaged (missing, empty, truncated, refused by LMDB), the
 * case "rebuild" is for; read only. */
bool store_is_damaged(const char *dir);
/*
 * Who acts and what the policy lets them write (store-policy.c, forms/README.md). store_open
 * resolves the real uid's login to its user record; an unknown or inactive login is refused
 * (ST_REFUSED, reading included) and the refusal logged. Every store_insert and store_update
 * is checked against DATA/forms/policy.rules; a refusal is ST_REFUSED, names the rule and is
 * appended to DATA/security.log.
 */
struct store_actor {
	char *login;
	char *id;		/* their user record; NULL for the founder before anyone is registered */
	char *role;		/* a role's value, e.g. district_coordinator */
	char *district;		/* a district's code, or "" */
	char *street;		/* a street's code, or "" */
};
const struct store_actor *store_actor(const struct store *store);
/* Reads the actor's user record again (a long-running console between keys): a login made
 * inactive or removed meanwhile is refused from then on, reading included, and logged. */
int store_actor_check(struct store *store, struct error *err);
/* Whether the actor may change old (NULL: nothing, a new record) into rec; err names the
 * rule that refuses. Asks only: nothing is logged (the write path logs what it refuses). */
int store_may_write(struct store *store, const struct record *old, const struct record *rec,
    struct error *err);
/*
 * Private fields (the form flag "private", store-mask.c): whether the actor may read field i
 * of rec by the policy's read rules; rec with every private value the actor may not read
 * replaced by store_withheld() (〔不公开〕), returning how many, for showing only (a masked
 * record is never written back); a change of a private value refused when its writer may not
 * read it (store_may_write asks it).
 */
bool store_may_read(const struct store *store, const struct record *rec, size_t field);
size_t store_mask_record(const struct store *store, struct record *rec);
/* The values rec holds as store_withheld() where the actor may not read them, from the
 * stored record (a form shown masked, saved with other changes). */
int store_unmask_record(struct store_txn *txn, struct record *rec, struct error *err);
/* The same for a change (history): a changed value stays a change, 〔不公开〕→〔不公开，已改〕. */
void store_mask_change(const struct store *store, struct record *before, struct record *after);
const char *store_withheld(void);
bool store_form_has_private(const struct form *form);
int store_check_private_change(const struct store *store, const struct record *old,
    const struct record *rec, struct error *err);
/* The name of the rule that refuses that change, or NULL when it is allowed. */
const char *store_refusing_rule(struct store *store, const struct record *old,
    const struct record *rec);
/* Whether the actor may recover the store (recover --from-git or --keep-store): a change of
 * the whole store, so only for a role the policy lets write every record; a refusal is logged. */
int store_may_recover(struct store *store, struct error *err);
/* Whether the policy refused a change in txn: a batch (an import) stops whole then, since
 * leaving out what the actor may not write is not the actor's to decide row by row. */
bool store_txn_denied(const struct store_txn *txn);
/* Whether the actor may make some new record of form (one of their own district). */
int store_may_create(struct store *store, const struct form *form, struct error *err);
/* Init's setup commit: DATA/forms/policy.rules written from the shipped one when missing, and
 * the first person, the login running it, as city coordinator. */
int store_setup_policy(struct store_txn *txn, struct error *err);
/* After a scan of many records: their pages of the map leave this process's resident memory. */
void store_release_pages(struct store *store);
void store_close(struct store *store);
const struct formset *store_forms(const struct store *store);
const char *store_city_code(const struct store *store);
const char *store_city_name(const struct store *store);
/* The city's divisions; a district when level is DIV_DISTRICT, a street otherwise. */
const struct division *store_division_find(const struct store *store, const char *code_or_name,
    enum division_level level, const char *parent);
size_t store_division_count(const struct store *store, enum division_level level);
const struct division *store_division_at(const struct store *store, enum division_level level,
    size_t i);

/* Transactions: at most one write transaction at a time across all processes. */
int store_txn_begin(struct store *store, bool write, struct store_txn **out,
    struct error *err);
/*
 * A write begins only when main can be trusted (store_trust_check) and every commit the outbox
 * holds is in git, and when a commit could be written now (folders writable, room on the
 * disk); otherwise it is refused (ST_FAILED) with a sentence saying why and what to run, and
 * a line in DIR/security.log.
 *
 * Commits to LMDB, with the audit commit to make in the outbox, then makes that commit in
 * git. If only the git step fails the change is in the store but not acknowledged: the
 * commit fails (ST_FAILED, "not saved" in words, store_audit_warning() says why) and every
 * later write is refused until the commit is made, so the backlog never grows.
 */
int store_txn_commit(struct store_txn *txn, struct error *err);
void store_txn_abort(struct store_txn *txn);
/* Whether the last store_txn_commit wrote its change to the store, even when it then failed
 * because the audit commit could not be made: the record exists (with its id), unacknowledged. */
bool store_txn_stored(const struct store *store);
/*
 * Announces many inserts (an import, a rebuild): new records and their index keys are held
 * back and written in key order before the commit, which fills LMDB's pages instead of
 * splitting them. The transaction reads them as before; nothing else changes. input_bytes,
 * the size of what is loaded (a CSV file's) or 0, lets the stage be sized once.
 */
void store_txn_bulk(struct store_txn *txn, size_t input_bytes);
/* What the commit says: an Action trailer (e.g. record.import) and, if not NULL, the subject
 * and a body; without them the subject is made from the changes. */
void store_txn_describe(struct store_txn *txn, const char *action, const char *subject,
    const char *body);
/* A trailer besides Action, Record, District and Count (e.g. "Reverts", a commit id). */
void store_txn_add_trailer(struct store_txn *txn, const char *key, const char *value);
/* The record the commit is about when it writes several (a move and what its effects wrote):
 * its Record trailer names id, and each other record gets a Creates or Changes trailer. */
void store_txn_set_record(struct store_txn *txn, const char *id);
/* A rules file kept with the forms (forms/NAME.states, forms/deadlines.rules): the commit adds
 * it at path when its text is not the one the store last committed there. */
int store_txn_add_rules_file(struct store_txn *txn, const char *path, const char *text,
    struct error *err);
/* Whether path is such a rules file (forms/ and not a form): verify, rebuild and recover
 * leave those files to the casework. */
bool store_is_rules_path(const char *path);
/* The commit gets the annotated tag name (a "Tag" trailer; audit.h): tagger its author, message
 * its subject and body; made with the commit, and by a replay after a crash. */
void store_txn_tag(struct store_txn *txn, const char *name);
/* One file of the tree the tag names; *content NULL when absent (caller frees). */
int store_tag_file(struct store *store, const char *tag, const char *path, char **content,
    size_t *len, struct error *err);
/* A file besides the records that the commit adds (e.g. the divisions table). */
void store_txn_add_file(struct store_txn *txn, const char *path, const char *content,
    size_t len);
/* The same with content (malloc'd) taken, not copied: the transaction frees it. */
void store_txn_take_file(struct store_txn *txn, const char *path, char *content, size_t len);
/* What field validation needs, answered from this transaction for the record rec. */
void store_field_ctx(struct store_txn *txn, const struct record *rec, struct field_ctx *out);

/* The transaction is a move (src/campaign/move.c): its updates may change "by-move" fields,
 * which store_update otherwise refuses to change (forms/README.md). */
void store_txn_allow_moves(struct store_txn *txn);

/* What names the record id where it is referred to: its form's title field ("title" in
 * forms/README.md), else the id itself (no title, no such record). Caller frees. */
char *store_record_title(struct store_txn *txn, const struct form *form, const char *id);

/* The value of a commit message's last "KEY: value" line (a trailer such as Reason), or
 * NULL; caller frees. */
char *store_message_trailer(const char *message, const char *key);

int store_get(struct store_txn *txn, const struct form *form, const char *id,
    struct record **out, struct error *err);
/* The values of the fields numbered fields[0..n-1] of many records, nothing else decoded
 * (the lists' names and streets of 500,000 members): fn(arg, i, values) with values[j] field
 * fields[j] of record ids[i], pointing into the store (fn's to read during the call only). One cursor moves from
 * id to id, so ids in ascending byte order that share a leaf page cost no descent of the tree
 * (the lists' members, in id order); any order gives the same values. An id that is not a
 * record stops the walk (ST_REFUSED). */
int store_get_values_many(struct store_txn *txn, const struct form *form,
    const char *const *ids, size_t n_ids, const int *fields, size_t n,
    void (*fn)(void *arg, size_t i, const char *const *values), void *arg, struct error *err);
bool store_exists(struct store_txn *txn, const struct form *form, const char *id);
/* Assigns an id when the record has none; otherwise the id must fit the form's id-format. */
int store_insert(struct store_txn *txn, struct record *rec, struct error *err);
/* rec->version is the version it was read at; a record changed since is a conflict. */
int store_update(struct store_txn *txn, struct record *rec, struct error *err);
int store_count(struct store_txn *txn, const struct form *form, size_t *n, struct error *err);
/* Calls fn for each record in id order; fn returning non-zero stops and is returned. */
int store_foreach(struct store_txn *txn, const struct form *form,
    int (*fn)(const struct record *rec, void *arg), void *arg, struct error *err);
/* Every id of a form in id order, without decoding records; caller frees with strv_free. */
int store_list_ids(struct store_txn *txn, const struct form *form, char ***ids, size_t *n,
    struct error *err);
/*
 * Calls fn for each record in id order with only the wanted fields (one flag per field of the
 * form) and the id filled in, "" elsewhere; the record is fn's to read, not to keep. When
 * every wanted field is indexed the values come from the indexes and no record is decoded
 * (counts over 100,000 records); otherwise the whole records are read, as store_foreach does.
 */
int store_scan_fields(struct store_txn *txn, const struct form *form, const bool *wanted,
    int (*fn)(const struct record *rec, void *arg), void *arg, struct error *err);

/* A chunk at a time (store-chunk.c): up to max ids, or records, after the id `after` (from the
 * first for NULL), in id order. fn returning non-zero stops and is returned. */
int store_scan_ids(struct store_txn *txn, const struct form *form, const char *after, size_t max,
    void (*fn)(void *arg, const char *id, size_t len), void *arg, struct error *err);
int store_scan_records(struct store_txn *txn, const struct form *form, const char *after,
    size_t max, int (*fn)(const struct record *rec, void *arg), void *arg, struct error *err);
/* Calls fn with each id whose indexed or unique field equals value, in id order, without
 * copying them: the id lies where the store keeps it, readable until txn writes or ends (the
 * evaluation keeps a city's banned institutions so, not copying 30,000 ids). */
int store_each_by(struct store_txn *txn, const struct form *form, const char *field,
    const char *value, void (*fn)(void *arg, const char *id, size_t len), void *arg,
    struct error *err);
/* Comparisons an index answers: its values in byte order, which is the order of dates. */
enum store_cmp { STORE_EQ, STORE_LT, STORE_LE, STORE_GT, STORE_GE };
/* Calls fn with each id whose indexed (not unique) field's value v holds v CMP bound, empty
 * values left out; in value order, and in id order within a value. */
int store_each_in_range(struct store_txn *txn, const struct form *form, const char *field,
    enum store_cmp cmp, const char *bound, void (*fn)(void *arg, const char *id, size_t len),
    void *arg, struct error *err);
/* The ids of records whose indexed or unique field equals value; caller frees with strv_free. */
int store_find_by(struct store_txn *txn, const struct form *form, const char *field,
    const char *value, char ***ids, size_t *n, struct error *err);

/* Files besides the records (store-files.c): path as main holds it now (*text NULL when
 * absent; caller frees), and each file the commit rev of main changed, with its text after
 * it (NULL: deleted); fn returning non-zero stops and is returned. */
int store_head_file(struct store *store, const char *path, char **text, struct error *err);
typedef int (*store_file_fn)(void *arg, const char *path, const char *text, size_t len);
int store_commit_files(struct store *store, const char *rev, store_file_fn fn, void *arg,
    struct error *err);

/* The audit record (store-audit.c, store-verify.c, store-rebuild.c). */
int store_audit_flush(struct store *store, struct error *err);
int store_audit_replay(struct store *store, struct error *err);
/* With defer, commits wait in the outbox until store_audit_flush (benchmarks time the two
 * steps apart; they are as safe as after a crash). */
void store_audit_defer(struct store *store, bool defer);
const char *store_audit_warning(const struct store *store);
/* The Outbox-Seq of the newest commit this process knows is in git (after a save: its own). */
uint64_t store_audit_done_seq(const struct store *store);
/* Whether commits wait in the outbox that git lacks, whichever process made them (for the
 * console's status line). */
bool store_audit_pending(struct store *store);
int store_maintain(struct store *store, size_t *packed, struct error *err);
/* The LMDB map size (store-mapsize.c): "64M", "1G" or bytes, at least 1M; the site
 * configuration's for every store this process opens; DIR/map-size for a data directory
 * (init --map-size), grown by maintain --map-size (refused below what the store uses). */
int store_map_size_parse(const char *text, size_t *out, struct error *err);
void store_map_size_from_site(size_t bytes);
int store_map_size_write(const char *dir, size_t bytes, struct error *err);
int store_map_size_grow(struct store *store, size_t bytes, struct error *err);
int store_push(struct store *store, const char *url, struct error *err);
/* A push to a configured remote, recorded in DATA/pushed/NAME when it succeeds; the lag of
 * one: commits main has that the last recorded push did not send, the commit time of the
 * oldest of them (0: none behind), and that push (store-replica.c). */
int store_push_named(struct store *store, const char *name, const char *url, struct error *err);
struct store_replica_lag {
	char pushed[41];	/* "" when no push is recorded */
	time_t pushed_at;	/* 0 when none */
	size_t behind;
	time_t behind_since;
};
int store_replica_lag(struct store *store, const char *name, struct store_replica_lag *lag,
    struct error *err);

/* One commit of the history; before/after are the record in the parent and in the commit
 * when the history is of one record (NULL where it did not exist). */
struct store_history {
	const char *commit;
	const char *author_name;
	const char *author_email;
	time_t when;
	const char *message;
	struct record *before;
	struct record *after;
};
typedef int (*store_history_fn)(void *arg, const struct store_history *h);
/* Newest first; with an id, only the commits that changed that record. */
int store_history(struct store *store, const struct form *form, const char *id,
    store_history_fn fn, void *arg, struct error *err);

/*
 * Undo as a new commit (store-revert.c): every field the commit rev changed is set back to
 * its value before it, for every record it changed, in one write transaction and one audit
 * commit (Action record.revert, a Reverts trailer). Refused (ST_REFUSED, nothing written)
 * when such a field has been changed since, when the commit created records (records are
 * never deleted), or when it changed no record.
 */
struct store_revert {
	char commit[41];	/* the commit reverted, in full */
	char *subject;		/* its subject */
	size_t records;		/* how many records it changed */
};
/* Whether rev could be reverted now, and what it is, for a question before; writes nothing. */
int store_revert_check(struct store *store, const char *rev, struct store_revert *out,
    struct error *err);
int store_revert(struct store *store, const char *rev, struct store_revert *out,
    struct error *err);
void store_revert_clear(struct store_revert *r);	/* frees what out holds, not out */
/* The last commit of main that login made (author login@…) and that is neither an undo (a
 * Reverts trailer) nor undone by a later one: "huitou undo"'s target, so repeated undos walk
 * back. ST_REFUSED when there is none. */
int store_last_action(struct store *store, const char *login, char commit[41],
    struct error *err);

/*
 * Trust between the store and main (store-trust.c). The store keeps the last commit it knows
 * is on main (its anchor); main's tip must be it, or reach it by first parents through
 * commits this store's outbox made. Anything else stops writes until "huitou recover".
 */
enum store_trust_case {
	STORE_TRUSTED,
	STORE_OLDER_THAN_GIT,		/* restored from a backup: main has commits it lacks */
	STORE_FOREIGN_COMMITS,		/* main has commits huitou did not make */
	STORE_HISTORY_REWRITTEN,	/* the anchor is not on main */
};
struct store_trust_commit {
	char oid[41];
	char *author;
	char *subject;
	bool foreign;		/* not huitou's; else huitou's, of a history this store lacks */
};
struct store_trust {
	enum store_trust_case kind;
	char anchor[41];	/* "" when main had no commit, or the store had no anchor */
	uint64_t anchor_seq;
	char tip[41];		/* main's tip, "" when main has no commit */
	uint64_t done_seq;	/* trusted: outbox entries above it wait for git */
	struct store_trust_commit *commits;	/* the commits involved, newest first */
	size_t n_commits;
};
/* Compares main with the store's anchor (takes the audit lock). */
int store_trust_check(struct store *store, struct store_trust *out, struct error *err);
/* The case in a sentence with what to run; translated. */
const char *store_trust_sentence(enum store_trust_case kind);
void store_trust_clear(struct store_trust *t);	/* frees what t holds, not t */

/*
 * "huitou recover" (store-recover.c). Keep-store: a commit on top of main whose tree is the
 * store's state (Action audit.recover, the reason and the commits involved in its message,
 * Foreign-Commit trailers) becomes the anchor. From-git: the store is rebuilt from main
 * (store_rebuild) and anchored, then a commit that says so is made the same way. Both go in
 * DIR/security.log. Refused (ST_REFUSED) when main can be trusted already. commit gets the
 * recovery commit's id.
 */
int store_recover_keep(struct store *store, const char *reason, struct store_trust *was,
    char commit[41], struct error *err);
/* Puts the store store_rebuild kept aside (kept_as) back in place of the rebuilt one, which is
 * kept as DIR/store.failed-recovery.TIME: a recovery whose commit could not be made leaves
 * writes stopped, as they were. */
int store_rebuild_undo(const char *dir, const char *kept_as, struct error *err);
/* After store_rebuild (which the store must not be open in this process for), on the new
 * store: the commit that records the recovery. */
int store_recover_note(struct store *store, const struct store_trust *was, const char *reason,
    char commit[41], struct error *err);

/* Compares the store with git HEAD; each difference is passed to report as one line. */
struct verify_result {
	size_t records;		/* records compared */
	size_t differences;
	size_t older_form;	/* the same values, in a text written under an older form version */
	size_t foreign;		/* commits of main huitou did not make, not accepted by a recovery */
	enum store_trust_case trust;
};
int store_verify(struct store *store, void (*report)(void *arg, const char *line), void *arg,
    struct verify_result *res, struct error *err);
/* Recreates DIR/store from DIR/audit.git alone; the old one is kept beside it. */
int store_rebuild(const char *dir, char **kept_as, size_t *records, struct error *err);

/*
 * An index read as it lies (store-walk.c), for counts and pages over many records: fn gets an
 * entry's value and id (not NUL-terminated, fn's to read during the call only); fn returning
 * non-zero stops and is returned. store_walk_index: every entry of an indexed (not unique)
 * field, in value order, then id order. store_count_by: how many records hold value, no record
 * read. store_each_by_page: the ids holding value, in id order or newest (highest) first,
 * starting after the id `after` (NULL: from the first).
 */
typedef int (*store_walk_fn)(void *arg, const char *value, size_t vlen, const char *id,
    size_t idlen);
int store_walk_index(struct store_txn *txn, const struct form *form, const char *field,
    store_walk_fn fn, void *arg, struct error *err);
int store_count_by(struct store_txn *txn, const struct form *form, const char *field,
    const char *value, size_t *n, struct error *err);
/* Whether the index of an indexed (not unique) field holds the entry value, id: the record
 * id holds value there, no record read (store-walk.c). */
int store_index_holds(struct store_txn *txn, const struct form *form, const char *field,
    const char *value, const char *id, bool *holds, struct error *err);
int store_each_by_page(struct store_txn *txn, const struct form *form, const char *field,
    const char *value, bool newest_first, const char *after, store_walk_fn fn, void *arg,
    struct error *err);
/* A field's pair index ("index-by OTHER" in its form): the records holding value, in order
 * of their OTHER value, then id. store_count_pair: how many, and how many of them have an
 * OTHER value before `below` (empty ones not counted): a state's records and the overdue
 * among them, no record read. store_walk_pair: fn gets each one's OTHER value and id, from
 * (second, after_id) on, that entry itself left out (second NULL: from the first; after_id
 * NULL: from the first of that second). */
int store_count_pair(struct store_txn *txn, const struct form *form, const char *field,
    const char *value, const char *below, size_t *n, size_t *n_below, struct error *err);
int store_walk_pair(struct store_txn *txn, const struct form *form, const char *field,
    const char *value, const char *second, const char *after_id, store_walk_fn fn, void *arg,
    struct error *err);
/* Which state of the store txn reads: it differs after any write, so counts made from an
 * earlier one are stale. */
uint64_t store_txn_snapshot(const struct store_txn *txn);

/* A form's tally ("tally F1 F2 …" in its form file, store-tally.c), kept by the write path:
 * fn gets each combination of the tally fields' values some record holds (in the order of
 * form->tally, "" where empty), in byte order of the values, and counts[0], how many records
 * hold it, then counts[1 + k], how many of them hold the form's k-th "tally-count" value; no
 * record read; fn returning non-zero stops and is returned. Fails with err when the form keeps
 * no tally. */
typedef int (*store_tally_fn)(void *arg, const char *const *values, const size_t *counts);
int store_walk_tally(struct store_txn *txn, const struct form *form, store_tally_fn fn,
    void *arg, struct error *err);

#endif
