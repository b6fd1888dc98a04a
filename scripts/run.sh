#!/usr/bin/env bash
# Set up what is missing, then start TwinDeck (default: the built-in demo workshop).
# Extra arguments go to twindeck, e.g.: scripts/run.sh --fault M07:overload@30
set -euo pipefail
root_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root_dir/scripts/setup.sh"
case " $* " in
  *" --help "*|*" -h "*|*" --version "*) exec "$root_dir/.venv/bin/twindeck" "$@" ;;
esac
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  if command -v xvfb-run >/dev/null 2>&1 && [ -n "${TWINDECK_HEADLESS:-}" ]; then
    exec xvfb-run -a -s "-screen 0 1920x1080x24" "$root_dir/.venv/bin/twindeck" "$@"
  fi
  echo "twindeck: no display found (DISPLAY is not set)." >&2
  echo "  On a desktop, run this from a terminal in your graphical session." >&2
  echo "  Headless, e.g. for a screenshot: TWINDECK_HEADLESS=1 scripts/run.sh --screenshot demo.png --after 90" >&2
  exit 1
fi
exec "$root_dir/.venv/bin/twindeck" "$@"
