"""CSV tables people open in Excel with Russian settings: ";" between the columns (a comma is
the decimal mark there, so Excel splits on ";" and a comma-separated file opens as one
column), UTF-8 with a BOM (else the Cyrillic comes out garbled), and no cell that a
spreadsheet would take for a formula."""

import csv
import io

DELIMITER = ";"


def formula_safe(value: str | int) -> str | int:
    """A spreadsheet must not take a person's "=…" for a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_bytes(header: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=DELIMITER)
    writer.writerow([formula_safe(value) for value in header])
    writer.writerows([formula_safe(value) for value in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
