#!/usr/bin/env bash
# trust.sh — the audit trail cannot be skipped. A restored store, a commit added by hand and a
# rewritten history stop writes (exit 3, a sentence naming the case) until verify explains it
# and "huitou recover" resolves it with a commit of its own; an audit commit that cannot be
# made is never acknowledged as saved, and a backlog is replayed with each change's own author
# and texts. The git CLI is the oracle for what auditors see.
. "$(dirname "$0")/lib.sh"

export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
unset GIT_DIR GIT_OBJECT_DIRECTORY GIT_INDEX_FILE

id=JG-610113-000001
path=institution/610113/01/$id

g() { local dir=$1; shift; git -C "$dir/audit.git" "$@"; }
commits() { g "$1" rev-list --count main; }
last_seq() { g "$1" log -1 --format='%(trailers:key=Outbox-Seq,valueonly)' main | head -1; }
field() { "$HUITOU" -d "$1" show "$2" 2>/dev/null | sed -n "s/^$3: //p"; }
git_field() { g "$1" show "$2:$3" | sed -n "s/^$4: //p"; }
seclog() { grep -c -- "event=$2" "$1/security.log" 2>/dev/null || true; }

# hand_commit DIR SEQ [COMMITTER EMAIL]: a commit on main made with the git CLI behind
# huitou's back, renaming the institution, with an Outbox-Seq trailer of its own.
hand_commit() {
	local dir=$1 seq=$2 blob tree
	g "$dir" show "main:$path" | sed 's/^name: .*/name: 手工改名/' >"$TMP/hand.txt"
	blob=$(g "$dir" hash-object -w "$TMP/hand.txt")
	rm -f "$TMP/hand.index"
	tree=$(export GIT_INDEX_FILE=$TMP/hand.index
		g "$dir" read-tree main &&
		printf '100644 %s\t%s\n' "$blob" "$path" | g "$dir" update-index --index-info &&
		g "$dir" write-tree)
	hand=$(printf 'a commit by hand\n\nOutbox-Seq: %s\n' "$seq" | GIT_AUTHOR_NAME=Mallory \
	    GIT_AUTHOR_EMAIL=m@example.org GIT_COMMITTER_NAME=${3:-Mallory} \
	    GIT_COMMITTER_EMAIL=${4:-m@example.org} g "$dir" commit-tree -p main "$tree")
	g "$dir" update-ref refs/heads/main "$hand"
}

# ---- 1. a store restored from a backup taken a few saves earlier ----
d=$TMP/restored
new_city "$d"
"$HUITOU" -d "$d" new institution name=甲 district=610113 category=subject >/dev/null
"$HUITOU" -d "$d" set $id notes=a >/dev/null
cp -a "$d/store" "$TMP/backup"
"$HUITOU" -d "$d" set $id notes=b >/dev/null
"$HUITOU" -d "$d" set $id notes=c >/dev/null
n=$(commits "$d")
newest=$(g "$d" rev-parse main)
rm -rf "$d/store" && cp -a "$TMP/backup" "$d/store"
run "$HUITOU" -d "$d" set $id notes=x
check_status "restored: set is refused (3)" 3
check_grep "restored: the refusal names the case" "$TMP/err" "the store is older than the audit record"
check_grep "restored: and says what to run" "$TMP/err" "huitou recover --from-git"
check_no_grep "restored: nothing is said to be saved" "$TMP/out" "saved"
check_eq "restored: no commit was made" "$n" "$(commits "$d")"
check_eq "restored: the store still holds its own note" a "$(field "$d" $id notes)"
check_eq "restored: the security log has the refusal" 1 "$(seclog "$d" audit.untrusted)"
run "$HUITOU" -d "$d" show $id
check_status "restored: reads keep working" 0
run "$HUITOU" -d "$d" verify
check_status "restored: verify exits 1" 1
check_grep "restored: verify explains the case" "$TMP/out" "writes are stopped: the store is older than the audit record"
check_grep "restored: verify names the newest commit the store lacks" "$TMP/out" \
    "made by huitou, not by this store: ${newest:0:12}"
