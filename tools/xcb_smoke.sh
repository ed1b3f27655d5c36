#!/usr/bin/env bash
# Smoke test of the real window system. The tests run Qt offscreen, which cannot see a missing xcb library; this
# checks that Qt's xcb platform plugin finds every shared library it loads (ldd), then starts the application under
# Xvfb with QT_QPA_PLATFORM=xcb and waits until its first window ("Box office — sessions") is mapped and visible.
#
#   tools/xcb_smoke.sh [python]        # default: .venv/bin/python; exit 0 when the window mapped, 1 when not
#
# Needs xvfb (xvfb-run, Xvfb) and xdotool. The application uses the servers of BOXOFFICE_DATABASE_URL /
# BOXOFFICE_REDIS_URL, or the embedded ones (in a scratch data dir unless BOXOFFICE_DATA_DIR is set).
# XCB_SMOKE_THEN: a regular expression of a second window's title to wait for as well (the sign-in dialog, once
# the servers answer: "^Box office .*sign in$|^Empty database$"). XCB_SMOKE_TIMEOUT: seconds per window (60).
# XCB_SMOKE_SCREENSHOT: a PNG path for a screenshot of the screen at the end (ImageMagick's import).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${1:-${PYTHON:-.venv/bin/python}}
TIMEOUT=${XCB_SMOKE_TIMEOUT:-60}
FIRST='^Box office .*sessions$'

say() { echo "xcb smoke: $*" >&2; }

if [ -z "${XCB_SMOKE_INNER:-}" ]; then
  for tool in xvfb-run Xvfb xdotool; do
    command -v "$tool" >/dev/null || { say "$tool is missing (apt-get install xvfb xdotool)"; exit 1; }
  done
  plugin=$("$PYTHON" -c 'import os, PySide6; print(os.path.join(os.path.dirname(PySide6.__file__), "Qt", "plugins", "platforms", "libqxcb.so"))')
  [ -f "$plugin" ] || { say "no xcb platform plugin at $plugin"; exit 1; }
  missing=$(ldd "$plugin" | awk '/not found/ {print $1}' | sort -u | tr '\n' ' ')
  if [ -n "$missing" ]; then
    say "Qt's xcb plugin cannot load; missing libraries: $missing"
    say "install: apt-get install libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xinerama0 libxkbcommon-x11-0"
    exit 1
  fi
  say "ldd: every library of $(basename "$plugin") found"
  export XCB_SMOKE_INNER=1
  exec xvfb-run -a -s "-screen 0 1280x800x24" "$0" "$PYTHON"
fi

# -- inside Xvfb ----------------------------------------------------------------------------------------------------
scratch=$(mktemp -d)
chmod 755 "$scratch"  # as root the embedded PostgreSQL runs as another user: it must reach its data dir
app=""
cleanup() {
  if [ -n "$app" ] && kill -0 "$app" 2>/dev/null; then
    kill -TERM "$app" 2>/dev/null || true
    for _ in $(seq 1 600); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$app" 2>/dev/null || true
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT
export BOXOFFICE_DATA_DIR=${BOXOFFICE_DATA_DIR:-$scratch/data}
export BOXOFFICE_LANG=en QT_QPA_PLATFORM=xcb
unset QT_QPA_PLATFORM_PLUGIN_PATH
"$PYTHON" main.py >"$scratch/app.out" 2>&1 &
app=$!

wait_for() {  # a visible window whose title matches $1, within $TIMEOUT seconds
  timeout "$TIMEOUT" xdotool search --sync --onlyvisible --name "$1" 2>/dev/null | head -1
}

fail() {
  say "$1"
  say "the application's output:"
  sed 's/^/  | /' "$scratch/app.out" >&2
  exit 1
}

id=$(wait_for "$FIRST") || true
[ -n "$id" ] || fail "no window titled /$FIRST/ mapped within $TIMEOUT s (platform xcb, display $DISPLAY)"
say "first window mapped: $(xdotool getwindowname "$id") (window $id, $(xdotool getwindowgeometry "$id" | awk '/Geometry/ {print $2}'))"
if [ -n "${XCB_SMOKE_THEN:-}" ]; then
  id=$(wait_for "$XCB_SMOKE_THEN") || true
  [ -n "$id" ] || fail "no window titled /$XCB_SMOKE_THEN/ mapped within $TIMEOUT s"
  say "then: $(xdotool getwindowname "$id") (window $id)"
fi
if [ -n "${XCB_SMOKE_SCREENSHOT:-}" ] && command -v import >/dev/null; then
  import -window root "$XCB_SMOKE_SCREENSHOT" && say "screenshot $XCB_SMOKE_SCREENSHOT"
fi
kill -0 "$app" 2>/dev/null || fail "the application ended on its own"
kill -TERM "$app"
for _ in $(seq 1 600); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$app" 2>/dev/null; then fail "the application did not end within 60 s of SIGTERM"; fi
code=0
wait "$app" || code=$?
app=""
[ "$code" = 0 ] || fail "the application exited with $code after SIGTERM"
say "ok: the application started on xcb, mapped its window and ended cleanly"
