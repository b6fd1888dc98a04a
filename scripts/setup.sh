#!/usr/bin/env bash
# Set up everything TwinDeck needs on a Debian/Ubuntu machine, idempotently:
#   1. system libraries for Qt, VTK (Mesa) and Xvfb   (when root, or with sudo)
#   2. a Python >= 3.12 virtual environment in .venv
#   3. TwinDeck and its dependencies (extras given as arguments, e.g. "test")
#   4. the interface translations (assets/translations/*.ts -> .qm, pyside6-lrelease)
# Usage: scripts/setup.sh [extra ...]
set -euo pipefail

root_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root_dir/.venv"
extras=("$@")

log() { printf '[twindeck setup] %s\n' "$*" >&2; }

apt_packages=(
  xvfb xauth
  libgl1 libegl1 libgl1-mesa-dri libglx-mesa0 libosmesa6
  libxkbcommon0 libxkbcommon-x11-0 libx11-xcb1 libxrender1 libxi6 libxt6 libsm6 libice6
  libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1
  libxcb-xfixes0 libxcb-xinerama0 libxcb-xkb1
  libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0 fonts-dejavu-core
  fonts-noto-cjk
)
# Extra system packages a caller needs (e.g. servers for the test suite).
read -r -a extra_apt <<< "${TWINDECK_EXTRA_APT:-}"

install_system_packages() {
  command -v dpkg-query >/dev/null 2>&1 || { log "not a Debian system: install Qt/Mesa/Xvfb libraries yourself"; return 0; }
  local missing=()
  for pkg in "${apt_packages[@]}" "${extra_apt[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"
    else log "missing system packages (run as root or with sudo to install): ${missing[*]}"; return 0; fi
  fi
  log "installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

find_python() {
  local candidates=("${TWINDECK_PYTHON:-}" python3.13 python3.12 python3)
  for dir in "$HOME"/.pyenv/versions/3.1[2-9]* /usr/local/bin /opt/python*/bin; do
    [ -x "$dir/bin/python3" ] && candidates+=("$dir/bin/python3")
    [ -x "$dir/python3" ] && candidates+=("$dir/python3")
  done
  for py in "${candidates[@]}"; do
    [ -n "$py" ] || continue
    if "$py" -c 'import sys, venv; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
      command -v "$py" 2>/dev/null || echo "$py"; return 0
    fi
  done
  return 1
}

make_venv() {
  if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
    return 0
  fi
  local py
  py="$(find_python)" || { log "TwinDeck needs Python 3.12 or newer; none found (set TWINDECK_PYTHON=/path/to/python3.12)"; exit 1; }
  log "creating virtual environment with $py"
  rm -rf "$venv"
  "$py" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade pip
}

install_python_packages() {
  local spec="." stamp="$venv/.setup-stamp" hash log
  [ ${#extras[@]} -gt 0 ] && spec=".[$(IFS=,; echo "${extras[*]}")]"
  hash="$(sha256sum "$root_dir/pyproject.toml" | cut -c1-16)"
  if [ -f "$stamp" ]; then
    grep -qxF "$spec $hash" "$stamp" && return 0
    # Any install of this pyproject already holds the plain package.
    [ "$spec" = "." ] && grep -q " $hash\$" "$stamp" && return 0
  fi
  log="$(mktemp)"
  log "installing TwinDeck $spec into .venv (log: $log)"
  if ! (cd "$root_dir" && "$venv/bin/python" -m pip install --config-settings editable_mode=lenient -e "$spec") >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    log "pip failed; the full log is $log"
    exit 1
  fi
  rm -f "$log"
  echo "$spec $hash" >> "$stamp"
}

compile_translations() {
  "$venv/bin/python" "$root_dir/scripts/compile_translations.py" >/dev/null ||
    { log "could not compile the translations (pyside6-lrelease); the interface stays in English"; exit 1; }
}

install_system_packages
make_venv
install_python_packages
compile_translations

# Generated assets: the incident package the replay lesson is built on.
make_generated_assets() {
  local package="$root_dir/assets/training/motor_overload.twinpkg"
  [ -f "$package" ] && return 0
  log "making the training lesson's incident package"
  "$venv/bin/python" "$root_dir/scripts/make_lesson_package.py" -o "$package" >/dev/null
}
make_generated_assets
