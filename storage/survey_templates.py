"""Ready surveys to start from: the community effectiveness survey the regulation asks for
(seed 003 §9, with the criteria of §10.2) and the survey of teachers' professional needs
(seed 004 §6.1). Their shape lives here; their words, in Russian and English, live in
locales/*/survey_templates.ftl under survey-template-<key>-…"""

from collections.abc import Callable
from typing import Any

from storage.enums import QuestionKind

SCALE, ONE, MANY, TEXT = (
    QuestionKind.SCALE,
    QuestionKind.SINGLE,
    QuestionKind.MULTIPLE,
    QuestionKind.TEXT,
)

# Each question: its kind and, for a choice, how many options it offers.
TEMPLATES: dict[str, list[tuple[QuestionKind, int]]] = {
    "effectiveness": [
        (SCALE, 0),  # overall satisfaction
        (SCALE, 0),  # usefulness of the materials (demand for resources)
        (ONE, 4),  # how often the materials are used
        (MANY, 6),  # forms of work taken part in (even participation)
        (SCALE, 0),  # interest in what is discussed
        (SCALE, 0),  # how the community informs of its work
        (TEXT, 0),  # what to change
    ],
    "needs": [
        (MANY, 7),  # topics that need methodical help
        (ONE, 5),  # preferred form of professional development
        (SCALE, 0),  # confidence with digital resources
        (ONE, 4),  # teaching experience
        (MANY, 4),  # what holds development back
        (TEXT, 0),  # a wished-for seminar
    ],
}


def template(key: str, text: Callable[[str], str]) -> dict[str, Any]:
    """The template in the words ``text`` gives for each key (a Translator):
    {"title", "intro", "questions": [(kind, question, labels or options)]}."""
    prefix = f"survey-template-{key}"
    questions = []
    for number, (kind, options) in enumerate(TEMPLATES[key], 1):
        name = f"{prefix}-q{number}"
        if kind is SCALE:
            extra = [text(f"{name}-low"), text(f"{name}-high")]
        else:
            extra = [text(f"{name}-o{option}") for option in range(1, options + 1)]
        questions.append((kind, text(name), extra))
    return {
        "title": text(f"{prefix}-title"),
        "intro": text(f"{prefix}-intro"),
        "questions": questions,
    }
