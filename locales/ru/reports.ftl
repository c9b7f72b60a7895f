# Effectiveness reports (seeds 003 §8–§10, 004 §3.1, §5.4, §6.1)
command-report = Отчёт об эффективности сети
report-no-rights = Отчёты об эффективности формируют координаторы, методисты и модераторы сообществ. Если вам нужен отчёт, обратитесь к координатору сети.
report-pick-scope = 📊 <b>Отчёт об эффективности</b>
    О ком отчёт?
report-page = Страница { $page } из { $pages }
report-scope-network = Сеть в целом
report-scope-network-button = 🌐 Вся сеть
report-scope-community-button = 👥 { $title }
report-pick-period = 📊 <b>{ $scope }</b>
    За какой период?
report-period-month = { $month ->
    [1] Январь
    [2] Февраль
    [3] Март
    [4] Апрель
    [5] Май
    [6] Июнь
    [7] Июль
    [8] Август
    [9] Сентябрь
    [10] Октябрь
    [11] Ноябрь
   *[12] Декабрь
} { $year }{ $current ->
    [yes] {" "}(по сегодня)
   *[no] {""}
}
report-period-quarter = { $quarter ->
    [1] I
    [2] II
    [3] III
   *[4] IV
} квартал { $year }
report-period-academic-year = Учебный год { $first }/{ $last }
report-period-typed = 📅 Свои даты
report-back = ◀️ Назад
report-dates-ask = 📅 <b>{ $scope }</b>
    Напишите первый и последний день периода, например: <code>01.09.2026 – 31.12.2026</code>. Отменить: /cancel
report-dates-format = Не понял даты. Напишите два дня через тире, например: 01.09.2026 – 31.12.2026
report-date-invalid = Такого дня нет в календаре. Проверьте даты, например: 01.09.2026 – 31.12.2026
report-period-reversed = Первый день периода позже последнего. Напишите даты по порядку: 01.09.2026 – 31.12.2026
report-period-too-long = Период длиннее { $years } лет: так много за раз не посчитать. Возьмите период покороче.
report-preparing = Готовлю…

report-card-title = 📊 <b>Отчёт: { $scope }</b>
report-card-period = Период: { $period }; сравнение с { $previous }
report-card-members = 👥 Участников: { $count } ({ $change }); вступили { $joined }, вышли { $left }
report-card-active = 🙋 Активных: { $count } — { $share } (было { $before })
report-card-published = 📚 Опубликовано материалов: { $count } ({ $change }); в среднем { NUMBER($per_week, maximumFractionDigits: 1) } в неделю
report-card-discussions = 💬 Новых тем: { $threads }; ответов: { $replies } ({ $change })
report-card-events = 📅 Мероприятий: { $count }; записались { $going }, пришли { $attended }
report-card-demand = 👁 Просмотров: { $views } ({ $change }); скачиваний: { $downloads }
report-card-satisfaction = ⭐ Опрос «{ $title }»: средняя оценка { NUMBER($mean, maximumFractionDigits: 1) } из { $top }, ответили { $rate }
report-card-satisfaction-hidden = ⭐ Опросов завершено: { $count }; ответов меньше, чем нужно для анонимности, итоги не показываются
report-card-deadlines = ⏰ Отчёты сданы в срок: { $on_time } из { $expected }
report-card-hint = Кнопки ниже: графики, таблица Excel, отчёт в PDF, план работы.
report-change = { $sign }{ $delta }
report-change-same = без изменений

report-button-charts = 📈 Графики
report-button-xlsx = 📗 Excel
report-button-pdf = 📄 PDF
report-button-plan = 🗓 План работы на учебный год
report-button-bank = 👥 Банк данных участников
report-button-other-period = ◀️ Другой период
report-document-caption = { $what } · { $scope } · { $period }
report-what-charts = 📈 Графики
report-what-xlsx = 📗 Отчёт об эффективности (Excel)
report-what-pdf = 📄 Анализ работы сетевого сообщества (PDF)
report-bank-caption = 👥 Банк данных участников · { $scope }: { $count }. Это персональные данные: храните файл только там, где положено по 152-ФЗ.
report-plan-caption = 🗓 План работы · { $scope } · { $period }: мероприятий { $count }

