"""The labelled evaluation set and the figures a test and a benchmark print from it."""

from dataclasses import dataclass, field
from pathlib import Path

from moderation.engine import ConductCode, Verdict

HERE = Path(__file__).parent
# The lexicon was developed against these sets: the first, then the second after a first
# look at it (figures at that first look are in the README), then the former held-out set
# once its figures had been seen while the model was built (docs/conduct-model.md).
EVALUATION_SETS = (
    HERE / "evaluation.tsv",
    HERE / "evaluation_more.tsv",
    HERE / "former_holdout.tsv",
)
# Written apart from the lexicon and the training data on 2026-12-08; never trained or
# tuned on: the honest figure.
HOLDOUT_SET = HERE / "holdout_fresh.tsv"
CLEAN = "clean"


@dataclass(frozen=True, slots=True)
class Example:
    label: str
    variant: str
    text: str
    line: int


def examples(*paths: Path) -> list[Example]:
    found = []
    for path in paths or EVALUATION_SETS:
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            label, variant, text = line.split("\t")
            found.append(Example(label, variant, text, number))
    return found


@dataclass
class Figures:
    violations: int = 0
    caught: int = 0
    clean: int = 0
    false_positives: int = 0
    missed: list[tuple[Example, Verdict]] = field(default_factory=list)
    wrongly_flagged: list[tuple[Example, Verdict]] = field(default_factory=list)
    by_label: dict[str, list[int]] = field(default_factory=dict)  # label -> [caught, total]

    @property
    def recall(self) -> float:
        return self.caught / self.violations

    @property
    def false_positive_rate(self) -> float:
        return self.false_positives / self.clean

    def summary(self) -> str:
        return "\n".join(self.report().splitlines()[: 2 + len(self.by_label)])

    def report(self) -> str:
        lines = [
            f"violations caught: {self.caught}/{self.violations} (recall {self.recall:.3f})",
            f"clean texts flagged: {self.false_positives}/{self.clean} "
            f"(false positives {self.false_positive_rate:.3%})",
        ]
        lines += [
            f"  {label:<11} {caught:>3}/{total:<3}"
            for label, (caught, total) in sorted(self.by_label.items())
        ]
        lines += [f"  missed [{e.label}] {e.text}" for e, _ in self.missed]
        lines += [
            f"  flagged clean: {e.text} <- {[(h.rule, h.fragment) for h in v.hits]}"
            for e, v in self.wrongly_flagged
        ]
        return "\n".join(lines)


def evaluate(code: ConductCode, *paths: Path) -> Figures:
    figures = Figures()
    for example in examples(*paths):
        verdict = code.check(example.text)
        flagged = bool(verdict.hits)
        tally = figures.by_label.setdefault(example.label, [0, 0])
        tally[1] += 1
        if example.label == CLEAN:
            figures.clean += 1
            if flagged:
                figures.false_positives += 1
                figures.wrongly_flagged.append((example, verdict))
            else:
                tally[0] += 1
        else:
            figures.violations += 1
            if flagged:
                figures.caught += 1
                tally[0] += 1
            else:
                figures.missed.append((example, verdict))
    return figures
