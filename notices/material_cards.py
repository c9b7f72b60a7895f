"""How a material looks in a message (the same card for authors, readers and moderators),"""

from bot.i18n import Translator
from notices.texts import person
from storage.enums import ContentType
from storage.models import Material

DESCRIPTION_PREVIEW = 600


def file_size_text(i18n: Translator, size: int | None) -> str:
    """391 Б, 12 КБ, 3,4 МБ, 2 ГБ: the unit that fits, the number in the reader's locale."""
    size = size or 0
    # Below 1000 of a unit, so no number needs a thousands separator.
    if size < 1000:
        return i18n("file-size-bytes", size=size)
    if size < 1000 * 1024:
        return i18n("file-size-kilobytes", size=size / 1024)
    if size < 1000 * 1024 * 1024:
        return i18n("file-size-megabytes", size=size / 1024 / 1024)
    return i18n("file-size-gigabytes", size=size / 1024 / 1024 / 1024)


def grades_text(i18n: Translator, grades: list[int]) -> str:
    if not grades:
        return i18n("grades-any")
    return ", ".join(i18n("grade-short", grade=g) for g in sorted(grades))


def render_material(i18n: Translator, material: Material, *, counters: bool = False) -> str:
    author = material.author
    organisation = author.organisation.name if author.organisation else ""
    lines = [i18n("material-card-title", title=material.title or i18n("share-untitled"))]
    if material.expert_verdict is not None:
        lines.append(i18n(f"material-card-expert-{material.expert_verdict.value}"))
    if material.kind:
        lines.append(i18n(f"kind-{material.kind.value}"))
    if material.community:
        lines.append(i18n("material-card-community", title=material.community.title))
    lines.append(i18n("material-card-grades", grades=grades_text(i18n, material.grades or [])))
    if material.tags:
        lines.append(" ".join(f"#{tag.replace(' ', '_')}" for tag in material.tags))
    if material.description:
        description = material.description
        if len(description) > DESCRIPTION_PREVIEW:
            description = description[: DESCRIPTION_PREVIEW - 1] + "…"
        lines.append("")
        lines.append(i18n("material-card-description", text=description))
    if material.content_type is ContentType.LINK and material.url:
        lines.append(i18n("material-card-link", url=material.url))
    elif material.content_type is ContentType.TEXT and material.body:
        body = (
            material.body
            if len(material.body) <= DESCRIPTION_PREVIEW
            else material.body[:DESCRIPTION_PREVIEW] + "…"
        )
        lines.append(i18n("material-card-description", text=body))
    elif material.content_type in (ContentType.DOCUMENT, ContentType.PHOTO, ContentType.VIDEO):
        lines.append(
            i18n(
                f"material-card-file-{material.content_type.value}",
                name=material.file_name or "",
                size=file_size_text(i18n, material.file_size),
            )
        )
    lines.append("")
    lines.append(
        i18n(
            "material-card-author",
            name=person(i18n, author),
            organisation=organisation or "—",
        )
    )
    if counters:
        lines.append(
            i18n(
                "material-card-counters",
                views=material.views,
                downloads=material.downloads,
                useful=material.useful,
                not_useful=material.not_useful,
            )
        )
    return "\n".join(lines)
