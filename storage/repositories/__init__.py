"""Repositories hold the domain operations. They flush but never commit: one commit per update."""

from sqlalchemy.ext.asyncio import AsyncSession

from storage.clock import Clock, utcnow
from storage.repositories.audit import AuditRepo
from storage.repositories.broadcasts import BroadcastRepo
from storage.repositories.cases import CaseRepo
from storage.repositories.communities import CommunityRepo
from storage.repositories.conduct import ConductRepo
from storage.repositories.deadlines import DeadlineRepo
from storage.repositories.events import EventRepo
from storage.repositories.materials import MaterialRepo
from storage.repositories.organisations import OrganisationRepo
from storage.repositories.outbox import OutboxRepo
from storage.repositories.reports import ReportRepo
from storage.repositories.review import ReviewRepo
from storage.repositories.surveys import SurveyRepo
from storage.repositories.threads import ThreadRepo
from storage.repositories.users import UserRepo


class Repo:
    """All repositories over one session, so a use case spans them in one transaction."""

    def __init__(self, session: AsyncSession, clock: Clock = utcnow):
        self.session = session
        self.clock = clock
        self.audit = AuditRepo(session, clock)
        self.users = UserRepo(session, clock, self.audit)
        self.organisations = OrganisationRepo(session, clock)
        self.communities = CommunityRepo(session, clock, self.audit)
        self.conduct = ConductRepo(session, clock, self.audit)
        self.review = ReviewRepo(session, clock)
        self.outbox = OutboxRepo(session, clock)
        self.broadcasts = BroadcastRepo(session, clock)
        self.threads = ThreadRepo(session, clock, self.audit)
        self.events = EventRepo(session, clock, self.audit)
        self.surveys = SurveyRepo(session, clock, self.audit)
        self.deadlines = DeadlineRepo(session, clock, self.audit)
        self.cases = CaseRepo(session, clock, self.audit, self.review)
        self.materials = MaterialRepo(session, clock, self.audit, self.conduct, self.review)
        self.reports = ReportRepo(session, clock, self.audit)


__all__ = ["Repo"]