report-network-default = Сетевое сообщество педагогов
report-title-long = Анализ работы сетевого сообщества
report-title-period = за период с { $first } по { $last }
report-prepared = Сформировано { $moment } ({ $zone })
report-page-label = Стр. {"{"}page{"}"} из {"{"}pages{"}"}
report-not-given = не указано
report-sheet-summary = Сводка
report-figure-scope = Охват
report-figure-period = Период
report-column-figure = Показатель
report-column-value = Значение
report-column-count = Количество
report-column-kind = Вид

report-section-composition = Состав участников
report-explain-composition = Сколько педагогов в сообществе на конец периода, сколько вступило и вышло за период; по организациям, должностям и предметам (педагог с двумя предметами учтён в обоих).
report-figure-members = Участников на конец периода
report-figure-joined = Вступили за период
report-figure-left = Вышли за период
report-table-by-organisation = Участники по организациям
report-table-by-position = Участники по должностям
report-table-by-subject = Участники по предметам
report-column-organisation = Организация
report-column-position = Должность
report-column-subject = Предмет

report-section-participation = Активность участников
report-explain-participation = Активный участник — тот, кто за период поделился материалом, провёл экспертизу или модерацию, писал в обсуждениях, пришёл на мероприятие или ответил на опрос (ответы на опрос остаются анонимными: учтён лишь факт участия). Равномерность участия показывает, распределена ли работа между многими: индекс Джини 0 — все одинаково активны, ближе к 1 — почти всё делают немногие.
report-figure-active = Активных участников
report-figure-active-share = Доля активных
report-figure-previous-active = Активных в предыдущем периоде
report-figure-previous-share = Доля активных в предыдущем периоде
report-figure-actions = Всего действий
report-figure-top-decile = Доля действий самых активных 10%
report-figure-gini = Индекс Джини (равномерность участия)
report-table-by-action = Участники по видам активности
report-column-action = Вид активности
report-action-shared = Поделились материалом
report-action-reviewed = Провели экспертизу или модерацию
report-action-posted = Писали в обсуждениях
report-action-attended = Пришли на мероприятие
report-action-answered = Ответили на опрос

report-section-diversity = Разнообразие форм деятельности
report-explain-diversity = Материалы, опубликованные за период, по видам; мероприятия, проведённые за период, по формам; новые темы обсуждений.
report-table-materials-by-kind = Материалы по видам
report-table-events-by-kind = Мероприятия по формам

report-section-discussions = Обсуждения
report-explain-discussions = Обновляемость обсуждений — доля новых тем среди тем, в которых за период были ответы.
report-figure-threads-opened = Новых тем
report-figure-threads-active = Тем с ответами за период
report-figure-replies = Ответов
report-figure-turnover = Обновляемость обсуждений
report-figure-group-messages = Сообщений в группах сообществ

report-section-periodicity = Периодичность публикаций
report-explain-periodicity = Публикации материалов по неделям периода (неделя — семь дней от первого дня периода) и самый долгий перерыв без публикаций.
report-figure-published = Опубликовано материалов
report-figure-per-week = В среднем в неделю
report-figure-longest-gap = Самый долгий перерыв, дней
report-table-per-week = Публикации по неделям
report-column-week = Неделя с
report-column-published = Опубликовано

report-section-informing = Информирование
report-explain-informing = Рассылки, объявления о мероприятиях, приглашения в опросы и напоминания, отправленные за период, и сколько сообщений дошло.
report-figure-messages = Сообщений поставлено в очередь
report-figure-delivered = Доставлено
report-table-informing = Рассылки по видам
report-column-mailing = Вид
report-column-mailings = Рассылок
report-column-messages = Сообщений
report-column-delivered = Доставлено
report-column-failed = Не доставлено
report-column-waiting = Ожидают
report-delivery-broadcast = Рассылки
report-delivery-event = Мероприятия
report-delivery-survey = Опросы
report-delivery-deadline = Напоминания о сроках
report-delivery-digest = Ежемесячные сводки
report-delivery-material = Уведомления о материалах
report-delivery-thread = Уведомления об обсуждениях
report-delivery-no-moderator = Служебные уведомления
report-delivery-post-orphaned = Служебные уведомления

