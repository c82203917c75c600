#!/usr/bin/env bash
# audit-fold-unlocked.sh — the small packs are folded after the save has given up the audit
# lock (src/audit/audit-commit.c, audit_fold_if_due), so no other writer waits for a fold:
# with more than 32 small packs, the save whose Outbox-Seq is a multiple of 8 folds them, and
# strace shows the lock file's flock released (its descriptor closed) before the folded pack
# is renamed into place and the old packs removed. git is the oracle for what is kept.
# Skipped without strace.
. "$(dirname "$0")/lib.sh"

skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}
command -v strace >/dev/null || skip_all "needs strace"
strace -f -qq -e trace=none true 2>/dev/null || skip_all "strace cannot trace here"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null

g() { git -C "$d/audit.git" "$@"; }
notes() { g show "main:$(g ls-tree -r --name-only main | grep "/$id\$")" | sed -n 's/^notes: //p'; }
packs() { g count-objects -v | sed -n 's/^packs: //p'; }
seq_of_main() { g log -1 --format=%B main | sed -n 's/^Outbox-Seq: //p'; }

d=$TMP/d
new_city "$d"
"$HUITOU" -d "$d" new institution name=启明星教育 district=雁塔区 category=subject >/dev/null
id=$("$HUITOU" -d "$d" export institution | tail -n 1 | cut -d, -f1)
# Saves, each its own pack, until the next save's Outbox-Seq is a multiple of 8 past 32 packs.
i=0
while [ "$i" -lt 200 ]; do
	i=$((i + 1))
	"$HUITOU" -d "$d" set "$id" "notes=save $i" >/dev/null || break
	s=$(seq_of_main)
	[ "$(packs)" -gt 33 ] && [ $(((s + 1) % 8)) -eq 0 ] && break
done
before=$(packs)
check_eq "saves: git has each one" "save $i" "$(notes)"

# (LeakSanitizer cannot run under ptrace: the sanitizer build's leak check is off for this one.)
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
    strace -f -qq -e trace=flock,close,rename,unlink -o "$TMP/trace" "$HUITOU" -d "$d" set "$id" "notes=the folding save" >"$TMP/out" 2>"$TMP/err"
check_eq "the folding save: done" 0 "$?"
check_eq "the folding save: git has it" "the folding save" \
    "$(notes)"
after=$(packs)
if [ "$after" -lt "$before" ]; then ok "the folding save: small packs folded ($before -> $after)"
else not_ok "the folding save: small packs folded" "$before -> $after packs"; fi

# The lock's descriptor: the one flock'ed; its release: the close of it that follows.
lock_line=$(grep -n 'flock([0-9]*, LOCK_EX.*= 0$' "$TMP/trace" | tail -n 1 | cut -d: -f1)
lock_fd=$(sed -n "${lock_line:-1}s/.*flock(\([0-9]*\),.*/\1/p" "$TMP/trace")
unlock_line=$(awk -v from="${lock_line:-0}" -v fd="close(${lock_fd:-x})" \
    'NR > from && index($0, fd) { print NR; exit }' "$TMP/trace")
# The fold's removals of old packs (a save's own pack is only renamed, never removes one).
first_removal=$(grep -n 'unlink(".*objects/pack/pack-[0-9a-f]*\.\(idx\|pack\)"' "$TMP/trace" |
    head -n 1 | cut -d: -f1)
check_grep "strace: the lock was taken" <(echo "fd ${lock_fd:-none}") "fd "
if [ -n "$lock_fd" ] && [ -n "$unlock_line" ] && [ -n "$first_removal" ] &&
    [ "$unlock_line" -lt "$first_removal" ]; then
	ok "the fold removes old packs only after the audit lock is given up"
else
	not_ok "the fold removes old packs only after the audit lock is given up" \
	    "lock fd ${lock_fd:-?}, released at line ${unlock_line:-?}, first removal at line ${first_removal:-?}"
fi
check_eq "fsck --strict is clean" "" "$(g fsck --strict --no-dangling --no-progress 2>&1)"
run "$HUITOU" -d "$d" verify
check_status "verify is clean" 0
done_testing
