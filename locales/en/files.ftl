# The one file policy (storage/files.py): what is refused and why.
file-refused-type = Files like «{ $name }» are not accepted. Documents (PDF, Word, OpenDocument, RTF, TXT, DjVu), presentations, spreadsheets, images, audio, video, interactive whiteboard files and archives (ZIP, RAR, 7z) are fine — up to { $limit } MB. Web pages, SVG, programs, scripts and files with macros are not accepted.
file-refused-size = The file «{ $name }» is too big: { $size }, and the limit is { $limit } MB. Upload it to a cloud drive and send a link.
file-refused-photo-size = The photo is too big: { $size }, and the limit is { $limit } MB. Send it as a file or a link.
file-unnamed-document = untitled
file-unnamed-video = video
file-unnamed-audio = audio