check_grep "restored: with its subject" "$TMP/out" "备注 b→c"
run "$HUITOU" -d "$d" recover
check_status "restored: recover without an option explains (0)" 0
check_grep "restored: it says what --from-git would do" "$TMP/out" "rebuilds the store from main's tip (${newest:0:12})"
check_eq "restored: and makes no commit" "$n" "$(commits "$d")"
run "$HUITOU" -d "$d" rebuild
check_status "restored: rebuild does not resolve it quietly (3)" 3
check_grep "restored: rebuild points to recover" "$TMP/err" "rebuild does not resolve that: run 'huitou recover'"
check_eq "restored: rebuild kept no store aside" "" "$(ls -d "$d"/store.before-rebuild.* 2>/dev/null)"
run "$HUITOU" -d "$d" recover --from-git --reason "store restored from last night's backup"
check_status "restored: recover --from-git succeeds" 0
check_eq "restored: the recovery is a commit" "$((n + 1))" "$(commits "$d")"
check_eq "restored: its Action is audit.recover" audit.recover \
    "$(g "$d" log -1 --format='%(trailers:key=Action,valueonly)' main | head -1)"
check_eq "restored: its mode is from-git" from-git \
    "$(g "$d" log -1 --format='%(trailers:key=Recover-Mode,valueonly)' main | head -1)"
check_grep "restored: its body has the reason" <(g "$d" log -1 --format=%B main) \
    "原因：store restored from last night's backup"
check_eq "restored: its parent is main's tip as it was" "$newest" "$(g "$d" rev-parse main~1)"
check_eq "restored: the security log has the recovery" 1 "$(seclog "$d" audit.recover)"
check_grep "restored: with its mode and case" "$d/security.log" "mode=from-git case=store-older"
check_eq "restored: the store took git's note" c "$(field "$d" $id notes)"
run "$HUITOU" -d "$d" set $id notes=x
check_status "restored: after the recovery a save succeeds" 0
check_eq "restored: and is a commit" "$((n + 2))" "$(commits "$d")"
check_eq "restored: git HEAD has the note" x "$(git_field "$d" main $path notes)"
check_eq "restored: Outbox-Seq runs on" "$(($(g "$d" log -1 --skip 1 --format='%(trailers:key=Outbox-Seq,valueonly)' main | head -1) + 1))" \
    "$(last_seq "$d")"
run "$HUITOU" -d "$d" verify
check_status "restored: verify is clean after it" 0

# ---- 1b. only data.mdb restored: the hint beside it knows of later commits ----
d=$TMP/restored-mdb
new_city "$d"
"$HUITOU" -d "$d" new institution name=甲 district=610113 category=subject >/dev/null
cp "$d/store/data.mdb" "$TMP/data.mdb.old"
"$HUITOU" -d "$d" set $id notes=b >/dev/null
"$HUITOU" -d "$d" set $id notes=c >/dev/null
cp "$TMP/data.mdb.old" "$d/store/data.mdb"
run "$HUITOU" -d "$d" set $id notes=d
check_status "data.mdb restored: set is refused (3)" 3
n=$(commits "$d")
run "$HUITOU" -d "$d" recover --keep-store --reason "data.mdb restored by hand"
check_status "data.mdb restored: recover --keep-store succeeds at the first try" 0
check_eq "data.mdb restored: the recovery is one commit" "$((n + 1))" "$(commits "$d")"
run "$HUITOU" -d "$d" set $id notes=e
check_status "data.mdb restored: after it a set saves" 0
check_eq "data.mdb restored: and is a commit" "$((n + 2))" "$(commits "$d")"

