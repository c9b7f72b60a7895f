## Applying for a new community (seed 001 §3.1.4)

apply-intro = <b>Заявка на создание сообщества</b>. По положению о сетевом взаимодействии в заявке указываются проблема, ожидаемый результат, срок работы и участники. Заявку рассмотрят координаторы сети. Отменить можно в любой момент: /cancel
apply-ask-title = Шаг { $step } из { $steps }. Название сообщества (от 3 до 120 символов):
apply-ask-area = Шаг { $step } из { $steps }. Предмет или проблемное поле, например «Математика» или «Функциональная грамотность»:
apply-ask-description = Шаг { $step } из { $steps }. Короткое описание для участников (можно пропустить):
apply-ask-problem = Шаг { $step } из { $steps }. Проблема, над которой будет работать сообщество:
apply-ask-expected-result = Шаг { $step } из { $steps }. Ожидаемый результат:
apply-ask-term = Шаг { $step } из { $steps }. Срок работы, например «2026/27 учебный год»:
apply-ask-initial-participants = Шаг { $step } из { $steps }. Участники: педагоги и организации, которые начинают работу:
apply-ask-policy = Шаг { $step } из { $steps }. Как вступать в сообщество?
apply-length-invalid = Нужно от { $min } до { $max } символов, а сейчас { $length }. Попробуйте ещё раз.
apply-command-in-form = Сейчас идёт заполнение заявки. Напишите ответ текстом или нажмите «Отмена».
apply-preview = Проверьте заявку:
apply-summary =
    <b>{ $title }</b>
    Предмет / проблемное поле: { $area }
    Описание: { $description }
    Проблема: { $problem }
    Ожидаемый результат: { $expected_result }
    Срок: { $term }
    Участники: { $participants }
    { $policy }
apply-submit = 📨 Отправить заявку
apply-cancelled = Заявка отменена, ничего не отправлено.
apply-submitted = Заявка «{ $title }» отправлена координаторам. Я сообщу о решении.
apply-review-notice = 🆕 <b>Заявка на создание сообщества</b>. Заявитель: { $name }
apply-approved = 🎉 Сообщество «{ $title }» создано! Вы его модератор.
apply-declined = Заявка на создание сообщества «{ $title }» отклонена.
apply-open-community = Открыть сообщество
apply-none-pending = Заявок на создание сообществ нет.
apply-pending-count = Ожидают решения: { $count } { $count ->
    [one] заявка
    [few] заявки
   *[many] заявок
}.
