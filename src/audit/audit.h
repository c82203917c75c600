/*
 * audit.h — the public face of src/audit/: the git repository DATA_DIR/audit.git that
 * auditors read with plain git. It knows files and commits, not records: the store hands it
 * paths and texts. Every commit is made through libgit2 with no work tree, onto
 * refs/heads/main by compare-and-swap, carrying the outbox sequence number that makes replay
 * after a crash idempotent.
 */
#ifndef HUITOU_AUDIT_H
#define HUITOU_AUDIT_H

#include "base/base.h"

struct audit;

/* One file of a commit: content NULL deletes the path, unless by_id: then id names its blob,
 * written into the repository beforehand (audit_blobs_write). */
struct audit_file {
	char *path;
	char *content;
	size_t len;
	bool ahead;		/* to be written by audit_blobs_write (the store's choice) */
	bool by_id;
	unsigned char id[20];
};

/* What a commit says and changes. */
struct audit_commit {
	char *author_name;
	char *author_email;
	time_t when;
	char *subject;		/* one line, in words */
	char *body;		/* may be "" */
	char *trailers;		/* "Key: value" lines, without Outbox-Seq */
	uint64_t seq;		/* the outbox sequence number, written as a trailer */
	struct audit_file *files;
	size_t n_files;
	size_t files_cap;
};

void audit_commit_free(struct audit_commit *c);	/* frees the contents, not c */
void audit_commit_add_file(struct audit_commit *c, const char *path, const char *content,
    size_t len);
/* The same with content (malloc'd, not NULL) taken, not copied: c frees it. */
void audit_commit_take_file(struct audit_commit *c, const char *path, char *content, size_t len);

/*
 * The texts of the files marked ahead, written as blobs into one synced pack before anything
 * names them (megabytes that then never pass through the store's outbox): each such file gets
 * by_id and its id, and its content is freed. Nothing refers to the pack until a commit does;
 * if none ever does, its blobs are garbage for git gc. Under the audit lock.
 */
int audit_blobs_write(struct audit *a, struct audit_file *files, size_t n, struct error *err);

/* Process-wide libgit2 settings: no user or system git config, fsync on, owner check. */
int audit_global_init(struct error *err);

int audit_create(const char *dir, struct error *err);	/* DIR/audit.git, bare, HEAD main */
int audit_open(const char *dir, struct audit **out, struct error *err);
void audit_close(struct audit *a);
/* After the audit lock is given up: the small packs folded when a commit asked for it. */
void audit_fold_if_due(struct audit *a);

/* The Outbox-Seq of HEAD's commit; 0 for an empty repository. */
int audit_head_seq(struct audit *a, uint64_t *seq, struct error *err);
/* Makes the commit on top of HEAD; many files go into a pack, not loose objects. */
int audit_commit_make(struct audit *a, const struct audit_commit *c, struct error *err);

/*
 * A commit in two steps, so that the first runs while the store commits the change (in another
 * thread; nothing else may use a meanwhile): audit_commit_prepare writes the commit's objects
 * on top of main as it is, as a synced pack that nothing names yet, and when it comes right
 * after the commit this process made last, also locks main and logs the move (synced);
 * audit_commit_finish, once the store's change is durable, moves main onto it, or makes the
 * commit again when main has moved since or p is NULL or of another commit. The caller frees
 * p, which takes a lock and log lines never used back.
 */
struct audit_prepared;
int audit_commit_prepare(struct audit *a, const struct audit_commit *c, struct audit_prepared **p,
    struct error *err);
int audit_commit_finish(struct audit *a, const struct audit_commit *c, struct audit_prepared *p,
    struct error *err);
void audit_prepared_free(struct audit_prepared *p);

/*
 * Tags (audit-tag.c): a commit whose trailers hold "Tag: NAME" gets the annotated tag NAME
 * (tagger its author, message its message without the trailers) as soon as main names it.
 * audit_tag_tip makes the tag of main's tip when a killed process left it without one; a tag
 * that names another commit is an error. audit_tag_file reads one file of the tree a tag
 * names (*content NULL when absent; caller frees); ST_REFUSED when there is no such tag.
 */
int audit_tag_tip(struct audit *a, struct error *err);
/* The tag that trailers name ("Tag: NAME") when the repository lacks it, or (commit not NULL)
 * when it names another commit than commit (hex); else NULL. Caller frees. */
char *audit_trailers_tag_missing(struct audit *a, const char *trailers, const char *commit);
int audit_tag_file(struct audit *a, const char *tag, const char *path, char **content,
    size_t *len, struct error *err);

