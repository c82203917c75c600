#!/usr/bin/env bash
# lists-blobs.sh — the lists' files written ahead: "huitou publish" writes white.csv,
# black.csv and notice.html as blobs in a pack of their own (synced) before the store's commit,
# and the store's outbox entry names them by id. With the real git as the oracle: the blobs
# are in a pack that holds no commit, the published files are whole; a kill after that pack
# and before the store's commit (store-blobs-written) leaves only unreachable blobs and the
# publication absent, then made once; an outbox entry naming a blob git lacks (its pack lost
# after the store's commit) is refused, main untouched, and made once the pack is back; and
# maintain, with main holding a commit huitou did not make, keeps the pack the entry names.
. "$(dirname "$0")/lib.sh"

export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
unset GIT_DIR GIT_OBJECT_DIRECTORY GIT_INDEX_FILE

DATA=$TMP/data
g() { git --git-dir="$1/audit.git" "${@:2}"; }
h() { "$HUITOU" -d "$DATA" "$@"; }
packs() { ls "$1"/audit.git/objects/pack/*.pack | sort; }
# blob_pack DIR PACKS_BEFORE: the one new pack that holds no commit (the files' blobs).
blob_pack() {
	local p
	for p in $(comm -13 <(echo "$2") <(packs "$1")); do
		if ! git verify-pack -v "${p%.pack}.idx" | grep -q ' commit '; then echo "$p"; fi
	done
}

new_city "$DATA"
h new institution district=610113 name=白一非学科 category=non_subject >/dev/null
h new institution district=610113 name=已取缔 category=non_subject status=banned >/dev/null
base=$TMP/base
cp -a "$DATA" "$base"

# ---- the files' blobs in a pack of their own, named by the commit ----
before=$(packs "$DATA")
run h publish 2026-10 --yes
check_status "publish succeeds" 0
bp=$(blob_pack "$DATA" "$before")
check_eq "one new pack holds blobs and no commit" 1 "$(echo "$bp" | grep -c .)"
for f in white.csv black.csv notice.html; do
	id=$(g "$DATA" rev-parse "lists/2026-10:lists/2026-10/$f")
	check_eq "$f: its blob is in that pack" yes \
	    "$(git verify-pack -v "${bp%.pack}.idx" | grep -q "^$id blob" && echo yes)"
done
check_grep "white.csv lists the white institution" <(g "$DATA" show main:lists/2026-10/white.csv) 白一非学科
check_grep "black.csv lists the banned one" <(g "$DATA" show main:lists/2026-10/black.csv) 已取缔
check_grep "the notice names the banned one" <(g "$DATA" show main:lists/2026-10/notice.html) 已取缔
check_eq "the notice is the store's text, whole" "$(g "$DATA" cat-file -s main:lists/2026-10/notice.html)" \
    "$(g "$DATA" show main:lists/2026-10/notice.html | wc -c)"
check_eq "git fsck --strict is clean" "" "$(g "$DATA" fsck --strict --no-progress 2>&1)"
tree=$(g "$DATA" rev-parse 'lists/2026-10^{tree}')

# ---- killed between the blobs' pack and the store's commit ----
d=$TMP/killed
cp -a "$base" "$d"
tip=$(g "$d" rev-parse main)
before=$(packs "$d")
{ HUITOU_FAULT=store-blobs-written "$HUITOU" -d "$d" publish 2026-10 --yes >"$TMP/out" 2>&1; } 2>/dev/null
check_eq "killed after the blobs' pack" 137 "$?"
bp=$(blob_pack "$d" "$before")
check_eq "the blobs' pack is there" 1 "$(echo "$bp" | grep -c .)"
check_eq "nothing names its blobs: unreachable, no more" 3 \
    "$(g "$d" fsck --unreachable --no-progress 2>/dev/null | grep -c '^unreachable blob')"
run "$HUITOU" -d "$d" verify
check_status "the next start converges, verify is clean" 0
check_eq "main has not moved" "$tip" "$(g "$d" rev-parse main)"
check_eq "no publication in the store" 0 "$("$HUITOU" -d "$d" export publication | tail -n +2 | wc -l)"
run "$HUITOU" -d "$d" publish 2026-10 --yes
check_status "publishing again succeeds" 0
check_eq "the same tree as the publication never interrupted" "$tree" \
    "$(g "$d" rev-parse 'lists/2026-10^{tree}')"
check_eq "one commit more" "$(($(g "$d" rev-list --count "$tip") + 1))" "$(g "$d" rev-list --count main)"

# ---- an outbox entry naming a blob git lacks ----
d=$TMP/lost
cp -a "$base" "$d"
tip=$(g "$d" rev-parse main)
before=$(packs "$d")
{ HUITOU_FAULT=store-committed "$HUITOU" -d "$d" publish 2026-10 --yes >"$TMP/out" 2>&1; } 2>/dev/null
check_eq "killed after the store's commit" 137 "$?"
bp=$(blob_pack "$d" "$before")
check_eq "the blobs' pack was written" 1 "$(echo "$bp" | grep -c .)"
mv "$bp" "$TMP/lost.pack" && mv "${bp%.pack}.idx" "$TMP/lost.idx"
run "$HUITOU" -d "$d" verify
check_status "verify refuses (status 3)" 3
check_grep "and says which blob git lacks" "$TMP/err" "which the audit repository does not have"
check_eq "main has not moved" "$tip" "$(g "$d" rev-parse main)"
check_eq "git fsck --strict is clean (the prepared commit dangles)" "" \
    "$(g "$d" fsck --strict --no-dangling --no-progress 2>&1)"
mv "$TMP/lost.pack" "$bp" && mv "$TMP/lost.idx" "${bp%.pack}.idx"
run "$HUITOU" -d "$d" verify
check_status "the pack back, the next start makes the commit: verify is clean" 0
check_eq "the same tree as the publication never interrupted" "$tree" \
    "$(g "$d" rev-parse 'lists/2026-10^{tree}')"
check_eq "one commit more" "$(($(g "$d" rev-list --count "$tip") + 1))" "$(g "$d" rev-list --count main)"

# ---- maintain while the entry waits and main has a commit huitou did not make ----
d=$TMP/untrusted
cp -a "$base" "$d"
before=$(packs "$d")
{ HUITOU_FAULT=store-committed "$HUITOU" -d "$d" publish 2026-10 --yes >"$TMP/out" 2>&1; } 2>/dev/null
check_eq "untrusted: killed after the store's commit" 137 "$?"
bp=$(blob_pack "$d" "$before")
hand=$(GIT_AUTHOR_NAME=Mallory GIT_AUTHOR_EMAIL=m@example.org GIT_COMMITTER_NAME=Mallory \
    GIT_COMMITTER_EMAIL=m@example.org g "$d" commit-tree -p main -m "a commit by hand" 'main^{tree}')
g "$d" update-ref refs/heads/main "$hand"
run "$HUITOU" -d "$d" maintain
check_status "untrusted: maintain refuses while the publication waits for git (3)" 3
check_grep "untrusted: saying why" "$TMP/err" "main has commits that huitou did not make"
check_eq "untrusted: the blobs' pack the waiting entry names is kept" yes \
    "$([ -f "$bp" ] && [ -f "${bp%.pack}.idx" ] && echo yes)"
check_eq "untrusted: main is the hand's commit still" "$hand" "$(g "$d" rev-parse main)"

done_testing
