#!/bin/sh
# Install CareBinder for this user: the app in ~/.local/share/carebinder-app, a `carebinder`
# command in ~/.local/bin, the menu entry and the icons. Run it from the unpacked tarball.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix="${XDG_DATA_HOME:-$HOME/.local/share}"
rm -rf "$prefix/carebinder-app"
mkdir -p "$prefix/carebinder-app" "$HOME/.local/bin" "$prefix/applications" "$prefix/metainfo"
cp -r "$here/app/." "$prefix/carebinder-app/"
ln -sf "$prefix/carebinder-app/carebinder" "$HOME/.local/bin/carebinder"
ln -sf "$prefix/carebinder-app/carebinder" "$HOME/.local/bin/carebinder-gui"
cp -r "$here/icons/hicolor" "$prefix/icons/" 2>/dev/null || { mkdir -p "$prefix/icons"; cp -r "$here/icons/hicolor" "$prefix/icons/"; }
sed "s|^Exec=.*|Exec=$HOME/.local/bin/carebinder|" "$here/org.carebinder.CareBinder.desktop" \
    > "$prefix/applications/org.carebinder.CareBinder.desktop"
cp "$here/org.carebinder.CareBinder.metainfo.xml" "$prefix/metainfo/"
command -v update-desktop-database >/dev/null && update-desktop-database "$prefix/applications" || true
echo "CareBinder is installed. Start it from your menu, or run: carebinder"
