/*
 * audit-lag.c — how far a replica is behind: the commits of main that a commit pushed earlier
 * does not reach, and the time of the oldest of them (how long the replica has lacked
 * something). A pushed commit git no longer has counts as nothing pushed.
 */
#include "config.h"

#include "audit/audit-private.h"

/* Hides pushed from walk when the repository has it. */
static int
hide_pushed(struct audit *a, git_revwalk *walk, const char *pushed)
{
	git_oid oid;
	git_commit *c = NULL;
	int rc;

	if (pushed == NULL || *pushed == '\0' || git_oid_fromstr(&oid, pushed) != 0)
		return 0;
	rc = git_commit_lookup(&c, a->repo, &oid);
	git_commit_free(c);
	if (rc == GIT_ENOTFOUND)
		return 0;
	return rc < 0 ? rc : git_revwalk_hide(walk, &oid);
}

int
audit_behind(struct audit *a, const char *pushed, size_t *behind, time_t *oldest,
    struct error *err)
{
	git_revwalk *walk = NULL;
	git_commit *c;
	git_oid tip, oid;
	bool found;
	int rc;

	*behind = 0;
	*oldest = 0;
	if (audit_tip(a, &tip, &found, err) != 0)
		return -1;
	if (!found)
		return 0;
	if ((rc = git_revwalk_new(&walk, a->repo)) < 0 ||
	    (rc = git_revwalk_push(walk, &tip)) < 0 || (rc = hide_pushed(a, walk, pushed)) < 0)
		goto out;
	while ((rc = git_revwalk_next(&oid, walk)) == 0) {
		if ((rc = git_commit_lookup(&c, a->repo, &oid)) < 0)
			goto out;
		if (*oldest == 0 || git_commit_time(c) < *oldest)
			*oldest = (time_t)git_commit_time(c);
		git_commit_free(c);
		(*behind)++;
	}
	if (rc == GIT_ITEROVER)
		rc = 0;
out:
	git_revwalk_free(walk);
	return rc < 0 ? audit_git_error(err, rc, _("reading the audit history")) : 0;
}
