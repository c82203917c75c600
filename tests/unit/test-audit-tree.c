/*
 * test-audit-tree.c — the trees and commits huitou makes itself (audit-tree.c) are those
 * libgit2 would make: a commit's tree equals git_tree_create_updated's on the same updates
 * (new folders, a folder left empty, removal of an absent path, files beside folders), and
 * its commit object equals git_commit_create_buffer's, byte for byte; and the branch moves
 * (audit-ref.c) leave the reflog lines libgit2 would write, in the branch's log and HEAD's;
 * the files made ahead for the next commit (audit-spare.c) are used, replaced when removed
 * meanwhile, and gone at close, and the spare lock is refused while main.lock exists; a move
 * locked, logged and then abandoned leaves main, its logs and no lock as they were.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "audit/audit-private.h"

struct repo_fixture {
	char dir[64];
	struct audit *a;
};

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static int
setup(void **state)
{
	struct repo_fixture *fx = xcalloc(1, sizeof *fx);
	struct error err = ERROR_INIT;

	snprintf(fx->dir, sizeof fx->dir, "/tmp/huitou-tree-XXXXXX");
	if (mkdtemp(fx->dir) == NULL || audit_create(fx->dir, &err) != 0 ||
	    audit_open(fx->dir, &fx->a, &err) != 0) {
		fprintf(stderr, "setup: %s\n", err.message != NULL ? err.message : fx->dir);
		return -1;
	}
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct repo_fixture *fx = *state;

	audit_close(fx->a);
	nftw(fx->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(fx);
	return 0;
}

static void
commit(struct repo_fixture *fx, uint64_t seq, const char *const *files)
{
	struct audit_commit c;
	struct error err = ERROR_INIT;

	memset(&c, 0, sizeof c);
	c.author_name = xstrdup("  Zhang San ");	/* libgit2 trims the name */
	c.author_email = xstrdup("zhang@example.org");
	c.when = 1795872155;
	c.subject = xstrdup("测试 a test");
	c.body = xstrdup("");
	c.trailers = xstrdup("Action: test\n");
	c.seq = seq;
	for (size_t i = 0; files[i] != NULL; i += 2)
		audit_commit_add_file(&c, files[i], files[i + 1],
		    files[i + 1] != NULL ? strlen(files[i + 1]) : 0);
	if (audit_commit_make(fx->a, &c, &err) != 0)
		fail_msg("%s", err.message);
	audit_commit_free(&c);
}

static void
head(struct repo_fixture *fx, git_commit **out)
{
	struct error err = ERROR_INIT;

	assert_int_equal(audit_head_commit(fx->a, out, &err), 0);
	assert_non_null(*out);
}

/* What libgit2 makes of the same updates on the parent's tree. */
static void
expected_tree(git_repository *repo, git_commit *parent, const char *const *files, git_oid *out)
{
	git_tree_update ups[16];
	git_tree *base;
	size_t n = 0;

	assert_int_equal(git_commit_tree(&base, parent), 0);
	for (size_t i = 0; files[i] != NULL; i += 2) {
		git_tree_entry *e = NULL;

		if (files[i + 1] == NULL && git_tree_entry_bypath(&e, base, files[i]) != 0)
			continue;	/* libgit2 refuses to remove what is absent */
		git_tree_entry_free(e);
		ups[n].action = files[i + 1] != NULL ? GIT_TREE_UPDATE_UPSERT : GIT_TREE_UPDATE_REMOVE;
		ups[n].filemode = GIT_FILEMODE_BLOB;
		ups[n].path = files[i];
		if (files[i + 1] != NULL)
			assert_int_equal(git_blob_create_from_buffer(&ups[n].id, repo, files[i + 1],
			    strlen(files[i + 1])), 0);
		n++;
	}
	assert_int_equal(git_tree_create_updated(out, repo, base, n, ups), 0);
	git_tree_free(base);
}

