"""What a published list (名单) holds: its rows, its columns and its names.

Two lists: the honour roll (every granted title) and, for evaluation programmes, the exposure list (applications
published as serious breaches of trust). Rows come from one query each, streamed with a server-side cursor; the
writers (certificates.spreadsheets, certificates.list_pdf) turn them into files.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from awards.models import Application, ApplicationStatus, Program
from certificates.kinds import ListFormat, ListKind
from certificates.models import Certificate

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
)
# The exposure list grants nothing: no title, no certificate.
_NOT_ON_EXPOSURE = frozenset({"title", "serial"})

LIST_LABELS = {ListKind.HONOURS: "授予称号名单", ListKind.EXPOSURE: "严重失信企业名单"}


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
    return Certificate.objects.filter(program=program)


def _exposed(program: Program):
    return Application.objects.filter(program=program, status=ApplicationStatus.EXPOSED)


def honour_roll_rows(program: Program) -> Iterator[ListRow]:
    """Every title granted in the programme, whatever its status since, by district and serial."""
    query = (
        _honour_roll(program)
        .order_by("enterprise__district__code", "serial")
        .values_list(*_TITLE_HOLDER_FIELDS, "title", "application__result__tier", "serial")
    )
    for *enterprise, title, tier, serial in query.iterator(chunk_size=_FETCH):
        yield ListRow(*enterprise, title=title, tier=tier or "", serial=serial)


def exposure_rows(program: Program) -> Iterator[ListRow]:
    """Applications published as serious breaches of trust, by district and name."""
    query = (
        _exposed(program)
        .order_by("enterprise__district__code", "enterprise__name", "pk")
        .values_list(*_ENTERPRISE_FIELDS, "result__tier")
    )
    for *enterprise, tier in query.iterator(chunk_size=_FETCH):
        yield ListRow(*enterprise, title="", tier=tier or "", serial="")


def list_rows(program: Program, which: ListKind = ListKind.HONOURS) -> Iterator[ListRow]:
    which = ListKind(which)
    return honour_roll_rows(program) if which == ListKind.HONOURS else exposure_rows(program)


def list_length(program: Program, which: ListKind = ListKind.HONOURS) -> int:
    """How many rows the list has, for a job's progress."""
    which = ListKind(which)
    return (_honour_roll(program) if which == ListKind.HONOURS else _exposed(program)).count()


def list_columns(which: ListKind, *, grouped: bool = False) -> tuple[tuple[str, str], ...]:
    """The columns of a list; `grouped` drops the district column where district headings group the rows."""
    return tuple(
        (key, heading)
        for key, heading in COLUMNS
        if not (which == ListKind.EXPOSURE and key in _NOT_ON_EXPOSURE) and not (grouped and key == "district")
    )


def cells(number: int, row: ListRow, keys: tuple[str, ...]) -> tuple[Any, ...]:
    """The values of one row in the order of `keys`; "number" is the row's place on the list."""
    return tuple(number if key == "number" else getattr(row, key) for key in keys)


# --- names --------------------------------------------------------------------------------------------------------


def list_title(program: Program, which: ListKind = ListKind.HONOURS) -> str:
    """The heading of the list, e.g. 2027年度诚信经营示范单位名单."""
    if which == ListKind.EXPOSURE:
        return f"{program.year}年度严重失信企业名单"
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
