"""Submitting an item: kind, problem and method (without a method it is an opinion), the
team and its shares (Decimal, summing to 100), attachments (images and PDF, size-limited)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from lms import signals
from lms.accounts.models import User
from lms.core import storage
from lms.errors import Invalid
from lms.extensions import db
from lms.innovation.models import (
    Innovation,
    InnovationAttachment,
    InnovationKind,
    InnovationMember,
    Stage,
)
from lms.innovation.services.common import enterprise_path, get_person, now, transaction

ALLOWED_TYPES = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/webp": (b"RIFF",),
    "application/pdf": (b"%PDF-",),
}


@dataclass
class Upload:
    filename: str
    content_type: str
    data: bytes


def team_from_text(author: User, text: str | None) -> list[tuple[int, str]]:
    """Team lines as typed on a phone, one "工号 比例" per line (e.g. ``E00012 60``)."""
    team: list[tuple[int, str]] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        parts = line.replace("，", " ").replace(",", " ").replace("%", " ").split()
        if not parts:
            continue
        if len(parts) != 2:
            raise Invalid(
                errors={"team": [_("第 %(n)d 行应为“工号 比例”，例如 E00012 60。", n=number)]}
            )
        user_id = db.session.scalar(
            sa.select(User.id).where(User.employee_no == parts[0], User.active.is_(True))
        )
        if user_id is None:
            raise Invalid(errors={"team": [_("第 %(n)d 行的工号找不到。", n=number)]})
        team.append((user_id, parts[1]))
    return team


def review_days(major: bool) -> int:
    config = current_app.config
    if major:
        return int(config.get("INNOVATION_MAJOR_REVIEW_DAYS", 90))
    return int(config.get("INNOVATION_REVIEW_DAYS", 60))


def _shares(author: User, team: list[tuple[int, object]]) -> list[tuple[User, Decimal]]:
    """The team with shares as Decimals; the author alone holds 100 when no team is given."""
    if not team:
        return [(author, Decimal("100"))]
    people: list[tuple[User, Decimal]] = []
    seen: set[int] = set()
    for user_id, raw in team:
        try:
            share = Decimal(str(raw)).quantize(Decimal("0.01"))
            if not share.is_finite():  # NaN and Infinity parse, then break every comparison
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            raise Invalid(errors={"team": [_("贡献比例须为数字。")]}) from None
        if share <= 0 or share > 100:
            raise Invalid(errors={"team": [_("每人的贡献比例须大于 0、不超过 100。")]})
        if user_id in seen:
            raise Invalid(errors={"team": [_("同一人不能重复列入团队。")]})
        seen.add(user_id)
        person = get_person(author, user_id, "team")
        if not person.organization.path.startswith(enterprise_path(author.organization)):
            raise Invalid(errors={"team": [_("找不到这名职工。")]})  # only colleagues
        people.append((person, share))
    if author.id not in seen:
        raise Invalid(errors={"team": [_("团队成员须包括提交人本人。")]})
    total = sum((s for _u, s in people), Decimal("0"))
    if total != Decimal("100"):
        raise Invalid(
            errors={"team": [_("团队贡献比例合计须为 100%%，现在是 %(total)s%%。", total=total)]}
        )
    return people


def _check_upload(upload: Upload) -> None:
    limit = int(current_app.config.get("INNOVATION_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))
    magic = ALLOWED_TYPES.get(upload.content_type)
    if magic is None or not upload.data.startswith(magic):
        raise Invalid(errors={"attachments": [_("附件只能是 JPG、PNG、WebP 图片或 PDF 文件。")]})
    if len(upload.data) > limit:
        raise Invalid(
            errors={
                "attachments": [
                    _("附件不能超过 %(mb)d MB，请压缩后再上传。", mb=limit // (1024 * 1024))
                ]
            }
        )


@transaction
def submit(
    author: User,
    *,
    kind: InnovationKind | str,
    title: str,
    problem: str,
    method: str | None,
    expected_benefit: str | None = None,
    major: bool = False,
    team: list[tuple[int, object]] | None = None,
    attachments: list[Upload] | None = None,
) -> Innovation:
    """File an item for the author's unit. Nothing is written if anything is refused.

    Without a method it is filed as an opinion (not reviewed); the caller tells the author
    why (``opinion_reason``)."""
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    problem = (problem or "").strip()
    method = (method or "").strip() or None
    if not title:
        errors["title"] = [_("请填写标题。")]
    if not problem:
        errors["problem"] = [_("请写明存在的问题：没有问题的建议无法评审。")]
    try:
        kind = InnovationKind(kind)
    except ValueError:
        errors["kind"] = [_("请选择类别。")]
    if errors:
        raise Invalid(errors=errors)
    people = _shares(author, team or [])
    uploads = attachments or []
    if len(uploads) > int(current_app.config.get("INNOVATION_ATTACHMENTS_MAX", 6)):
        raise Invalid(errors={"attachments": [_("附件太多，每项最多 6 个。")]})
    for upload in uploads:
        _check_upload(upload)

    at = now()
    stage = Stage.review if method else Stage.opinion
    item = Innovation(
        kind=kind,
        title=title[:120],
        problem=problem,
        method=method,
        expected_benefit=(expected_benefit or "").strip() or None,
        major=bool(major),
        author_id=author.id,
        organization_id=author.organization_id,
        stage=stage,
        submitted_at=at,
        due_at=at + timedelta(days=review_days(bool(major))) if method else None,
    )
    item.members = [InnovationMember(user_id=u.id, share=s) for u, s in people]
    db.session.add(item)
    db.session.flush()
    for upload in uploads:
        key = storage.save(upload.data)
        db.session.add(
            InnovationAttachment(
                innovation_id=item.id,
                storage_key=key,
                filename=(upload.filename or "file")[-200:],
                content_type=upload.content_type,
                size=len(upload.data),
            )
        )
    db.session.flush()
    signals.emit(
        signals.innovation_submitted,
        innovation_id=item.id,
        organization_id=item.organization_id,
        author_id=author.id,
        stage=stage.value,
    )
    return item


def opinion_reason() -> str:
    return _("您没有写出具体的解决办法，已按“意见”登记，不进入评审。补充办法后可重新提交为建议。")
