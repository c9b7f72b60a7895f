"""The conduct code in force, shared by every update of the process.

The rules come from the newest version an admin saved in the database, or from the file
shipped in moderation/rules when nobody has edited them. Another replica's edit is
picked up within ``reload_seconds``; an edit made here takes effect at once.
"""

import time
from collections.abc import Callable
from pathlib import Path

from moderation.engine import ConductCode, Verdict
from moderation.sanctions import FloodGuard
from storage.models import Material
from storage.repositories import Repo
from storage.repositories.materials import ContentCheck, conduct_text

LEARNED = "learned"


class ConductBook:
    def __init__(
        self,
        *,
        reload_seconds: float = 30,
        learned_threshold: float = 0.9,
        learned_min_docs: int = 20,
        model_path: Path | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        self._reload_seconds = reload_seconds
        self._monotonic = monotonic
        self._model_path = model_path  # None: the weights shipped with the package
        self._code = ConductCode.load(model_path=model_path)
        self._version_id: int | None = None
        self._checked_at: float | None = None
        self.learned_threshold = learned_threshold
        self.learned_min_docs = learned_min_docs
        self.flood = FloodGuard()

    async def code(self, repo: Repo) -> ConductCode:
        now = self._monotonic()
        if self._checked_at is not None and now - self._checked_at < self._reload_seconds:
            return self._code
        self._checked_at = now
        version_id = await repo.conduct.latest_version_id()
        if version_id != self._version_id:
            latest = await repo.conduct.latest_version()
            self._code = (
                ConductCode.from_text(latest.text, self._model_path)
                if latest
                else ConductCode.load(model_path=self._model_path)
            )
            self._version_id = version_id
        return self._code

    def invalidate(self) -> None:
        """After an edit here: read the newest version on the next check."""
        self._checked_at = None

    async def check(self, repo: Repo, text: str) -> Verdict:
        return (await self.code(repo)).check(text)

    async def check_material(self, repo: Repo, material: Material) -> ContentCheck:
        """The engine's verdict on everything a member wrote, plus the learned score."""
        text = conduct_text(material)
        verdict = await self.check(repo, text)
        await repo.conduct.record_hits(verdict, "material", material.community_id, material.author)
        hits = tuple(verdict.as_dicts())
        needs_review = verdict.needs_review
        if not verdict.blocked and material.community_id is not None:
            score = await repo.conduct.spam_probability(
                material.community_id, text, self.learned_min_docs
            )
            if score >= self.learned_threshold:
                needs_review = True
                hits += ({"rule": LEARNED, "category": LEARNED, "score": round(score, 3)},)
        return ContentCheck(
            blocked=verdict.blocked,
            needs_review=needs_review,
            hits=hits,
            clauses=verdict.clauses,
            categories=tuple(category.value for category in verdict.categories),
        )
