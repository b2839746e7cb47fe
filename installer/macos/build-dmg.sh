#!/usr/bin/env bash
# Builds Culvert.dmg (drag to Applications: app + CLI, no daemon) and Culvert.pkg (app + engine daemon
# via launchd + /usr/local/bin/culvert) on macOS. NOT BUILT OR TESTED: written on Linux, where jpackage
# cannot make macOS packages. See installer/macos/README.md.
#   installer/macos/build-dmg.sh
# Needs: macOS, JDK 25 (JAVA_HOME), Xcode command-line tools (iconutil, hdiutil, pkgbuild); signing and
# notarisation need a Developer ID (set MAC_SIGN_IDENTITY to sign).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="$ROOT/installer/target/macos"
JDK="${JAVA_HOME:?set JAVA_HOME to a JDK 25}"
FX=25.0.4
# jpackage on macOS rejects a version whose first number is 0 (CFBundleVersion), so 0.1.0 cannot be used.
VERSION="${CULVERT_MAC_VERSION:-1.0.0}"
case "$(uname -m)" in arm64) FXC=mac-aarch64 ;; *) FXC=mac ;; esac

rm -rf "$OUT"; mkdir -p "$OUT/input" "$OUT/image" "$OUT/res" "$OUT/pkg"

# 1. jars: app/pom.xml pins the JavaFX "linux" classifier; take the mac jars instead
(cd "$ROOT" && ./mvnw -q -B -DskipTests package)
cp "$ROOT/app/target/culvert-app.jar" "$OUT/input/"
for f in "$ROOT"/app/target/lib/*.jar; do case "$(basename "$f")" in javafx-*) ;; *) cp "$f" "$OUT/input/" ;; esac; done
for m in base graphics controls; do
  (cd "$ROOT" && ./mvnw -q -B dependency:copy -Dartifact="org.openjfx:javafx-$m:$FX:jar:$FXC" -DoutputDirectory="$OUT/input")
done

# 2. icon: .icns from the rendered PNGs (icons/render.sh needs rsvg-convert: brew install librsvg)
"$ROOT/icons/render.sh" "$OUT/icons"
mkdir -p "$OUT/culvert.iconset"
for n in 16 32 128 256 512; do
  cp "$OUT/icons/hicolor/${n}x${n}/apps/culvert.png" "$OUT/culvert.iconset/icon_${n}x${n}.png"
  d=$((n * 2)); [ -f "$OUT/icons/hicolor/${d}x${d}/apps/culvert.png" ] && \
    cp "$OUT/icons/hicolor/${d}x${d}/apps/culvert.png" "$OUT/culvert.iconset/icon_${n}x${n}@2x.png"
done
iconutil -c icns "$OUT/culvert.iconset" -o "$OUT/culvert.icns"

# 3. app image: Culvert.app with the GUI, Contents/MacOS/culvert (CLI) and, once it exists, culvertd
MODULES="$(sed 's/#.*//' "$ROOT/installer/linux/modules.txt" | xargs | tr ' ' ',')"
LAUNCHERS=(--add-launcher "culvert=$ROOT/installer/linux/launchers/culvert.properties")
if unzip -l "$OUT"/input/culvert-engine-*.jar io/culvert/service/Main.class >/dev/null 2>&1; then
  LAUNCHERS+=(--add-launcher "culvertd=$ROOT/installer/linux/launchers/culvertd.properties")
fi
SIGN=(); [ -n "${MAC_SIGN_IDENTITY:-}" ] && SIGN=(--mac-sign --mac-signing-key-user-name "$MAC_SIGN_IDENTITY")
cp "$HERE/io.culvert.culvertd.plist" "$OUT/input/"
"$JDK/bin/jpackage" --type app-image --name Culvert --app-version "$VERSION" --vendor Culvert \
  --input "$OUT/input" --main-jar culvert-app.jar --main-class io.culvert.app.Launcher \
  --icon "$OUT/culvert.icns" --mac-package-identifier io.culvert.app --mac-app-category public.app-category.utilities \
  --add-modules "$MODULES" --java-options "--enable-native-access=ALL-UNNAMED" \
  --jlink-options "--strip-java-debug-attributes --no-man-pages --no-header-files --strip-native-commands --compress=zip-6" \
  "${LAUNCHERS[@]}" "${SIGN[@]}" --dest "$OUT/image"

# 4. .dmg: the app only (drag and drop cannot install a daemon)
"$JDK/bin/jpackage" --type dmg --app-image "$OUT/image/Culvert.app" --name Culvert --app-version "$VERSION" \
  --vendor Culvert "${SIGN[@]}" --dest "$OUT/pkg"

# 5. .pkg: the app plus the daemon, installed by the postinstall script
cp "$HERE/postinstall" "$OUT/res/postinstall"
"$JDK/bin/jpackage" --type pkg --app-image "$OUT/image/Culvert.app" --name Culvert --app-version "$VERSION" \
  --vendor Culvert --mac-package-identifier io.culvert.app --resource-dir "$OUT/res" "${SIGN[@]}" --dest "$OUT/pkg"
ls -l "$OUT"/pkg/
