/*
 * audit-walk.c — what the trust check of the store reads from git: main's tip, one commit
 * with its first parent, author, committer and Outbox-Seq trailer, whether a commit is an
 * ancestor of another, every commit of main (for verify), and whether a commit could be
 * written at all (folders writable, room on the disk) before the store writes a change.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "audit/audit-private.h"

#define ROOM_MARGIN ((uint64_t)16 << 20)	/* besides a commit's own bytes */
#define INODES_MARGIN 64

void
audit_commit_info_free(struct audit_commit_info *ci)
{
	free(ci->author_name);
	free(ci->author_email);
	free(ci->subject);
	free(ci->message);
	memset(ci, 0, sizeof *ci);
}

int
audit_refresh(struct audit *a)
{
	git_odb *odb = NULL;
	int rc = git_repository_odb(&odb, a->repo);

	if (rc == 0)
		rc = git_odb_refresh(odb);
	git_odb_free(odb);
	return rc;
}

int
audit_tip_hex(struct audit *a, char tip[41], struct error *err)
{
	git_oid oid;
	bool found;

	tip[0] = '\0';
	if (audit_tip(a, &oid, &found, err) != 0)
		return -1;
	if (found)
		git_oid_tostr(tip, 41, &oid);
	return 0;
}

/* The last Outbox-Seq trailer of a message (at a line's start). */
static bool
trailer_seq(const char *msg, uint64_t *seq)
{
	static const char key[] = "Outbox-Seq: ";
	bool found = false;

	for (const char *p = msg; (p = strstr(p, key)) != NULL; p++)
		if (p == msg || p[-1] == '\n') {
			char *end;
			unsigned long long v = strtoull(p + strlen(key), &end, 10);

			if (end != p + strlen(key) && (*end == '\n' || *end == '\0')) {
				*seq = v;
				found = true;
			}
		}
	return found;
}

static void
fill_info(git_commit *c, struct audit_commit_info *ci)
{
	const git_signature *author = git_commit_author(c), *committer = git_commit_committer(c);
	const char *msg = git_commit_message(c);

	memset(ci, 0, sizeof *ci);
	git_oid_tostr(ci->oid, sizeof ci->oid, git_commit_id(c));
	ci->n_parents = git_commit_parentcount(c);
	if (ci->n_parents > 0)
		git_oid_tostr(ci->parent, sizeof ci->parent, git_commit_parent_id(c, 0));
	ci->author_name = xstrdup(author->name);
	ci->author_email = xstrdup(author->email);
	ci->when = (time_t)author->when.time;
	ci->by_huitou = str_eq(committer->name, "huitou") &&
	    str_starts(committer->email, "huitou@");
	ci->message = xstrdup(msg != NULL ? msg : "");
	ci->subject = xstrndup(ci->message, strcspn(ci->message, "\n"));
	ci->has_seq = trailer_seq(ci->message, &ci->seq);
}

int
audit_commit_read(struct audit *a, const char *hex, struct audit_commit_info *out,
    struct error *err)
{
	git_commit *c = NULL;
	git_oid oid;
	int rc;

	memset(out, 0, sizeof *out);
	if (strlen(hex) != GIT_OID_HEXSZ || git_oid_fromstr(&oid, hex) != 0)
		return 1;
	rc = git_commit_lookup(&c, a->repo, &oid);
	if (rc == GIT_ENOTFOUND)
		return 1;
	if (rc < 0)
		return audit_git_error(err, rc, _("reading the audit history"));
	fill_info(c, out);
	git_commit_free(c);
	return 0;
}

bool
audit_last_made(struct audit *a, const char *hex, uint64_t *seq, char parent[41])
{
	char made[41];

	if (!a->made)
		return false;
	git_oid_tostr(made, sizeof made, &a->made_commit);
	if (!str_eq(made, hex))
		return false;
	*seq = a->made_seq;
	parent[0] = '\0';
	if (a->made_has_parent)
		git_oid_tostr(parent, 41, &a->made_parent);
	return true;
}

int
audit_reaches(struct audit *a, const char *tip, const char *ancestor, bool *yes,
    struct error *err)
{
	git_oid t, anc;
	git_commit *c = NULL;
	int rc;

