#!/usr/bin/env bash
# Build TwinDeck's Linux packages in one command, from the project folder or anywhere:
#
#   installer/build_linux.sh
#
#  1. makes sure .venv has TwinDeck with the `installer` extra (PyInstaller): runs
#     scripts/setup.sh installer, which also installs what is missing of the system
#     libraries and of the build tools (binutils, nsis) when run as root or with sudo
#  2. builds the one-folder bundle with installer/twindeck.spec -> dist/twindeck/
#  3. strips its shared libraries (strip --strip-unneeded; not numpy's, which breaks)
#  4. runs the bundle's --self-test when a display is available (DISPLAY set)
#  5. packs dist/twindeck_VERSION_ARCH.deb (app in /opt/twindeck, /usr/bin/twindeck,
#     menu entry, icon, .twinpkg file type) and dist/twindeck-VERSION-linux-MACHINE.tar.gz
#  6. compiles installer/twindeck.nsi with makensis against the Linux bundle as a
#     stand-in payload -> dist/twindeck-VERSION-setup-standin.exe (checks the script;
#     not an installer to ship: the real one is built on Windows, see windows.md)
#
# Needs: Debian/Ubuntu with dpkg-deb, strip (binutils) and makensis (nsis); step 1
# installs the last two when it can, otherwise it says what to install.
# Environment:
#   TWINDECK_BUILD_PYTHON    Python with TwinDeck installed (default .venv/bin/python,
#                            set up by scripts/setup.sh; another one gets the extra by pip)
#   TWINDECK_COMPRESSION     fast (default: .deb xz -0, .tar.gz gzip -3, stand-in .exe
#                            uncompressed; ~30 s in all) or small (xz -6, gzip -9, lzma
#                            as on Windows; ~10-15% smaller, several minutes more)
#   TWINDECK_SKIP_NSIS=1     skip step 6;  TWINDECK_SKIP_SELFTEST=1  skip step 4
# Prints sizes and times at the end, also written to dist/build-report.txt.
set -euo pipefail

root_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dist="$root_dir/dist"
work="$root_dir/build/installer"
bundle="$dist/twindeck"
log() { printf '[twindeck build] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

declare -a report=()
step_start=0
begin() { step_start=$(date +%s.%N); log "$1"; }
took() { awk -v a="$step_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
size_mb() { du -sm "$1" | cut -f1; }

case "${TWINDECK_COMPRESSION:-fast}" in
  fast) xz_level=0 gzip_level=3 nsis_compressor=none ;;
  small) xz_level=6 gzip_level=9 nsis_compressor=lzma ;;
  *) die "TWINDECK_COMPRESSION must be fast or small, not ${TWINDECK_COMPRESSION}" ;;
esac
# dpkg-deb compresses with one thread unless told (--threads-max: dpkg >= 1.21.9)
deb_threads=()
grep -q -- --threads-max <(dpkg-deb --help 2>/dev/null) && deb_threads=(--threads-max="$(nproc)")

# -- 0. Python and tools --------------------------------------------------------------------
begin "Python environment with the installer extra"
if [ -n "${TWINDECK_BUILD_PYTHON:-}" ]; then
  python="$TWINDECK_BUILD_PYTHON"
  if ! "$python" -c 'import PyInstaller' 2>/dev/null; then
    log "installing TwinDeck[installer] into $("$python" -c 'import sys; print(sys.prefix)')"
    (cd "$root_dir" && "$python" -m pip install -q -e ".[installer]")
  fi
else
  python="$root_dir/.venv/bin/python"
  # The build tools come with the system libraries (installed when root or with sudo).
  TWINDECK_EXTRA_APT="${TWINDECK_EXTRA_APT:-} binutils nsis" bash "$root_dir/scripts/setup.sh" installer
