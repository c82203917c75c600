#!/usr/bin/env bash
# deploy.sh — contrib/deploy/install.sh on a temporary prefix, data directory and mirror, with
# groups and users of its own (names with this process's id, so runs never collide; all
# removed at exit, even on failure): real Unix users of every role can do what their role
# allows and are refused the rest; nobody writes the LMDB files or the git repository
# directly; the auditors' mirror is readable by an auditor and writable by nobody; status
# shows a remote's lag after a save and none after the push; install twice is harmless;
# --upgrade keeps records and history; --uninstall keeps the data. Root only.
. "$(dirname "$0")/lib.sh"

export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
unset GIT_DIR GIT_WORK_TREE GIT_OBJECT_DIRECTORY GIT_INDEX_FILE
install_sh=$top_srcdir/contrib/deploy/install.sh
top_builddir=$(cd "$top_builddir" && pwd)
# root reads the mirror, which the timers' user owns, with plain git
mg() { git -c safe.directory="$mirror" -C "$mirror" "$@"; }

ROOT_CHECKS=80
[ "$(id -u)" -eq 0 ] || skip_all "needs root"
command -v runuser >/dev/null && command -v useradd >/dev/null || skip_all "needs runuser and useradd"

n=$$
grp=hdg$n users=hdg$n-users auditors=hdg$n-auditors
city=hc$n district=hd$n inspector=hi$n expert=he$n auditor=ha$n stranger=hn$n
people=("$city" "$district" "$inspector" "$expert" "$auditor" "$stranger")
base=$(mktemp -d /tmp/huitou-deploy.XXXXXX)
chmod 755 "$base"
prefix=$base/prefix data=$base/data mirror=$base/mirror.git
cleanup() {
	for u in "${people[@]}" "$grp"; do userdel "$u" 2>/dev/null; done
	for g in "$auditors" "$users" "$grp"; do groupdel "$g" 2>/dev/null; done
	rm -rf "$base" "$TMP"
}
trap cleanup EXIT

run "$install_sh" --prefix "$prefix" --data "$data" --group "$grp" --city 6101 \
    --mirror "$mirror" --lag-warn 1s --build "$top_builddir"
check_status "install.sh installs into a temporary prefix" 0
[ "$rc" -eq 0 ] || { cat "$TMP/err"; echo "Bail out! install failed"; exit 1; }
hu=$prefix/bin/huitou
check_eq "the binary is root's, setgid to the group" "2755 root $grp" "$(stat -c '%a %U %G' "$hu")"
check_eq "the data directory is the group's alone (2770)" "2770 $grp" "$(stat -c '%a %G' "$data")"
check_eq "the site configuration is root's, 0644, under the prefix" "644 root" \
    "$(stat -c '%a %U' "$prefix/etc/huitou.conf")"
check_grep "it names the data directory" "$prefix/etc/huitou.conf" "data = $data"
check_grep "and the mirror with its lag-warn" "$prefix/etc/huitou.conf" "remote mirror $mirror lag-warn 1s"
check_eq "the mirror is readable by the auditors, writable by neither (2750)" "2750 $auditors" \
    "$(stat -c '%a %G' "$mirror")"
for u in huitou-maintain.service huitou-push@.service; do
	check_grep "systemd not running: $u is installed anyway" "$prefix/lib/systemd/system/$u" \
	    "ExecStart=$prefix/bin/huitou"
done
for u in huitou-maintain.timer huitou-push@.timer; do
	check_grep "and $u" "$prefix/lib/systemd/system/$u" "[Timer]"
done
check_grep "and the script says how to enable the timers" "$TMP/out" \
    "systemctl enable --now huitou-maintain.timer huitou-push@mirror.timer"
check_eq "the mirror has main as the data directory has it" \
    "$(git -C "$data/audit.git" rev-parse main)" "$(mg rev-parse main)"

# ---- people of every role: Unix users in the users' group, registered by root (the founder) ----
for u in "${people[@]}"; do
	useradd -M -N -g "$users" -s /bin/sh -c "Deploy $u" "$u" || skip_all "useradd failed"
done
usermod -a -G "$auditors" "$auditor"
reg() { "$hu" new user login="$1" name="$2" role="$3" ${4:+district=$4} >/dev/null ||
    { echo "Bail out! cannot register $1"; exit 1; }; }
reg "$city" 市统筹 city_coordinator
reg "$district" 区统筹 district_coordinator 雁塔区
reg "$inspector" 检查员 inspector 雁塔区
reg "$expert" 专家甲 expert
reg "$auditor" 审计甲 auditor
cd /
as() { local who=$1; shift; run runuser -u "$who" -- env ASAN_OPTIONS=detect_leaks=0 "$@"; }

