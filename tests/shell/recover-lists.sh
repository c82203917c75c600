#!/usr/bin/env bash
# recover-lists.sh — "huitou recover --keep-store" and the published lists. The lists' files
# (lists/YYYY-MM/white.csv, black.csv, notice.html) are git's alone: the store keeps the
# publication's record, not its files. With the real git as the oracle: a recovery commit keeps
# a publication already on main (it once removed its files from main's tree); and a publication
# whose commit still waits in the outbox (killed after the store's commit) when a commit is
# added by hand is not left in the store without its files in git: keep-store refuses, saying
# so, and from-git then leaves store and git agreeing. And verify finds a publication's commit
# whose tag was deleted or moved by hand (auditors read publications by their tags).
. "$(dirname "$0")/lib.sh"

export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
unset GIT_DIR GIT_OBJECT_DIRECTORY GIT_INDEX_FILE

g() { git --git-dir="$1/audit.git" "${@:2}"; }
# by_hand DIR: a commit on main that huitou did not make.
by_hand() {
	local c
	c=$(GIT_AUTHOR_NAME=Mallory GIT_AUTHOR_EMAIL=m@example.org GIT_COMMITTER_NAME=Mallory \
	    GIT_COMMITTER_EMAIL=m@example.org g "$1" commit-tree -p main -m "a commit by hand" \
	    'main^{tree}') && g "$1" update-ref refs/heads/main "$c"
}
publications() { "$HUITOU" -d "$1" export publication 2>/dev/null | tail -n +2 | wc -l; }

base=$TMP/base
new_city "$base"
"$HUITOU" -d "$base" new institution district=610113 name=白一非学科 category=non_subject >/dev/null
"$HUITOU" -d "$base" new institution district=610113 name=已取缔 category=non_subject \
    status=banned >/dev/null
"$HUITOU" -d "$base" publish 2026-09 --yes >/dev/null || { echo "Bail out! publish failed"; exit 1; }

# ---- a publication on main, a commit by hand, keep-store ----
d=$TMP/kept
cp -a "$base" "$d"
want=$(g "$d" ls-tree -r main lists/2026-09)
by_hand "$d"
run "$HUITOU" -d "$d" recover --keep-store --reason "a commit by hand"
check_status "keep-store succeeds" 0
check_eq "the recovery commit is main's tip" "audit.recover" \
    "$(g "$d" log -1 --format=%B main | sed -n 's/^Action: //p')"
check_eq "main still has the published lists, the same blobs" "$want" \
    "$(g "$d" ls-tree -r main lists/2026-09)"
check_eq "the recovery commit removes no file" "" \
    "$(g "$d" diff --name-only --diff-filter=D main~1 main)"
run "$HUITOU" -d "$d" verify
check_status "verify is clean" 0

# ---- a publication waiting in the outbox, a commit by hand ----
d=$TMP/waiting
cp -a "$base" "$d"
{ HUITOU_FAULT=store-committed "$HUITOU" -d "$d" publish 2026-10 --yes >/dev/null 2>&1; } 2>/dev/null
check_eq "killed after the store's commit" 137 "$?"
by_hand "$d"
hand=$(g "$d" rev-parse main)
run "$HUITOU" -d "$d" recover --keep-store --reason "a commit by hand"
check_status "keep-store refuses while a publication's files wait for git (1)" 1
check_grep "saying why and what to run" "$TMP/err" "recover --from-git"
check_eq "main is the hand's commit still" "$hand" "$(g "$d" rev-parse main)"
check_eq "no tag lists/2026-10 without its files" "" "$(g "$d" tag -l lists/2026-10)"
check_eq "the store kept its two publications meanwhile" 2 "$(publications "$d")"
run "$HUITOU" -d "$d" recover --from-git --reason "a commit by hand"
check_status "from-git succeeds" 0
run "$HUITOU" -d "$d" verify
check_status "verify is clean" 0
check_eq "the store has the publication git has, not the one git lacks" 1 "$(publications "$d")"
run "$HUITOU" -d "$d" publish 2026-10 --yes
check_status "publishing again succeeds" 0
check_eq "its files are on main" 3 "$(g "$d" ls-tree -r --name-only main lists/2026-10 | wc -l)"
check_eq "and its tag names main" "$(g "$d" rev-parse main)" "$(g "$d" rev-parse 'lists/2026-10^{commit}')"

# ---- verify: a publication's commit whose tag was deleted, or moved, by hand ----
d=$TMP/untagged
cp -a "$base" "$d"
"$HUITOU" -d "$d" new institution district=610113 name=白二 category=non_subject >/dev/null
pub=$(g "$d" rev-parse 'lists/2026-09^{commit}')
run "$HUITOU" -d "$d" verify
check_status "verify is clean with the tag" 0
g "$d" tag -d lists/2026-09 >/dev/null
run "$HUITOU" -d "$d" verify
check_status "verify fails when the publication's tag is gone" 1
check_grep "naming the commit and the tag" "$TMP/out" \
    "the commit ${pub:0:12} names the tag lists/2026-09, which the audit repository lacks"
GIT_COMMITTER_NAME=Mallory GIT_COMMITTER_EMAIL=m@example.org \
    g "$d" tag -a -m "moved by hand" lists/2026-09 'main^{tree}'
run "$HUITOU" -d "$d" verify
check_eq "the tag was made by hand" "tree" "$(g "$d" cat-file -t 'lists/2026-09^{}')"
check_status "verify fails when the tag names something else" 1
check_grep "saying so" "$TMP/out" "names the tag lists/2026-09"

done_testing
