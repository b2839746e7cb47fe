#!/usr/bin/env bash
# Builds the Culvert .deb: installer/target/culvert_VERSION_ARCH.deb (the path is the last line printed).
#   installer/linux/build-deb.sh [--skip-maven] [--app-image-only] [--stub-service]
# --stub-service adds test/StubService.java as io.culvert.service.Main, so the package carries a culvertd
# launcher and with it the unit, user, group and polkit rule: for testing the packaging, never for release
# (its version gets a +stubservice suffix).
# Steps: Maven package -> icons -> jpackage input (app jar + runtime jars, JavaFX platform jars only)
# -> module list (jdeps + modules.txt) -> jpackage app-image with a jlinked runtime and the launchers in
# launchers/*.properties -> smoke test of the CLI launcher -> package tree: the image as /opt/culvert plus
# package.list (desktop entry, icons, /usr/bin/culvert, service files), maintainer scripts written from
# that list, Depends computed from the image's native libraries (ldd + dpkg -S, as jpackage does) plus
# libgtk-3-0 -> dpkg-deb. jpackage --type deb is not used; installer/README.md says why.
# Needs JDK 25 (jpackage), dpkg-deb, rsvg-convert (icons/render.sh installs it when root); zip and strip
# slim the payload when present.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="$ROOT/installer/target"
PKG=culvert                       # Debian package name; installs to /opt/$PKG
APP=culvert-app                   # jpackage --name: the app image folder and the GUI launcher
MAIN_CLASS=io.culvert.app.Launcher
DESCRIPTION="OpenVPN-compatible VPN client and server manager"

SKIP_MAVEN=false; IMAGE_ONLY=false; STUB_SERVICE=false
for a in "$@"; do
  case "$a" in
    --skip-maven) SKIP_MAVEN=true ;;
    --app-image-only) IMAGE_ONLY=true ;;
    --stub-service) STUB_SERVICE=true ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "build-deb: unknown option $a" >&2; exit 2 ;;
  esac
done

T0=$SECONDS; LAST=$SECONDS
step() { echo "build-deb: [$((SECONDS - T0))s, +$((SECONDS - LAST))s] $*" >&2; LAST=$SECONDS; }

