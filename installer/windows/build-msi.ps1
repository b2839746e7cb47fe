# Builds the Culvert .msi on Windows. NOT BUILT OR TESTED: written on Linux, where jpackage cannot make
# Windows packages (jpackage does not cross-build). See installer/windows/README.md for what to check.
#
#   powershell -ExecutionPolicy Bypass -File installer\windows\build-msi.ps1
#
# Needs: JDK 25 (JAVA_HOME), WiX Toolset (3.14 candle/light on PATH, or 4/5 wix.exe), and in
# installer\windows\resources\: service-installer.exe (a service wrapper, e.g. WinSW renamed) and
# wintun.dll (amd64, from https://www.wintun.net/, signed by WireGuard LLC); icons\build\culvert.ico from
# icons/render.sh (run it once in WSL or Git Bash with rsvg-convert and ImageMagick, or on Linux).
$ErrorActionPreference = 'Stop'
$Root = (Resolve-Path "$PSScriptRoot\..\..").Path
$Out = "$Root\installer\target\windows"
$Jdk = $env:JAVA_HOME
$Fx = '25.0.4'
$Version = '0.1.0'
# A fixed UpgradeCode: every Culvert MSI must carry the same one so a new version replaces the old.
$UpgradeUuid = '6f7c2b1e-5d0a-4c1e-9a53-2c7e0b6a4f11'

Remove-Item -Recurse -Force $Out -ErrorAction SilentlyContinue
New-Item -ItemType Directory -Force "$Out\input", "$Out\image", "$Out\msi" | Out-Null

# 1. jars. app\pom.xml pins the JavaFX "linux" classifier; take the "win" jars instead.
& "$Root\mvnw.cmd" -q -B -DskipTests package
Copy-Item "$Root\app\target\culvert-app.jar" "$Out\input\"
Get-ChildItem "$Root\app\target\lib\*.jar" | Where-Object { $_.Name -notlike 'javafx-*' } | Copy-Item -Destination "$Out\input\"
foreach ($m in 'base', 'graphics', 'controls') {
  & "$Root\mvnw.cmd" -q -B dependency:copy "-Dartifact=org.openjfx:javafx-${m}:${Fx}:jar:win" "-DoutputDirectory=$Out\input"
}

# 2. app image: GUI launcher + culvert.exe (console) + culvertd.exe (service, once the class exists)
$Modules = (Get-Content "$Root\installer\linux\modules.txt" | ForEach-Object { ($_ -split '#')[0].Trim() } | Where-Object { $_ }) -join ','
$Launchers = @('--add-launcher', "culvert=$Root\installer\windows\culvert.properties")
if (Select-String -Quiet -Pattern 'io/culvert/service/Main.class' -Path "$Out\input\culvert-engine-*.jar" -SimpleMatch) {
  $Launchers += @('--add-launcher', "culvertd=$Root\installer\windows\culvertd.properties")
}
& "$Jdk\bin\jpackage.exe" --type app-image --name Culvert --app-version $Version --vendor Culvert `
  --input "$Out\input" --main-jar culvert-app.jar --main-class io.culvert.app.Launcher `
  --icon "$Root\icons\build\culvert.ico" `
  --add-modules $Modules --java-options '--enable-native-access=ALL-UNNAMED' `
  --jlink-options '--strip-java-debug-attributes --no-man-pages --no-header-files --strip-native-commands --compress=zip-6' `
  @Launchers --dest "$Out\image"
# wintun.dll next to the launchers, where the engine's Windows TUN backend would load it from
Copy-Item "$Root\installer\windows\resources\wintun.dll" "$Out\image\Culvert\app\"

# 3. MSI: per-machine (the service needs it), Start menu group, upgrade code, the service registered by
#    jpackage through resources\service-installer.exe
& "$Jdk\bin\jpackage.exe" --type msi --app-image "$Out\image\Culvert" --name Culvert --app-version $Version `
  --vendor Culvert --description 'OpenVPN-compatible VPN client and server manager' `
  --win-menu --win-menu-group Culvert --win-shortcut --win-dir-chooser `
  --win-upgrade-uuid $UpgradeUuid --resource-dir "$Root\installer\windows\resources" `
  --dest "$Out\msi"
Get-ChildItem "$Out\msi\*.msi" | ForEach-Object { "{0}  {1:N0} bytes" -f $_.FullName, $_.Length }
