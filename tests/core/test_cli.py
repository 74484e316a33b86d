import subprocess
import sys


def test_it_accepts_hyphenated_command_names():
    result = subprocess.run(
        [sys.executable, "-m", "youse.cli", "export-stats", "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "export_stats" in result.stdout or "--period" in result.stdout


def test_it_still_reports_unknown_commands():
    result = subprocess.run(
        [sys.executable, "-m", "youse.cli", "no-such-thing"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "Unknown command" in result.stderr