/* Files of HEAD's tree, in path order; fn returning non-zero stops the walk. */
typedef int (*audit_file_fn)(void *arg, const char *path, const char *content, size_t len);
int audit_head_files(struct audit *a, const char *under, audit_file_fn fn, void *arg,
    struct error *err);
/* One file of HEAD; *content NULL when absent (caller frees). */
int audit_head_file(struct audit *a, const char *path, char **content, size_t *len,
    struct error *err);

/* History, newest first; with a path, only commits that changed it. */
struct audit_entry {
	char oid[41];
	const char *author_name;
	const char *author_email;
	time_t when;
	const char *message;
	const char *before;	/* the path's text in the parent, NULL if absent (or no path) */
	size_t before_len;
	const char *after;	/* the path's text in the commit, NULL if deleted */
	size_t after_len;
};
typedef int (*audit_log_fn)(void *arg, const struct audit_entry *e);
int audit_log(struct audit *a, const char *path, audit_log_fn fn, void *arg, struct error *err);

/* One file a commit changed against its first parent; a text is NULL where the file is absent. */
struct audit_change {
	const char *path;
	const char *before;
	size_t before_len;
	const char *after;
	size_t after_len;
};
typedef int (*audit_change_fn)(void *arg, const struct audit_change *c);
/*
 * The commit of main that rev names (an id, full or abbreviated): its header through head
 * (before and after NULL), then, when change is not NULL, each file it changed in path order.
 * Refused (ST_REFUSED) when rev names no commit of main. A callback's non-zero stops the walk
 * and is returned.
 */
int audit_show(struct audit *a, const char *rev, audit_log_fn head, audit_change_fn change,
    void *arg, struct error *err);

/*
 * What the store's trust check reads (audit-walk.c). A commit of main: its first parent, who
 * made it, and its Outbox-Seq trailer.
 */
struct audit_commit_info {
	char oid[41];
	char parent[41];	/* the first parent, "" for a root commit */
	size_t n_parents;
	char *author_name;
	char *author_email;
	time_t when;
	bool by_huitou;		/* the committer is huitou's (name huitou, email huitou@…) */
	bool has_seq;		/* it has an Outbox-Seq trailer: */
	uint64_t seq;
	char *subject;		/* the message's first line */
	char *message;
};
void audit_commit_info_free(struct audit_commit_info *ci);	/* its contents, not ci */
/* The pack folder looked at anew, before a commit git lacked is believed missing: a fold in
 * another process (the new pack renamed in, then the old ones removed) can hide both from the
 * one look libgit2 takes at a miss, as a directory read while files are renamed may. */
int audit_refresh(struct audit *a);
/* main's tip in hex, "" when main has no commit. */
int audit_tip_hex(struct audit *a, char tip[41], struct error *err);
/* The commit hex names: 0, or 1 when the repository has no such commit. */
int audit_commit_read(struct audit *a, const char *hex, struct audit_commit_info *out,
    struct error *err);
/* Whether hex is the commit this process made last (from the outbox entry *seq, on parent, ""
 * for none): it need not be read back. */
bool audit_last_made(struct audit *a, const char *hex, uint64_t *seq, char parent[41]);
/* Whether ancestor is tip or one of its ancestors. */
int audit_reaches(struct audit *a, const char *tip, const char *ancestor, bool *yes,
    struct error *err);
/* Whether ci is the commit audit_commit_make makes of c (seq included): same author, time and
 * message, committed by huitou. */
bool audit_commit_matches(const struct audit_commit_info *ci, const struct audit_commit *c);
/* Every commit of main, newest first; fn returning non-zero stops and is returned. */
typedef int (*audit_info_fn)(void *arg, const struct audit_commit_info *ci);
int audit_each_commit(struct audit *a, audit_info_fn fn, void *arg, struct error *err);
/* Whether a commit of about bytes could be written now: objects/, objects/pack and refs/heads
 * are folders this process may write, and the disk has room. */
int audit_check_writable(struct audit *a, size_t bytes, struct error *err);

/* Packs loose objects and refs; safe while others read (callers hold the audit lock). */
int audit_maintain(struct audit *a, size_t *packed, struct error *err);
/* Replicates main and the tags to url; a rejected update is an error. */
int audit_push(struct audit *a, const char *url, struct error *err);
/* The commits of main that pushed (hex, "" or NULL: none) does not reach, and the commit time
 * of the oldest of them (0 when none) (audit-lag.c). */
int audit_behind(struct audit *a, const char *pushed, size_t *behind, time_t *oldest,
    struct error *err);

/* The lock that orders writes and their commits across processes (flock on DIR/audit.lock). */
int audit_lock(const char *dir, int *fd, struct error *err);
void audit_unlock(int fd);

#endif