static void
test_trees_and_commits_are_libgit2s(void **state)
{
	struct repo_fixture *fx = *state;
	static const char *const first[] = { "divisions.csv", "610100,西安市\n",
	    "institution/610113/42/JG-610113-000042", "id: JG-610113-000042\n",
	    "institution/610113/42/JG-610113-000142", "id: JG-610113-000142\n",
	    "institution/610113/07/JG-610113-000007", "id: JG-610113-000007\n",
	    "institution/610113.txt", "a file beside a folder of the same stem\n",
	    "institution/610122/01/JG-610122-000001", "id: JG-610122-000001\n", NULL };
	static const char *const second[] = {
	    "institution/610113/42/JG-610113-000042", "id: JG-610113-000042\nversion: 2\n",
	    "institution/610113/07/JG-610113-000007", NULL,	/* its folder is left empty */
	    "institution/610113/99/JG-610113-000099", NULL,	/* absent */
	    "institution/610124/03/JG-610124-000003", "id: JG-610124-000003\n",	/* new folders */
	    "institution/610113-a", "a name that sorts between 610113 and 610113/\n",
	    "forms/institution.form", "form\n", NULL };
	git_commit *one, *two;
	git_signature *author, *committer;
	git_tree *tree;
	git_oid want, got;
	git_buf buf = { NULL, 0, 0 };
	const git_commit *parents[1];

	commit(fx, 1, first);
	head(fx, &one);
	commit(fx, 2, second);
	head(fx, &two);
	expected_tree(fx->a->repo, one, second, &want);
	assert_true(git_oid_equal(git_commit_tree_id(two), &want));
	assert_true(git_oid_equal(git_commit_parent_id(two, 0), git_commit_id(one)));

	assert_int_equal(git_signature_dup(&author, git_commit_author(two)), 0);
	assert_int_equal(git_signature_dup(&committer, git_commit_committer(two)), 0);
	assert_string_equal(author->name, "Zhang San");
	assert_int_equal(git_commit_tree(&tree, two), 0);
	parents[0] = one;
	assert_int_equal(git_commit_create_buffer(&buf, fx->a->repo, author, committer, "UTF-8",
	    git_commit_message_raw(two), tree, 1, parents), 0);
	assert_int_equal(git_odb_hash(&got, buf.ptr, buf.size, GIT_OBJECT_COMMIT), 0);
	assert_true(git_oid_equal(&got, git_commit_id(two)));
	git_buf_dispose(&buf);
	git_tree_free(tree);
	git_signature_free(author);
	git_signature_free(committer);
	git_commit_free(one);
	git_commit_free(two);
}

/* A reflog line without its time, which may differ by a second. */
static char *
without_time(const char *line)
{
	char *copy = xstrdup(line), *gt = strchr(copy, '>'), *tab = strchr(copy, '\t');

	assert_non_null(gt);
	assert_non_null(tab);
	memmove(gt + 1, tab, strlen(tab) + 1);
	return copy;
}

static void
test_reflogs_are_libgit2s(void **state)
{
	struct repo_fixture *fx = *state;
	static const char *const files[] = { "a/b/c", "text\n", NULL };
	static const char *const more[] = { "a/b/c", "more text\n", NULL };
	char *branch_log = xasprintf("%s/audit.git/logs/refs/heads/main", fx->dir);
	char *head_log = xasprintf("%s/audit.git/logs/HEAD", fx->dir);
	char *scratch_log = xasprintf("%s/audit.git/logs/refs/heads/scratch", fx->dir);
	struct buf branch = BUF_INIT, head_text = BUF_INIT, scratch = BUF_INIT;
	struct error err = ERROR_INIT;
	git_reference *ref;
	git_commit *one;
	char *ours, *theirs;

	commit(fx, 1, files);
	head(fx, &one);
	commit(fx, 2, more);
	/* libgit2 logs a new branch at the first commit with the same subject */
	assert_int_equal(git_reference_create(&ref, fx->a->repo, "refs/heads/scratch",
	    git_commit_id(one), 0, "测试 a test"), 0);
	git_reference_free(ref);
	assert_int_equal(file_read_all(branch_log, &branch, &err), 0);
	assert_int_equal(file_read_all(head_log, &head_text, &err), 0);
	assert_int_equal(file_read_all(scratch_log, &scratch, &err), 0);
	assert_string_equal(branch.data, head_text.data);	/* HEAD names main: the same lines */
	assert_int_equal(strchr(branch.data, '\n') - branch.data + 1, scratch.len);
	*strchr(branch.data, '\n') = '\0';
	*strchr(scratch.data, '\n') = '\0';
	ours = without_time(branch.data);
	theirs = without_time(scratch.data);
	assert_string_equal(ours, theirs);
	assert_true(str_starts(ours, "0000000000000000000000000000000000000000 "));
	free(ours);
	free(theirs);
	git_commit_free(one);
	buf_free(&branch);
	buf_free(&head_text);
	buf_free(&scratch);
	free(branch_log);
	free(head_log);
	free(scratch_log);
}

