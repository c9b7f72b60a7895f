"""The conduct code: normalisation, rules, the engine's verdicts, learning, sanctions.

No Telegram and no database in here: the bot and storage/ call these plain functions.
"""

from moderation.engine import CLEAN, ConductCode, Hit, Verdict
from moderation.rules import Action, Category, GroupAction, RulesError

__all__ = [
    "CLEAN",
    "Action",
    "Category",
    "ConductCode",
    "GroupAction",
    "Hit",
    "RulesError",
    "Verdict",
]