	*yes = false;
	if (git_oid_fromstr(&t, tip) != 0 || git_oid_fromstr(&anc, ancestor) != 0)
		return 0;
	if (git_oid_equal(&t, &anc)) {
		*yes = true;
		return 0;
	}
	rc = git_commit_lookup(&c, a->repo, &anc);
	git_commit_free(c);
	if (rc == GIT_ENOTFOUND)
		return 0;	/* a commit git does not have is no ancestor */
	if (rc == 0)
		rc = git_graph_descendant_of(a->repo, &t, &anc);
	if (rc < 0 && rc != GIT_ENOTFOUND)
		return audit_git_error(err, rc, _("reading the audit history"));
	*yes = rc == 1;
	return 0;
}

/* A name as git_signature_new keeps it: cleaned, then trimmed of spaces at both ends. */
static char *
signature_as_kept(const char *s)
{
	char *text = audit_signature_text(s), *start = text, *end;

	while (*start == ' ')
		start++;
	end = start + strlen(start);
	while (end > start && end[-1] == ' ')
		end--;
	memmove(text, start, (size_t)(end - start));
	text[end - start] = '\0';
	return text;
}

bool
audit_commit_matches(const struct audit_commit_info *ci, const struct audit_commit *c)
{
	char *name = signature_as_kept(c->author_name);
	char *email = signature_as_kept(c->author_email);
	char *message = audit_commit_message(c);
	bool same = ci->by_huitou && ci->has_seq && ci->seq == c->seq && ci->when == c->when &&
	    str_eq(ci->author_name, name) && str_eq(ci->author_email, email) &&
	    str_eq(ci->message, message);

	free(name);
	free(email);
	free(message);
	return same;
}

int
audit_each_commit(struct audit *a, audit_info_fn fn, void *arg, struct error *err)
{
	git_revwalk *walk;
	git_oid oid;
	int rc;

	if (audit_walk_main(a, &walk, err) != 0)
		return -1;
	if (walk == NULL)
		return 0;
	rc = 0;
	while (rc == 0 && (rc = git_revwalk_next(&oid, walk)) == 0) {
		struct audit_commit_info ci;
		git_commit *c = NULL;

		if ((rc = git_commit_lookup(&c, a->repo, &oid)) < 0)
			break;
		fill_info(c, &ci);
		git_commit_free(c);
		rc = fn(arg, &ci);
		audit_commit_info_free(&ci);
		if (rc != 0) {
			git_revwalk_free(walk);
			return rc;
		}
	}
	git_revwalk_free(walk);
	if (rc == GIT_ITEROVER)
		return 0;
	return audit_git_error(err, rc, _("reading the audit history"));
}

/* A folder the commit writes in: a folder, writable by this process's effective ids. */
static int
check_folder(const char *path, struct error *err)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return error_set(err, ST_FAILED, _("the audit repository cannot be written: %s: %s"),
		    path, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return error_set(err, ST_FAILED,
		    _("the audit repository cannot be written: %s is not a folder"), path);
	if (faccessat(AT_FDCWD, path, W_OK | X_OK, AT_EACCESS) != 0)
		return error_set(err, ST_FAILED, _("the audit repository cannot be written: %s: %s"),
		    path, strerror(errno));
	return 0;
}

int
audit_check_writable(struct audit *a, size_t bytes, struct error *err)
{
	char *objects = xasprintf("%s/objects", a->path), *refs = xasprintf("%s/refs/heads", a->path);
	struct statvfs fs;
	int rc = 0;

	if (check_folder(objects, err) != 0 || check_folder(a->pack_dir, err) != 0 ||
	    check_folder(refs, err) != 0)
		rc = -1;
	else if (statvfs(a->pack_dir, &fs) != 0)
		rc = error_set(err, ST_FAILED, _("the audit repository cannot be written: %s: %s"),
		    a->pack_dir, strerror(errno));
	else if ((uint64_t)fs.f_bavail * fs.f_frsize < ROOM_MARGIN + bytes ||
	    (fs.f_files > 0 && fs.f_favail < INODES_MARGIN))
		rc = error_set(err, ST_FAILED,
		    _("the audit repository cannot be written: the disk holding %s is full"), a->path);
	free(objects);
	free(refs);
	return rc;
}
