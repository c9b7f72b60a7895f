"""Training the conduct classifier: ``metodset conduct train``. Not imported by the bot.

Sources (docs/conduct-model.md records each with its licence):

- the development sets tests/moderation/evaluation.tsv and evaluation_more.tsv (never
  holdout_fresh.tsv: it stays the honest held-out figure), and former_holdout.tsv, the
  held-out set until its figures were seen;
- tests/moderation/training_written.tsv: paraphrases written for training only;
- the same violations re-spelled the way trolls dodge filters (the normaliser's transforms
  in reverse), and clean teaching sentences written here, so lessons on wars, elections
  and religions stay clean;
- optionally a deployment's own moderator decisions (``--decisions``): approved texts as
  clean, rejected ones as the conduct categories their hits named;
- optionally RUSSE-2022's toxic comments (train.tsv only; dev.tsv is the public held-out
  split) for the insult category, their neutral paraphrases as clean.

Deterministic: a fixed split, a seeded generator for the augmentations and full-batch
gradient descent (Adam) in a fixed order, so a seed gives the same weights file.
"""

import csv
import random
import re
import sys
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from moderation import model as model_module
from moderation.model import BUCKETS, CATEGORIES, Floats

# Labels of the evaluation sets that the model learns as one of its categories.
LABEL_CATEGORY = {
    "insult": "insult",
    "obscene": "obscene",
    "hatred": "hatred",
    "racism": "hatred",
    "violence": "violence",
    "politics": "politics",
    "religion": "religion",
    "pupil_data": "pupil_data",
    "spam": "spam",
}
MAX_CLEAN_FLAGGED = 0.003  # per category: seven categories stay under 2% together
MAX_NEUTRAL_FLAGGED = 0.03  # of RUSSE's neutral rewrites, rude often still: a looser bound
THRESHOLD_RANGE = (0.5, 0.95)  # below even odds the model is guessing
ITERATIONS = 250
LEARNING_RATE = 0.05
L2 = 1e-4  # of 1e-6, 1e-4 and 1e-3, the best recall on the development split
VARIANTS = 4  # re-spellings of each violation
FRAGMENTS = 2  # short runs of words cut from each clean text
RUSSE_WEIGHT = 0.3  # a social-media corpus should not outweigh the community's own sets
DECISION_WEIGHT = 2.0  # what this community's moderators decided outweighs the general sets

