"""Prints the conduct code's figures on the evaluation sets at the end of the run."""

import pytest

FIGURES: dict[str, str] = {}


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for name, report in FIGURES.items():
        terminalreporter.write_sep("-", f"conduct code: {name}")
        terminalreporter.write_line(report)