# ---- 1c. a recovery that cannot record itself is undone ----
# A commit by hand makes the only city coordinator inactive: the store rebuilt from it would
# refuse them, so recover --from-git could not make its commit; the old store must come back.
d=$TMP/undo
new_city "$d"
"$HUITOU" -d "$d" new institution name=甲 district=610113 category=subject >/dev/null
g "$d" show main:user/01/RY-00001 | sed 's/^active: yes/active: no/' >"$TMP/inactive.txt"
blob=$(g "$d" hash-object -w "$TMP/inactive.txt")
rm -f "$TMP/undo.index"
tree=$(export GIT_INDEX_FILE=$TMP/undo.index
	g "$d" read-tree main &&
	printf '100644 %s\t%s\n' "$blob" user/01/RY-00001 | g "$d" update-index --index-info &&
	g "$d" write-tree)
hand=$(echo 'deactivate by hand' | GIT_AUTHOR_NAME=Mallory GIT_AUTHOR_EMAIL=m@example.org \
    GIT_COMMITTER_NAME=Mallory GIT_COMMITTER_EMAIL=m@example.org g "$d" commit-tree -p main "$tree")
g "$d" update-ref refs/heads/main "$hand"
n=$(commits "$d")
run "$HUITOU" -d "$d" recover --from-git --reason "try"
check_status "undo: a recovery that cannot make its commit fails (1)" 1
check_grep "undo: it says the recovery is undone" "$TMP/err" "the recovery is undone, the old store is back"
check_eq "undo: no commit was made" "$n" "$(commits "$d")"
run "$HUITOU" -d "$d" set $id notes=x
check_status "undo: writes stay stopped (3)" 3
check_eq "undo: the failed store is kept aside" 1 "$(ls -d "$d"/store.failed-recovery.* | wc -l)"

# ---- 2. a commit added by hand, with an Outbox-Seq above the store's ----
h=$TMP/hand
new_city "$h"
"$HUITOU" -d "$h" new institution name=甲 district=610113 category=subject >/dev/null
n=$(commits "$h")
hand_commit "$h" 1000
run "$HUITOU" -d "$h" set $id notes=after
check_status "by hand: set is refused (3)" 3
check_grep "by hand: the refusal names the case" "$TMP/err" "main has commits that huitou did not make"
check_grep "by hand: and the commit" "$TMP/err" "${hand:0:12} Mallory: a commit by hand"
check_eq "by hand: no commit was made" "$hand" "$(g "$h" rev-parse main)"
check_eq "by hand: the store is unchanged" "" "$(field "$h" $id notes)"
check_eq "by hand: the security log has the refusal" 1 "$(seclog "$h" audit.untrusted)"
run "$HUITOU" -d "$h" verify
check_status "by hand: verify exits 1" 1
check_grep "by hand: verify names the commit huitou did not make" "$TMP/out" \
    "not made by huitou: ${hand:0:12} Mallory: a commit by hand"
check_grep "by hand: verify names the record it changed" "$TMP/out" "differs between the store and git: $id"
check_grep "by hand: verify counts it" "$TMP/err" "1 commits on main that huitou did not make"
run "$HUITOU" -d "$h" recover --keep-store
check_status "by hand: --keep-store needs a reason (2)" 2
run "$HUITOU" -d "$h" recover --keep-store --reason "Mallory's edit, reviewed and undone"
check_status "by hand: recover --keep-store succeeds" 0
check_eq "by hand: the recovery is a commit on top of the hand's" "$hand" "$(g "$h" rev-parse main~1)"
check_eq "by hand: it names the commit" "$hand" \
    "$(g "$h" log -1 --format='%(trailers:key=Foreign-Commit,valueonly)' main | head -1)"
check_eq "by hand: its Action is audit.recover" audit.recover \
    "$(g "$h" log -1 --format='%(trailers:key=Action,valueonly)' main | head -1)"
check_eq "by hand: its tree is the store's: the name is back" 甲 "$(git_field "$h" main $path name)"
check_eq "by hand: it changes that file only" "$path" "$(g "$h" diff --name-only main~1 main)"
check_grep "by hand: the security log has the recovery" "$h/security.log" \
    "event=audit.recover mode=keep-store case=foreign-commits"
run "$HUITOU" -d "$h" verify
check_status "by hand: verify is clean after it" 0
check_grep "by hand: and still lists the commit, as accepted" "$TMP/out" \
    "not made by huitou, accepted by a recovery: ${hand:0:12}"
