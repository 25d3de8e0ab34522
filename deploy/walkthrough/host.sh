#!/bin/bash
# Walk the README's shared deployment on a fresh Debian 12 machine with systemd as PID 1
# (systemd-nspawn), from the outside. See README.md beside this file. As root:
#
#   deploy/walkthrough/host.sh all OLD NEW   # install OLD, operate, stop and start the
#                                            # database, upgrade to NEW, roll back to
#                                            # OLD, upgrade to NEW again
#   deploy/walkthrough/host.sh stop          # power the machine off, stop the helpers
#
# OLD and NEW are commits of this repository; the README walked is NEW's. Needs
# debootstrap, systemd-nspawn, git, python3 and curl on the host, and a Debian mirror.
set -euo pipefail

STATE=${STATE:-/var/tmp/walkthrough}           # the machine's root, logs, pids, bare repo
ROOT=$STATE/debroot
MIRROR=${MIRROR:-http://deb.debian.org/debian}
HOST_END=10.231.0.1 GUEST=10.231.0.2 MACHINE=walk PUBLIC=glossary.example.org
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(git -C "$HERE" rev-parse --show-toplevel)
mkdir -p "$STATE"

log() { echo "### $(date -u +%T) $*"; }

create() {
    if [ -e "$ROOT" ]; then echo "$ROOT exists: host.sh stop, then remove it"; exit 1; fi
    log "debootstrap bookworm into $ROOT"
    debootstrap --include=systemd,systemd-sysv,dbus,sudo,ca-certificates,iproute2 \
        bookworm "$ROOT" "$MIRROR" > "$STATE/debootstrap.log" 2>&1
    echo walk > "$ROOT/etc/hostname"
    printf '127.0.0.1 localhost\n127.0.1.1 walk\n' > "$ROOT/etc/hosts"
    # The private network: a veth pair, the machine's end fixed by systemd-networkd.
    # (10-: before the packaged 80-container-host0.network, which asks for DHCP.)
    printf '[Match]\nName=host0\n[Network]\nAddress=%s/24\nGateway=%s\n' "$GUEST" "$HOST_END" \
        > "$ROOT/etc/systemd/network/10-host0.network"
    chroot "$ROOT" systemctl enable systemd-networkd >/dev/null 2>&1
    printf 'deb %s bookworm main\ndeb %s bookworm-updates main\ndeb %s-security bookworm-security main\n' \
        "$MIRROR" "$MIRROR" "$MIRROR" > "$ROOT/etc/apt/sources.list"
    # No route out of the private network: apt and pip go through relay.py on the host.
    echo "Acquire::http::Proxy \"http://$HOST_END:3128\";" > "$ROOT/etc/apt/apt.conf.d/80walk-proxy"
    printf '[global]\nproxy = http://%s:3128\n' "$HOST_END" > "$ROOT/etc/pip.conf"
    # Certificate authorities the host trusts beyond Debian's (an intercepting egress).
    cp /usr/local/share/ca-certificates/*.crt "$ROOT/usr/local/share/ca-certificates/" 2>/dev/null || true
    chroot "$ROOT" update-ca-certificates >/dev/null 2>&1
    # The administrator: sudo without a password so the walk runs unattended.
    chroot "$ROOT" useradd -m -s /bin/bash -G sudo admin
    echo 'admin ALL=(ALL) NOPASSWD: ALL' > "$ROOT/etc/sudoers.d/walk"
    chmod 0440 "$ROOT/etc/sudoers.d/walk"
}

serve() {  # the package relay and the repository, on the host's end of the veth pair
    rm -rf "$STATE/repo" && mkdir -p "$STATE/repo"
    git init -q --bare "$STATE/repo/glossary.git"
    git -C "$STATE/repo/glossary.git" symbolic-ref HEAD refs/heads/main
    git -C "$REPO" push -q "$STATE/repo/glossary.git" "$1:refs/heads/main"
    python3 "$HERE/relay.py" "$HOST_END" 3128 > "$STATE/relay.log" 2>&1 &
    echo $! > "$STATE/relay.pid"
    git daemon --base-path="$STATE/repo" --export-all --listen="$HOST_END" --reuseaddr \
        > "$STATE/gitd.log" 2>&1 &
    echo $! > "$STATE/gitd.pid"
}

boot() {
    log "boot $ROOT with systemd-nspawn"
    # No systemd on the host: --register=no --keep-unit (no machined, no scope to ask for).
    setsid systemd-nspawn -b -D "$ROOT" --network-veth --machine=$MACHINE --register=no \
        --keep-unit --console=passive > "$STATE/nspawn.log" 2>&1 < /dev/null &
    echo $! > "$STATE/nspawn.pid"
    for _ in $(seq 60); do ip link show ve-$MACHINE >/dev/null 2>&1 && break; sleep 1; done
    ip addr add "$HOST_END/24" dev ve-$MACHINE
    ip link set ve-$MACHINE up
    for _ in $(seq 60); do
        state=$(inside_root systemctl is-system-running 2>/dev/null || true)
        case $state in running|degraded) break ;; esac
        sleep 1
    done
    log "machine: $state, PID 1 is $(inside_root ps -p 1 -o comm=)"
}

leader() { ps --ppid "$(cat "$STATE/nspawn.pid")" -o pid= | tr -d ' '; }
inside_root() { nsenter -t "$(leader)" -a -- "$@"; }
inside() { nsenter -t "$(leader)" -a -- /bin/su - admin -c "$*"; }

walk() {
    log "walk.sh $1"
    inside "bash ~/walk/walk.sh $1" 2>&1 | tee -a "$STATE/walk.log"
    [ "${PIPESTATUS[0]}" = 0 ]
}

all() {
    OLD=$(git -C "$REPO" rev-parse --short "$1") NEW=$(git -C "$REPO" rev-parse --short "$2")
    create
    boot
    serve "$OLD"    # after boot: it listens on the host's end of the veth pair
    mkdir -p "$ROOT/home/admin/walk"
    cp "$HERE/walk.sh" "$HERE/readme_block.py" "$HERE/tamper.py" "$ROOT/home/admin/walk/"
    git -C "$REPO" show "$NEW:README.md" > "$ROOT/home/admin/walk/README.md"
    chroot "$ROOT" chown -R admin:admin /home/admin/walk
    : > "$STATE/walk.log"
    walk install
    log "from the host: the public port"
    curl -sS --resolve "$PUBLIC:8443:$GUEST" \
        --cacert "$ROOT/etc/letsencrypt/live/$PUBLIC/fullchain.pem" \
        -w ' %{http_code}\n' "https://$PUBLIC:8443/health"
    walk operate
    walk faults
    git -C "$REPO" push -q -f "$STATE/repo/glossary.git" "$NEW:refs/heads/main"
    walk upgrade
    walk rollback
    walk upgrade
    log "done: the machine is still running (host.sh stop)"
}

stop() {
    if [ -f "$STATE/nspawn.pid" ] && kill -0 "$(cat "$STATE/nspawn.pid")" 2>/dev/null; then
        inside_root systemctl poweroff || true
        for _ in $(seq 30); do kill -0 "$(cat "$STATE/nspawn.pid")" 2>/dev/null || break; sleep 1; done
    fi
    for name in relay gitd; do
        [ -f "$STATE/$name.pid" ] && kill "$(cat "$STATE/$name.pid")" 2>/dev/null || true
        rm -f "$STATE/$name.pid"
    done
    log stopped
}

"$@"
