#!/usr/bin/env bash
# audit-fold.sh — the fold of small packs (src/audit/audit-fold.c) copies each object as its
# pack stores it: a delta stays a delta (huitou's own deltas by id, and git's deltas by offset,
# from a pack `git repack` made), every object keeps its content, and a pack whose bytes do not
# match its index's CRC is not folded (nothing is removed). git is the oracle: verify-pack for
# how each object is stored, cat-file for contents, fsck.
. "$(dirname "$0")/lib.sh"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null

g() { git -C "$d/audit.git" "$@"; }
packs() { g count-objects -v | sed -n 's/^packs: //p'; }
seq_of_main() { g log -1 --format=%B main | sed -n 's/^Outbox-Seq: //p'; }
# The objects stored as deltas in the packs given (or all), one id a line, sorted.
deltas() {
	local p=("$@")
	[ ${#p[@]} -gt 0 ] || p=("$d"/audit.git/objects/pack/pack-*.idx)
	for idx in "${p[@]}"; do g verify-pack -v "$idx"; done |
	    awk 'NF == 7 && $2 ~ /^(blob|tree|commit)$/ { print $1 }' | sort -u
}
# The id, type, size and content of every object listed in $TMP/ids, as one digest.
contents() { g cat-file --batch <"$TMP/ids" | sha256sum | cut -d' ' -f1; }
# Saves of one record until a fold has taken the pack named (at most 400 saves).
save_until_folded() {	# PACK-FILE LABEL
	local i=0
	while [ -e "$1" ] && [ "$i" -lt 400 ]; do
		i=$((i + 1))
		"$HUITOU" -d "$d" set "$id" "notes=$2 $i" >/dev/null || break
	done
	saved=$i
}

# Saves until the pack named is folded; then every object there before is there, the same,
# the deltas named are still deltas, and fsck is clean.
check_folded() {	# LABEL PACK-FILE DELTAS
	local before
	g cat-file --batch-all-objects --batch-check='%(objectname)' >"$TMP/ids"
	before=$(contents)
	save_until_folded "$2" "after $1"
	check_eq "$1's pack folded: within 400 saves" yes "$([ ! -e "$2" ] && echo yes || echo no)"
	check_eq "$1's pack folded: every object it had is there, the same" "$before" "$(contents)"
	check_eq "$1's pack folded: its deltas are still deltas" "" "$(comm -23 <(echo "$3") <(deltas))"
	check_eq "$1's pack folded: fsck --strict is clean" "" "$(g fsck --strict 2>&1)"
}

d=$TMP/d
new_city "$d"
# 130 institutions of one district: ids ending in the same two digits share a folder, so a
# batch over them all writes deltas (each against the first file of its folder).
{
	echo name,district,category
	for i in $(seq 1 130); do echo "折叠机构$i,610113,subject"; done
} >"$TMP/130.csv"
"$HUITOU" -d "$d" import institution "$TMP/130.csv" >/dev/null ||
    { echo "Bail out! import failed"; exit 1; }
id=$("$HUITOU" -d "$d" export institution | tail -n 1 | cut -d, -f1)
for i in 1 2 3 4 5 6; do "$HUITOU" -d "$d" set "$id" "notes=before git $i" >/dev/null; done

# ---- git's own pack: deltas by offset ----
g repack -a -d -q --depth=10 2>"$TMP/err"
check_eq "git repack: one pack, made by git" "1" "$(packs)"
git_pack=$(ls "$d"/audit.git/objects/pack/pack-*.pack)
check_eq "git repack: a bitmap beside its pack" yes "$([ -e "${git_pack%.pack}.bitmap" ] && echo yes || echo no)"
git_deltas=$(deltas "${git_pack%.pack}.idx")
if [ -n "$git_deltas" ]; then ok "git repack: its pack holds deltas ($(echo "$git_deltas" | wc -l))"
else not_ok "git repack: its pack holds deltas" "none"; fi
check_folded git "$git_pack" "$git_deltas"
check_eq "git's pack folded: its bitmap went with it (only packs and indexes are left)" "" \
    "$(ls "$d/audit.git/objects/pack" | grep -v '^pack-[0-9a-f]*\.\(pack\|idx\)$')"

# ---- huitou's own deltas: a batch over the 130 ----
"$HUITOU" -d "$d" batch institution --where district=610113 --set phone=029-88886666 --yes >/dev/null
batch_pack=$(ls -t "$d"/audit.git/objects/pack/pack-*.pack | head -n 1)
batch_deltas=$(deltas "${batch_pack%.pack}.idx")
if [ "$(echo "$batch_deltas" | grep -c .)" -ge 20 ]; then
	ok "batch: its pack holds deltas ($(echo "$batch_deltas" | wc -l))"
else
	not_ok "batch: its pack holds deltas" "$(echo "$batch_deltas" | grep -c .)"
fi
check_folded batch "$batch_pack" "$batch_deltas"
run "$HUITOU" -d "$d" verify
check_status "batch's pack folded: verify is clean" 0

# ---- a pack git is told to keep (a .keep file beside it) is left as it is ----
# Saves until the next one would fold: with its own pack more than 32 small packs (MIN packs
# or more now), and its Outbox-Seq a multiple of 8.
fold_turn() {	# LABEL MIN
	local i=0
	while [ "$i" -lt 60 ] && ! { [ "$(packs)" -ge "$2" ] && [ $((($(seq_of_main) + 1) % 8)) -eq 0 ]; }; do
		i=$((i + 1))
		"$HUITOU" -d "$d" set "$id" "notes=$1 $i" >/dev/null
	done
}
# The smallest pack, a save's (which the fold would take first), is marked to keep; then the
# saves up to a fold's turn (the kept one is not counted among the small packs).
for i in 1 2 3; do "$HUITOU" -d "$d" set "$id" "notes=to keep $i" >/dev/null; done
kept=$(ls -Sr "$d"/audit.git/objects/pack/pack-*.pack | head -n 1)
touch "${kept%.pack}.keep"
fold_turn keep 33
n=$(packs)
"$HUITOU" -d "$d" set "$id" "notes=the folding save, one pack kept" >/dev/null
check_eq "keep: the others were folded, the kept pack left" "yes yes" \
    "$([ "$(packs)" -lt "$n" ] && echo yes || echo no) $([ -e "$kept" ] && [ -e "${kept%.pack}.idx" ] && echo yes || echo no)"
rm -f "${kept%.pack}.keep"

# ---- a damaged pack is not folded ----
fold_turn damage 32
n=$(packs)
check_eq "damaged: the next save is a fold's turn" "yes" "$([ "$n" -ge 32 ] && echo yes || echo no)"
# The smallest pack (a save's, which the fold takes first): its last object (before the
# 20-byte checksum) gets one byte changed.
small=$(ls -Sr "$d"/audit.git/objects/pack/pack-*.pack | head -n 1)
size=$(stat -c %s "$small")
chmod u+w "$small"
printf '\xff' | dd of="$small" bs=1 seek=$((size - 22)) conv=notrunc status=none
run "$HUITOU" -d "$d" set "$id" "notes=the folding save"
check_status "damaged: the save itself succeeds" 0
check_eq "damaged: nothing was folded (its own pack added)" "$((n + 1)) yes" \
    "$(packs) $([ -e "$small" ] && echo yes || echo no)"
done_testing