run "$HUITOU" -d "$h" set $id notes=after
check_status "by hand: a save succeeds again" 0
check_eq "by hand: and is committed, not skipped under the high Outbox-Seq" after \
    "$(git_field "$h" main $path notes)"
check_eq "by hand: its Outbox-Seq follows the recovery's" \
    "$(($(g "$h" log -1 --skip 1 --format='%(trailers:key=Outbox-Seq,valueonly)' main | head -1) + 1))" \
    "$(last_seq "$h")"

# A commit by hand that poses as huitou's (its committer) with an Outbox-Seq far ahead is
# still foreign: it does not continue the store's sequence.
f=$TMP/forged
new_city "$f"
"$HUITOU" -d "$f" new institution name=甲 district=610113 category=subject >/dev/null
hand_commit "$f" 1000 huitou "huitou@$(hostname)"
run "$HUITOU" -d "$f" set $id notes=after
check_status "posing as huitou: set is refused (3)" 3
check_grep "posing as huitou: the refusal names the case" "$TMP/err" "main has commits that huitou did not make"
run "$HUITOU" -d "$f" verify
check_status "posing as huitou: verify exits 1" 1
check_grep "posing as huitou: verify names it" "$TMP/out" "not made by huitou: ${hand:0:12} Mallory"

# ---- 3. history rewritten: main moved back one commit ----
r=$TMP/rewound
new_city "$r"
"$HUITOU" -d "$r" new institution name=甲 district=610113 category=subject >/dev/null
"$HUITOU" -d "$r" set $id notes=one >/dev/null
"$HUITOU" -d "$r" set $id notes=two >/dev/null
g "$r" update-ref refs/heads/main main~1
back=$(g "$r" rev-parse main)
run "$HUITOU" -d "$r" set $id notes=three
check_status "rewound: set is refused (3)" 3
check_grep "rewound: the refusal names the case" "$TMP/err" "the audit history was rewritten"
check_eq "rewound: main is where it was put" "$back" "$(g "$r" rev-parse main)"
run "$HUITOU" -d "$r" verify
check_status "rewound: verify exits 1" 1
check_grep "rewound: verify explains" "$TMP/out" "writes are stopped: the audit history was rewritten"
check_grep "rewound: verify names main's tip" "$TMP/out" "main's tip: ${back:0:12}"
run "$HUITOU" -d "$r" recover --from-git --reason "main was reset on purpose"
check_status "rewound: recover --from-git succeeds" 0
check_eq "rewound: the store is git's" one "$(field "$r" $id notes)"
run "$HUITOU" -d "$r" set $id notes=three
check_status "rewound: a save succeeds after the recovery" 0
check_eq "rewound: and is committed" three "$(git_field "$r" main $path notes)"
run "$HUITOU" -d "$r" verify
check_status "rewound: verify is clean" 0

# The repository restored from an older copy: the store's last commit is not in it at all.
# Keeping the store commits its state on top of what git has.
q=$TMP/gitback
new_city "$q"
"$HUITOU" -d "$q" new institution name=甲 district=610113 category=subject >/dev/null
cp -a "$q/audit.git" "$TMP/gitback.git"
"$HUITOU" -d "$q" set $id notes=kept >/dev/null
rm -rf "$q/audit.git" && cp -a "$TMP/gitback.git" "$q/audit.git"
run "$HUITOU" -d "$q" set $id notes=more
check_status "git restored: set is refused (3)" 3
check_grep "git restored: as a rewritten history" "$TMP/err" "the audit history was rewritten"
run "$HUITOU" -d "$q" recover --keep-store --reason "audit.git restored from a copy"
check_status "git restored: recover --keep-store succeeds" 0
check_eq "git restored: the store's note is committed" kept "$(git_field "$q" main $path notes)"
run "$HUITOU" -d "$q" set $id notes=more
check_status "git restored: a save succeeds after it" 0
run "$HUITOU" -d "$q" verify
check_status "git restored: verify is clean" 0