/* How many temporary files of the kind are in the pack folder; *path is one of them. */
static int
count_tmp(const char *dir, const char *prefix, char **path)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (str_starts(e->d_name, prefix)) {
			n++;
			if (path != NULL) {
				free(*path);
				*path = xasprintf("%s/%s", dir, e->d_name);
			}
		}
	closedir(d);
	return n;
}

static int
count_ref(const char *name, void *payload)
{
	(void)name;
	++*(int *)payload;
	return 0;
}

static void
test_spares_made_used_and_removed(void **state)
{
	struct repo_fixture *fx = *state;
	static const char *const one[] = { "a/b/c", "one\n", NULL };
	static const char *const two[] = { "a/b/c", "two\n", NULL };
	static const char *const three[] = { "a/b/d", "three\n", NULL };
	char *dir = xasprintf("%s/audit.git/objects/pack", fx->dir), *spare = NULL;
	char *gitdir = xasprintf("%s/audit.git", fx->dir), *lock_spare = NULL;
	char *main_ref = xasprintf("%s/refs/heads/main", gitdir), *lock = xasprintf("%s.lock", main_ref);
	git_commit *tip;
	struct stat st;
	int fd, refs = 0;

	commit(fx, 1, one);
	audit_spares_drop(fx->a);	/* waits for a thread, if any */
	assert_int_equal(count_tmp(dir, "tmp_", NULL), 0);	/* one commit: none made */
	commit(fx, 2, two);
	audit_spares_drop(fx->a);
	commit(fx, 3, one);	/* again in this process: the spares are made */
	/* by a thread: wait for them up to 30 s, as every test waits, so a loaded machine is slower,
	 * never wrong */
	for (int i = 0; i < 3000 && count_tmp(dir, "tmp_", NULL) + count_tmp(gitdir, "tmp_", NULL) < 3; i++)
		usleep(10000);
	assert_int_equal(count_tmp(gitdir, "tmp_huitou_lock_", &lock_spare), 1);
	assert_int_equal(count_tmp(dir, "tmp_huitou_idx_", &spare), 1);
	assert_int_equal(git_reference_foreach_name(fx->a->repo, count_ref, &refs), 0);
	assert_int_equal(refs, 1);	/* the spare lock is no ref */
	commit(fx, 4, two);	/* takes them (renamed into place); new ones are made */
	assert_int_equal(access(spare, F_OK), -1);
	assert_int_equal(access(lock_spare, F_OK), -1);
	assert_int_equal(stat(main_ref, &st), 0);
	assert_int_equal(st.st_mode & 0777, fx->a->file_mode);
	free(spare);
	spare = NULL;
	/* while someone holds main.lock the spare stays; then it becomes the lock */
	assert_int_equal(close(open(lock, O_WRONLY | O_CREAT | O_EXCL, 0600)), 0);
	assert_int_equal(audit_lock_create(fx->a, lock), -1);
	assert_int_equal(errno, EEXIST);
	assert_int_equal(count_tmp(gitdir, "tmp_huitou_lock_", NULL), 1);
	assert_int_equal(unlink(lock), 0);
	assert_true((fd = audit_lock_create(fx->a, lock)) >= 0);
	assert_int_equal(count_tmp(gitdir, "tmp_huitou_lock_", NULL), 0);
	assert_int_equal(close(fd), 0);
	assert_int_equal(unlink(lock), 0);
	assert_true((fd = audit_spare_take(fx->a, AUDIT_SPARE_PACK, dir, &spare)) >= 0);
	close(fd);
	free(spare);
	spare = NULL;
	assert_int_equal(count_tmp(dir, "tmp_huitou_pack_", NULL), 1);	/* the one just taken */
	assert_int_equal(count_tmp(dir, "tmp_huitou_idx_", &spare), 1);
	assert_int_equal(unlink(spare), 0);	/* removed behind the process's back */
	commit(fx, 5, three);	/* takes a new index file instead */
	head(fx, &tip);
	assert_string_equal(git_commit_summary(tip), "测试 a test");
	git_commit_free(tip);
	audit_spares_drop(fx->a);
	/* the one taken by hand above stays; nothing else */
	assert_int_equal(count_tmp(dir, "tmp_huitou_idx_", NULL), 0);
	assert_int_equal(count_tmp(dir, "tmp_huitou_pack_", NULL), 1);
	assert_int_equal(count_tmp(gitdir, "tmp_", NULL), 0);
	free(spare);
	free(lock_spare);
	free(main_ref);
	free(lock);
	free(gitdir);
	free(dir);
}