# Clean sentences a teacher writes that share words with violations.
TEACHING = (
    "На уроке истории разбирали причины Первой мировой войны и убийство эрцгерцога в Сараеве.",
    "Готовим к 9 Мая проект о героях Великой Отечественной войны из нашего района.",
    "В 8 классе изучаем Смутное время: самозванцы, интервенция, ополчение Минина и Пожарского.",
    "Презентация о Сталинградской битве: карта боевых действий и воспоминания ветеранов.",
    "Тема урока — Гражданская война в России, красный и белый террор глазами историков.",
    "На обществознании разбираем, как устроены выборы: избирательная комиссия, бюллетени, явка.",
    "Провели деловую игру «Выборы президента школы», дети писали программы и листовки.",
    "Урок по теме «Политические партии и избирательные системы» для 11 класса, с тестом.",
    "Как объяснить девятиклассникам разделение властей и роль парламента? Поделитесь сценарием.",
    "Модуль ОРКСЭ «Основы православной культуры»: урок о празднике Рождества и его традициях.",
    "В 4 классе на ОРКСЭ родители выбрали модуль «Основы светской этики».",
    "На ОДНКНР говорили о мировых религиях: христианство, ислам, буддизм, иудаизм.",
    "Экскурсия в мечеть и в православный храм в рамках курса религиозной культуры.",
    "В «Ревизоре» городничий называет купцов самоварниками и аршинниками, обсуждали с классом.",
    "Разбирали, как Маяковский в сатирических стихах бранит бюрократов, и что такое гипербола.",
    "Почему Чацкого называют сумасшедшим? Сочинение по «Горю от ума» для 9 класса.",
    "В «Недоросле» Простакова бранит Тришку скотом и болваном: говорим о речевой характеристике.",
    "Пушкинский «Гробовщик»: как автор иронизирует над героями, разбор на уроке литературы.",
    "Урок ОБЗР: как вести себя при угрозе теракта, алгоритм действий и номера экстренных служб.",
    "На биологии изучаем хищников: волк убивает добычу, а это часть пищевой цепи.",
    "Классный час о буллинге: почему нельзя обзывать одноклассников и как попросить помощи.",
    "Разбор задачи: охотник стреляет в мишень, вероятность попадания 0,7.",
    "Коллеги, кто проводил урок о геноциде народов в годы войны? Нужны документы для 10 класса.",
    "Обсуждали с детьми национальные костюмы и кухню народов Поволжья, было очень живо.",
    "Викторина по истории Древнего Рима: восстание Спартака и гладиаторские бои.",
    "Дети спорили о дуэли Пушкина и Дантеса, пришлось объяснять кодекс чести XIX века.",
    "Подготовили стенд к Дню народного единства, история праздника и подвиг ополчения.",
    "Родительское собрание в 7 «Б» переносится на четверг, начало в 18:30.",
    "Ученики 6 класса написали эссе «Почему важно ходить на выборы, когда станешь взрослым».",
    "Проект «Религии мира в архитектуре»: храмы, мечети, пагоды и синагоги на фотографиях.",
    "В «Тарасе Бульбе» отец убивает сына: как обсуждать эту сцену с семиклассниками?",
    "Тема по праву: уголовная ответственность несовершеннолетних за побои и оскорбление.",
    "Словарная работа: слова «дурак» и «глупец» в пословицах, урок русского языка во 2 классе.",
    "Как говорить с подростками о войне, не пугая их? Поделитесь опытом, коллеги.",
    "Сравнивали, как разные страны голосуют на выборах: бюллетени и электронное голосование.",
    "Литература, 10 класс: «Преступление и наказание», мотив убийства и идея Раскольникова.",
    "Учитель физкультуры провёл турнир по боксу среди старшеклассников, все в защитной экипировке.",
    "На уроке музыки слушали «Вставай, страна огромная» и говорили о песнях военных лет.",
    "Шахматный кружок: учимся атаковать короля и жертвовать фигуры ради мата.",
    "Конспект урока о крещении Руси и роли князя Владимира для 6 класса.",
    # words a few letters away from insults and mat: their n-grams must not decide alone
    "Школьные дебаты о правах человека: команды готовят аргументы к пятнице.",
    "Дебют нашего театрального кружка прошёл с аншлагом, спасибо родителям.",
    "Клуб дебатов для старшеклассников: как спорить уважительно и по существу.",
    "Неблагодарный труд — проверять сто тетрадей за вечер, но результат радует.",
    "Учебный план на четверть: страхование жизни и здоровья в курсе финансовой грамотности.",
    "Сказка «Морозко» и «Иван-царевич и серый волк» в постановке младших классов.",
    "Застраховала класс перед поездкой в музей, документы у секретаря.",
    "Хлебопекарня на экскурсии: дети сами лепили булочки и бублики.",
    "Подстраховать ученика на брусьях — обязанность учителя физкультуры.",
    "Скрепка, ручка и тетрадь в клетку: список к первому сентября.",
    # grammar lessons list pronouns and little words that read like a quarrel out of context
    "Личные местоимения я, ты, вы, он, она: склоняем по падежам, 6 класс, карточки.",
    "Предлоги на, в, за, под и союзы и, а, но, да: тренажёр для 3 класса, ответы в конце.",
    "Повелительное наклонение: иди, идите, замолчи, возьми — образуем формы от глаголов.",
    "Обращение и вводные слова: «Ты, Маша, слышишь?» — где ставить запятые, 5 класс.",
    "Частицы не, ни, же, ли, бы: разбираем на примерах из сказок, как они меняют смысл.",
    "Ты или вы: речевой этикет, когда обращаться к взрослому на вы, классный час во 2 классе.",
)


@dataclass(frozen=True, slots=True)
class Sample:
    text: str
    categories: frozenset[str]  # empty: clean for the model
    weight: float
    source: str  # dev, augmented, fragment, teaching, interface, russe, decisions


