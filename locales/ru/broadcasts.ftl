# Broadcasts: free announcements from methodists and admins
command-broadcast = Рассылка участникам
broadcast-ask-audience = Кому отправить? Отметьте сообщества или «Всем участникам» и нажмите «Далее».
broadcast-everyone = Всем участникам
broadcast-next-button = Далее ▶
broadcast-choose-audience = Отметьте хотя бы одно сообщество.
broadcast-ask-content = Пришлите текст объявления (до { $max } символов) или файл с подписью. /cancel — отменить.
broadcast-text-length = Текст — от 1 до { $max } символов.
broadcast-caption-length = Подпись к файлу — до { $max } символов.
broadcast-content-kind = Пришлите текст или файл (документом); фото и голосовые рассылка не принимает.
broadcast-ask-when = Когда отправить? Нажмите «Сейчас» или напишите дату и время, например 20.12.2026 10:00.
broadcast-now-button = 📣 Сейчас
broadcast-preview = ☝️ Так объявление увидят участники.
    Кому: { $audience }
    Получателей: { $count }
    Когда: { $when ->
        [now] сразу
       *[other] { $when }
    }
broadcast-send-button = ✅ Отправить ({ $count })
broadcast-file-title = файл
broadcast-queued = 📣 Рассылка начата, получателей: { $count }. Ход отправки — в этом сообщении.
broadcast-scheduled = 🕒 Рассылка запланирована на { $when }, получателей: { $count }.
broadcast-stop-button = ⏹ Остановить
broadcast-stopped = Рассылка остановлена; не отправлено: { $count }.
