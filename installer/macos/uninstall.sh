#!/bin/sh
# Removes Culvert from a Mac (a .pkg has no uninstaller of its own). Run with sudo. NOT TESTED.
set -e
PLIST=/Library/LaunchDaemons/io.culvert.culvertd.plist
[ -f "$PLIST" ] && { launchctl bootout system "$PLIST" 2>/dev/null || true; rm -f "$PLIST"; }
rm -f /usr/local/bin/culvert
rm -rf /Applications/Culvert.app /Library/Logs/Culvert
dseditgroup -o delete culvert 2>/dev/null || true
pkgutil --forget io.culvert.app 2>/dev/null || true
