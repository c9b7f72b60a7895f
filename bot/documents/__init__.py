"""Documents the bot sends as files: charts (PNG), workbooks (XLSX) with native charts, CSV
tables and PDF reports, rendered from plain data (titles, labels, counts, rows of cells) into
bytes.

Nothing here knows of Telegram, the handlers or the scheduler, and no text is translated
here: the caller passes the strings already in the reader's language. Survey results use it
today; effectiveness reports and certificates are meant to share it.
"""