static void
test_ref_lock_abandoned(void **state)
{
	struct repo_fixture *fx = *state;
	static const char *const files[] = { "a/b/c", "text\n", NULL };
	char *branch_log = xasprintf("%s/audit.git/logs/refs/heads/main", fx->dir);
	char *head_log = xasprintf("%s/audit.git/logs/HEAD", fx->dir);
	char *lock = xasprintf("%s/audit.git/refs/heads/main.lock", fx->dir);
	struct buf before = BUF_INIT, after = BUF_INIT, locked = BUF_INIT;
	struct error err = ERROR_INIT;
	struct audit_ref_lock *lk, *lk2;
	git_oid tip, other;
	bool found;

	commit(fx, 1, files);
	assert_int_equal(audit_tip(fx->a, &tip, &found, &err), 0);
	assert_int_equal(file_read_all(branch_log, &before, &err), 0);
	assert_int_equal(git_oid_fromstr(&other, "0123456789abcdef0123456789abcdef01234567"), 0);
	assert_int_equal(audit_ref_lock(fx->a, &tip, &other, "abandoned", &lk, &err), 0);
	assert_int_equal(access(lock, F_OK), 0);
	assert_int_equal(file_read_all(branch_log, &locked, &err), 0);
	assert_true(locked.len > before.len);	/* the move is logged under the lock */
	assert_false(audit_lock_held());	/* so a lock found is someone's: */
	assert_int_equal(audit_ref_lock(fx->a, &tip, &other, "again", &lk2, &err), 1);
	assert_null(lk2);
	audit_ref_abandon(lk);
	assert_int_equal(access(lock, F_OK), -1);
	assert_int_equal(file_read_all(branch_log, &after, &err), 0);
	assert_int_equal(after.len, before.len);
	assert_memory_equal(after.data, before.data, before.len);
	buf_free(&after);
	assert_int_equal(file_read_all(head_log, &after, &err), 0);
	assert_int_equal(after.len, before.len);
	assert_int_equal(audit_tip(fx->a, &other, &found, &err), 0);
	assert_true(git_oid_equal(&tip, &other));	/* main did not move */
	buf_free(&before);
	buf_free(&after);
	buf_free(&locked);
	free(branch_log);
	free(head_log);
	free(lock);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_trees_and_commits_are_libgit2s, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reflogs_are_libgit2s, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spares_made_used_and_removed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ref_lock_abandoned, setup, teardown),
	};

	return UNIT_RUN(tests);
}
