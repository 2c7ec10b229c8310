#!/bin/sh
# Installs everything zxsim needs to build and test, idempotently.
# Debian 12 ships Unicorn 2.0.1, which lacks the virtual-TLB API our MMU is
# built on, so on Debian 12 Unicorn 2.1 comes from the next release (trixie),
# pinned low so nothing else is upgraded from it. The mirror is whatever this
# machine's apt already uses; no host name is written here.
set -eu

PACKAGES="build-essential meson ninja-build pkg-config libglib2.0-dev check \
libcapstone-dev clang lld llvm clang-format python3 gdb-multiarch chromium valgrind"

if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

have_unicorn_21() {
    pkg-config --atleast-version=2.1 unicorn 2>/dev/null
}

missing_packages() {
    for p in $PACKAGES; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
    done
}

# The first URI configured for the main archive (not -security, not -updates).
debian_mirror() {
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        awk '/^URIs:/ {u=$2} /^Suites:/ { for (i=2;i<=NF;i++) if ($i !~ /-/) { print u; exit } }' "$f"
    done | grep -v security | head -n 1
    if [ -f /etc/apt/sources.list ]; then
        awk '$1=="deb" && $3 !~ /-/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list
    fi
}

add_trixie_source() {
    mirror=$(debian_mirror | head -n 1)
    if [ -z "$mirror" ]; then
        echo "install-deps: cannot find this machine's Debian mirror in /etc/apt" >&2
        exit 1
    fi
    keyring=/usr/share/keyrings/debian-archive-keyring.gpg
    printf 'Types: deb\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: %s\n' \
        "$mirror" "$keyring" | $SUDO tee /etc/apt/sources.list.d/zxsim-trixie.sources >/dev/null
    printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' |
        $SUDO tee /etc/apt/preferences.d/zxsim-trixie >/dev/null
}

updated=0
apt_update() {
    if [ "$updated" -eq 0 ]; then
        $SUDO apt-get update -qq
        updated=1
    fi
}

need=$(missing_packages)
if [ -n "$need" ]; then
    apt_update
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq --no-install-recommends $need >/dev/null
fi

if ! have_unicorn_21; then
    apt_update
    candidate=$(apt-cache policy libunicorn-dev | awk '/Candidate:/ {print $2}')
    if dpkg --compare-versions "${candidate:-0}" ge 2.1; then
        $SUDO apt-get install -y -qq libunicorn-dev >/dev/null
    else
        add_trixie_source
        $SUDO apt-get update -qq
        updated=1
        $SUDO apt-get install -y -qq libunicorn-dev/trixie >/dev/null
    fi
fi

if ! have_unicorn_21; then
    echo "install-deps: Unicorn >= 2.1 is still not available" >&2
    exit 1
fi
