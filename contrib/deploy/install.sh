#!/usr/bin/env bash
# install.sh — puts huitou on a shared server (Debian 12): the data group and its system user,
# the binary setgid to that group, the shipped files, a data directory only the group may
# write (2770), the root-owned site configuration, the maintain and push timers, the city's
# data, and an auditors' read-only mirror. --upgrade replaces the program and keeps the data
# and the configuration; --uninstall removes the program and units and keeps the data unless
# --purge. Running it twice is harmless. The guide is contrib/deploy/README.md.
set -u -o pipefail

prog=${0##*/}
here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "$here/../.." && pwd)
prefix=/usr/local data=/var/lib/huitou group=huitou users='' auditors='' city='' mirror=''
builddir='' staged='' unitdir='' sshd='' mode=install purge=no lag_warn=''
remotes=()

usage() {
	cat <<EOF
usage: $prog [--prefix DIR] [--data DIR] [--group NAME] [--users GROUP] [--city CODE]
             [--mirror DIR] [--auditors GROUP] [--remote NAME URL] [--lag-warn DURATION]
             [--build DIR | --staged DIR] [--unit-dir DIR] [--sshd print|FILE]
       $prog --upgrade [--prefix DIR] [--build DIR | --staged DIR]
       $prog --uninstall [--purge] [--prefix DIR]
EOF
	exit 2
}
die() { echo "$prog: $*" >&2; exit 1; }
say() { echo "$prog: $*"; }

while [ $# -gt 0 ]; do
	case $1 in
	--prefix) prefix=${2:?}; shift ;;
	--data) data=${2:?}; shift ;;
	--group) group=${2:?}; shift ;;
	--users) users=${2:?}; shift ;;
	--city) city=${2:?}; shift ;;
	--mirror) mirror=${2:?}; shift ;;
	--auditors) auditors=${2:?}; shift ;;
	--remote) remotes+=("${2:?} ${3:?}"); shift 2 ;;
	--lag-warn) lag_warn=${2:?}; shift ;;
	--build) builddir=${2:?}; shift ;;
	--staged) staged=${2:?}; shift ;;
	--unit-dir) unitdir=${2:?}; shift ;;
	--sshd) sshd=${2:?}; shift ;;
	--upgrade) mode=upgrade ;;
	--uninstall) mode=uninstall ;;
	--purge) purge=yes ;;
	-h|--help) usage ;;
	*) echo "$prog: unknown option $1" >&2; usage ;;
	esac
	shift
done
[ "$(id -u)" -eq 0 ] || die "run as root (it creates a group and a setgid binary)"
for v in builddir staged; do	# made absolute: the script works from /
	[ -z "${!v}" ] || printf -v "$v" '%s' "$(cd "${!v}" && pwd)" || die "${!v}: no such directory"
done
case $prefix$data$mirror in *[[:space:]]*) die "paths with spaces are not supported" ;; esac
for p in "$prefix" "$data"; do case $p in /*) ;; *) die "$p: an absolute path is needed" ;; esac; done

share=$prefix/share/huitou
settings=$share/install.settings	# what install chose, for --upgrade and --uninstall
manifest=$share/install.manifest	# every file installed, for --uninstall

# Settings of an earlier install win for upgrade and uninstall (the options need not be repeated).
if [ "$mode" != install ] || [ -f "$settings" ]; then
	[ -f "$settings" ] || die "$settings is missing: huitou is not installed under $prefix"
	# shellcheck disable=SC1090
	. "$settings"
fi
[ -n "$users" ] || users=$group-users
[ -n "$auditors" ] || auditors=$group-auditors
sysuser=$group		# the system user the timers run as, whose primary group is $group
if [ -z "$unitdir" ]; then
	case $prefix in /usr|/usr/local) unitdir=/etc/systemd/system ;; *) unitdir=$prefix/lib/systemd/system ;; esac
fi

systemd_running() { [ -d /run/systemd/system ] && command -v systemctl >/dev/null; }
as_sys() { runuser -u "$sysuser" -- "$@"; }
hu() { "$prefix/bin/huitou" "$@"; }

# ---- the program's files ----

# The directory holding bin/huitou, share/huitou and share/locale of a staged (DESTDIR) install.
staged_root() {
	local bin
	bin=$(find "$staged" -path '*/bin/huitou' -type f | head -n 1)
	[ -n "$bin" ] || die "no bin/huitou under $staged"
	dirname "$(dirname "$bin")"
}

# copy SRC DEST MODE: one file, recorded in the manifest.
copy() {
	install -D -m "$3" "$1" "$2" || die "cannot install $2"
	echo "$2" >>"$manifest.new"
}

copy_tree() {	# copy_tree SRCDIR DESTDIR: its regular files, 0644
	local f
	[ -d "$1" ] || die "$1 is missing"
	while IFS= read -r f; do copy "$1/$f" "$2/$f" 644; done < <(cd "$1" && find . -type f | sed 's|^\./||' | sort)
}

