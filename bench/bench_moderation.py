"""Conduct-code benchmark: checking 2,000-character texts against the full rule set.

    python bench/bench_moderation.py [--texts 2000] [--length 2000]

Texts are built from the evaluation set's sentences (mostly clean teaching texts, some
violations and evasions mixed in), each shuffled differently. Prints the mean and the
percentiles for a cold engine (every word new to its caches) and a warm one (the words
seen before, as in a living chat), and for plain 2,000-character texts with no hits.
The rules alone first, then rules + the learned model (moderation/model.py), with the
model's cost in resident memory. Figures, not assertions: these machines are shared and noisy.
"""

import argparse
import random
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from moderation import model as model_module
from moderation import normalize as normalize_module
from moderation.engine import ConductCode
from tests.moderation.evaluation import examples


def build_texts(count: int, length: int, seed: int, violation_share: float) -> list[str]:
    rng = random.Random(seed)
    sample = examples()
    clean = [e.text for e in sample if e.label == "clean"]
    bad = [e.text for e in sample if e.label != "clean"]
    texts = []
    for _ in range(count):
        parts: list[str] = []
        size = 0
        while size < length:
            pool = bad if rng.random() < violation_share else clean
            sentence = rng.choice(pool)
            parts.append(sentence)
            size += len(sentence) + 1
        texts.append(" ".join(parts)[:length])
    return texts


def timings(code: ConductCode, texts: list[str]) -> list[float]:
    samples = []
    for text in texts:
        started = time.perf_counter()
        code.check(text)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def line(name: str, samples: list[float]) -> str:
    q = statistics.quantiles(samples, n=100)
    return (
        f"{name:<34} mean {statistics.fmean(samples):6.3f} ms   p50 {q[49]:6.3f}   "
        f"p95 {q[94]:6.3f}   p99 {q[98]:6.3f}"
    )


def clear_caches(code: ConductCode) -> None:
    normalize_module.spellings.cache_clear()
    normalize_module.stem.cache_clear()
    code._word_cache.clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=2000)
    parser.add_argument("--length", type=int, default=2000)
    args = parser.parse_args()

    code = ConductCode(replace(ConductCode.load().rule_set, model=None))  # the rules alone
    mixed = build_texts(args.texts, args.length, seed=1, violation_share=0.1)
    clean = build_texts(args.texts, args.length, seed=2, violation_share=0.0)
    rules = len(code.rules)
    entries = sum(
        len(r.words)
        + len(r.roots)
        + len(r.phrases)
        + len(r.patterns)
        + len(r.case_patterns)
        + sum(len(n.a) + len(n.b) for n in r.near)
        + len(r.allowed_domains)
        for r in code.rules
    )
    print(f"conduct code v{code.version}: {rules} rules, {entries} lexicon entries and patterns")
    print(f"{args.texts} texts of {args.length} characters each, one check per text\n")

    clear_caches(code)
    cold = []
    for text in mixed[:200]:  # each first check with empty caches
        clear_caches(code)
        started = time.perf_counter()
        code.check(text)
        cold.append((time.perf_counter() - started) * 1000)
    print(line("cold caches (every word new)", cold))
    timings(code, mixed)  # warm up
    print(line("warm, 10% of sentences violations", timings(code, mixed)))
    print(line("warm, clean texts only", timings(code, clean)))

    # The same texts through the rules and the learned model (loaded now, for its RSS).
    full = ConductCode.load()
    before = rss_mb()
    started = time.perf_counter()
    loaded = model_module.load()
    print(
        f"\nmodel: {'loaded' if loaded else 'NOT loaded'} in"
        f" {(time.perf_counter() - started) * 1000:.0f} ms, RSS {before:.1f} -> {rss_mb():.1f} MB"
        f" (+{rss_mb() - before:.1f} MB), enabled in the rules: {full.model_settings is not None}"
    )
    # Side by side: each text checked by both, in turn, so both see the same machine.
    for name, texts in (("10% violations", mixed), ("clean only", clean)):
        paired(code, full, texts)  # warm up both
        alone, combined = paired(code, full, texts)
        print(line(f"rules alone, warm, {name}", alone))
        print(line(f"rules + model, warm, {name}", combined))
        ratio = statistics.fmean(combined) / statistics.fmean(alone)
        print(f"{'':<34} rules + model / rules alone: x{ratio:.2f}")
    print(f"RSS after the model's word cache filled: {rss_mb():.1f} MB")


def paired(first: ConductCode, second: ConductCode, texts: list[str]) -> tuple[list[float], ...]:
    a, b = [], []
    for index, text in enumerate(texts):
        order = ((first, a), (second, b)) if index % 2 else ((second, b), (first, a))
        for code, samples in order:
            started = time.perf_counter()
            code.check(text)
            samples.append((time.perf_counter() - started) * 1000)
    return a, b


def rss_mb() -> float:
    """The process's resident set now (Linux), in MB."""
    for row in Path("/proc/self/status").read_text().splitlines():
        if row.startswith("VmRSS:"):
            return int(row.split()[1]) / 1024
    return float("nan")


if __name__ == "__main__":
    main()