def development(paths: Iterable[Path]) -> list[Sample]:
    found = []
    for path in paths:
        for line in path.read_text("utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            label, _, text = line.split("\t")
            category = LABEL_CATEGORY.get(label)
            found.append(Sample(text, frozenset({category} if category else ()), 1.0, "dev"))
    return found


def russe(path: Path) -> list[Sample]:
    """RUSSE-2022's train.tsv (or the folder holding it): toxic comments, neutral rewrites."""
    if path.is_dir():
        path = path / "train.tsv"
    found = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            toxic = (row.get("toxic_comment") or "").strip()
            if toxic:
                found.append(Sample(toxic, frozenset({"insult"}), RUSSE_WEIGHT, "russe"))
            neutral = (row.get("neutral_comment1") or "").strip()
            if neutral:
                found.append(Sample(neutral, frozenset(), RUSSE_WEIGHT, "russe"))
    return found


def decided(decisions: Iterable[tuple[str, bool, Iterable[str]]]) -> list[Sample]:
    """Moderators' decisions: (text, approved, the categories its hits named).

    An approval is a clean text, even one the code had flagged (those teach the most). A
    rejection teaches only the categories the model knows; one for quality or spam is left
    out, since nothing in it says which conduct it broke.
    """
    found = []
    for text, approved, categories in decisions:
        if approved:
            found.append(Sample(text, frozenset(), DECISION_WEIGHT, "decisions"))
            continue
        learned = frozenset(LABEL_CATEGORY[c] for c in categories if c in LABEL_CATEGORY)
        if learned:
            found.append(Sample(text, learned, DECISION_WEIGHT, "decisions"))
    return found


_PLACEABLE = re.compile(r"\{[^{}]*\}|<[^<>]+>")


def interface(folder: Path) -> list[Sample]:
    """The bot's own Russian texts (locales/ru), clean: short everyday phrases ("Не
    закрывать", "ничего не нашлось") a model that saw only whole posts scores wildly."""
    found = []
    for path in sorted(folder.glob("*.ftl")):
        for line in path.read_text("utf-8").splitlines():
            key, sep, value = line.partition(" = ")
            if not sep or key.startswith((" ", "#", "-")):
                continue
            text = " ".join(_PLACEABLE.sub(" ", value).split())
            if sum(c.isalpha() for c in text) >= 6:
                found.append(Sample(text, frozenset(), 0.5, "interface"))
    return found


# --- the normaliser's transforms in reverse ------------------------------------------------

_LATIN = str.maketrans("аеорсхукмтн", "aeopcxykmth")
_DIGITS = {"о": "0", "з": "3", "ч": "4", "б": "6", "а": "@", "и": "1", "я": "9", "е": "3"}
_VOWELS = frozenset("аеёиоуыэюя")


def _latin(word: str, rng: random.Random) -> str:
    return "".join(c.translate(_LATIN) if rng.random() < 0.6 else c for c in word)


def _digits(word: str, rng: random.Random) -> str:
    return "".join(_DIGITS[c] if c in _DIGITS and rng.random() < 0.6 else c for c in word)


def _repeats(word: str, rng: random.Random) -> str:
    at = rng.randrange(len(word))
    return word[:at] + word[at] * rng.randint(2, 4) + word[at:]


def _spaced(word: str, rng: random.Random) -> str:
    return (" " * rng.randint(1, 3)).join(word)


def _dotted(word: str, rng: random.Random) -> str:
    return rng.choice(".-_").join(word)


def _invisible(word: str, rng: random.Random) -> str:
    return "\u200b".join(word) if rng.random() < 0.5 else word[:2] + "\u00ad" + word[2:]


def _asterisks(word: str, rng: random.Random) -> str:
    inner = "".join("*" if c in _VOWELS and rng.random() < 0.7 else c for c in word[1:-1])
    return word[0] + inner + word[-1]


EVASIONS = (_latin, _digits, _repeats, _spaced, _dotted, _invisible, _asterisks)


def evade(text: str, rng: random.Random) -> str:
    """The text with one or two of its longer words re-spelled by one evasion."""
    words = text.split(" ")
    long = [i for i, word in enumerate(words) if sum(c.isalpha() for c in word) >= 4]
    if not long:
        return text
    how = rng.choice(EVASIONS)
    for index in rng.sample(long, min(len(long), rng.randint(1, 2))):
        word = words[index]
        core = "".join(c for c in word if c.isalpha())
        words[index] = word.replace(core, how(core.lower(), rng)) if core in word else word
    return " ".join(words)


def augmented(samples: Sequence[Sample], rng: random.Random) -> list[Sample]:
    return [
        Sample(evade(sample.text, rng), sample.categories, 0.5, "augmented")
        for sample in samples
        if sample.source in ("dev", "decisions") and sample.categories
        for _ in range(VARIANTS)
    ]


def fragments(samples: Sequence[Sample], rng: random.Random) -> list[Sample]:
    """Runs of two to four words cut from clean texts, clean too: thread titles and short
    replies are that long, and a model that saw only whole sentences takes a few innocent
    words for the one violation it knows them from."""
    found = []
    for sample in samples:
        words = sample.text.split()
        if sample.categories or len(words) < 4:
            continue
        for _ in range(FRAGMENTS):
            size = rng.randint(2, 4)
            start = rng.randrange(len(words) - size + 1)
            found.append(
                Sample(" ".join(words[start : start + size]), frozenset(), 0.5, "fragment")
            )
    return found


def is_development_split(text: str) -> bool:
    """One text in five, by its hash: where thresholds are chosen and figures measured."""
    return zlib.crc32(text.encode("utf-8")) % 5 == 0


# --- the fit ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Matrix:
    """Samples' features, rows stored one after another (a CSR matrix without scipy)."""

    indices: npt.NDArray[np.int64]
    values: Floats
    starts: npt.NDArray[np.int64]  # where each row begins in indices
    rows: npt.NDArray[np.int64]  # each stored value's row


def matrix(texts: Sequence[str]) -> Matrix:
    indices, values, starts, rows = [], [], [], []
    position = 0
    for row, text in enumerate(texts):
        index, value = model_module.text_features(text)
        if not len(index):  # an empty row would break reduceat: a zero in bucket 0
            index, value = np.zeros(1, np.int64), np.zeros(1, np.float32)
        indices.append(index)
        values.append(value)
        starts.append(position)
        rows.append(np.full(len(index), row, np.int64))
        position += len(index)
    return Matrix(
        np.concatenate(indices),
        np.concatenate(values),
        np.asarray(starts, np.int64),
        np.concatenate(rows),
    )


def logits(weights: Floats, bias: Floats, x: Matrix) -> Floats:
    gathered = weights[x.indices] * x.values[:, None]
    summed: Floats = np.add.reduceat(gathered, x.starts, axis=0) + bias
    return summed


def fit(samples: Sequence[Sample], iterations: int = ITERATIONS) -> tuple[Floats, Floats]:
    """Weights (buckets × categories) and biases by full-batch Adam on the weighted log loss."""
    x = matrix([sample.text for sample in samples])
    y = np.array(
        [[category in sample.categories for category in CATEGORIES] for sample in samples],
        np.float32,
    )
    weight = np.array([sample.weight for sample in samples], np.float32)[:, None]
    positives = (y * weight).sum(axis=0)
    negatives = ((1 - y) * weight).sum(axis=0)
    # rare categories would otherwise learn to say no: positives weigh up to 40 times more
    boost = np.clip(negatives / np.maximum(positives, 1), 1, 40).astype(np.float32)
    weight = weight * (1 + (boost - 1) * y)
    total = float(weight.sum(axis=0).mean())
    w = np.zeros((BUCKETS, len(CATEGORIES)), np.float32)
    b = np.zeros(len(CATEGORIES), np.float32)
    moments = [np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b)]
    beta1, beta2, epsilon = 0.9, 0.999, 1e-8
    for step in range(1, iterations + 1):
        p = 1 / (1 + np.exp(-logits(w, b, x)))
        error = ((p - y) * weight / total).astype(np.float32)
        per_value = error[x.rows] * x.values[:, None]
        grad_w = np.stack(
            [np.bincount(x.indices, per_value[:, c], BUCKETS) for c in range(len(CATEGORIES))],
            axis=1,
        ).astype(np.float32)
        grad_w += L2 * w
        grad_b = error.sum(axis=0)
        for param, grad, first, second in ((w, grad_w, *moments[:2]), (b, grad_b, *moments[2:])):
            first *= beta1
            first += (1 - beta1) * grad
            second *= beta2
            second += (1 - beta2) * grad * grad
            corrected = first / (1 - beta1**step)
            param -= LEARNING_RATE * corrected / (np.sqrt(second / (1 - beta2**step)) + epsilon)
    return w, b


