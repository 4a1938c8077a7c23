#!/bin/sh
# Install the frozen station for one Linux user (no root): the folder under ~/.local/opt, a
# link in ~/.local/bin, the icon and the desktop entry (the menu's "Trạm thu nhận căn cước").
#   sh install-linux.sh                  # from inside the unpacked dist/enrollment-station
#   sh packaging/install-linux.sh dist/enrollment-station [PREFIX]   # from a checkout
# Run it again to update: the old folder is replaced (the station's data is elsewhere, in
# ~/.local/share/enrollment-station, and is not touched).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=${1:-$here}
prefix=${2:-$HOME/.local}
[ -x "$src/enrollment-station" ] || { echo "no enrollment-station program in $src" >&2; exit 1; }
src=$(cd "$src" && pwd)
dest="$prefix/opt/enrollment-station"
mkdir -p "$prefix/opt" "$prefix/bin" "$prefix/share/applications" \
         "$prefix/share/icons/hicolor/256x256/apps" "$prefix/share/icons/hicolor/scalable/apps"
if [ "$src" != "$dest" ]; then
  rm -rf "$dest.new" && cp -a "$src" "$dest.new" && rm -rf "$dest" && mv "$dest.new" "$dest"
fi
ln -sf "$dest/enrollment-station" "$prefix/bin/enrollment-station"
icons="$dest/_internal/resources/icons"
cp "$icons/enrollment-station.png" "$prefix/share/icons/hicolor/256x256/apps/"
cp "$icons/enrollment-station.svg" "$prefix/share/icons/hicolor/scalable/apps/"
sed "s|^Exec=.*|Exec=$dest/enrollment-station|" "$dest/enrollment-station.desktop" \
  > "$prefix/share/applications/enrollment-station.desktop"
command -v update-desktop-database >/dev/null 2>&1 \
  && update-desktop-database -q "$prefix/share/applications" || true
echo "installed in $dest; menu entry: $prefix/share/applications/enrollment-station.desktop"
