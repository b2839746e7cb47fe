#!/usr/bin/env bash
# stage-extras.sh STAGE ROOT BUILD IMAGE
# Applies installer/linux/package.list to an unpacked .deb tree STAGE: copies the files (SOURCE relative to
# the repo ROOT, or @PATH relative to the build folder BUILD), makes the links, and writes
# DEBIAN/postinst, prerm and postrm for the units, system users and purge paths it lists, and
# BUILD/extra-depends with the packages those scripts call. Lines ending in
# if=PATH are kept only when IMAGE/PATH exists. Called by build-deb.sh.
set -euo pipefail
STAGE="$1"; ROOT="$2"; BUILD="$3"; IMAGE="$4"
LIST="$ROOT/installer/linux/package.list"

UNITS=(); USERS=(); HOMES=(); PURGE=(); KEEP=(); DEPS=()
src_path() { case "$1" in @*) echo "$BUILD/${1#@}" ;; *) echo "$ROOT/$1" ;; esac; }

while read -r -a f; do
  [ ${#f[@]} -eq 0 ] && continue
  [[ "${f[0]}" == \#* ]] && continue
  last="${f[${#f[@]}-1]}"
  if [[ "$last" == if=* ]]; then
    unset 'f[${#f[@]}-1]'
    if [ ! -e "$IMAGE/${last#if=}" ]; then
      echo "stage-extras: skipped (no ${last#if=} in the image): ${f[*]}" >&2
      continue
    fi
  fi
  kind="${f[0]}"
  case "$kind" in
    file|unit)
      install -D -m "${f[3]:-644}" "$(src_path "${f[1]}")" "$STAGE${f[2]}"
      if [ "$kind" = unit ]; then UNITS+=("$(basename "${f[2]}")"); DEPS+=(init-system-helpers); fi
      ;;
    tree)
      mkdir -p "$STAGE${f[2]}"
      cp -r --no-preserve=mode,ownership "$(src_path "${f[1]}")/." "$STAGE${f[2]}/"
      ;;
    link)
      mkdir -p "$(dirname "$STAGE${f[2]}")"
      ln -sfn "${f[1]}" "$STAGE${f[2]}"
      ;;
    sysuser) USERS+=("${f[1]}"); HOMES+=("${f[2]}"); DEPS+=(adduser) ;;
    purge) PURGE+=("${f[1]}") ;;
    keepdir) KEEP+=("${f[1]}") ;;
    *) echo "stage-extras: unknown kind '$kind' in $LIST" >&2; exit 1 ;;
  esac
  echo "stage-extras: $kind ${f[*]:1}" >&2
done < "$LIST"

# Directories 755, files 644 unless installed executable; jpackage's own tree is left as it built it.
find "$STAGE" -path "$STAGE/DEBIAN" -prune -o -type d -exec chmod 755 {} +

D="$STAGE/DEBIAN"
hdr() { printf '#!/bin/sh\n# %s for culvert, written by installer/linux/stage-extras.sh from package.list\nset -e\n\n' "$1"; }

{
  hdr postinst
  echo 'if [ "$1" = configure ]; then'
  for i in "${!USERS[@]}"; do
    u="${USERS[$i]}"; h="${HOMES[$i]}"
    cat <<EOF
    getent group $u >/dev/null || addgroup --quiet --system $u
    getent passwd $u >/dev/null || adduser --quiet --system --ingroup $u --home $h --no-create-home \\
        --shell /usr/sbin/nologin --gecos "Culvert VPN engine" $u
    # The user who installs (sudo apt install / pkexec) may talk to the service right away.
    who="\${SUDO_USER:-}"
    if [ -z "\$who" ] && [ -n "\${PKEXEC_UID:-}" ]; then who="\$(getent passwd "\$PKEXEC_UID" | cut -d: -f1)"; fi
    if [ -n "\$who" ] && [ "\$who" != root ] && id "\$who" >/dev/null 2>&1; then
        adduser --quiet "\$who" $u && echo "culvert: added \$who to group $u (takes effect at the next login)"
    else
        echo "culvert: to let a user connect, run: sudo adduser USER $u"
    fi
EOF
  done
  echo '    :'
  echo 'fi'
  for u in "${UNITS[@]}"; do
    cat <<EOF
if [ "\$1" = configure ] || [ "\$1" = abort-upgrade ] || [ "\$1" = abort-deconfigure ] || [ "\$1" = abort-remove ]; then
    deb-systemd-helper unmask '$u' >/dev/null || true
    if deb-systemd-helper --quiet was-enabled '$u'; then
        deb-systemd-helper enable '$u' >/dev/null || true
    else
        deb-systemd-helper update-state '$u' >/dev/null || true
    fi
    if [ -d /run/systemd/system ]; then
        systemctl --system daemon-reload >/dev/null || true
        if [ -n "\$2" ]; then action=restart; else action=start; fi
        deb-systemd-invoke \$action '$u' >/dev/null || true
    fi
fi
EOF
  done
  echo 'exit 0'
} > "$D/postinst"

{
  hdr prerm
  for u in "${UNITS[@]}"; do
    echo "if [ -d /run/systemd/system ] && [ \"\$1\" = remove ]; then deb-systemd-invoke stop '$u' >/dev/null || true; fi"
  done
  echo 'exit 0'
} > "$D/prerm"

{
  hdr postrm
  for u in "${UNITS[@]}"; do
    cat <<EOF
if [ "\$1" = remove ] && [ -d /run/systemd/system ]; then systemctl --system daemon-reload >/dev/null || true; fi
if [ "\$1" = remove ] && [ -x /usr/bin/deb-systemd-helper ]; then deb-systemd-helper mask '$u' >/dev/null || true; fi
if [ "\$1" = purge ] && [ -x /usr/bin/deb-systemd-helper ]; then
    deb-systemd-helper purge '$u' >/dev/null || true
    deb-systemd-helper unmask '$u' >/dev/null || true
fi
EOF
  done
  for k in "${KEEP[@]}"; do
    echo "if [ \"\$1\" = remove ] || [ \"\$1\" = purge ]; then [ -d '$k' ] || mkdir -m 755 '$k'; fi"
  done
  echo 'if [ "$1" = purge ]; then'
  for p in "${PURGE[@]}"; do echo "    rm -rf '$p'"; done
  for u in "${USERS[@]}"; do
    echo "    if getent passwd $u >/dev/null; then deluser --quiet --system $u >/dev/null || true; fi"
    echo "    if getent group $u >/dev/null; then delgroup --quiet --system $u >/dev/null || true; fi"
  done
  echo '    :'
  echo 'fi'
  echo 'exit 0'
} > "$D/postrm"
chmod 755 "$D/postinst" "$D/prerm" "$D/postrm"
printf '%s\n' "${DEPS[@]}" | sort -u > "$BUILD/extra-depends"