install_program() {
	local bin mo from
	mkdir -p "$share" && : >"$manifest.new" || die "cannot write $manifest"
	if [ -n "$staged" ]; then
		from=$(staged_root)
		bin=$from/bin/huitou mo=$from/share/locale/zh_CN/LC_MESSAGES/huitou.mo
		copy_tree "$from/share/huitou" "$share"
	else
		[ -n "$builddir" ] || builddir=$srcdir
		bin=$builddir/src/huitou mo=$builddir/po/locale/zh_CN/LC_MESSAGES/huitou.mo
		for d in forms keymaps views templates contrib/data/divisions; do
			copy_tree "$srcdir/$d" "$share/$d"
		done
		[ -f "$srcdir/doc/huitou.1" ] && copy "$srcdir/doc/huitou.1" "$prefix/share/man/man1/huitou.1" 644
	fi
	[ -x "$bin" ] || die "$bin is not built (./configure && make, or --build DIR / --staged DIR)"
	[ -f "$mo" ] && copy "$mo" "$prefix/share/locale/zh_CN/LC_MESSAGES/huitou.mo" 644
	# The binary last, so a half-done copy never runs with old files; setgid to the data group.
	install -D -m 755 "$bin" "$prefix/bin/huitou.new" || die "cannot install $prefix/bin/huitou"
	chown "root:$group" "$prefix/bin/huitou.new" && chmod 2755 "$prefix/bin/huitou.new" &&
	    mv -f "$prefix/bin/huitou.new" "$prefix/bin/huitou" || die "cannot install $prefix/bin/huitou"
	echo "$prefix/bin/huitou" >>"$manifest.new"
	echo "$manifest" >>"$manifest.new"
	sort -u "$manifest.new" >"$manifest" && rm -f "$manifest.new"
	say "installed $prefix/bin/huitou (setgid $group) and its files under $share"
}

# ---- groups, the system user, the configuration ----

make_accounts() {
	local g
	for g in "$group" "$users" "$auditors"; do
		getent group "$g" >/dev/null || groupadd --system "$g" || die "cannot create group $g"
	done
	if ! getent passwd "$sysuser" >/dev/null; then
		useradd --system -g "$group" -M -d "$data" -s /usr/sbin/nologin -c "huitou timers" \
		    "$sysuser" || die "cannot create user $sysuser"
	fi
}

# The path the installed binary reads its configuration from (relocated: PREFIX/etc).
config_path() {
	LC_ALL=C LANGUAGE='' hu --lang en help | sed -n 's/^Site configuration (read when installed setgid): //p'
}

write_config() {
	local conf=$1 r
	if [ -f "$conf" ]; then
		say "keeping the site configuration $conf as it is"
		return
	fi
	mkdir -p "$(dirname "$conf")" && chmod 755 "$(dirname "$conf")" || die "cannot create $(dirname "$conf")"
	{
		echo "# huitou site configuration, written by contrib/deploy/install.sh; root's alone."
		echo "data = $data"
		[ -n "$mirror" ] && echo "remote mirror $mirror${lag_warn:+ lag-warn $lag_warn}"
		for r in ${remotes[@]+"${remotes[@]}"}; do echo "remote $r${lag_warn:+ lag-warn $lag_warn}"; done
	} >"$conf.new" && chown root:root "$conf.new" && chmod 644 "$conf.new" &&
	    mv -f "$conf.new" "$conf" || die "cannot write $conf"
	say "wrote the site configuration $conf"
}

write_settings() {
	{
		echo "# written by contrib/deploy/install.sh: what --upgrade and --uninstall use"
		printf '%s=%q\n' data "$data" group "$group" users "$users" auditors "$auditors" \
		    mirror "$mirror" unitdir "$unitdir" city "$city" conf "$(config_path)"
	} >"$settings" && chmod 644 "$settings" || die "cannot write $settings"
	grep -qx "$settings" "$manifest" || echo "$settings" >>"$manifest"
}

# ---- the data directory and the mirror ----

# Group-owned, setgid folders, nothing for others: only the setgid binary writes here.
share_with_group() {
	chgrp -R "$group" "$1" && chmod -R g+rwX,o-rwx "$1" && find "$1" -type d -exec chmod g+s {} + ||
	    die "cannot give $1 to $group"
}

make_data() {
	if [ -d "$data/store" ]; then
		say "keeping the data directory $data"
	else
		[ -n "$city" ] || die "--city CODE is needed to create $data (a GB/T 2260 city code, e.g. 6101)"
		mkdir -p "$(dirname "$data")" || die "cannot create $(dirname "$data")"
		rmdir "$data" 2>/dev/null	# init makes it itself
		hu init --city "$city" || die "huitou init failed"
		# The timers' user reads everything and writes nothing: an auditor.
		hu new user login="$sysuser" name="huitou timers" role=auditor >/dev/null ||
		    die "cannot register $sysuser"
	fi
	chown "$sysuser:$group" "$data" && chmod 2770 "$data" || die "cannot set up $data"
	share_with_group "$data"
}

