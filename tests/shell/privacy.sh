#!/usr/bin/env bash
# privacy.sh — private fields (the form flag "private", tests/shell/forms/tip.form): sealed in
# the audit text so plain git never shows them, yet their changes show; withheld (〔不公开〕)
# from readers the read rules of forms/policy.rules exclude, in show, export and log; restored
# exactly by rebuild, which refuses another key. As root with real Unix users (a district
# coordinator who writes the record, another district's, an auditor); without root those
# checks are skipped and the single-user ones run.
. "$(dirname "$0")/lib.sh"

me=$(id -un)
DATA=$TMP/data
chmod 711 "$TMP"	# other users reach the data directory through it
g() { git --git-dir="$DATA/audit.git" "$@"; }
hu() { run "$HUITOU" -d "$DATA" --lang zh "$@"; }
phone=13912345678 name=张三丰
# Every byte git holds for the repository's whole history: commits, trees, texts.
all_git() { g log --all -p --format=%B%n%an; g grep -h -e . $(g rev-list --all) -- . ; }

new_city "$DATA"
cp "$top_srcdir/tests/shell/forms/tip.form" "$DATA/forms/"
check_eq "init made the seal key, like the store's files: never others'" "0" \
    "$(( $(stat -c %#a "$DATA/seal.key") & 07 ))"
check_eq "64 hex digits" 1 "$(grep -c -E '^[0-9a-f]{64}$' "$DATA/seal.key")"
check_eq "which is not in git" "" "$(g ls-tree -r --name-only main | grep seal)"

# ---- one user, the city coordinator: sealed in git, seen by them ----
hu new tip district=新城区 summary=居民楼内有培训 complainant=$name contact=$phone
check_status "a record with private values is saved" 0
xs=XS-610102-000001
check_grep "git holds the complainant sealed" <(g show main:tip/610102/01/$xs) "complainant: sealed:v1:"
check_grep "and the contact" <(g show main:tip/610102/01/$xs) "contact: sealed:v1:"
check_grep "the other fields plain" <(g show main:tip/610102/01/$xs) "summary: 居民楼内有培训"
check_eq "the whole history has neither the phone" 0 "$(all_git | grep -c $phone)"
check_eq "nor the name" 0 "$(all_git | grep -c $name)"
hu show $xs
check_grep "the city coordinator sees the contact" "$TMP/out" "contact: $phone"
check_grep "and the complainant" "$TMP/out" "complainant: $name"
sealed=$(g show main:tip/610102/01/$xs | sed -n 's/^contact: //p')

hu set $xs summary=居民楼内有学科培训
check_eq "a change of another field leaves the seals as they were" "$sealed" \
    "$(g show main:tip/610102/01/$xs | sed -n 's/^contact: //p')"
check_eq "its diff has no private line" "" "$(g show --format= main | grep '^[-+]c')"
hu set $xs contact=13800000000
check_eq "a changed contact: its subject names the field, not the value" \
    "线索 $xs 联系电话 已改（不公开）" "$(g log -1 --format=%s main)"
check_grep "git log -p shows the seal changing" <(g log -1 -p --format= main) "-contact: $sealed"
check_grep "into another seal" <(g log -1 -p --format= main) "+contact: sealed:v1:"
check_eq "still no phone in all of git" 0 "$(all_git | grep -c -e $phone -e 13800000000)"
hu export tip --where contact=13800000000
check_status "--where on a private field is refused" 2
check_eq "and finds nothing" "" "$(cat "$TMP/out")"
check_grep "saying why" "$TMP/err" "联系电话是不公开字段：不按它查找记录"

# rebuild restores from git alone; verify compares the sealed texts.
hu show $xs
cp "$TMP/out" "$TMP/before"
hu rebuild
check_status "rebuild opens the seals" 0
hu show $xs
check_eq "show is the same before and after" "$(cat "$TMP/before")" "$(cat "$TMP/out")"
hu verify
check_status "verify is clean" 0
cp "$DATA/seal.key" "$TMP/key"
printf '%064d\n' 7 >"$DATA/seal.key"
hu rebuild
check_status "a wrong key: rebuild refuses" 3
check_grep "saying which field and why" "$TMP/err" "$xs 的 complainant 无法解封"
rm "$DATA/seal.key"
hu rebuild
check_status "a missing key: rebuild refuses" 3
check_grep "saying the key is missing" "$TMP/err" "没有 seal.key"
hu set $xs summary=再改
check_status "and no write makes a new key while git holds seals of the old" 3
check_eq "none was made" "" "$(ls "$DATA"/seal.key 2>/dev/null)"
cp "$TMP/key" "$DATA/seal.key"
hu show $xs
check_eq "with the key back, the store is as it was" "$(cat "$TMP/before")" "$(cat "$TMP/out")"

