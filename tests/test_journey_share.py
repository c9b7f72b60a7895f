"""The share journey as a teacher walks it, taps counted (issue 13: at most 6 taps from the
file to "sent for review", no typing)."""

from sqlalchemy import select

from storage.enums import MaterialStatus
from storage.models import Material
from tests.flows import make_community, make_moderator, register
from tests.harness import BotHarness, Person

TEACHER = Person(id=7301, first_name="Мария", username="maria")
MODERATOR = Person(id=7302, first_name="Ольга", username="olga")
MAX_TAPS = 6


class Counter:
    """Taps and typed messages, as a person would count them."""

    def __init__(self, h: BotHarness, person: Person):
        self.h, self.person = h, person
        self.taps = 0
        self.typed = 0

    async def tap(self, label: str) -> None:
        self.taps += 1
        await self.h.tap(self.person, self.h.last_message(self.person.id), label)

    def screen(self) -> str:
        return self.h.last_message(self.person.id).text


async def test_a_file_is_shared_in_at_most_six_taps_without_typing(
    harness: BotHarness, repo
) -> None:
    h = harness
    await register(h, TEACHER)
    await register(h, MODERATOR, full_name="Смирнова Ольга")
    community = await make_community(repo, "Учителя математики")
    await make_moderator(repo, MODERATOR, community)
    await h.send(TEACHER, "/communities")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Учителя математики")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Вступить")

    await h.send(TEACHER, "/share")
    await h.send_document(TEACHER, "Тригонометрические_уравнения.pdf")
    walk = Counter(h, TEACHER)
    await walk.tap("Взять имя файла")
    await walk.tap("Пропустить")  # description
    # One community: it is chosen already, the next question is the kind.
    assert "Вид материала" in walk.screen()
    await walk.tap("План (конспект) урока")
    await walk.tap("Готово")  # grades: none
    await walk.tap("Пропустить")  # tags
    assert walk.screen().startswith("Проверьте карточку материала:")
    assert "Сообщество: Учителя математики" in walk.screen()
    await walk.tap("Отправить")

    assert walk.screen().startswith("📨 Материал «Тригонометрические уравнения» отправлен")
    assert walk.taps <= MAX_TAPS, walk.taps
    assert walk.typed == 0
    repo.session.expire_all()
    stored = await repo.session.scalar(select(Material))
    assert stored.status is MaterialStatus.PENDING
    assert stored.community_id == community.id
    assert h.last_message(MODERATOR.id).html_text.startswith("📨 <b>Материал на проверку</b>")
