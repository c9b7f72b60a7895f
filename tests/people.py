"""The people and chats that several test modules share: the community of mathematicians
that most flows are played in."""

from aiogram.types import Chat

from tests.harness import Person

TEACHER = Person(id=7001, first_name="Мария", username="maria")
MODERATOR = Person(id=7002, first_name="Ольга", username="olga")
SECOND_MODERATOR = Person(id=7003, first_name="Ирина")
READER = Person(id=7004, first_name="Пётр")
MODERATORS_CHAT = Chat(id=-100777, type="supergroup", title="Модераторы математиков")