# A document (notice) names the private fields as its reader may see them.
mkdir -p "$DATA/templates"
printf 'form tip\n' >"$DATA/templates/tipnote.settings"
printf '<p>{{summary}} / {{complainant}} / {{contact}}</p>\n' >"$DATA/templates/tipnote.html"
hu notice $xs --template tipnote -o "$TMP/note.html"
check_grep "the city coordinator's document has the values" "$TMP/note.html" \
    "<p>居民楼内有学科培训 / $name / 13800000000</p>"

# ---- real users: as root only ----
if [ "$(id -u)" -ne 0 ]; then
	for what in "own district sees" "other district withheld" "auditor withheld" \
	    "auditor's document withheld" "withheld export not imported back"; do
		ok "$what as another Unix user # skip needs root"
	done
	done_testing
	exit 0
fi

tag=htv$$
grp=$tag
dc=${tag}dc dx=${tag}dx au=${tag}au
cleanup_users() {
	for u in "$dc" "$dx" "$au"; do userdel "$u" >/dev/null 2>&1; done
	groupdel "$grp" >/dev/null 2>&1
}
trap 'cleanup_users; rm -rf "$TMP"' EXIT
groupadd "$grp" || { echo "Bail out! groupadd"; exit 1; }
for u in "$dc" "$dx" "$au"; do
	useradd -M -N -g "$grp" -s /bin/sh "$u" || { echo "Bail out! useradd $u"; exit 1; }
done
as() { local u=$1; shift; run runuser -u "$u" -- "$HUITOU" -d "$DATA" --lang zh "$@"; }
chgrp -R "$grp" "$DATA" && chmod -R g+rwX "$DATA" && find "$DATA" -type d -exec chmod g+s {} +
"$HUITOU" -d "$DATA" new user login="$dc" name=王芳 role=district_coordinator district=雁塔区 >/dev/null
"$HUITOU" -d "$DATA" new user login="$dx" name=李强 role=district_coordinator district=新城区 >/dev/null
"$HUITOU" -d "$DATA" new user login="$au" name=审计员 role=auditor >/dev/null

as "$dc" new tip district=雁塔区 summary=线上违规培训 complainant=$name contact=$phone
check_status "the district coordinator writes a record with private values" 0
yt=XS-610113-000001
check_eq "authored by them" "$dc" "$(g log -1 --format=%an main)"
check_eq "git has neither value" 0 "$(all_git | grep -c -e $phone -e $name)"
as "$dc" show $yt
check_grep "their own district sees the contact" "$TMP/out" "contact: $phone"
as "$au" show $yt
check_grep "the auditor reads 〔不公开〕 for the contact" "$TMP/out" "contact: 〔不公开〕"
check_grep "and for the complainant" "$TMP/out" "complainant: 〔不公开〕"
check_grep "the other fields as they are" "$TMP/out" "summary: 线上违规培训"
check_eq "no phone in the auditor's show" 0 "$(grep -c $phone "$TMP/out")"
run runuser -u "$au" -- "$HUITOU" -d "$DATA" --lang en show $yt
check_grep "in English: [withheld]" "$TMP/out" "contact: [withheld]"
as "$au" export tip
check_eq "the auditor's export withholds both" "$yt,610113,线上违规培训,〔不公开〕,〔不公开〕,1" \
    "$(grep $yt "$TMP/out")"
cp "$TMP/out" "$TMP/masked.csv"
as "$au" notice $yt --template tipnote
check_status "the auditor makes the document" 0
check_grep "with 〔不公开〕 in it" "$TMP/out" "<p>线上违规培训 / 〔不公开〕 / 〔不公开〕</p>"
as "$au" export tip --where contact=$phone
check_eq "export --where contact=… finds nothing for them" "" "$(cat "$TMP/out")"
as "$au" log $yt
check_status "the auditor reads the record's log" 0
check_eq "which has no phone" 0 "$(grep -c $phone "$TMP/out")"
as "$dx" show $yt
check_grep "another district's coordinator reads 〔不公开〕" "$TMP/out" "contact: 〔不公开〕"
as "$dx" export tip
check_eq "and exports it so" "$yt,610113,线上违规培训,〔不公开〕,〔不公开〕,1" "$(grep $yt "$TMP/out")"
check_grep "while their own district's record is theirs to read" "$TMP/out" \
    "$xs,610102,居民楼内有学科培训,$name,13800000000"
as "$dx" show $xs
check_grep "(its contact included)" "$TMP/out" "contact: 13800000000"
hu show $yt
check_grep "the city coordinator sees every district's" "$TMP/out" "contact: $phone"

# An export with withheld values, imported by someone who may write: refused, not stored.
chmod 644 "$TMP/masked.csv"
n=$(g rev-list --count main)
hu import tip "$TMP/masked.csv"
check_status "a withheld export is not imported back" 1
check_grep "the refusal says why" "$TMP/err" "〔不公开〕"
check_eq "nothing in git" "$n" "$(g rev-list --count main)"
as "$dc" show $yt
check_grep "the contact is as it was" "$TMP/out" "contact: $phone"
done_testing
