#!/usr/bin/env bash
# push.sh — "huitou push" replicates the audit record: to a bare repository by path, again
# after more changes, to a git daemon over git://, and never over a mirror that has diverged
# (the push is refused, with a message, and the mirror keeps its history).
. "$(dirname "$0")/lib.sh"

export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
unset GIT_DIR GIT_WORK_TREE GIT_OBJECT_DIRECTORY GIT_INDEX_FILE
# Only for the commits this test makes itself with git plumbing.
export GIT_AUTHOR_NAME=Other GIT_AUTHOR_EMAIL=other@example.org \
    GIT_COMMITTER_NAME=Other GIT_COMMITTER_EMAIL=other@example.org

g() { local repo=$1; shift; git -C "$repo" "$@"; }
tip() { git -C "$1" rev-parse --verify -q refs/heads/main || echo none; }
fsck() { git -C "$1" fsck --strict --no-dangling --no-progress 2>&1; echo "status $?"; }

# A git daemon started here is stopped at exit, by its pid file, before the scratch
# directory goes.
daemon_pid=$TMP/srv/daemon.pid
stop_daemon() {
	if [ -s "$daemon_pid" ]; then
		kill "$(cat "$daemon_pid")" 2>/dev/null
		rm -f "$daemon_pid"
	fi
}
trap 'stop_daemon; rm -rf "$TMP"' EXIT

d=$TMP/d
id=JG-610113-000001
new_city "$d"
"$HUITOU" -d "$d" new institution name=启明星教育 district=雁塔区 category=subject >/dev/null
audit=$d/audit.git

# ---- to a bare repository by path ----
mirror=$TMP/mirror.git
git init -q --bare --initial-branch=main "$mirror"
run "$HUITOU" -d "$d" push "$mirror"
check_status "push to a bare repository exits 0" 0
check_grep "push says where it pushed" "$TMP/out" "pushed the audit record to $mirror"
check_eq "the mirror's main is the audit main" "$(tip "$audit")" "$(tip "$mirror")"
check_eq "the mirror passes git fsck --strict" "status 0" "$(fsck "$mirror")"
check_eq "the mirror holds the whole history" "$(g "$audit" rev-list --count main)" \
    "$(g "$mirror" rev-list --count main 2>/dev/null)"

# ---- a second push after more changes ----
"$HUITOU" -d "$d" set $id status=rectifying >/dev/null
"$HUITOU" -d "$d" set $id phone=13912345678 >/dev/null
# A publication is an annotated tag (lists/YYYY-MM); push carries the tags too.
g "$audit" tag -a lists/2021-07 -m "2021年7月 公布名单" main
before=$(tip "$mirror")
run "$HUITOU" -d "$d" push "file://$mirror"
check_status "a second push (file://) exits 0" 0
check_eq "the mirror's main moved to the new audit main" "$(tip "$audit")" "$(tip "$mirror")"
check_eq "the mirror's main moved forward, keeping the old tip as an ancestor" "$before" \
    "$(g "$mirror" rev-parse -q --verify main~2)"
check_eq "the publication tag is replicated, the same tag object" \
    "$(g "$audit" rev-parse refs/tags/lists/2021-07)" \
    "$(g "$mirror" rev-parse -q --verify refs/tags/lists/2021-07)"
check_eq "the tag names the same commit" "$(g "$audit" rev-parse "lists/2021-07^{commit}")" \
    "$(g "$mirror" rev-parse -q --verify "lists/2021-07^{commit}")"
run "$HUITOU" -d "$d" push "$mirror"
check_status "a push with nothing new exits 0" 0
check_eq "and leaves the mirror where it was" "$(tip "$audit")" "$(tip "$mirror")"

# ---- over git:// to a git daemon on 127.0.0.1 ----
mkdir -p "$TMP/srv"
git init -q --bare --initial-branch=main "$TMP/srv/m.git"
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=
for try in $(seq 0 19); do
	p=$((29418 + ($$ + try * 37) % 1000))
	port_free "$p" || continue
	rm -f "$daemon_pid"
	git daemon --reuseaddr --listen=127.0.0.1 --port="$p" --base-path="$TMP/srv" \
	    --export-all --enable=receive-pack --detach --pid-file="$daemon_pid" "$TMP/srv" \
	    2>"$TMP/daemon.err" || continue
	# Ready when it answers; give up on this port after WAIT_TRIES tenths of a second.
	for _ in $(seq 1 "$WAIT_TRIES"); do
		if [ -s "$daemon_pid" ] && timeout 5 git ls-remote "git://127.0.0.1:$p/m.git" \
		    >/dev/null 2>&1; then
			port=$p
			break
		fi
		sleep 0.1
	done
	[ -n "$port" ] && break
	stop_daemon
done
if [ -z "$port" ]; then
	not_ok "a git daemon listens on 127.0.0.1" "$(cat "$TMP/daemon.err")"
else
	ok "a git daemon listens on 127.0.0.1:$port"
	url=git://127.0.0.1:$port/m.git
	run timeout 60 "$HUITOU" -d "$d" push "$url"
	check_status "push to git:// exits 0" 0
	check_eq "the daemon's repository has the audit main" "$(tip "$audit")" "$(tip "$TMP/srv/m.git")"
	check_eq "the daemon's repository passes git fsck --strict" "status 0" "$(fsck "$TMP/srv/m.git")"
	"$HUITOU" -d "$d" set $id status=banned >/dev/null
	run timeout 60 "$HUITOU" -d "$d" push "$url"
	check_status "a second push to git:// exits 0" 0
	check_eq "the daemon's repository follows" "$(tip "$audit")" "$(tip "$TMP/srv/m.git")"
	check_eq "over git://, git ls-remote sees the same main" "$(tip "$audit")	refs/heads/main" \
	    "$(timeout 10 git ls-remote "$url" refs/heads/main)"
fi
stop_daemon

# ---- a mirror that diverged refuses, and keeps its history ----
run "$HUITOU" -d "$d" push "$mirror"
check_status "the mirror is brought up to date" 0
tree=$(g "$mirror" rev-parse 'main^{tree}')
other=$(echo "a commit only the mirror has" | g "$mirror" commit-tree -p main "$tree")
g "$mirror" update-ref refs/heads/main "$other"
check_eq "the mirror now has a commit huitou lacks" "$other" "$(tip "$mirror")"
"$HUITOU" -d "$d" set $id status=licensed >/dev/null
audit_tip=$(tip "$audit")
run "$HUITOU" -d "$d" push "$mirror"
check_status "a push over a diverged mirror is refused (1, as the man page says)" 1
check_eq "the message names the remote and says its history diverged" \
    "huitou: $mirror refused the push: its history has diverged from this audit record" \
    "$(cat "$TMP/err")"
check_no_grep "nothing claims it was pushed" "$TMP/out" "pushed the audit record"
check_eq "the mirror's main is unchanged" "$other" "$(tip "$mirror")"
check_eq "the mirror passes git fsck --strict" "status 0" "$(fsck "$mirror")"
check_eq "the audit record is untouched by the refusal" "$audit_tip" "$(tip "$audit")"
run "$HUITOU" -d "$d" verify
check_status "verify exits 0 after the refused push" 0

done_testing