as "$city" "$hu" new institution name=雁塔甲 district=雁塔区 category=subject
check_status "the city coordinator adds an institution in 雁塔区" 0
yt=$(cat "$TMP/out")
as "$city" "$hu" new institution name=新城乙 district=新城区 category=subject
check_status "and one in 新城区" 0
xc=$(cat "$TMP/out")
as "$district" "$hu" set "$yt" notes=区县统筹已核
check_status "the district coordinator of 雁塔区 changes a record of 雁塔区" 0
as "$district" "$hu" set "$xc" notes=越权
check_status "and is refused one of 新城区" 1
check_grep "the refusal names the rule" "$TMP/err" "district-scope"
as "$inspector" "$hu" set "$yt" notes=检查员已到
check_status "the inspector of 雁塔区 changes a record of 雁塔区" 0
as "$inspector" "$hu" set "$xc" notes=越权
check_status "and is refused one of 新城区" 1
as "$expert" "$hu" set "$yt" notes=专家
check_status "the expert is refused a change of an institution" 1
as "$expert" "$hu" show "$yt"
check_status "and may read it" 0
as "$auditor" "$hu" show "$xc"
check_status "the auditor reads any district's record" 0
check_grep "it shows the record" "$TMP/out" "name: 新城乙"
as "$auditor" "$hu" set "$xc" notes=审计
check_status "and is refused any change" 1
as "$auditor" "$hu" new user login=x$n name=某 role=city_coordinator
check_status "the auditor cannot grant a role" 1
as "$district" "$hu" set "$(grep -m1 -o 'RY-[0-9]*' <("$hu" export user --where "login=$district"))" role=city_coordinator
check_status "nobody changes their own role" 1
as "$stranger" "$hu" show "$yt"
check_status "a Unix user of the group who is not registered reads nothing" 1
check_grep "the refusal says to ask a city coordinator" "$TMP/err" "is not registered in this data directory"
as "$city" "$hu" set "$xc" notes=市统筹
check_status "the city coordinator changes any district's record" 0
check_eq "each change is one commit authored by its user" "Deploy $city
Deploy $inspector
Deploy $district" "$(git -C "$data/audit.git" log -3 --format=%an main)"

# ---- nobody writes the store or the repository directly ----
tip=$(git -C "$data/audit.git" rev-parse main)
sum=$(md5sum "$data/store/data.mdb" | cut -d' ' -f1)
for u in "${people[@]}"; do
	as "$u" sh -c "echo x >> '$data/store/data.mdb'"
	check_grep "$u cannot append to data.mdb" "$TMP/err" "Permission denied"
	as "$u" git -C "$data/audit.git" update-ref refs/heads/main "$tip"
	check_eq "$u cannot write the audit repository with git" 128 "$rc"
done
as "$auditor" git -C "$data/audit.git" commit-tree -m forged "$tip^{tree}"
check_status "not even a commit object can be made there" 128
check_eq "data.mdb is as it was" "$sum" "$(md5sum "$data/store/data.mdb" | cut -d' ' -f1)"
check_eq "main is as it was" "$tip" "$(git -C "$data/audit.git" rev-parse main)"

# ---- the replica's lag, then the push ----
behind=$(git -C "$data/audit.git" rev-list --count "$(mg rev-parse main)..main")
sleep 2.1	# the oldest unpushed commit is older than lag-warn 1s (commit times are whole seconds)
as "$grp" "$hu" status
check_status "status runs as the timers' user" 0
check_grep "it shows the mirror's lag after the saves" "$TMP/out" "remote mirror: $behind commits behind"
check_grep "over its lag-warn" "$TMP/out" "(over its lag-warn)"
check_grep "and the records of each form" "$TMP/out" "  institution             2"
before=$(mg rev-parse main)
as "$district" "$hu" push mirror
check_eq "a coordinator cannot push into the mirror (only the timers' user writes it)" "1 $before" \
    "$([ "$rc" -ne 0 ] && echo 1 || echo 0) $(mg rev-parse main)"
check_grep "and is told who pushes to it, not that there is no repository" "$TMP/err" \
    "cannot be written by your account: only its owner $grp pushes to it"
as "$grp" "$hu" push mirror
check_status "the timers' user pushes to the mirror" 0
as "$grp" "$hu" status
check_grep "after the push, no lag" "$TMP/out" "remote mirror: up to date; last push"
check_eq "the mirror's main is the data directory's" "$tip" "$(mg rev-parse main)"
check_eq "nothing the push wrote is writable by the auditors' group or others" "" \
    "$(find "$mirror" \( -perm -g+w -o -perm -o+r \) -print)"

