#!/usr/bin/env bash
# Build the Linux one-folder app and pack it as a tarball with an install script.
#   packaging/build-linux.sh            -> dist/carebinder-<version>-linux-x86_64.tar.gz
set -euo pipefail
cd "$(dirname "$0")/.."
make .venv/bin/carebinder >/dev/null
.venv/bin/pip install --quiet "pyinstaller>=6.10"
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/carebinder.spec
version=$(.venv/bin/python -c 'import app; print(app.__version__)')
stage="dist/carebinder-$version"
rm -rf "$stage"
mkdir -p "$stage"
cp -r dist/carebinder "$stage/app"
cp packaging/install.sh packaging/org.carebinder.CareBinder.desktop \
   packaging/org.carebinder.CareBinder.metainfo.xml "$stage/"
cp -r resources/icons "$stage/icons"
tar -C dist -czf "dist/carebinder-$version-linux-$(uname -m).tar.gz" "carebinder-$version"
echo "dist/carebinder-$version-linux-$(uname -m).tar.gz"
