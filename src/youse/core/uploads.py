"""Checking uploaded evidence: by content, not by the name or type the uploader claims, and by size.

Accepted: JPEG, PNG and PDF, recognised by their first bytes. Returns the accepted files as
(name, content, content type, extension) or raises ValidationError naming each refused file."""

import hashlib
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

KINDS = {
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
    b"%PDF-": ("application/pdf", ".pdf"),
}

Accepted = tuple[str, bytes, str, str]


def max_bytes() -> int:
    """The largest evidence file accepted (setting YOUSE_EVIDENCE_MAX_BYTES, read when used)."""
    return int(getattr(settings, "YOUSE_EVIDENCE_MAX_BYTES", 10 << 20))


def kind_of(head: bytes) -> tuple[str, str] | None:
    for magic, kind in KINDS.items():
        if head.startswith(magic):
            return kind
    return None


def check_files(files: Iterable, limit: int, field: str = "files") -> list[Accepted]:
    accepted: list[Accepted] = []
    errors: list[str] = []
    for f in files:
        name = str(getattr(f, "name", "file"))[:200]
        size = getattr(f, "size", None)
        if size is not None and size > limit:
            errors.append(
                _("%(name)s is %(size)s MB; the limit is %(max)s MB.")
                % {"name": name, "size": f"{size / 1048576:.1f}", "max": f"{limit / 1048576:.0f}"}
            )
            continue
        content = f.read(limit + 1)
        if len(content) > limit:
            errors.append(_("%(name)s is over the size limit.") % {"name": name})
            continue
        kind = kind_of(content[:16])
        if kind is None:
            errors.append(_("%(name)s is not a JPEG, PNG or PDF file.") % {"name": name})
            continue
        accepted.append((name, content, *kind))
    if errors:
        raise ValidationError({field: errors})
    return accepted


def store(model, accepted: list[Accepted], **fields) -> list:
    """Save accepted files as rows of an evidence `model` (fields `file`, `original_name`, `content_type`,
    `size`, `sha256`, and `extension` where it has one), each stored under its content hash so that an
    uploaded name never reaches the file system. `fields` link the rows (exit line, case, report...)."""
    has_extension = any(f.name == "extension" for f in model._meta.fields)
    saved = []
    for name, content, ctype, ext in accepted:
        digest = hashlib.sha256(content).hexdigest()
        row = model(original_name=name, content_type=ctype, size=len(content), sha256=digest, **fields)
        if has_extension:
            row.extension = ext
        row.file.save(f"{digest}{ext}", ContentFile(content), save=False)
        row.save()
        saved.append(row)
    return saved