# ---- the mirror: readable by an auditor, writable by nobody ----
clone=$base/clone-$auditor
mkdir -m 700 "$clone" && chown "$auditor" "$clone"
# The auditor's git trusts the mirror another user owns, as contrib/deploy/README.md says.
printf '[safe]\n\tdirectory = %s\n' "$mirror" >"$clone/gitconfig" && chown "$auditor" "$clone/gitconfig"
export GIT_CONFIG_GLOBAL=$clone/gitconfig
as "$auditor" git clone -q "$mirror" "$clone/audit"
check_status "the auditor clones the mirror" 0
as "$auditor" git -C "$clone/audit" rev-parse origin/main
check_eq "the clone has the whole history" "$tip" "$(cat "$TMP/out")"
as "$auditor" git -C "$clone/audit" -c user.name=a -c user.email=a@x commit -q --allow-empty -m forged
as "$auditor" git -C "$clone/audit" push -q origin HEAD:main
check_eq "the auditor's push into the mirror is refused" 1 "$([ "$rc" -ne 0 ] && echo 1 || echo 0)"
check_eq "the mirror's main did not move" "$tip" "$(mg rev-parse main)"
as "$district" git clone -q "$mirror" /tmp/never-$n
check_eq "someone outside the auditors cannot read the mirror" 1 "$([ "$rc" -ne 0 ] && echo 1 || echo 0)"
rm -rf "/tmp/never-$n"
export GIT_CONFIG_GLOBAL=/dev/null

# ---- twice, upgrade, uninstall ----
records() { "$hu" export institution; "$hu" export user; }
before_rec=$(records) before_log=$(git -C "$data/audit.git" log --format='%H %an %s' main)
before_forms=$(cd "$data/forms" && md5sum ./*)
run "$install_sh" --prefix "$prefix" --data "$data" --group "$grp" --city 6101 \
    --mirror "$mirror" --build "$top_builddir" --sshd "$prefix/etc/sshd-huitou.conf"
check_status "installing again is harmless" 0
check_grep "--sshd writes a Match block for the users' group" "$prefix/etc/sshd-huitou.conf" "Match Group $users"
check_grep "that starts huitou on login" "$prefix/etc/sshd-huitou.conf" "ForceCommand $prefix/bin/huitou"
check_grep "it keeps the configuration" "$TMP/out" "keeping the site configuration"
check_grep "and the data directory" "$TMP/out" "keeping the data directory $data"
check_eq "the records are the same" "$before_rec" "$(records)"
check_eq "the history is the same" "$before_log" "$(git -C "$data/audit.git" log --format='%H %an %s' main)"

run "$install_sh" --upgrade --prefix "$prefix" --build "$top_builddir"
check_status "--upgrade replaces the program" 0
check_eq "after it the records are identical" "$before_rec" "$(records)"
check_eq "and the git history too" "$before_log" "$(git -C "$data/audit.git" log --format='%H %an %s' main)"
check_eq "and the data directory's forms" "$before_forms" "$(cd "$data/forms" && md5sum ./*)"
check_eq "the binary is setgid still" "2755 root $grp" "$(stat -c '%a %U %G' "$hu")"
as "$district" "$hu" set "$yt" notes=升级后
check_status "a coordinator saves after the upgrade" 0

after_log=$(git -C "$data/audit.git" log --format='%H %an %s' main)
run "$install_sh" --uninstall --prefix "$prefix"
check_status "--uninstall removes huitou" 0
check_eq "the binary and the units are gone" "no no" \
    "$([ -e "$hu" ] && echo yes || echo no) $([ -e "$prefix/lib/systemd/system/huitou-push@.service" ] && echo yes || echo no)"
check_eq "the data's history is kept" "$after_log" "$(git -C "$data/audit.git" log --format='%H %an %s' main)"
check_eq "the store and the configuration are kept" "yes yes" \
    "$([ -f "$data/store/data.mdb" ] && echo yes) $([ -f "$prefix/etc/huitou.conf" ] && echo yes)"
run "$install_sh" --uninstall --purge --prefix "$prefix"
check_status "--uninstall --purge removes huitou with its data" 0
check_eq "the data, the mirror, the configuration and the timers' user are gone" "no no no no" \
    "$([ -e "$data" ] && echo yes || echo no) $([ -e "$mirror" ] && echo yes || echo no) $([ -e "$prefix/etc/huitou.conf" ] && echo yes || echo no) $(getent passwd "$grp" >/dev/null && echo yes || echo no)"
done_testing
