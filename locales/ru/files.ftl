# The one file policy (storage/files.py): what is refused and why.
file-refused-type = Файл «{ $name }» такого типа не принимается. Подойдут документы (PDF, Word, OpenDocument, RTF, TXT, DjVu), презентации, таблицы, изображения, аудио, видео, файлы интерактивной доски и архивы (ZIP, RAR, 7z) — до { $limit } МБ. Веб-страницы, SVG, программы, скрипты и файлы с макросами не принимаются.
file-refused-size = Файл «{ $name }» слишком большой: { $size }, а можно до { $limit } МБ. Загрузите его в облако и пришлите ссылку.
file-refused-photo-size = Фото слишком большое: { $size }, а можно до { $limit } МБ. Пришлите его файлом или ссылкой.
file-unnamed-document = без названия
file-unnamed-video = видео
file-unnamed-audio = аудио
