#!/usr/bin/env bash
# setgid.sh — huitou installed setgid to a group that alone may write the data directory, run
# by a user outside that group: the data directory comes from the root-owned site
# configuration (PREFIX/etc/huitou.conf of a relocated install under a temporary PREFIX, so that
# no other test running at once reads it), -d and HUITOU_DIR naming another are
# refused, push goes only to configured remotes, and a data directory the caller made cannot
# be pushed over the real one. Commits are dated by the real clock while HUITOU_NOW pins only
# "today". The setgid part needs root (users, a group, chgrp).
. "$(dirname "$0")/lib.sh"

export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
unset GIT_DIR GIT_WORK_TREE GIT_OBJECT_DIRECTORY GIT_INDEX_FILE
g() { local repo=$1; shift; git -C "$repo" "$@"; }
tip() { git -C "$1" rev-parse --verify -q refs/heads/main || echo none; }
today_utc() { date -u +%F; }

# ---- not setgid: commit dates are the real clock's, and a push never targets itself ----
d=$TMP/d
new_city "$d"
before=$(today_utc)
run env HUITOU_NOW=2001-01-01 "$HUITOU" -d "$d" new institution name=甲 district=雁塔区 category=subject
after=$(today_utc)
check_status "a new record is saved with HUITOU_NOW pinned to 2001-01-01" 0
for what in author committer; do
	f=%ad; [ $what = committer ] && f=%cd
	got=$(g "$d/audit.git" log -1 --date=short --format=$f main)
	if [ "$got" = "$before" ] || [ "$got" = "$after" ]; then
		ok "the commit's $what date is the real date ($got), not HUITOU_NOW's"
	else
		not_ok "the commit's $what date is the real date" "got $got, today is $after"
	fi
done
check_eq "no commit is dated 2001" 0 "$(g "$d/audit.git" log --date=short --format='%ad %cd' main | grep -c 2001)"

tip_before=$(tip "$d/audit.git")
for url in "$d/audit.git" "file://$d/audit.git/"; do
	run "$HUITOU" -d "$d" push "$url"
	check_status "push to the data directory's own audit record ($url) is refused" 1
	check_grep "the refusal says why" "$TMP/err" "own audit record: a push only sends main out"
done
check_eq "main is where it was" "$tip_before" "$(tip "$d/audit.git")"

# ---- setgid ----
ROOT_CHECKS=28
[ "$(id -u)" -eq 0 ] || skip_all "needs root"
command -v runuser >/dev/null && command -v useradd >/dev/null || skip_all "needs runuser and useradd"

grp=hsg$$ user=hsu$$
base=$(mktemp -d /tmp/huitou-setgid.XXXXXX) && chmod 755 "$base"
conf=$base/etc/huitou.conf
cleanup() {
	userdel "$user" 2>/dev/null
	groupdel "$grp" 2>/dev/null
	rm -rf "$base" "$TMP"
}
trap cleanup EXIT
groupadd "$grp" || skip_all "groupadd failed"
useradd -M -N -g nogroup -s /bin/sh -c "Setgid Tester" "$user" || skip_all "useradd failed"

# The site's configuration, in the relocated install (its shipped files copied beside it).
mkdir -m 755 "$base/etc" "$base/share" "$base/share/huitou"
for x in forms keymaps views templates; do cp -r "$top_srcdir/$x" "$base/share/huitou/"; done
chmod -R a+rX "$base/share"
real=$base/real mirror=$base/mirror.git
printf '# the site of this test\ndata = %s\nremote backup %s\n' "$real" "$mirror" >"$conf"
chown root:root "$conf" && chmod 644 "$conf"
runuser -u "$user" -- test -r "$conf" || skip_all "$user cannot reach $conf"

# The real data directory and a mirror, the group's alone; the binary setgid to the group.
"$HUITOU" -d "$real" init --city 6101 >/dev/null || skip_all "init failed"
"$HUITOU" -d "$real" new institution name=启明星 district=雁塔区 category=subject >/dev/null
# The user works there as a district coordinator of 雁塔区: registered, or every command is refused.
"$HUITOU" -d "$real" new user login="$user" name=测试 role=district_coordinator district=雁塔区 \
    >/dev/null || { echo "Bail out! cannot register $user"; exit 1; }
git init -q --bare --shared=group --initial-branch=main "$mirror"
for x in "$real" "$mirror"; do
	chgrp -R "$grp" "$x" && chmod -R g+rwX,o-rwx "$x" && find "$x" -type d -exec chmod g+s {} +