fi
missing=()
command -v dpkg-deb >/dev/null || missing+=(dpkg)
command -v strip >/dev/null || missing+=(binutils)
[ "${TWINDECK_SKIP_NSIS:-0}" = 1 ] || command -v makensis >/dev/null || missing+=(nsis)
[ ${#missing[@]} -eq 0 ] || die "missing tools; install them with: apt-get install ${missing[*]}"
"$python" -c 'import PyInstaller' 2>/dev/null ||
  die "PyInstaller is not installed: is the 'installer' extra missing from pyproject.toml?"
build_python_s=$(took)

read -r version < <("$python" - "$root_dir/pyproject.toml" <<'EOF'
import sys, tomllib
with open(sys.argv[1], "rb") as f:
    print(tomllib.load(f)["project"]["version"])
EOF
)
arch="$(dpkg --print-architecture)"
machine="$(uname -m)"
deb="$dist/twindeck_${version}_${arch}.deb"
tarball="$dist/twindeck-${version}-linux-${machine}.tar.gz"
standin="$dist/twindeck-${version}-setup-standin.exe"
log "TwinDeck $version for $arch"

# -- 2. bundle ------------------------------------------------------------------------------
begin "PyInstaller bundle -> $bundle"
rm -rf "$bundle" "$deb" "$tarball" "$standin"
mkdir -p "$dist" "$work"
(cd "$root_dir" && "$python" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$dist" --workpath "$work/pyinstaller" installer/twindeck.spec) \
  > "$work/pyinstaller.log" 2>&1 || { tail -40 "$work/pyinstaller.log" >&2; die "PyInstaller failed (log: $work/pyinstaller.log)"; }
[ -x "$bundle/twindeck" ] || die "no $bundle/twindeck after PyInstaller"
bundle_unstripped_mb=$(size_mb "$bundle")
pyinstaller_s=$(took)

# -- 3. strip -------------------------------------------------------------------------------
# Not the executable (PyInstaller appends its archive to it) and not numpy or the
# auditwheel-repaired *.libs folders, whose patched ELF headers strip corrupts.
begin "strip --strip-unneeded"
find "$bundle/_internal" -type f \( -name '*.so' -o -name '*.so.*' \) \
  ! -path '*/numpy/*' ! -path '*/numpy.libs/*' ! -path '*.libs/*' -print0 |
  xargs -0 -r strip --strip-unneeded
bundle_mb=$(size_mb "$bundle")
strip_s=$(took)

# -- 4. smoke test of the bundle ------------------------------------------------------------
selftest_s="skipped"
if [ "${TWINDECK_SKIP_SELFTEST:-0}" != 1 ] && [ -n "${DISPLAY:-}" ]; then
  begin "self-test of the bundle on DISPLAY=$DISPLAY"
  "$bundle/twindeck" --self-test >&2 || die "the bundle failed its self-test"
  "$bundle/twindeck" --self-test --lang zh_CN >&2 || die "the bundle failed its self-test in zh_CN"
  selftest_s=$(took)
else
  log "self-test of the bundle skipped (no DISPLAY, or TWINDECK_SKIP_SELFTEST=1)"
fi

# -- 5a. .deb -------------------------------------------------------------------------------
begin "Debian package -> $deb"
"$python" "$root_dir/installer/check_system_libs.py" "$bundle" "$root_dir/installer/linux/depends.txt"
stage="$work/deb/twindeck_${version}_${arch}"
rm -rf "$stage"
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
  "$stage/usr/share/icons/hicolor/scalable/apps" "$stage/usr/share/icons/hicolor/256x256/apps" \
  "$stage/usr/share/mime/packages" "$stage/usr/share/doc/twindeck"
cp -al "$bundle" "$stage/opt/twindeck" 2>/dev/null || cp -a "$bundle" "$stage/opt/twindeck"
ln -s /opt/twindeck/twindeck "$stage/usr/bin/twindeck"
linux="$root_dir/installer/linux"
install -m 644 "$linux/twindeck.desktop" "$linux/twindeck-package.desktop" "$stage/usr/share/applications/"
install -m 644 "$root_dir/assets/icons/twindeck.svg" "$stage/usr/share/icons/hicolor/scalable/apps/"
install -m 644 "$root_dir/assets/icons/twindeck.png" "$stage/usr/share/icons/hicolor/256x256/apps/"
install -m 644 "$linux/twindeck-mime.xml" "$stage/usr/share/mime/packages/twindeck.xml"
install -m 644 "$linux/copyright" "$stage/usr/share/doc/twindeck/copyright"
install -m 755 "$linux/postinst" "$linux/postrm" "$stage/DEBIAN/"
depends="$(grep -v '^#' "$linux/depends.txt" | sed '/^\s*$/d' | paste -sd, | sed 's/,/, /g')"
recommends="libgl1-mesa-dri, fonts-dejavu-core, shared-mime-info, desktop-file-utils"
# video export (imageio-ffmpeg) uses the system's ffmpeg: the bundle leaves its own out
[ -d "$bundle/_internal/imageio_ffmpeg" ] && recommends="$recommends, ffmpeg"
glibc="$(find "$bundle" -type f -name '*.so*' -print0 | xargs -0 objdump -T 2>/dev/null |
  grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1 || true)"
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" \
  -e "s/@INSTALLED_SIZE@/$(du -sk --exclude=DEBIAN "$stage" | cut -f1)/" \
  -e "s/@DEPENDS@/libc6 (>= ${glibc:-2.36}), $depends/" -e "s/@RECOMMENDS@/$recommends/" \
  "$linux/control.in" > "$stage/DEBIAN/control"
chmod -R u+rwX,go+rX,go-w "$stage"
dpkg-deb "${deb_threads[@]}" --root-owner-group -Zxz "-z$xz_level" --build "$stage" "$deb" >/dev/null
deb_s=$(took)

# -- 5b. .tar.gz ----------------------------------------------------------------------------
begin "tarball -> $tarball"
tar -C "$dist" --owner=0 --group=0 --numeric-owner \
  --transform "s,^twindeck,twindeck-${version}," -cf - twindeck | gzip "-$gzip_level" > "$tarball"
tar_s=$(took)

# -- 6. NSIS stand-in -----------------------------------------------------------------------
nsis_s="skipped"
if [ "${TWINDECK_SKIP_NSIS:-0}" != 1 ]; then
  begin "NSIS script against the Linux bundle -> $standin"
  makensis -V2 -DVERSION="$version" -DBUNDLE_DIR="$bundle" -DOUTFILE="$standin" \
    -DCOMPRESSOR="$nsis_compressor" "$root_dir/installer/twindeck.nsi" >&2
  [ -s "$standin" ] || die "makensis wrote no $standin"
  nsis_s=$(took)
fi

# -- report ---------------------------------------------------------------------------------
mb() { [ -e "$1" ] && awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.1f MB", b / 1e6 }' || echo "-"; }
report=(
  "TwinDeck $version ($arch), built $(date -u +%Y-%m-%dT%H:%MZ) with $("$python" -c 'import PyInstaller; print("PyInstaller", PyInstaller.__version__)')"
  "bundle      $bundle  ${bundle_mb} MB (du; ${bundle_unstripped_mb} MB before strip)"
  "deb         $deb  $(mb "$deb")  (xz -$xz_level)"
  "tarball     $tarball  $(mb "$tarball")  (gzip -$gzip_level)"
  "nsis        $standin  $(mb "$standin")  (stand-in, compressor $nsis_compressor)"
  "times (s)   setup ${build_python_s}, pyinstaller ${pyinstaller_s}, strip ${strip_s}, self-test ${selftest_s}, deb ${deb_s}, tar.gz ${tar_s}, nsis ${nsis_s}"
)
printf '%s\n' "${report[@]}" | tee "$dist/build-report.txt"
