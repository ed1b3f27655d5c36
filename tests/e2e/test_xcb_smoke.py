"""The window on a real X server (issue 13, item 12): tools/xcb_smoke.sh checks with ldd that Qt's xcb platform plugin
finds every library it loads, starts the application under Xvfb with QT_QPA_PLATFORM=xcb and waits for its first
window to map, then for the sign-in dialog (the servers answered). The offscreen tests cannot see a missing
libxcb-icccm4 or libxcb-keysyms1; this can (`.ci/run` runs the same script through `make smoke`)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from boxoffice.domain.values import SessionInfo
from tests.conftest import ROOT

SCRIPT = ROOT / "tools" / "xcb_smoke.sh"
NEEDED = ("xvfb-run", "Xvfb", "xdotool", "ldd")

pytestmark = pytest.mark.skipif(not all(shutil.which(tool) for tool in NEEDED),
                                reason="needs Xvfb, xdotool and ldd (apt-get install xvfb xdotool)")


def test_the_first_window_maps_on_xcb_under_xvfb(env: dict[str, str], session: SessionInfo, tmp_path: Path) -> None:
    run_env = {**env, "BOXOFFICE_DATA_DIR": str(tmp_path), "XCB_SMOKE_TIMEOUT": "90",
               "XCB_SMOKE_THEN": "^Box office .*sign in$"}
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "XCB_SMOKE_INNER"):
        run_env.pop(name, None)
    done = subprocess.run(["bash", str(SCRIPT), sys.executable], env=run_env, cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "every library of libqxcb.so found" in done.stderr
    assert "first window mapped: Box office — sessions" in done.stderr
    assert "then: Box office — sign in" in done.stderr
    assert "ended cleanly" in done.stderr
