"""The conduct code's figures on the evaluation sets are printed at the end of the run
(tests/conftest.py prints FIGURES, also from xdist workers)."""

from tests.conftest import FIGURES

__all__ = ["FIGURES"]
