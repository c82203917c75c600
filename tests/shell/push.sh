#!/usr/bin/env bash
# push.sh — "huitou push" replicates the audit record: to a bare repository by path, again
# after more changes, to a git daemon over git://, to an sshd over ssh:// (agent keys, the host
# key checked), and never over a mirror that has diverged (the push is refused, with a
# message, and the mirror keeps its history).
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
# So are an sshd and an ssh-agent, by their pids.
stop_ssh() {
	local f
	for f in "$TMP/ssh/sshd.pid" "$TMP/ssh/agent.pid"; do
		[ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null
		rm -f "$f"
	done
}
trap 'stop_daemon; stop_ssh; rm -rf "$TMP"' EXIT

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
"$HUITOU" -d "$d" set --reason 测试 $id status=rectifying >/dev/null
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
run "$HUITOU" -d "$d" push "$TMP/nowhere.git"
check_status "a push to a path that does not exist is refused (1)" 1
check_grep "saying so, and how a replica is made" "$TMP/err" "nowhere.git does not exist: a replica is a repository made before the first push"

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
	"$HUITOU" -d "$d" set --reason 测试 $id status=banned >/dev/null
	run timeout 60 "$HUITOU" -d "$d" push "$url"
	check_status "a second push to git:// exits 0" 0
	check_eq "the daemon's repository follows" "$(tip "$audit")" "$(tip "$TMP/srv/m.git")"
	check_eq "over git://, git ls-remote sees the same main" "$(tip "$audit")	refs/heads/main" \
	    "$(timeout 10 git ls-remote "$url" refs/heads/main)"
fi
stop_daemon

# ---- over ssh:// to an sshd on 127.0.0.1 (Debian's libgit2 is built with libssh2) ----
# The keys are made here; huitou offers the ssh-agent's keys and checks the server's host key
# against ~/.ssh/known_hosts, with HOME a scratch folder.
S=$TMP/ssh
mkdir -p "$S/home/.ssh" "$S/srv"
ssh-keygen -q -t ed25519 -N '' -f "$S/host_key" && ssh-keygen -q -t ed25519 -N '' -f "$S/user_key" &&
    ssh-keygen -q -t ed25519 -N '' -f "$S/other_key" && cp "$S/user_key.pub" "$S/authorized_keys" ||
    echo "# ssh-keygen failed"
git init -q --bare --initial-branch=main "$S/srv/m.git"
[ "$(id -u)" -ne 0 ] || [ -d /run/sshd ] || mkdir -m 755 /run/sshd	# sshd as root wants it
sport=
if [ ! -x /usr/sbin/sshd ]; then
	not_ok "an sshd listens on 127.0.0.1" "no /usr/sbin/sshd: install openssh-server"
else
	for try in $(seq 0 19); do
		p=$((30418 + ($$ + try * 37) % 1000))
		port_free "$p" || continue
		printf '%s\n' "Port $p" "ListenAddress 127.0.0.1" "HostKey $S/host_key" \
		    "AuthorizedKeysFile $S/authorized_keys" "PasswordAuthentication no" \
		    "KbdInteractiveAuthentication no" "UsePAM no" "StrictModes no" \
		    "PidFile $S/sshd.pid" >"$S/sshd_config"
		/usr/sbin/sshd -f "$S/sshd_config" -E "$S/sshd.log" || continue
		# Ready when it shows its host key; give up on this port after WAIT_TRIES tenths.
		for _ in $(seq 1 "$WAIT_TRIES"); do
			if [ -s "$S/sshd.pid" ] && timeout 5 ssh-keyscan -p "$p" 127.0.0.1 2>/dev/null |
			    grep -qF "$(cut -d' ' -f2 "$S/host_key.pub")"; then
				sport=$p
				break
			fi
			sleep 0.1
		done
		[ -n "$sport" ] && break
		stop_ssh
	done
	if [ -z "$sport" ]; then not_ok "an sshd listens on 127.0.0.1" "$(cat "$S/sshd.log")"
	else ok "an sshd listens on 127.0.0.1:$sport"; fi
fi
if [ -n "$sport" ]; then
	echo "[127.0.0.1]:$sport $(cut -d' ' -f1,2 "$S/host_key.pub")" >"$S/known_hosts"
	ssh-agent -a "$S/agent.sock" >"$S/agent.env" && . "$S/agent.env" >/dev/null &&
	    echo "$SSH_AGENT_PID" >"$S/agent.pid" && ssh-add -q "$S/user_key" 2>/dev/null ||
	    echo "# no ssh-agent"
	surl="ssh://127.0.0.1:$sport$S/srv/m.git"
	# push_ssh ENV…: huitou push to the sshd with HOME=$S/home and the words ENV. Under ASan
	# the whole stack of each allocation is kept, so that tests/lsan.supp can tell libgit2's
	# own leaks in its ssh transport from any of huitou's.
	ssh_asan="ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0"
	push_ssh() { run env HOME="$S/home" "$ssh_asan" "$@" timeout 60 "$HUITOU" -d "$d" push "$surl"; }

	cp "$S/known_hosts" "$S/home/.ssh/known_hosts"
	push_ssh USER=mallory LOGNAME=mallory
	check_status "push to ssh:// exits 0 (the login from passwd, not USER=mallory)" 0
	check_eq "it says where it pushed" "pushed the audit record to $surl" "$(cat "$TMP/out")"
	check_eq "the ssh mirror's main is the audit main" "$(tip "$audit")" "$(tip "$S/srv/m.git")"
	check_eq "the ssh mirror passes git fsck --strict" "status 0" "$(fsck "$S/srv/m.git")"
	check_eq "the publication tag came too" "$(g "$audit" rev-parse refs/tags/lists/2021-07)" \
	    "$(g "$S/srv/m.git" rev-parse -q --verify refs/tags/lists/2021-07)"
	"$HUITOU" -d "$d" set $id phone=13800000009 >/dev/null
	run env HOME="$S/home" "$ssh_asan" timeout 60 "$HUITOU" -d "$d" push "ssh://$(id -un)@127.0.0.1:$sport$S/srv/m.git"
	check_status "a second push to ssh://, the user named in the URL, exits 0" 0
	check_eq "the ssh mirror follows" "$(tip "$audit")" "$(tip "$S/srv/m.git")"

	"$HUITOU" -d "$d" set $id phone=13800000010 >/dev/null
	was=$(tip "$S/srv/m.git")
	: >"$S/home/.ssh/known_hosts"
	push_ssh
	check_status "a server whose host key known_hosts lacks is refused (1)" 1
	check_eq "the message names the remote and says to check the host key" \
	    "huitou: $surl: the server's host key is not the one ~/.ssh/known_hosts has for it (or it has none); check the key and add it there" \
	    "$(cat "$TMP/err")"
	sed 's/AAAA[^ ]*/AAAAC3NzaC1lZDI1NTE5AAAAIHRoaXMgaXMgbm90IHRoZSBzZXJ2ZXIncyBvd24ga2V5/' \
	    "$S/known_hosts" >"$S/home/.ssh/known_hosts"
	push_ssh
	check_status "a server whose host key differs from known_hosts' is refused (1)" 1
	cp "$S/known_hosts" "$S/home/.ssh/known_hosts"
	push_ssh SSH_AUTH_SOCK=
	check_status "without an ssh-agent the push is refused (1)" 1
	check_eq "the message says to start one" \
	    "huitou: $surl refused the keys of your ssh-agent (or none is running): start one with ssh-agent and add the key the server knows with ssh-add" \
	    "$(cat "$TMP/err")"
	ssh-add -q -D 2>/dev/null && ssh-add -q "$S/other_key" 2>/dev/null
	push_ssh
	check_status "with a key the server does not know, refused (1)" 1
	check_grep "saying the server refused the agent's keys" "$TMP/err" "refused the keys of your ssh-agent"
	check_eq "none of the refused pushes moved the ssh mirror" "$was" "$(tip "$S/srv/m.git")"
	ssh-add -q "$S/user_key" 2>/dev/null
	push_ssh
	check_status "with the right key again it pushes" 0
	check_eq "and the ssh mirror follows" "$(tip "$audit")" "$(tip "$S/srv/m.git")"
fi
stop_ssh

# ---- a mirror that diverged refuses, and keeps its history ----
run "$HUITOU" -d "$d" push "$mirror"
check_status "the mirror is brought up to date" 0
tree=$(g "$mirror" rev-parse 'main^{tree}')
other=$(echo "a commit only the mirror has" | g "$mirror" commit-tree -p main "$tree")
g "$mirror" update-ref refs/heads/main "$other"
check_eq "the mirror now has a commit huitou lacks" "$other" "$(tip "$mirror")"
"$HUITOU" -d "$d" set --reason 测试 $id status=licensed >/dev/null
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