report-section-demand = Востребованность ресурсов
report-explain-demand = Просмотры карточек, скачивания и оценки материалов за период; самые скачиваемые материалы; материалы, которые ещё никто не открыл.
report-figure-views = Просмотров
report-figure-downloads = Скачиваний
report-figure-useful = Оценок «полезно» 👍
report-figure-not-useful = Оценок «не пригодилось» 👎
report-figure-published-total = Материалов в банке на конец периода
report-figure-never-opened = Из них ни разу не открыты
report-table-top-downloaded = Самые скачиваемые материалы
report-column-material = Материал
report-column-downloads = Скачиваний
report-column-views = Просмотров

report-section-repository = Наполнение банка материалов
report-explain-repository = Опубликованные материалы по видам и классам; путь материалов через модерацию: отправлено, одобрено, отклонено, возвращено на доработку, и сколько часов обычно (медиана) проходит до решения.
report-figure-submitted = Отправлено на модерацию
report-figure-approved = Одобрено
report-figure-rejected = Отклонено
report-figure-changes = Возвращено на доработку
report-figure-median-decision = Медиана времени до решения, часов
report-table-published-by-kind = Опубликовано по видам
report-table-published-by-grade = Опубликовано по классам
report-column-grade = Класс

report-section-events = Мероприятия
report-explain-events = Мероприятия, начавшиеся в периоде (без отменённых): формы, места, записи «Приду» и отмеченные организаторами посещения.
report-figure-events-held = Проведено мероприятий
report-figure-events-online = Из них онлайн
report-figure-going = Записались «Приду»
report-figure-attended = Пришли (отмечено организаторами)
report-figure-marked = Мероприятий с отмеченным посещением
report-table-places = Места проведения
report-column-place = Место

report-section-satisfaction = Удовлетворённость
report-explain-satisfaction = Опросы, завершённые в периоде: сколько приглашено и ответило, средние оценки по критериям. Если ответов меньше минимальной группы опроса, итоги не показываются — так сохраняется анонимность.
report-figure-surveys = Опросов завершено
report-table-surveys = Опросы
report-table-survey-averages = Средние оценки: { $title }
report-column-survey = Опрос
report-column-invited = Приглашено
report-column-answered = Ответили
report-column-rate = Доля ответивших
report-column-question = Критерий
report-column-mean = Средняя оценка
report-column-scale = Из
report-survey-hidden = ответов меньше минимальной группы: итоги скрыты

report-section-deadlines = Сроки отчётности
report-explain-deadlines = Сроки сдачи отчётов, пришедшиеся на период: сколько координаторов сдали вовремя, с опозданием и не сдали.
report-figure-deadlines = Сроков в периоде
report-table-deadlines = Сроки сдачи отчётов
report-column-deadline = Отчёт
report-column-due = Срок
report-column-expected = Должны сдать
report-column-on-time = В срок
report-column-late = С опозданием
report-column-missing = Не сдали

report-chart-per-week = Публикации материалов по неделям
report-chart-participation = Участники по видам активности (активных { $active } из { $members })
report-chart-materials = Опубликованные материалы по видам
report-chart-events = Проведённые мероприятия по формам

report-sheet-bank = Банк данных
report-sheet-bank-organisations = По организациям
report-bank-title = Банк данных участников сетевого сообщества: { $count }
report-column-name = ФИО
report-column-communities = Сообщества
report-column-since = В сети с

report-sheet-plan = План работы
report-plan-title = План работы сетевого сообщества на { $period }
report-plan-title-long = План работы сетевого сообщества
report-plan-section = Мероприятия учебного года
report-plan-empty = Мероприятий на этот учебный год пока не запланировано.
report-column-when = Дата и время
report-column-event = Мероприятие
report-column-community = Сообщество
report-column-organiser = Организатор
report-column-status = Статус
report-event-status-published = запланировано
report-event-status-cancelled = отменено

report-digest-intro = 🗓 Ежемесячная сводка за { $period }. Полный отчёт — кнопками ниже или командой /report.
report-deadline-button = 📊 Отчёт за период { $period }
