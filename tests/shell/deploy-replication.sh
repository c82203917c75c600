#!/usr/bin/env bash
# deploy-replication.sh — replication to a second server is resumable and its lag is known.
# A push killed while packing or while sending (SIGKILL at a named fault point) leaves the
# replica's main where it was and a sound repository, and the next push completes it. With a
# configured remote (a relocated install whose root-owned configuration says `remote backup
# URL lag-warn 1h`; root only), `status` says the replica was never pushed, how many commits
# it lacks and since when, a push killed before it is recorded counts as not done, and a
# recorded push leaves no lag.
. "$(dirname "$0")/lib.sh"

export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
unset GIT_DIR GIT_WORK_TREE GIT_OBJECT_DIRECTORY GIT_INDEX_FILE
tip() { git -C "$1" rev-parse --verify -q refs/heads/main || echo none; }

d=$TMP/d replica=$TMP/replica.git
new_city "$d"
for i in 1 2 3; do
	"$HUITOU" -d "$d" new institution name=机构$i district=雁塔区 category=subject >/dev/null
done
git init -q --bare --initial-branch=main "$replica"

for point in push-packing push-sending; do
	run env HUITOU_FAULT=$point "$HUITOU" -d "$d" push "$replica"
	check_eq "a push killed at $point dies by SIGKILL" 137 "$rc"
	check_eq "the replica's main did not move" none "$(tip "$replica")"
	run git -C "$replica" fsck --no-dangling
	check_status "the replica is a sound repository after the kill at $point" 0
done
leftover=$(find "$replica/objects/pack" -name 'pack_git2_*' | head -n 1)
check_eq "the push killed while sending left libgit2's temporary pack" yes "$([ -n "$leftover" ] && echo yes)"
touch -d '20 minutes ago' "$leftover"
run "$HUITOU" -d "$d" push "$replica"
check_status "the next push completes the interrupted one" 0
check_eq "and removes the temporary pack older than 15 minutes" no "$([ -e "$leftover" ] && echo yes || echo no)"
check_eq "the replica has main" "$(tip "$d/audit.git")" "$(tip "$replica")"
run git -C "$replica" fsck --no-dangling
check_status "and is sound" 0
"$HUITOU" -d "$d" new institution name=机构4 district=雁塔区 category=subject >/dev/null
run env HUITOU_FAULT=push-sending "$HUITOU" -d "$d" push "$replica"
run "$HUITOU" -d "$d" push "$replica"
check_eq "an interrupted push of one more commit is completed too" "$(tip "$d/audit.git")" "$(tip "$replica")"

# ---- a configured remote and its lag: a relocated install (root owns its configuration) ----
ROOT_CHECKS=19
[ "$(id -u)" -eq 0 ] || skip_all "needs root (the site configuration must be root's)"
p=$TMP/prefix backup=$TMP/backup.git
mkdir -p "$p/bin" "$p/etc" "$p/share/huitou" "$p/share/locale"
cp "$HUITOU" "$p/bin/huitou"
for x in forms keymaps views templates contrib; do ln -s "$top_srcdir/$x" "$p/share/huitou/$x"; done
git init -q --bare --initial-branch=main "$backup"
printf 'data = %s\nremote backup %s lag-warn 1h\n' "$d" "$backup" >"$p/etc/huitou.conf"
chmod 644 "$p/etc/huitou.conf"
hu=$p/bin/huitou

run "$hu" help
check_grep "a relocated binary reads its configuration under its prefix" "$TMP/out" \
    "Site configuration (read when installed setgid): $p/etc/huitou.conf"
run "$hu" -d "$d" status
check_status "status runs" 0
behind=$(git -C "$d/audit.git" rev-list --count main)
check_grep "a remote never pushed lacks every commit" "$TMP/out" "remote backup: $behind commits behind"
check_grep "and says it was never pushed" "$TMP/out" "; never pushed"
check_no_grep "nothing is over lag-warn 1h yet" "$TMP/out" "over its lag-warn"
run env HUITOU_FAULT=push-before-record "$hu" -d "$d" push backup
check_eq "a push killed before it is recorded dies" 137 "$rc"
check_eq "the remote has main all the same" "$(tip "$d/audit.git")" "$(tip "$backup")"
run "$hu" -d "$d" status
check_grep "but status does not count it as done" "$TMP/out" "remote backup: $behind commits behind"
run "$hu" -d "$d" push backup
check_status "the next push succeeds (nothing left to send)" 0
run "$hu" -d "$d" status
check_grep "and is recorded: no lag" "$TMP/out" "remote backup: up to date; last push"
check_grep "with the commit it sent" "$TMP/out" "commit $(tip "$d/audit.git" | cut -c1-12)"
"$hu" -d "$d" new institution name=机构5 district=雁塔区 category=subject >/dev/null
run "$hu" -d "$d" status
check_grep "a save puts the remote one commit behind" "$TMP/out" "remote backup: 1 commits behind, the oldest"
# The console's status line notes a remote whose missing commits are older than its lag-warn.
. "$(dirname "$0")/term.sh"
printf 'data = %s\nremote backup %s lag-warn 1s\n' "$d" "$backup" >"$p/etc/huitou.conf"
sleep 2.1	# commit times are whole seconds: 2.1 s later the lag is surely over 1 s
DATA=$d HUITOU=$hu start lag TERM=xterm LANG=C.UTF-8
check_screen "the console's status line notes the lagging remote" lag "backup +1 "
keys lag q
check_exit lag "the console quits"
"$hu" -d "$d" push backup >/dev/null
DATA=$d HUITOU=$hu start lag2 TERM=xterm LANG=C.UTF-8
check_screen "after the push the console starts" lag2 "audit: in git"
check_no_grep "with no lag note" "$TMP/screen" "backup +"
keys lag2 q
check_exit lag2 "the console quits again"
printf 'remote spare %s lag-warn soon\n' "$backup" >>"$p/etc/huitou.conf"
run "$hu" -d "$d" status
check_status "a lag-warn that is no duration is refused" 3
check_grep "with the line and why" "$TMP/err" "huitou.conf:3: after the URL only 'lag-warn DURATION' (30m, 1h, 2d)"
done_testing