# ---- 4. the pack folder cannot be written: refused before anything is written ----
# objects/pack made a file stops root as well as a user (chmod does not stop root).
p=$TMP/pack
new_city "$p"
"$HUITOU" -d "$p" new institution name=甲 district=610113 category=subject >/dev/null
n=$(commits "$p")
{
	echo name,district,category
	for i in $(seq 1 100); do echo "机构$i,610113,subject"; done
} >"$TMP/100.csv"
mv "$p/audit.git/objects/pack" "$p/audit.git/objects/pack.away"
touch "$p/audit.git/objects/pack"
run "$HUITOU" -d "$p" import institution "$TMP/100.csv"
check_status "unwritable: the import is refused (3)" 3
check_grep "unwritable: the refusal says why" "$TMP/err" "the audit repository cannot be written"
check_eq "unwritable: nothing was imported" 1 "$(rows "$p")"
check_eq "unwritable: the security log has the refusal" 1 "$(seclog "$p" audit.unwritable)"
run "$HUITOU" -d "$p" set $id notes=n
check_status "unwritable: a later set is refused too (3)" 3
check_eq "unwritable: and wrote nothing" "" "$(field "$p" $id notes)"
rm "$p/audit.git/objects/pack"
mv "$p/audit.git/objects/pack.away" "$p/audit.git/objects/pack"
run "$HUITOU" -d "$p" import institution "$TMP/100.csv"
check_status "unwritable, fixed: the import succeeds" 0
check_eq "unwritable, fixed: one commit for it" "$((n + 1))" "$(commits "$p")"
run "$HUITOU" -d "$p" verify
check_status "unwritable, fixed: verify is clean" 0

# ---- 5. the commit fails after the store committed; a backlog waits, then replays ----
# Main's reflog made a folder: the store's write passes the checks, git's step fails.
break_git() { mv "$1/audit.git/logs/refs/heads/main" "$TMP/reflog"; mkdir "$1/audit.git/logs/refs/heads/main"; }
fix_git() { rmdir "$1/audit.git/logs/refs/heads/main"; mv "$TMP/reflog" "$1/audit.git/logs/refs/heads/main"; }

b=$TMP/backlog
new_city "$b"
login=$(id -un)
userb=$login
as_b() { "$@"; }
if [ "$(id -u)" = 0 ]; then
	grp=htrust$$
	userb=htrustb$$
	groupadd "$grp" && useradd -M -N -g "$grp" -s /bin/sh "$userb" ||
	    { echo "Bail out! cannot create a user"; exit 1; }
	trap 'userdel "$userb" 2>/dev/null; groupdel "$grp" 2>/dev/null; rm -rf "$TMP"' EXIT
	chmod o+x "$TMP"
	chgrp -R "$grp" "$b" && chmod -R g+rwX "$b" && find "$b" -type d -exec chmod g+s {} +
	as_b() { runuser -u "$userb" -- "$@"; }
	"$HUITOU" -d "$b" new user login="$userb" name=乙 role=city_coordinator >/dev/null ||
	    { echo "Bail out! cannot register $userb"; exit 1; }
fi
"$HUITOU" -d "$b" new institution name=甲 district=610113 category=subject >/dev/null
n=$(commits "$b")
break_git "$b"
run "$HUITOU" -d "$b" set $id notes=n1
check_status "git fails after the store: set exits 3" 3
check_grep "git fails after the store: it says the change is not saved in the audit record" \
    "$TMP/err" "not saved in the audit record"
