#!/usr/bin/env bash
# gui-smoke.sh LAUNCHER SCREENSHOT.png [AS_USER]
# Starts the desktop app from LAUNCHER (installer/target/image/culvert-app/bin/culvert-app, or
# /opt/culvert/bin/culvert-app once installed) on a private Xvfb display, waits up to 90 s for the
# "Culvert" window, saves a screenshot of the screen (ImageMagick import), stops the app, exits 0.
# AS_USER: run the app as that user (a desktop app does not run as root), with a throw-away home.
# GUI_CHROOT=DIR in the environment: run the launcher inside that root (its /tmp/.X11-unix must show the
# host's, e.g. a bind mount). Needs xvfb-run, xdotool, imagemagick on the host.
set -euo pipefail
LAUNCHER="$1"; SHOT="$(realpath -m "$2")"; AS_USER="${3:-}"
for t in xvfb-run xdotool import; do command -v $t >/dev/null || { echo "gui-smoke: $t is needed" >&2; exit 1; }; done

INNER="$(mktemp)"; LOG="$(mktemp)"
trap 'rm -f "$INNER" "$LOG"' EXIT
cat > "$INNER" <<'SH'
#!/usr/bin/env bash
# Runs inside xvfb-run: DISPLAY and XAUTHORITY are set.
set -u
LAUNCHER="$1"; SHOT="$2"; AS_USER="$3"; LOG="$4"; R="${GUI_CHROOT:-}"
home="/tmp/culvert-gui-home.$$"                      # as seen by the app (inside R when chrooted)
mkdir -p "$R$home"
cp "$XAUTHORITY" "$R$home/.Xauthority"
[ -n "$AS_USER" ] && chown -R "$AS_USER" "$R$home"
cmd=(env DISPLAY="$DISPLAY" HOME="$home" XAUTHORITY="$home/.Xauthority" JAVA_TOOL_OPTIONS="-Duser.home=$home" "$LAUNCHER")
[ -n "$AS_USER" ] && cmd=(runuser -u "$AS_USER" -- "${cmd[@]}")
[ -n "$R" ] && cmd=(chroot "$R" "${cmd[@]}")
setsid "${cmd[@]}" >"$LOG" 2>&1 &                  # its own process group, so it can be stopped whole
pid=$!
wid=""
for _ in $(seq 1 90); do
  wid="$(xdotool search --name '^Culvert$' 2>/dev/null | head -1 || true)"
  [ -n "$wid" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 1
done
rc=0
if [ -n "$wid" ]; then
  sleep 3                                          # let the first frame render
  import -window root "$SHOT"
  echo "gui-smoke: window '$(xdotool getwindowname "$wid")' (WM_CLASS $(xprop -id "$wid" WM_CLASS 2>/dev/null | cut -d= -f2)), screenshot $SHOT"
else
  echo "gui-smoke: no Culvert window appeared; app log:" >&2; cat "$LOG" >&2; rc=1
fi
kill -TERM -- "-$pid" 2>/dev/null || true
for _ in $(seq 1 10); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
kill -KILL -- "-$pid" 2>/dev/null || true
rm -rf "$R$home"
exit $rc
SH
chmod 700 "$INNER"
xvfb-run -a -s "-screen 0 1280x800x24" "$INNER" "$LAUNCHER" "$SHOT" "$AS_USER" "$LOG"
