#!/usr/bin/env bash
# Installs the Culvert .deb, checks what it installed, uninstalls it and checks nothing is left behind.
#   installer/linux/install-test.sh [--debootstrap DIR | --root DIR] [--no-gui] [DEB]
# Default: on this machine (root; the package must not be installed already).
# --debootstrap DIR: first builds a clean Debian 12 (bookworm, minbase) root in DIR with debootstrap
#   (installed when missing; needs a Debian mirror, $DEBIAN_MIRROR or deb.debian.org), then tests inside
#   it with chroot, so apt must pull every dependency the control file names. DIR is kept for reuse.
# --root DIR: the same with an existing root (e.g. from an earlier --debootstrap).
# DEB defaults to the newest installer/target/culvert_*.deb. The GUI check (gui-smoke.sh: start the app as
# an unprivileged user under Xvfb, screenshot to installer/target/installed-app.png) needs xvfb-run,
# xdotool and ImageMagick on the host.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="$ROOT/installer/target"

CHROOT=""; BOOTSTRAP=false; GUI=true; DEB=""
while [ $# -gt 0 ]; do
  case "$1" in
    --debootstrap) CHROOT="$(realpath -m "$2")"; BOOTSTRAP=true; shift ;;
    --root) CHROOT="$(realpath -m "$2")"; shift ;;
    --no-gui) GUI=false ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) DEB="$(realpath "$1")" ;;
  esac
  shift
done
[ "$(id -u)" = 0 ] || { echo "install-test: run as root" >&2; exit 1; }
[ -n "$DEB" ] || DEB="$(ls -t "$OUT"/culvert_*.deb 2>/dev/null | head -1)"
[ -f "$DEB" ] || { echo "install-test: no .deb; build one with installer/linux/build-deb.sh" >&2; exit 1; }
PKG="$(dpkg-deb -f "$DEB" Package)"
export DEBIAN_FRONTEND=noninteractive

T0=$SECONDS; LAST=$SECONDS; FAILS=0
step() { echo "install-test: [$((SECONDS - T0))s, +$((SECONDS - LAST))s] $*"; LAST=$SECONDS; }
ok() { echo "  ok   $*"; }
fail() { echo "  FAIL $*"; FAILS=$((FAILS + 1)); }
check() { local what="$1"; shift; if "$@" >/dev/null 2>&1; then ok "$what"; else fail "$what"; fi; }

