#!/usr/bin/env bash
# setup.sh — set huitou up on a fresh Debian 12 machine, then open the demo or run every test.
#   contrib/setup.sh demo    install what is needed, build, create ./demo-data, open huitou
#   contrib/setup.sh test    install what is needed, build, run every test (make check)
# Installing packages needs root (run it as root or through sudo); the rest does not.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES="build-essential autoconf automake pkg-config gettext libncurses-dev liblmdb-dev
libgit2-dev nettle-dev libicu-dev libutf8proc-dev libcmocka-dev libcsv-dev git tmux python3"
# Only the tests need these: push.sh pushes over ssh:// to an sshd of its own on 127.0.0.1.
TEST_PACKAGES="openssh-client openssh-server"
# notice.sh prints a notice to PDF in headless Chromium and reads the page back.
TEST_PACKAGES="$TEST_PACKAGES chromium poppler-utils fonts-noto-cjk"

install_packages() {
	local missing=()
	for p in $PACKAGES; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	local sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	echo "setup: installing ${missing[*]}"
	$sudo apt-get update -q
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
}

build() {
	[ -x configure ] || ./bootstrap
	[ -f Makefile ] || ./configure --enable-werror
	make -j"$(nproc)"
}

case "${1:-}" in
demo)
	install_packages
	build
	if [ ! -d demo-data/store ]; then
		./src/huitou -d demo-data init --city 6101 --demo
		# The demo draws each institution's stored credit tier; the coordinator's first
		# step makes them what forms/credit.rules gives, as "huitou credit --update" does.
		./src/huitou -d demo-data credit --update
	fi
	exec ./src/huitou -d demo-data
	;;
test)
	PACKAGES="$PACKAGES $TEST_PACKAGES"
	install_packages
	build
	make -j"$(nproc)" check
	;;
*)
	echo "usage: contrib/setup.sh demo|test" >&2
	exit 2
	;;
esac
