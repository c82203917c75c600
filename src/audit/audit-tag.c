/*
 * audit-tag.c — annotated tags made with their commit (a publication's lists/2026-11): a
 * commit whose trailers hold "Tag: NAME" gets the annotated tag refs/tags/NAME right after
 * main moves onto it, its tagger the commit's author at the commit's time, its message the
 * commit's message without the trailers. Idempotent: a tag that already names the commit is
 * left alone, one that names another object is an error. A process killed between the move of
 * main and the tag leaves main's tip untagged; the next flush (audit_tag_tip) makes it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "audit/audit-private.h"

#define TAG_TRAILER "Tag: "

/* The value of the message's first "Tag: " line, or NULL; caller frees. */
static char *
message_tag(const char *message)
{
	for (const char *p = message; p != NULL && *p != '\0'; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (strncmp(p, TAG_TRAILER, strlen(TAG_TRAILER)) == 0)
			return xstrndup(p + strlen(TAG_TRAILER), strcspn(p + strlen(TAG_TRAILER), "\n"));
	return NULL;
}

bool
audit_trailers_tag(const char *trailers)
{
	char *tag = message_tag(trailers);
	bool yes = tag != NULL;

	free(tag);
	return yes;
}

/* The message up to its last paragraph, the trailers; ends with one newline. */
static char *
message_without_trailers(const char *message)
{
	size_t len = strlen(message);
	const char *cut;

	while (len > 0 && message[len - 1] == '\n')
		len--;
	cut = NULL;
	for (size_t i = 0; i + 1 < len; i++)
		if (message[i] == '\n' && message[i + 1] == '\n')
			cut = message + i;
	if (cut != NULL)
		len = (size_t)(cut - message);
	return xasprintf("%.*s\n", (int)len, message);
}

/* 0: the tag names commit (made now or before); -1 with err otherwise. */
static int
tag_create(struct audit *a, git_commit *commit, const char *name, struct error *err)
{
	char *ref = xasprintf("refs/tags/%s", name), *message;
	git_reference *existing = NULL;
	git_object *peeled = NULL;
	git_oid tag;
	int rc, valid = 0;

	if (git_reference_name_is_valid(&valid, ref) < 0 || !valid) {
		free(ref);
		return error_set(err, ST_FAILED, _("'%s' is not a valid tag name"), name);
	}
	if (git_reference_lookup(&existing, a->repo, ref) == 0) {
		rc = git_reference_peel(&peeled, existing, GIT_OBJECT_COMMIT);
		rc = rc == 0 && git_oid_equal(git_object_id(peeled), git_commit_id(commit)) ? 0 :
		    error_set(err, ST_FAILED, _("the tag %s already names another commit"), name);
		git_object_free(peeled);
		git_reference_free(existing);
		free(ref);
		return rc;
	}
	free(ref);
	fault_point("audit-before-tag");
	message = message_without_trailers(git_commit_message(commit));
	rc = git_tag_create(&tag, a->repo, name, (const git_object *)commit,
	    git_commit_author(commit), message, 0);
	free(message);
	return rc < 0 ? audit_git_error(err, rc, _("making the publication's tag")) : 0;
}

/* The tag the commit's message asks for, if any. */
static int
tag_commit(struct audit *a, const git_oid *oid, struct error *err)
{
	git_commit *commit = NULL;
	char *name;
	int rc;

	if ((rc = git_commit_lookup(&commit, a->repo, oid)) < 0)
		return audit_git_error(err, rc, _("reading the commit to tag"));
	name = message_tag(git_commit_message(commit));
	rc = name != NULL ? tag_create(a, commit, name, err) : 0;
	free(name);
	git_commit_free(commit);
	return rc;
}

int
audit_tag_made(struct audit *a, const struct audit_commit *c, const git_oid *commit,
    struct error *err)
{
	if (!audit_trailers_tag(c->trailers))
		return 0;
	return tag_commit(a, commit, err);
}

int
audit_tag_tip(struct audit *a, struct error *err)
{
	git_oid tip;
	bool found;

	if (audit_tip(a, &tip, &found, err) != 0)
		return -1;
	if (!found || (a->made && git_oid_equal(&tip, &a->made_commit)))
		return 0;	/* nothing, or this process made it and its tag */
	return tag_commit(a, &tip, err);
}

char *
audit_trailers_tag_missing(struct audit *a, const char *trailers, const char *commit)
{
	char *tag = message_tag(trailers), *ref;
	git_reference *existing = NULL;
	git_object *peeled = NULL;
	char hex[GIT_OID_HEXSZ + 1];

	if (tag == NULL)
		return NULL;
	ref = xasprintf("refs/tags/%s", tag);
	if (git_reference_lookup(&existing, a->repo, ref) == 0 &&
	    (commit == NULL || (git_reference_peel(&peeled, existing, GIT_OBJECT_COMMIT) == 0 &&
	    str_eq(git_oid_tostr(hex, sizeof hex, git_object_id(peeled)), commit)))) {
		free(tag);
		tag = NULL;
	}
	git_error_clear();
	git_object_free(peeled);
	git_reference_free(existing);
	free(ref);
	return tag;
}
