#!/usr/bin/env bash
# Renders the SVG sources in icons/ to the PNG sizes the desktop needs.
#   icons/render.sh [OUT]            writes OUT (default icons/build/, not committed)
#   icons/render.sh --app-resources  also refreshes the committed JavaFX stage icons under
#                                    app/src/main/resources/io/culvert/app/icons/
# Output (freedesktop hicolor layout, so the installer copies it as is):
#   OUT/hicolor/NxN/apps/culvert.png              N = 16 22 24 32 48 64 128 256 512
#   OUT/hicolor/scalable/apps/culvert.svg
#   OUT/hicolor/NxN/status/culvert-STATE.png      N = 16 22 24 32 48 64, coloured
#   OUT/hicolor/symbolic/status/culvert-STATE-symbolic.svg
#   OUT/tray/{dark,light}/culvert-STATE-N.png     monochrome: white glyph for dark panels, dark glyph for light
#   OUT/culvert.ico                               Windows icon (16-256 px), for the .msi recipe
#   OUT/preview.png                               everything on one sheet, for a look
# STATE = connected connecting disconnected server. Needs rsvg-convert (librsvg2-bin; installed when
# missing and running as root) and, for culvert.ico and preview.png, ImageMagick. (The macOS recipe makes
# its .icns on the Mac with iconutil.)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"

APP_RES=false
OUT="$HERE/build"
for a in "$@"; do
  case "$a" in
    --app-resources) APP_RES=true ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) OUT="$(realpath -m "$a")" ;;
  esac
done

APP_SIZES="16 22 24 32 48 64 128 256 512"
SMALL_SIZES=" 16 22 24 "            # drawn from culvert-small.svg, fitted to the pixel grid
STATUS_SIZES="16 22 24 32 48 64"
STATES="connected connecting disconnected server"
APP_RES_SIZES="16 32 48 64 128 256"
APP_RES_DIR="$ROOT/app/src/main/resources/io/culvert/app/icons"

if ! command -v rsvg-convert >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "icons: installing librsvg2-bin (rsvg-convert)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq librsvg2-bin >&2 \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq librsvg2-bin >&2; }
  else
    echo "icons: rsvg-convert not found; install it: sudo apt-get install librsvg2-bin" >&2
    exit 1
  fi
fi

render() { # render SVG SIZE PNG
  mkdir -p "$(dirname "$3")"
  rsvg-convert -w "$2" -h "$2" -f png -o "$3" "$1"
}

rm -rf "$OUT"
for n in $APP_SIZES; do
  src="$HERE/culvert.svg"
  [[ "$SMALL_SIZES" == *" $n "* ]] && src="$HERE/culvert-small.svg"
  render "$src" "$n" "$OUT/hicolor/${n}x${n}/apps/culvert.png"
done
install -D -m 644 "$HERE/culvert.svg" "$OUT/hicolor/scalable/apps/culvert.svg"

tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
for s in $STATES; do
  for n in $STATUS_SIZES; do
    render "$HERE/status/$s.svg" "$n" "$OUT/hicolor/${n}x${n}/status/culvert-$s.png"
  done
  install -D -m 644 "$HERE/status/$s-symbolic.svg" "$OUT/hicolor/symbolic/status/culvert-$s-symbolic.svg"
  # #bebebe is the symbolic placeholder colour; recolour it for the two panel backgrounds.
  sed 's/#bebebe/#FFFFFF/g' "$HERE/status/$s-symbolic.svg" > "$tmp/$s-dark.svg"
  sed 's/#bebebe/#1F2937/g' "$HERE/status/$s-symbolic.svg" > "$tmp/$s-light.svg"
  for n in $STATUS_SIZES; do
    render "$tmp/$s-dark.svg" "$n" "$OUT/tray/dark/culvert-$s-$n.png"
    render "$tmp/$s-light.svg" "$n" "$OUT/tray/light/culvert-$s-$n.png"
  done
done

# The Windows .ico and the preview sheet need ImageMagick itself; without it (or with a stand-in) they are left out.
if command -v convert >/dev/null && convert -version 2>/dev/null | grep -q ImageMagick; then
  convert $(for n in 16 24 32 48 64 256; do echo "$OUT/hicolor/${n}x${n}/apps/culvert.png"; done) "$OUT/culvert.ico"
  row() { # row BACKGROUND ZOOM FILE... -> one row, nearest-neighbour zoom so pixels stay visible
    local bg="$1" zoom="$2"; shift 2
    convert "$@" -bordercolor "$bg" -border 3 -background "$bg" -gravity center +append -filter point -resize "$zoom%" miff:-
  }
  st() { for s in $STATES; do echo "$1/culvert-$s${2}"; done; }
  {
    row '#e5e7eb' 100 "$OUT/hicolor/256x256/apps/culvert.png" "$OUT/hicolor/128x128/apps/culvert.png" \
      "$OUT/hicolor/64x64/apps/culvert.png" "$OUT/hicolor/48x48/apps/culvert.png" "$OUT/hicolor/32x32/apps/culvert.png"
    row '#e5e7eb' 400 $(for n in 16 22 24; do echo "$OUT/hicolor/${n}x${n}/apps/culvert.png"; done)
    row '#e5e7eb' 200 $(st "$OUT/hicolor/48x48/status" .png)
    row '#2b2b2b' 400 $(st "$OUT/hicolor/22x22/status" .png) $(st "$OUT/tray/dark" -22.png)
    row '#f3f4f6' 400 $(st "$OUT/hicolor/16x16/status" .png) $(st "$OUT/tray/light" -16.png)
  } | convert - -background '#9ca3af' -gravity west -append "$OUT/preview.png"
else
  echo "icons: ImageMagick's convert not found; no culvert.ico or preview.png (apt-get install imagemagick)" >&2
fi

if $APP_RES; then
  mkdir -p "$APP_RES_DIR"
  for n in $APP_RES_SIZES; do cp "$OUT/hicolor/${n}x${n}/apps/culvert.png" "$APP_RES_DIR/culvert-$n.png"; done
  echo "icons: stage icons refreshed in ${APP_RES_DIR#"$ROOT"/}" >&2
fi
echo "icons: $(find "$OUT" -name '*.png' | wc -l) PNGs in $OUT" >&2
