"""What a published list (名单) holds: its rows, its columns, its notes and its names.

Three lists: the honour roll (every title granted and not revoked, with its status on the day of printing), the
revocations (every revoked title, with the day it was revoked) and, for evaluation programmes, the exposure list
(applications published as serious breaches of trust). A title's status is the one rule, `title_status`. Rows come
from one query each, streamed with a server-side cursor; the writers (certificates.spreadsheets,
certificates.list_pdf) turn them into files, with the notes under the table.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from awards.models import Application, ApplicationStatus, Program
from certificates.kinds import ListFormat, ListKind
from certificates.models import Certificate, CertificateEvent, CertificateStatus, title_status

# The columns of every format, in order, with their headings: an official document's wording, hence Chinese.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("number", "序号"),
    ("district", "所在区县"),
    ("enterprise", "企业名称"),
    ("uscc", "统一社会信用代码"),
    ("industry", "所属行业"),
    ("title", "称号"),
    ("tier", "信用等级"),
    ("serial", "证书编号"),
    ("status", "状态"),
    ("revoked_on", "撤销日期"),
)
# The exposure list grants nothing: no title, no certificate, no title's status.
_NOT_ON = {
    ListKind.HONOURS: frozenset({"revoked_on"}),
    ListKind.REVOKED: frozenset({"tier", "status"}),
    ListKind.EXPOSURE: frozenset({"title", "serial", "status", "revoked_on"}),
}

LIST_LABELS = {
    ListKind.HONOURS: "授予称号名单",
    ListKind.REVOKED: "撤销称号名单",
    ListKind.EXPOSURE: "严重失信企业名单",
}

# A title's status as the lists print it: an official document's wording, the same words as the pages' Chinese.
STATUS_WORDS = {
    CertificateStatus.PENDING: "尚未生效",
    CertificateStatus.VALID: "有效",
    CertificateStatus.SUSPENDED: "已暂停",
    CertificateStatus.REVOKED: "已撤销",
    CertificateStatus.EXPIRED: "已过期",
}


@dataclass(frozen=True, slots=True)
class ListRow:
    """One enterprise on a published list."""

    district: str
    district_code: str
    enterprise: str
    uscc: str
    industry: str
    title: str
    tier: str  # "A".."D", or "" without a result
    serial: str  # "" on the exposure list
    status: str = ""  # the title's status in words (status_words) on the honour roll
    revoked_on: datetime.date | None = None  # on the list of revocations


# --- rows ---------------------------------------------------------------------------------------------------------

# values_list() instead of model instances: one joined query, and 10,000 rows cost tuples rather than 40,000 objects.
_ENTERPRISE_FIELDS = (
    "enterprise__district__name",
    "enterprise__district__code",
    "enterprise__name",
    "enterprise__uscc",
    "enterprise__industry__name",
)
_FETCH = 2000


# A title vouches for the enterprise as it was at the grant: its own copy of the name and the code.
_TITLE_HOLDER_FIELDS = (
    "enterprise__district__name",
    "enterprise__district__code",
    "enterprise_name",
    "enterprise_uscc",
    "enterprise__industry__name",
)


def _honour_roll(program: Program):
    # A revoked title is never printed again as granted: the list of revocations names it, and a note says so.
    return Certificate.objects.filter(program=program).exclude(status=CertificateStatus.REVOKED)


def _revoked(program: Program):
    return Certificate.objects.filter(program=program, status=CertificateStatus.REVOKED)


def _revoked_at() -> Subquery:
    """When a title was revoked: the first revocation event with no restore after it (an appeal dismissed later
    records the revocation again, which does not move its date)."""
    later_restore = CertificateEvent.objects.filter(certificate=OuterRef("certificate"), at__gt=OuterRef("at")).exclude(
        status=CertificateStatus.REVOKED
    )
    revocations = CertificateEvent.objects.filter(certificate=OuterRef("pk"), status=CertificateStatus.REVOKED)
    return Subquery(revocations.exclude(Exists(later_restore)).order_by("at", "pk").values("at")[:1])


def _exposed(program: Program):
    # Repaired entries and those past their display period are left out, by today's date (evaluations.repair).
    from evaluations.repair import still_displayed  # evaluations builds on certificates: imported when used

    return Application.objects.filter(still_displayed(), program=program, status=ApplicationStatus.EXPOSED)


def status_words(status: str, valid_from: datetime.date) -> str:
    """A title's status as a list prints it; a title not yet in force says from when, e.g. 尚未生效（2027年3月15日起）."""
    words = STATUS_WORDS[CertificateStatus(status)]
    return f"{words}（{written_date(valid_from)}起）" if status == CertificateStatus.PENDING else words


