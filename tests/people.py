"""The people and chats that several test modules share: the community of mathematicians
that most flows are played in."""

from aiogram.types import Chat

from tests.harness import Person

ADMIN = Person(id=900_001, first_name="Админ", username="admin_user")  # in the settings

TEACHER = Person(id=7001, first_name="Мария", username="maria")
MODERATOR = Person(id=7002, first_name="Ольга", username="olga")
SECOND_MODERATOR = Person(id=7003, first_name="Ирина")
READER = Person(id=7004, first_name="Пётр")
MODERATORS_CHAT = Chat(id=-100777, type="supergroup", title="Модераторы математиков")

# the conduct code's linked group and someone from outside the community
GROUP = Chat(id=-100555, type="supergroup", title="Математики района")
STRANGER = Person(id=7101, first_name="Гость", username="guest")

# who runs events (the same id as SHARER, as before they moved here)
METHODIST = Person(id=7401, first_name="Елена")
# the methodists of the broadcast and the survey builder tests
BROADCASTER = Person(id=7501, first_name="Анна")
SURVEYOR = Person(id=7601, first_name="Анна")
# who is in the middle of sharing a material when a menu button is pressed
SHARER = Person(id=7401, first_name="Мария", username="maria_i")

# a teacher who applies for a new community, and the coordinator who decides
APPLICANT = Person(id=4001, first_name="Мария")
COORDINATOR = Person(id=4002, first_name="Елена", username="elena_coord")