check_no_grep "git fails after the store: nothing says saved" "$TMP/out" "saved"
check_eq "git fails after the store: no commit" "$n" "$(commits "$b")"
check_eq "git fails after the store: the security log has it" 1 "$(seclog "$b" audit.failed)"
run "$HUITOU" -d "$b" set $id notes=n2
check_status "backlog: a further set is refused (3)" 3
check_grep "backlog: the refusal says why" "$TMP/err" "wait for their audit commits"
check_eq "backlog: it wrote nothing" n1 "$(field "$b" $id notes)"
check_eq "backlog: the security log has it" 1 "$(seclog "$b" audit.backlog)"
fix_git "$b"
# The import's commit (more than 64 records: texts taken from the store when made) is left
# pending by a kill right after the store committed it.
{ HUITOU_FAULT=store-committed "$HUITOU" -d "$b" import institution "$TMP/100.csv" >/dev/null 2>&1; } 2>/dev/null
check_eq "backlog: the import's commit waits (the set's was made first)" "$((n + 1))" "$(commits "$b")"
break_git "$b"
check_eq "backlog: the import was killed after the store committed" 101 "$(rows "$b" 2>/dev/null)"
later=JG-610113-000050
run as_b "$HUITOU" -d "$b" set $later notes=later
check_status "backlog: another user's set is refused while it waits (3)" 3
check_eq "backlog: the imported record is as imported" "" "$(field "$b" $later notes)"
fix_git "$b"
run as_b "$HUITOU" -d "$b" set $later notes=later
check_status "backlog, fixed: the other user's set succeeds" 0
check_eq "backlog, fixed: three commits: the set, the import, the other user's set" "$((n + 3))" \
    "$(commits "$b")"
check_eq "backlog, fixed: in that order" "record.update record.import record.update" \
    "$(g "$b" log -3 --reverse --format='%(trailers:key=Action,valueonly)' main | grep -v '^$' | paste -sd' ')"
lpath=institution/610113/50/$later
check_eq "backlog, fixed: the import's commit has the record as imported, not the later note" "" \
    "$(git_field "$b" main~1 $lpath notes)"
check_eq "backlog, fixed: the later commit has the note" later "$(git_field "$b" main $lpath notes)"
check_eq "backlog, fixed: the later commit changes that record only" "$lpath" \
    "$(g "$b" diff --name-only main~1 main)"
check_eq "backlog, fixed: the first set's commit has its own note" n1 \
    "$(git_field "$b" main~2 $path notes)"
check_eq "backlog, fixed: the import's author is who imported" "$login@" \
    "$(g "$b" log -1 --skip 1 --format=%ae main | cut -d@ -f1)@"
if [ "$(id -u)" = 0 ]; then
	check_eq "backlog, fixed: the later set's author is the other user" "$userb@" \
	    "$(g "$b" log -1 --format=%ae main | cut -d@ -f1)@"
else
	ok "backlog, fixed: the later set's author is the other user # skip needs root"
fi
run "$HUITOU" -d "$b" verify
check_status "backlog, fixed: verify is clean" 0
check_eq "backlog, fixed: Outbox-Seq 1..$((n + 3)) with no gap" "$(seq 1 $((n + 3)) | paste -sd' ')" \
    "$(g "$b" log --reverse --format='%(trailers:key=Outbox-Seq,valueonly)' main | grep -v '^$' | paste -sd' ')"

# A new record whose commit fails after the store took it: not acknowledged, but named, so it
# is not made twice by a second try.
c=$TMP/new-fails
new_city "$c"
mv "$c/audit.git/logs/refs/heads/main" "$TMP/reflog-c" && mkdir "$c/audit.git/logs/refs/heads/main"
run "$HUITOU" -d "$c" new institution name=甲 district=610113 category=subject
check_status "new, git failing: exit 3" 3
check_eq "new, git failing: no id on standard output (not acknowledged)" "" "$(cat "$TMP/out")"
check_grep "new, git failing: the message names the record the store has" "$TMP/err" \
    "JG-610113-000001 was made in the store: not saved in the audit record"
rmdir "$c/audit.git/logs/refs/heads/main" && mv "$TMP/reflog-c" "$c/audit.git/logs/refs/heads/main"
run "$HUITOU" -d "$c" verify
check_status "new, git fixed: the waiting commit is made, verify is clean" 0
check_eq "new, git fixed: the record's creation is on main" record.create \
    "$(g "$c" log -1 --format='%(trailers:key=Action,valueonly)' main | head -1)"

done_testing
