"""Ready surveys to start from, in Russian and English: the community effectiveness survey
the regulation asks for (seed 003 §9, with the criteria of §10.2) and the survey of
teachers' professional needs (seed 004 §6.1)."""

from storage.enums import QuestionKind

SCALE, ONE, MANY, TEXT = (
    QuestionKind.SCALE,
    QuestionKind.SINGLE,
    QuestionKind.MULTIPLE,
    QuestionKind.TEXT,
)

TEMPLATES: dict[str, dict[str, dict]] = {
    "effectiveness": {
        "ru": {
            "title": "Оценка эффективности работы сообщества",
            "intro": "Анонимная анкета для всех участников (Положение о сообществе, п. 9). "
            "По её итогам мы скорректируем работу сообщества.",
            "questions": [
                (
                    SCALE,
                    "Насколько в целом вы удовлетворены работой сообщества?",
                    ["совсем нет", "полностью"],
                ),
                (
                    SCALE,
                    "Насколько полезны для вашей работы материалы хранилища сообщества?",
                    ["бесполезны", "очень полезны"],
                ),
                (
                    ONE,
                    "Как часто вы пользуетесь материалами сообщества?",
                    ["Каждую неделю", "Раз в месяц", "Несколько раз в год", "Не пользуюсь"],
                ),
                (
                    MANY,
                    "В каких формах работы сообщества вы участвовали?",
                    [
                        "Семинары и вебинары",
                        "Мастер-классы",
                        "Открытые уроки",
                        "Обсуждения",
                        "Публиковал(а) свои материалы",
                        "Конкурсы",
                    ],
                ),
                (
                    SCALE,
                    "Насколько интересны вам вопросы, которые обсуждаются в сообществе?",
                    ["неинтересны", "очень интересны"],
                ),
                (
                    SCALE,
                    "Насколько понятно сообщество рассказывает о своей деятельности?",
                    ["непонятно", "вполне понятно"],
                ),
                (TEXT, "Что стоит изменить в работе сообщества?", []),
            ],
        },
        "en": {
            "title": "How well the community works",
            "intro": "An anonymous survey of all members (the community's regulation, §9). "
            "Its results will shape how the community works.",
            "questions": [
                (
                    SCALE,
                    "Overall, how satisfied are you with the community's work?",
                    ["not at all", "completely"],
                ),
                (
                    SCALE,
                    "How useful are the community's materials for your work?",
                    ["useless", "very useful"],
                ),
                (
                    ONE,
                    "How often do you use the community's materials?",
                    ["Every week", "Once a month", "A few times a year", "I don't"],
                ),
                (
                    MANY,
                    "Which of the community's activities did you take part in?",
                    [
                        "Seminars and webinars",
                        "Master classes",
                        "Open lessons",
                        "Discussions",
                        "Published my materials",
                        "Contests",
                    ],
                ),
                (
                    SCALE,
                    "How interesting are the questions the community discusses?",
                    ["not interesting", "very interesting"],
                ),
                (
                    SCALE,
                    "How clearly does the community tell about its work?",
                    ["unclear", "very clear"],
                ),
                (TEXT, "What should change in the community's work?", []),
            ],
        },
    },
    "needs": {
        "ru": {
            "title": "Профессиональные потребности педагогов",
            "intro": "Анонимная диагностика профессиональных потребностей (Положение о сетевом "
            "взаимодействии, п. 6.1): по ней мы планируем семинары и мастер-классы.",
            "questions": [
                (
                    MANY,
                    "В каких темах вам нужна методическая помощь?",
                    [
                        "ФГОС и рабочие программы",
                        "Функциональная грамотность",
                        "Цифровые инструменты",
                        "Дети с ОВЗ",
                        "Подготовка к ГИА",
                        "Воспитательная работа",
                        "Проектная деятельность",
                    ],
                ),
                (
                    ONE,
                    "Какая форма повышения квалификации вам удобнее?",
                    [
                        "Очные семинары",
                        "Вебинары",
                        "Мастер-классы",
                        "Стажировки",
                        "Самостоятельно, по материалам",
                    ],
                ),
                (
                    SCALE,
                    "Насколько уверенно вы используете цифровые образовательные ресурсы?",
                    ["не использую", "уверенно"],
                ),
                (
                    ONE,
                    "Ваш педагогический стаж",
                    ["До 3 лет", "3–10 лет", "10–20 лет", "Более 20 лет"],
                ),
                (
                    MANY,
                    "Что мешает вашему профессиональному развитию?",
                    [
                        "Нехватка времени",
                        "Мало информации",
                        "Нет подходящих курсов",
                        "Финансовые ограничения",
                    ],
                ),
                (TEXT, "Какой семинар или мастер-класс вы хотели бы посетить в этом году?", []),
            ],
        },
        "en": {
            "title": "Teachers' professional needs",
            "intro": "An anonymous survey of professional needs (the network regulation, §6.1): "
            "we plan seminars and master classes by it.",
            "questions": [
                (
                    MANY,
                    "On which topics do you need methodical help?",
                    [
                        "Standards and work programmes",
                        "Functional literacy",
                        "Digital tools",
                        "Pupils with special needs",
                        "Exam preparation",
                        "Upbringing",
                        "Project work",
                    ],
                ),
                (
                    ONE,
                    "Which form of professional development suits you best?",
                    [
                        "Seminars in person",
                        "Webinars",
                        "Master classes",
                        "Internships",
                        "On my own, with materials",
                    ],
                ),
                (
                    SCALE,
                    "How confidently do you use digital learning resources?",
                    ["I don't use them", "confidently"],
                ),
                (
                    ONE,
                    "Your teaching experience",
                    ["Under 3 years", "3–10 years", "10–20 years", "Over 20 years"],
                ),
                (
                    MANY,
                    "What holds back your professional growth?",
                    ["Lack of time", "Too little information", "No suitable courses", "Money"],
                ),
                (TEXT, "Which seminar or master class would you like to attend this year?", []),
            ],
        },
    },
}


def template(key: str, locale: str) -> dict:
    """The template in the locale (Russian when there is no such translation)."""
    versions = TEMPLATES[key]
    return versions.get(locale, versions["ru"])