done
mkdir -m 755 "$base/bin" && cp "$HUITOU" "$base/bin/huitou" && cp "$HUITOU" "$base/bin/plain"
chgrp "$grp" "$base/bin/huitou" && chmod 2755 "$base/bin/huitou"
mkdir -m 700 "$base/u" && chown "$user" "$base/u"
# as_user CMD…: run as the user outside the group (who may not read the sanitizer build's
# suppressions; a setgid run turns leak checks off itself, see main.c).
as_user() { run runuser -u "$user" -- env ASAN_OPTIONS=detect_leaks=0 HUITOU_NOW=2001-01-01 "$@"; }
cd /	# a folder the user may enter
sg=$base/bin/huitou
id=JG-610113-000001

as_user ls "$real"
check_eq "the user alone cannot read the data directory" "ls: cannot open directory '$real': Permission denied" \
    "$(cat "$TMP/err")"
as_user "$sg" show "$id"
check_status "setgid, with no -d: show reads the configured data directory" 0
check_grep "it shows the record there" "$TMP/out" "name: 启明星"
as_user "$sg" -d "$real" show "$id"
check_status "-d naming the configured directory is accepted" 0
# A file the caller names is read with the caller's rights, not the program's group: a file
# that the group alone may read cannot be read back through an import.
printf 'secret-line-of-the-group\n' >"$base/group-only.csv"
chgrp "$grp" "$base/group-only.csv" && chmod 640 "$base/group-only.csv"
as_user "$sg" import institution "$base/group-only.csv"
check_status "setgid: importing a file only the group may read is refused" 1
check_grep "it says the file cannot be opened" "$TMP/err" "Permission denied"
check_no_grep "and shows nothing of it" "$TMP/err" "secret-line-of-the-group"

as_user "$sg" -d "$base/u/fake" init --city 6101
check_status "-d naming another directory is refused (usage, 2)" 2
check_grep "the refusal names the directory used and where it is set" "$TMP/err" \
    "-d $base/u/fake refused: installed setgid, huitou uses only the data directory $real (set in $conf)"
check_eq "nothing is made there" no "$([ -e "$base/u/fake" ] && echo yes || echo no)"
as_user env HUITOU_DIR="$base/u/fake" "$sg" show "$id"
check_status "HUITOU_DIR naming another directory is refused (2)" 2
check_grep "the refusal names HUITOU_DIR" "$TMP/err" "HUITOU_DIR=$base/u/fake refused"
check_eq "the security log has both refusals" 2 "$(grep -c 'event=dir.refused' "$real/security.log")"

# A new record through the setgid binary: the author is the user, the date the real one.
tip_before=$(tip "$real/audit.git")
as_user "$sg" set "$id" notes=setgid
check_status "setgid: set saves to the configured directory" 0
check_eq "its commit's author is the user's passwd name" "Setgid Tester" \
    "$(g "$real/audit.git" log -1 --format=%an main)"
check_eq "its commit is dated today by the real clock, HUITOU_NOW ignored" "$(today_utc)" \
    "$(g "$real/audit.git" log -1 --date=short --format=%cd main)"

# The attack: a data directory the user made, pushed over the real audit record.
as_user "$base/bin/plain" -d "$base/u/fake" init --city 6101
real_tip=$(tip "$real/audit.git")
as_user "$sg" -d "$base/u/fake" push "file://$real/audit.git"
check_status "setgid: pushing from a directory the user made is refused at -d" 2
as_user "$sg" push "file://$base/u/fake/audit.git"
check_status "setgid: a push to an unconfigured URL is refused" 1
check_grep "the refusal names the configuration" "$TMP/err" "is not a remote configured in $conf"
as_user "$sg" push "$real/audit.git"
check_status "setgid: a push to the own audit record by URL is refused" 1
check_eq "the real main did not move" "$real_tip" "$(tip "$real/audit.git")"
check_eq "the security log has the push refusals" 2 "$(grep -c 'event=push.refused' "$real/security.log")"

as_user "$sg" push backup
check_status "setgid: push to the configured remote 'backup' works" 0
check_eq "the mirror's main is the real main" "$real_tip" "$(tip "$mirror")"

chmod 664 "$conf"
as_user "$sg" show "$id"
check_status "a configuration its group may write is refused (3)" 3
check_grep "the refusal says what trust needs" "$TMP/err" \
    "$conf is not trusted: it must be a file owned by root that no group or other user may write"
chmod 644 "$conf"
printf 'remote spare\n' >>"$conf"
as_user "$sg" show "$id"
check_status "a configuration with a bad line is refused (3)" 3
check_grep "the refusal names the file, the line and why" "$TMP/err" "$conf:4: 'remote' takes a name and a URL"

done_testing