# --- where the package goes: this machine, or a chroot --------------------------------------------------
MOUNTS=()
cleanup() {
  local i
  for ((i=${#MOUNTS[@]}-1; i>=0; i--)); do umount -l "${MOUNTS[$i]}" 2>/dev/null || true; done
}
trap cleanup EXIT
if [ -n "$CHROOT" ]; then
  if $BOOTSTRAP && [ ! -x "$CHROOT/usr/bin/apt-get" ]; then
    command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap >/dev/null
    step "debootstrap bookworm (minbase) into $CHROOT"
    debootstrap --variant=minbase bookworm "$CHROOT" "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" >/dev/null
    step "debootstrap done: $(du -sh "$CHROOT" | cut -f1)"
  fi
  [ -x "$CHROOT/usr/bin/apt-get" ] || { echo "install-test: $CHROOT is not a Debian root" >&2; exit 1; }
  for m in proc sys dev dev/pts; do
    mkdir -p "$CHROOT/$m"
    case "$m" in proc) mount -t proc proc "$CHROOT/proc" ;; *) mount --bind "/$m" "$CHROOT/$m" ;; esac
    MOUNTS+=("$CHROOT/$m")
  done
  cp /etc/resolv.conf "$CHROOT/etc/resolv.conf"
  R() { chroot "$CHROOT" "$@"; }
  cp "$DEB" "$CHROOT/tmp/"
  DEB_IN="/tmp/$(basename "$DEB")"
  R apt-get update -qq
else
  R() { "$@"; }
  DEB_IN="$DEB"
fi
P() { echo "$CHROOT$1"; }     # a path in the target root, seen from here

if R dpkg -s "$PKG" >/dev/null 2>&1; then
  echo "install-test: $PKG is already installed here; remove it first (apt-get purge $PKG)" >&2; exit 1
fi

# Everything outside dpkg's own database that a package could leave behind, before and after.
WATCH=(/opt /usr/bin /usr/share/applications /usr/share/icons/hicolor /usr/share/doc /usr/lib/systemd/system
       /usr/share/polkit-1 /etc/systemd/system /var/lib/systemd/deb-systemd-helper-enabled
       /var/lib/systemd/deb-systemd-helper-masked /var/lib/culvert /var/log/culvert /run/culvert)
snapshot() {
  for d in "${WATCH[@]}"; do
    if [ -e "$(P "$d")" ]; then (cd "$(P /)" && find ".$d" -not -name icon-theme.cache); fi
  done | sort
  R getent group culvert || true
  R getent passwd culvert || true
}
snapshot > "$OUT/before.txt"

# --- install -----------------------------------------------------------------------------------------------
step "apt-get install ./$(basename "$DEB") ($(stat -c %s "$DEB") bytes)"
R apt-get install -y -qq "$DEB_IN" > "$OUT/apt-install.log" 2>&1 || { cat "$OUT/apt-install.log"; exit 1; }
step "installed"

echo "checks:"
check "dpkg status: install ok installed" sh -c "chroot '${CHROOT:-/}' dpkg-query -W -f='\${Status}' $PKG | grep -qx 'install ok installed'"
check "GUI launcher /opt/culvert/bin/culvert-app" test -x "$(P /opt/culvert/bin/culvert-app)"
check "CLI launcher /opt/culvert/bin/culvert" test -x "$(P /opt/culvert/bin/culvert)"
check "jlinked runtime /opt/culvert/lib/runtime" test -f "$(P /opt/culvert/lib/runtime/lib/modules)"
check "/usr/bin/culvert -> /opt/culvert/bin/culvert" test "$(readlink "$(P /usr/bin/culvert)")" = /opt/culvert/bin/culvert
check "desktop entry /usr/share/applications/culvert.desktop" test -f "$(P /usr/share/applications/culvert.desktop)"
check "desktop entry runs the GUI launcher" grep -qx 'Exec=/opt/culvert/bin/culvert-app %F' "$(P /usr/share/applications/culvert.desktop)"
check "desktop entry in the Network menu" grep -q '^Categories=Network;' "$(P /usr/share/applications/culvert.desktop)"
if command -v desktop-file-validate >/dev/null; then
  check "desktop-file-validate" desktop-file-validate "$(P /usr/share/applications/culvert.desktop)"
fi
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{print $1*16777216+$2*65536+$3*256+$4 "x" $5*16777216+$6*65536+$7*256+$8}'; }
for n in 16 22 24 32 48 64 128 256 512; do
  f="$(P "/usr/share/icons/hicolor/${n}x${n}/apps/culvert.png")"
  check "icon ${n}x${n}/apps/culvert.png is ${n}x${n}" test "$(png_size "$f" 2>/dev/null)" = "${n}x${n}"
done
check "icon scalable/apps/culvert.svg" test -f "$(P /usr/share/icons/hicolor/scalable/apps/culvert.svg)"
for s in connected connecting disconnected server; do
  check "status icon culvert-$s (22 px + symbolic)" test -f "$(P "/usr/share/icons/hicolor/22x22/status/culvert-$s.png")" -a -f "$(P "/usr/share/icons/hicolor/symbolic/status/culvert-$s-symbolic.svg")"
done
V="$(R /usr/bin/culvert --version 2>&1 || true)"
check "/usr/bin/culvert --version -> '$V'" sh -c "echo '$V' | grep -q '^culvert [0-9]'"
check "/usr/bin/culvert profile list (store: sqlite + Flyway on the jlinked runtime)" \
  R sh -c 'd=$(mktemp -d) && /usr/bin/culvert profile list --db "$d/t.db" && rm -rf "$d"'
check "/usr/bin/culvert starts with the AOT cache the package ships (JVM told to refuse to start without it)" \
  R env JAVA_TOOL_OPTIONS=-XX:AOTMode=on /usr/bin/culvert --version
check "/usr/bin/culvert as an unprivileged user" R runuser -u nobody -- /usr/bin/culvert --version
world_writable() {
  R dpkg -L "$PKG" | while read -r f; do
    p="$(P "$f")"
    if [ -e "$p" ] && [ ! -L "$p" ]; then find "$p" -maxdepth 0 -perm -o+w; fi
  done
}
check "no world-writable file in the package" test -z "$(world_writable)"

# The engine service: only when the package carries it (launcher bin/culvertd exists).
if [ -e "$(P /opt/culvert/bin/culvertd)" ]; then
  check "service unit /usr/lib/systemd/system/culvertd.service" test -f "$(P /usr/lib/systemd/system/culvertd.service)"
  check "service enabled (multi-user.target.wants)" test -L "$(P /etc/systemd/system/multi-user.target.wants/culvertd.service)"
  check "system group culvert" R getent group culvert
  check "system user culvert (no login)" sh -c "chroot '${CHROOT:-/}' getent passwd culvert | grep -q nologin"
  check "polkit rule for systemd-resolved" test -f "$(P /usr/share/polkit-1/rules.d/50-culvert.rules)"
  check "/opt/culvert/bin/culvertd starts" sh -c "chroot '${CHROOT:-/}' /opt/culvert/bin/culvertd --version | grep -q '^culvert '"
  for doc in $(sed -n 's/^Documentation=//p' "$(P /usr/lib/systemd/system/culvertd.service)" | tr ' ' '\n' | sed -n 's|^file://||p'); do
    check "the unit's Documentation= file $doc is installed" test -f "$(P "$doc")"
  done
  if command -v systemd-analyze >/dev/null && [ -z "$CHROOT" ]; then
    check "systemd-analyze verify culvertd.service" systemd-analyze verify /usr/lib/systemd/system/culvertd.service
  fi
  if [ -n "${SUDO_USER:-}" ]; then check "installing user $SUDO_USER is in group culvert" sh -c "chroot '${CHROOT:-/}' id -nG '$SUDO_USER' | grep -qw culvert"; fi
else
  echo "  --   no culvertd launcher in this package: service, unit, group and polkit rule not expected"
  check "no unit installed" test ! -e "$(P /usr/lib/systemd/system/culvertd.service)"
fi

if $GUI && [ -z "$CHROOT" ]; then
  check "GUI starts as user nobody under Xvfb (installer/target/installed-app.png)" \
    "$HERE/gui-smoke.sh" /opt/culvert/bin/culvert-app "$OUT/installed-app.png" nobody
elif $GUI; then
  mkdir -p /tmp/.X11-unix "$CHROOT/tmp/.X11-unix"
  mount --bind /tmp/.X11-unix "$CHROOT/tmp/.X11-unix"; MOUNTS+=("$CHROOT/tmp/.X11-unix")
  check "GUI starts as user nobody in the chroot under Xvfb (installer/target/installed-app.png)" \
    env GUI_CHROOT="$CHROOT" "$HERE/gui-smoke.sh" /opt/culvert/bin/culvert-app "$OUT/installed-app.png" nobody
  umount -l "$CHROOT/tmp/.X11-unix"; unset 'MOUNTS[${#MOUNTS[@]}-1]'
fi
step "checked"

# --- uninstall ---------------------------------------------------------------------------------------------
R apt-get remove -y -qq "$PKG" > "$OUT/apt-remove.log" 2>&1 || { cat "$OUT/apt-remove.log"; exit 1; }
step "apt-get remove"
check "after remove: /opt/culvert gone" test ! -e "$(P /opt/culvert)"
check "after remove: /usr/bin/culvert gone" test ! -e "$(P /usr/bin/culvert)" -a ! -L "$(P /usr/bin/culvert)"
check "after remove: desktop entry gone" test ! -e "$(P /usr/share/applications/culvert.desktop)"
check "after remove: icons gone" sh -c "! ls '$(P /usr/share/icons/hicolor)'/*/*/culvert* 2>/dev/null | grep -q ."
# The admin guide's "sudo adduser USER culvert": a member must not keep the group alive past purge.
if R getent group culvert >/dev/null 2>&1 && ! R id culvert-member >/dev/null 2>&1; then
  R useradd --no-create-home --shell /usr/sbin/nologin culvert-member
  R adduser --quiet culvert-member culvert
  MEMBER=culvert-member
fi
R apt-get purge -y -qq "$PKG" > "$OUT/apt-purge.log" 2>&1 || { cat "$OUT/apt-purge.log"; exit 1; }
step "apt-get purge"
check "after purge: dpkg knows nothing of $PKG" sh -c "! chroot '${CHROOT:-/}' dpkg -s $PKG"
if [ -n "$CHROOT" ]; then
  # In the clean root, what apt pulled in for us is ours too: it must go with autoremove.
  R apt-get autoremove --purge -y -qq > "$OUT/apt-autoremove.log" 2>&1 || { cat "$OUT/apt-autoremove.log"; exit 1; }
  step "apt-get autoremove --purge (the dependencies apt installed)"
fi
check "after purge: no group culvert, though ${MEMBER:-nobody} was a member" sh -c "! chroot '${CHROOT:-/}' getent group culvert"
if [ -n "${MEMBER:-}" ]; then R userdel "$MEMBER" 2>/dev/null || true; fi
snapshot > "$OUT/after.txt"
# Gone since the install: always wrong. New: wrong unless a package that is still installed owns it.
diff "$OUT/before.txt" "$OUT/after.txt" > "$OUT/leftovers.diff" || true
removed="$(sed -n 's/^< //p' "$OUT/leftovers.diff")"
unowned="$(sed -n 's/^> //p' "$OUT/leftovers.diff" | while read -r f; do
  case "$f" in ./*) R dpkg -S "${f#.}" >/dev/null 2>&1 || echo "$f" ;; *) echo "$f" ;; esac; done)"
if [ -z "$removed$unowned" ]; then
  ok "after purge: the watched folders, users and groups are as before ($(grep -c '^>' "$OUT/leftovers.diff" || true) new paths, all owned by other packages)"
else
  fail "after purge: not as before the install:"
  [ -n "$removed" ] && echo "$removed" | sed 's/^/         missing: /' | head -20
  [ -n "$unowned" ] && echo "$unowned" | sed 's/^/         left:    /' | head -20
fi

if [ "$FAILS" = 0 ]; then step "PASS"; else step "FAIL: $FAILS check(s)"; exit 1; fi