java_major() { "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'; }
JDK=""
for c in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64; do
  if [ -n "$c" ] && [ -x "$c/bin/jpackage" ] && [ "$(java_major "$c/bin/java")" -ge 25 ] 2>/dev/null; then JDK="$c"; break; fi
done
[ -n "$JDK" ] || { echo "build-deb: a JDK 25 with jpackage is needed (set JAVA_HOME)" >&2; exit 1; }
export JAVA_HOME="$JDK"
for t in dpkg-deb dpkg ldd unzip; do command -v $t >/dev/null || { echo "build-deb: $t is needed" >&2; exit 1; }; done
ARCH="$(dpkg --print-architecture)"

VERSION_POM="$(awk '/<artifactId>culvert-parent<\/artifactId>/ {f=1} f && /<version>/ {gsub(/.*<version>|<\/version>.*/, ""); print; exit}' "$ROOT/pom.xml")"
APP_VERSION="${VERSION_POM%%-*}"                          # jpackage wants digits and dots: 0.1.0
DEB_VERSION="$APP_VERSION"
if [[ "$VERSION_POM" == *-SNAPSHOT ]]; then                # sorts before the release: 0.1.0~snapshot.202511220105
  DEB_VERSION="$APP_VERSION~snapshot.$(git -C "$ROOT" log -1 --format=%cd --date=format:%Y%m%d%H%M 2>/dev/null || date +%Y%m%d%H%M)"
fi
$STUB_SERVICE && DEB_VERSION="$DEB_VERSION+stubservice"
step "Culvert $VERSION_POM -> .deb version $DEB_VERSION ($ARCH), JDK $JDK"

# 1. jars
if ! $SKIP_MAVEN || [ ! -f "$ROOT/app/target/culvert-app.jar" ]; then
  (cd "$ROOT" && ./mvnw -q -B -DskipTests package >&2)
  step "maven package"
fi

# 2. icons
rm -rf "$OUT"; mkdir -p "$OUT"
"$ROOT/icons/render.sh" "$OUT/icons" 2>/dev/null
step "icons rendered"

# 3. jpackage input: the app jar and its runtime jars; the classifier-less javafx-*.jar are empty stubs
mkdir -p "$OUT/input"
cp "$ROOT/app/target/culvert-app.jar" "$OUT/input/"
for f in "$ROOT"/app/target/lib/*.jar; do
  case "$(basename "$f")" in
    javafx-*-linux.jar) cp "$f" "$OUT/input/" ;;
    javafx-*) ;;
    *) cp "$f" "$OUT/input/" ;;
  esac
done
# Third-party jars carry native libraries for every OS; keep only this machine's (saves about 11 MB).
case "$ARCH" in
  amd64) SQLITE_DIR=Linux/x86_64 ;;
  arm64) SQLITE_DIR=Linux/aarch64 ;;
  *) SQLITE_DIR="" ;;
esac
trim_jar() { # trim_jar JAR REGEX KEEP: delete the entries matching REGEX, except those starting with KEEP
  unzip -Z1 "$1" | grep -E "$2" | grep -v "^$3" | zip -q -d "$1" -@ >/dev/null || true
}
if [ -n "$SQLITE_DIR" ] && command -v zip >/dev/null; then
  for j in "$OUT"/input/sqlite-jdbc-*.jar; do
    trim_jar "$j" '^org/sqlite/native/.*[^/]$' "org/sqlite/native/$SQLITE_DIR/"
  done
fi
for e in "sqlite-jdbc-*.jar org/sqlite/JDBC.class" "sqlite-jdbc-*.jar org/sqlite/native/$SQLITE_DIR/libsqlitejdbc.so"; do
  set -- $e
  [ -z "$SQLITE_DIR" ] && break
  unzip -l "$OUT"/input/$1 "$2" >/dev/null 2>&1 || { echo "build-deb: $2 missing from $1 after trimming" >&2; exit 1; }
done
if $STUB_SERVICE; then
  mkdir -p "$OUT/stub/src"
  cp "$HERE/test/StubService.java" "$OUT/stub/src/Main.java"        # javac wants a public class's file name
  "$JDK/bin/javac" --release 25 -d "$OUT/stub/classes" "$OUT/stub/src/Main.java"
  "$JDK/bin/jar" --create --file "$OUT/input/culvertd-stub.jar" -C "$OUT/stub/classes" .
fi
step "input: $(du -sh "$OUT/input" | cut -f1) of jars"

# 4. modules: what jdeps sees in the jars, plus modules.txt (reflection, services, future needs)
JDEPS="$("$JDK/bin/jdeps" --multi-release 25 --ignore-missing-deps --print-module-deps -q \
  -cp "$OUT/input/*" "$OUT"/input/*.jar 2>/dev/null | tail -1)"
LISTED="$(sed 's/#.*//' "$HERE/modules.txt" | xargs | tr ' ' ',')"
MODULES="$(echo "$JDEPS,$LISTED" | tr ',' '\n' | sed '/^$/d' | sort -u | paste -sd,)"
step "modules: $MODULES (jdeps: $JDEPS)"

# 5. launchers: one per launchers/*.properties whose main class is in the jars
has_class() { # has_class io.x.Y : true when an input jar holds it
  local entry="${1//./\/}.class" j
  for j in "$OUT"/input/*.jar; do unzip -l "$j" "$entry" >/dev/null 2>&1 && return 0; done
  return 1
}
LAUNCHER_ARGS=()
for p in "$HERE"/launchers/*.properties; do
  name="$(basename "$p" .properties)"
  cls="$(sed -n 's/^main-class=//p' "$p")"
  if has_class "$cls"; then
    LAUNCHER_ARGS+=(--add-launcher "$name=$p")
    echo "build-deb: launcher $name ($cls)" >&2
  else
    echo "build-deb: launcher $name left out: $cls is not in the jars yet" >&2
  fi
done

# 6. app image with a jlinked runtime
"$JDK/bin/jpackage" --type app-image --name "$APP" --app-version "$APP_VERSION" \
  --vendor Culvert --description "$DESCRIPTION" \
  --input "$OUT/input" --main-jar culvert-app.jar --main-class "$MAIN_CLASS" \
  --icon "$OUT/icons/hicolor/128x128/apps/culvert.png" \
  --add-modules "$MODULES" \
  --java-options "--enable-native-access=ALL-UNNAMED" \
  --jlink-options "--strip-java-debug-attributes --no-man-pages --no-header-files --strip-native-commands --compress=zip-6" \
  "${LAUNCHER_ARGS[@]}" \
  --dest "$OUT/image"
IMAGE="$OUT/image/$APP"
# Temurin's shared libraries carry debug symbols; dropping them saves about 5 MB.
if command -v strip >/dev/null; then find "$IMAGE/lib/runtime" -name '*.so' -exec strip --strip-debug {} +; fi
step "app image: $(du -sh "$IMAGE" | cut -f1) in ${IMAGE#"$ROOT"/}"

# 6b. JDK AOT cache (JEP 483/514) for the command-line launchers: a training run on the image's own runtime and
# class path (culvert warmup: in-memory TLS handshakes and data packets, no root, no network) records which classes
# load and how they run; the cache holds them loaded, linked and profiled, and the launchers name it. It is checked
# by the JVM at every start (runtime, class path, jar sizes and times; dpkg keeps the times) and ignored, silently,
# if it no longer matches. The cache is tied to this image's runtime, so it is made here, not on the build JDK.
AOT="$IMAGE/lib/app/culvert.aot"
AOT_CONF="$OUT/culvert.aotconf"
if [ -x "$IMAGE/bin/culvert" ] && [ "${CULVERT_AOT:-on}" != off ]; then
  JAVA_TOOL_OPTIONS="-XX:AOTMode=record -XX:AOTConfiguration=$AOT_CONF -Xlog:aot=error" \
    "$IMAGE/bin/culvert" warmup --rounds 20 >&2 2> "$OUT/aot-train.log" \
    || { cat "$OUT/aot-train.log" >&2; echo "build-deb: AOT training run failed" >&2; exit 1; }
  JAVA_TOOL_OPTIONS="-XX:AOTMode=create -XX:AOTConfiguration=$AOT_CONF -XX:AOTCache=$AOT -Xlog:aot=error" \
    "$IMAGE/bin/culvert" --version > "$OUT/aot-create.log" 2>&1 \
    || { cat "$OUT/aot-create.log" >&2; echo "build-deb: AOT cache creation failed" >&2; exit 1; }
  rm -f "$AOT_CONF"
  for cfg in "$IMAGE"/lib/app/culvert.cfg "$IMAGE"/lib/app/culvertd.cfg; do
    [ -f "$cfg" ] || continue
    sed -i '/^\[JavaOptions\]/a java-options=-XX:AOTCache=$APPDIR/culvert.aot\njava-options=-Xlog:aot=off\njava-options=-Xlog:cds=off' "$cfg"
  done
  # The launcher must really use it: AOTMode=on makes the JVM refuse to start without it.
  JAVA_TOOL_OPTIONS="-XX:AOTMode=on" "$IMAGE/bin/culvert" --version >/dev/null 2>&1 \
    || { echo "build-deb: bin/culvert does not start with its AOT cache" >&2; exit 1; }
  ms() { local t0; t0=$(date +%s%N); "$@" >/dev/null 2>&1; echo $(( ($(date +%s%N) - t0) / 1000000 )); }
  step "AOT cache: $(du -h "$AOT" | cut -f1); culvert warmup --rounds 1: $(JAVA_TOOL_OPTIONS=-XX:AOTMode=off \
    ms "$IMAGE/bin/culvert" warmup --rounds 1) ms without, $(ms "$IMAGE/bin/culvert" warmup --rounds 1) ms with"
fi

# 7. smoke test: the CLI launcher runs on the jlinked runtime, and the store (sqlite native, Flyway) opens
if [ -x "$IMAGE/bin/culvert" ]; then
  v="$("$IMAGE/bin/culvert" --version)" || { echo "build-deb: bin/culvert --version failed" >&2; exit 1; }
  "$IMAGE/bin/culvert" profile list --db "$OUT/smoke.db" >/dev/null \
    || { echo "build-deb: bin/culvert profile list failed on the jlinked runtime" >&2; exit 1; }
  rm -f "$OUT"/smoke.db*
  step "smoke: bin/culvert --version -> $v; profile list on a new store -> ok"
fi
$IMAGE_ONLY && exit 0

# 8. package tree: the image as /opt/culvert, then package.list
STAGE="$OUT/stage"
mkdir -p "$STAGE/opt" "$STAGE/DEBIAN"
cp -a "$IMAGE" "$STAGE/opt/$PKG"
"$HERE/stage-extras.sh" "$STAGE" "$ROOT" "$OUT" "$STAGE/opt/$PKG"

# 9. Depends: the packages owning the shared libraries that the image's ELF files load, plus what ldd
# cannot see: GTK (JavaFX unpacks its natives from its jars at run time) and what the maintainer scripts call.
elf_files() {
  find "$IMAGE" -type f | while read -r f; do
    [ "$(head -c4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ] && echo "$f"
  done
}
owner() { dpkg -S "$1" 2>/dev/null || dpkg -S "$(readlink -f "$1")" 2>/dev/null || true; }
DEPENDS="$( { elf_files | xargs -r ldd 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3}' | sort -u \
    | while read -r lib; do owner "$lib"; done | cut -d: -f1
  echo libgtk-3-0; cat "$OUT/extra-depends"; } | sed '/^$/d' | sort -u | paste -sd, | sed 's/,/, /g')"
cat > "$STAGE/DEBIAN/control" <<CONTROL
Package: $PKG
Version: $DEB_VERSION
Section: net
Priority: optional
Architecture: $ARCH
Maintainer: Culvert developers <culvert@localhost>
Installed-Size: $(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
Depends: $DEPENDS
Description: $DESCRIPTION
 Culvert connects to OpenVPN 2.6 servers with the .ovpn profiles OpenVPN uses, and runs and manages
 OpenVPN-compatible servers: a desktop app (JavaFX) and the culvert command (the headless engine),
 with their own Java runtime in /opt/culvert.
CONTROL
(cd "$STAGE" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum > DEBIAN/md5sums)
step "package tree; Depends: $DEPENDS"

# 10. the .deb
DEB="$OUT/${PKG}_${DEB_VERSION}_${ARCH}.deb"
dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$DEB" >/dev/null
step "package: $(stat -c %s "$DEB") bytes, Installed-Size $(sed -n 's/^Installed-Size: //p' "$STAGE/DEBIAN/control") KiB"
echo "$DEB"