def honour_roll_rows(program: Program, today: datetime.date | None = None) -> Iterator[ListRow]:
    """Every title granted in the programme and not revoked, with its status on `today`, by district and serial."""
    today = today or timezone.localdate()
    query = (
        _honour_roll(program)
        .order_by("enterprise__district__code", "serial")
        .values_list(
            *_TITLE_HOLDER_FIELDS, "title", "application__result__tier", "serial", "status", "valid_from", "valid_until"
        )
    )
    for *enterprise, title, tier, serial, recorded, valid_from, valid_until in query.iterator(chunk_size=_FETCH):
        status = status_words(title_status(recorded, valid_from, valid_until, today), valid_from)
        yield ListRow(*enterprise, title=title, tier=tier or "", serial=serial, status=status)


def revoked_rows(program: Program) -> Iterator[ListRow]:
    """Every revoked title of the programme with the day it was revoked, by district and serial."""
    query = (
        _revoked(program)
        .annotate(revoked_at=_revoked_at())
        .order_by("enterprise__district__code", "serial")
        .values_list(*_TITLE_HOLDER_FIELDS, "title", "serial", "revoked_at")
    )
    for *enterprise, title, serial, revoked_at in query.iterator(chunk_size=_FETCH):
        revoked_on = timezone.localdate(revoked_at) if revoked_at else None
        yield ListRow(*enterprise, title=title, tier="", serial=serial, revoked_on=revoked_on)


def exposure_rows(program: Program) -> Iterator[ListRow]:
    """Applications published as serious breaches of trust, by district and name."""
    query = (
        _exposed(program)
        .order_by("enterprise__district__code", "enterprise__name", "pk")
        .values_list(*_ENTERPRISE_FIELDS, "result__tier")
    )
    for *enterprise, tier in query.iterator(chunk_size=_FETCH):
        yield ListRow(*enterprise, title="", tier=tier or "", serial="")


def list_rows(
    program: Program, which: ListKind = ListKind.HONOURS, today: datetime.date | None = None
) -> Iterator[ListRow]:
    which = ListKind(which)
    if which == ListKind.HONOURS:
        return honour_roll_rows(program, today)
    return revoked_rows(program) if which == ListKind.REVOKED else exposure_rows(program)


def list_length(program: Program, which: ListKind = ListKind.HONOURS) -> int:
    """How many rows the list has, for a job's progress."""
    which = ListKind(which)
    queries = {ListKind.HONOURS: _honour_roll, ListKind.REVOKED: _revoked, ListKind.EXPOSURE: _exposed}
    return queries[which](program).count()


def list_notes(program: Program, which: ListKind = ListKind.HONOURS, today: datetime.date | None = None) -> list[str]:
    """The notes printed under a list: what it leaves out, and as of which day."""
    which = ListKind(which)
    if which == ListKind.EXPOSURE:
        return []
    today = today or timezone.localdate()
    revoked = _revoked(program).count()
    if which == ListKind.REVOKED:
        return [f"截至{written_date(today)}，本活动共撤销{revoked}个称号。"]
    if not revoked:
        return []
    return [f"截至{written_date(today)}，已撤销的{revoked}个称号未列入本名单，见撤销称号名单。"]


def list_columns(which: ListKind, *, grouped: bool = False) -> tuple[tuple[str, str], ...]:
    """The columns of a list; `grouped` drops the district column where district headings group the rows."""
    left_out = _NOT_ON[ListKind(which)]
    return tuple(
        (key, heading) for key, heading in COLUMNS if key not in left_out and not (grouped and key == "district")
    )


def cells(number: int, row: ListRow, keys: tuple[str, ...]) -> tuple[Any, ...]:
    """The values of one row in the order of `keys`; "number" is the row's place on the list."""
    return tuple(number if key == "number" else getattr(row, key) for key in keys)


# --- names --------------------------------------------------------------------------------------------------------


def list_title(program: Program, which: ListKind = ListKind.HONOURS) -> str:
    """The heading of the list, e.g. 2027年度诚信经营示范单位名单."""
    if which == ListKind.EXPOSURE:
        return f"{program.year}年度严重失信企业名单"
    if which == ListKind.REVOKED:
        return f"{program.official_title}撤销称号名单"
    return f"{program.official_title}名单"


def written_date(date: datetime.date) -> str:
    """2027年3月15日, as dates are written in the body of a notice."""
    return f"{date.year}年{date.month}月{date.day}日"


_UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def list_filename(program: Program, fmt: ListFormat, which: ListKind = ListKind.HONOURS) -> str:
    """A Chinese file name, e.g. 2027年度诚信经营示范单位评选_授予称号名单.pdf."""
    fmt, which = ListFormat(fmt), ListKind(which)
    stem = _UNSAFE_IN_FILE_NAMES.sub("_", f"{program.title}_{LIST_LABELS[which]}").strip(" .")
    return f"{stem}.{fmt.value}"


def ascii_filename(program: Program, fmt: ListFormat, which: ListKind = ListKind.HONOURS) -> str:
    """The file name for clients that ignore filename*: the programme's short name is ASCII already."""
    return f"{program.slug}-{ListKind(which).value}.{ListFormat(fmt).value}"