def probabilities(w: Floats, b: Floats, texts: Sequence[str]) -> Floats:
    return (1 / (1 + np.exp(-logits(w, b, matrix(texts))))).astype(np.float32)


def thresholds(scores: Floats, *pools: tuple[npt.NDArray[np.bool_], float]) -> Floats:
    """Per category, the lowest threshold flagging at most the given share of each clean pool."""
    chosen = []
    for c in range(scores.shape[1]):
        above = THRESHOLD_RANGE[0]
        for pool, share in pools:
            ranked = np.sort(scores[pool, c])[::-1]
            allowed = int(share * len(ranked))
            if len(ranked) > allowed:
                above = max(above, float(ranked[allowed]) + 0.01)
        chosen.append(min(above, THRESHOLD_RANGE[1]))
    return np.array(chosen, np.float32)


def report(samples: Sequence[Sample], scores: Floats, chosen: Floats) -> list[str]:
    flagged = scores >= chosen
    lines = []
    for c, category in enumerate(CATEGORIES):
        positive = np.array([category in s.categories for s in samples])
        if positive.any():
            caught = int(flagged[positive, c].sum())
            lines.append(
                f"  {category:<11} threshold {chosen[c]:.2f}  caught {caught}/{positive.sum()}"
            )
    for source in ("dev", "decisions", "russe"):
        of = np.array([s.source == source for s in samples])
        bad = np.array([bool(s.categories) for s in samples]) & of
        good = np.array([not s.categories for s in samples]) & of
        if bad.any() and good.any():
            lines.append(
                f"  {source}: recall {flagged[bad].any(axis=1).mean():.3f}"
                f" on {bad.sum()} violations, false positives"
                f" {flagged[good].any(axis=1).mean():.2%} of {good.sum()} clean"
            )
    return lines