# A bare clone the timers' user keeps current, its files readable by the auditors, written by none.
make_mirror() {
	[ -n "$mirror" ] || return 0
	if [ ! -d "$mirror/objects" ]; then
		git init -q --bare --initial-branch=main "$mirror" || die "cannot create $mirror"
	fi
	chown -R "$sysuser:$auditors" "$mirror" && chmod -R u+rwX,g+rX,g-w,o-rwx "$mirror" &&
	    find "$mirror" -type d -exec chmod g+s {} + || die "cannot set up $mirror"
	(cd / && as_sys "$prefix/bin/huitou" push mirror >/dev/null) || die "the first push to $mirror failed"
	say "the auditors' mirror $mirror is current (group $auditors may read it)"
}

# ---- systemd units ----

unit() {	# unit NAME: contrib/deploy/NAME.in with the paths filled in, into the unit folder
	mkdir -p "$unitdir" || die "cannot create $unitdir"
	sed -e "s|@BINDIR@|$prefix/bin|g" -e "s|@DATA@|$data|g" -e "s|@USER@|$sysuser|g" \
	    -e "s|@GROUP@|$group|g" "$here/$1.in" >"$unitdir/$1" && chmod 644 "$unitdir/$1" ||
	    die "cannot write $unitdir/$1"
	echo "$unitdir/$1" >>"$manifest"
}

install_units() {
	local timers="huitou-maintain.timer" u
	for u in huitou-maintain.service huitou-maintain.timer huitou-push@.service huitou-push@.timer; do
		unit "$u"
	done
	[ -n "$mirror" ] && timers="$timers huitou-push@mirror.timer"
	sort -u -o "$manifest" "$manifest"
	if systemd_running && [ "$unitdir" = /etc/systemd/system ]; then
		systemctl daemon-reload && systemctl enable --now $timers || die "systemctl enable failed"
		say "enabled $timers"
	else
		say "systemd is not running here (or the units are not in /etc/systemd/system): the units are in $unitdir;"
		say "  enable them with: systemctl daemon-reload && systemctl enable --now $timers"
		say "  (a second server: 'remote backup URL' in the configuration, then huitou-push@backup.timer)"
	fi
}

sshd_block() {
	cat <<EOF
# huitou: members of $users get the console on login, and nothing else.
Match Group $users
	ForceCommand $prefix/bin/huitou
	AllowTcpForwarding no
	X11Forwarding no
	PermitTunnel no
EOF
}

do_sshd() {
	[ -n "$sshd" ] || return 0
	if [ "$sshd" = print ]; then
		sshd_block
		return
	fi
	sshd_block >"$sshd" && chmod 644 "$sshd" || die "cannot write $sshd"
	echo "$sshd" >>"$manifest"
	say "wrote $sshd; check it with 'sshd -t' and reload ssh"
}

# ---- the three modes ----

do_install() {
	[ -d "$data/store" ] || [ -n "$city" ] ||
	    die "--city CODE is needed to create $data (a GB/T 2260 city code, e.g. 6101)"
	make_accounts
	install_program
	write_config "$(config_path)"
	make_data
	write_settings
	make_mirror
	install_units
	do_sshd
	say "done. Register people with: $prefix/bin/huitou new user login=LOGIN name=NAME role=ROLE district=DISTRICT"
	say "and add their Unix accounts to $users (never to $group); auditors to $auditors."
}

do_upgrade() {
	[ -d "$data/store" ] || die "$data has no store: install first"
	install_program
	write_settings
	install_units
	# What a start does to an older data directory (the outbox replayed, formats brought up to
	# date) happens at the first open; verify opens it and checks store and git agree.
	(cd / && as_sys "$prefix/bin/huitou" verify) || die "huitou verify failed after the upgrade"
	share_with_group "$data"
	say "upgraded; the data directory $data and the configuration are as they were"
}

do_uninstall() {
	local f
	[ -n "${conf:-}" ] || conf=$(config_path)
	if systemd_running && [ "$unitdir" = /etc/systemd/system ]; then
		systemctl disable --now huitou-maintain.timer 'huitou-push@*.timer' 2>/dev/null
	fi
	# The settings stay (with the manifest) until --purge, which needs them.
	while IFS= read -r f; do
		[ "$purge" = no ] && { [ "$f" = "$settings" ] || [ "$f" = "$manifest" ]; } && continue
		case $f in "$prefix"/*|"$unitdir"/*|/etc/ssh/*) rm -f "$f" ;; esac
	done <"$manifest"
	for f in "$share" "$prefix/share/locale/zh_CN/LC_MESSAGES" "$prefix/share/man/man1"; do
		find "$f" -depth -type d -empty -delete 2>/dev/null
	done
	systemd_running && systemctl daemon-reload 2>/dev/null
	if [ "$purge" = yes ]; then
		rm -rf "$data" ${mirror:+"$mirror"}
		rm -f "$conf"
		userdel "$sysuser" 2>/dev/null
		for g in "$auditors" "$users" "$group"; do groupdel "$g" 2>/dev/null; done
		say "removed huitou, its data $data${mirror:+, the mirror $mirror}, $conf and the accounts"
	else
		say "removed the program and its units; kept $data${mirror:+, $mirror}, $conf and the groups (--purge removes them)"
	fi
}

case $mode in
install) do_install ;;
upgrade) do_upgrade ;;
uninstall) do_uninstall ;;
esac
