"""The type check runs with the tests: `python -m pytest` (the CI command) fails on a mypy error.

mypy reads its settings from pyproject.toml ([tool.mypy]): every package checked,
storage/, moderation/ and notices/ strictly. Its cache (.mypy_cache, git-ignored) makes a
second run take a few seconds.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_finds_no_errors() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-color-output", "--no-error-summary"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, "mypy found errors:\n" + result.stdout + result.stderr