def train(
    development_sets: Sequence[Path],
    corpus: Path | None,
    seed: int,
    out: Path,
    iterations: int = ITERATIONS,
    echo: bool = True,
    decisions: Sequence[Sample] = (),
) -> None:
    rng = random.Random(seed)
    base = development(development_sets)
    base += [Sample(text, frozenset(), 1.0, "teaching") for text in TEACHING]
    base += interface(Path(__file__).resolve().parents[1] / "locales" / "ru")
    base += decisions
    if corpus is not None:
        base += russe(corpus)
    train_part = [s for s in base if not is_development_split(s.text)]
    held = [s for s in base if is_development_split(s.text)]
    say = print if echo else (lambda *_: None)
    say(f"training on {len(train_part)} texts (+ re-spellings), development split {len(held)}")
    if decisions:
        bad = sum(bool(sample.categories) for sample in decisions)
        say(f"  moderators' decisions: {bad} violations, {len(decisions) - bad} clean")
    w, b = fit(train_part + augmented(train_part, rng) + fragments(train_part, rng), iterations)
    scores = probabilities(w, b, [s.text for s in held])
    clean = np.array([not s.categories and s.source != "russe" for s in held])
    neutral = np.array([not s.categories and s.source == "russe" for s in held])
    chosen = thresholds(scores, (clean, MAX_CLEAN_FLAGGED), (neutral, MAX_NEUTRAL_FLAGGED))
    for line in report(held, scores, chosen):
        say(line)
    # The shipped weights learn from every text; the thresholds stay the split's.
    again = random.Random(seed)
    w, b = fit(base + augmented(base, again) + fragments(base, again), iterations)
    model_module.write(out, w.T, b, CATEGORIES, chosen)
    say(f"wrote {out}; thresholds for conduct.toml's [model.thresholds]:")
    for category, value in zip(CATEGORIES, chosen, strict=True):
        say(f"{category} = {value:.2f}")


def main(
    corpus: Path | None,
    seed: int,
    out: Path | None,
    decisions: Iterable[tuple[str, bool, Iterable[str]]] = (),
) -> int:
    root = Path(__file__).resolve().parents[1] / "tests" / "moderation"
    names = (
        "evaluation",
        "evaluation_more",
        "former_holdout",
        "training_written",
        "training_written_2",
    )
    sets = [root / f"{name}.tsv" for name in names]
    if not all(path.exists() for path in sets):
        print("metodset: the development sets are in a source checkout (tests/moderation)")
        return 2
    if corpus is not None and not corpus.exists():
        print(f"metodset: no corpus at {corpus}", file=sys.stderr)
        return 2
    train(sets, corpus, seed, out or model_module.default_path(), decisions=decided(decisions))
    return 0
