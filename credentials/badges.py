"""Open Badges 3.0: each title as a signed W3C Verifiable Credential (OpenBadgeCredential), and its issuer's profile.

A credential says what the certificate says (holder as granted, by name and unified social credit code, title,
programme, validity) and points at the two status lists for what may change later (suspension, revocation).
It is signed with the key ring's current key by a Data Integrity proof (eddsa-jcs-2022) that names the key in
the issuer's profile, which lists every key of the ring: a credential signed before a rotation keeps verifying.
The content is the official Chinese wording of the titles, whatever the reader's language, like the certificate.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from awards.models import Program, ProgramKind
from certificates.models import Certificate
from credentials import data_integrity, status_list
from credentials.status_list import absolute

CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
# A controller's verification methods (Multikey, assertionMethod) are defined by W3C Controlled Identifiers v1.0.
PROFILE_CONTEXT = [*CONTEXT, "https://www.w3.org/ns/cid/v1"]

DESCRIPTIONS = {
    ProgramKind.HONEST_BUSINESS: "表彰守法诚信经营、商品和服务质量可靠、认真处理消费投诉、兑现服务承诺的经营者。",
    ProgramKind.EDUCATION_BASE: "表彰面向公众开放、常态化开展消费维权知识宣传教育的场所。",
}


def credential_url(serial: str) -> str:
    return absolute(reverse("open_badge", kwargs={"serial": serial}))


def issuer_url(program: Program) -> str:
    return absolute(reverse("credential_issuer", kwargs={"slug": program.slug}))


def _day_start(day: datetime.date) -> str:
    moment = datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_default_timezone())
    return moment.isoformat()


def _day_end(day: datetime.date) -> str:
    # The last day of validity counts whole, to 24:00 local time.
    moment = datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=timezone.get_default_timezone())
    return moment.isoformat()


def _identity(kind: str, value: str) -> dict:
    # In the clear, not hashed: the honour roll publishes both, and a verifier must read whom the title vouches for.
    return {"type": "IdentityObject", "identityType": kind, "hashed": False, "identityHash": value}


def criteria_narrative(program: Program) -> str:
    """How the title is earned, from the programme's own rubric: its aspects, and its veto items if it has any."""
    aspects, veto = [], False
    for aspect, is_veto in program.criteria.values_list("aspect", "is_veto"):
        veto = veto or is_veto
        if not is_veto and aspect not in aspects:
            aspects.append(aspect)
    inspection = "、现场核查" if program.requires_inspection else ""
    rubric = f"评价标准包括{'、'.join(aspects)}" if aspects else "按评价标准评分"
    return (
        f"按照“{program.title}”的评分细则评审，{rubric}"
        + ("，并设一票否决项" if veto else "")
        + f"；经形式审查、专家评审{inspection}、评审委员会审定和社会公示，由{program.issuing_body}授予称号。"
    )


def achievement(program: Program) -> dict:
    return {
        "id": f"{issuer_url(program)}#achievement",
        "type": ["Achievement"],
        "achievementType": "Award",
        "name": program.official_title,
        "description": f"{program.issuing_body}授予的{program.official_title}称号，"
        + DESCRIPTIONS[ProgramKind(program.kind)],
        "criteria": {"narrative": criteria_narrative(program)},
        "inLanguage": "zh-CN",
    }


def open_badge(certificate: Certificate) -> dict:
    """The title as a signed OpenBadgeCredential."""
    program = certificate.program
    issuer = issuer_url(program)
    document = {
        "@context": CONTEXT,
        "id": credential_url(certificate.serial),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": program.issuing_body},
        "validFrom": _day_start(certificate.valid_from),
        "validUntil": _day_end(certificate.valid_until),
        "name": certificate.title,
        "description": f"{certificate.enterprise_name}：{certificate.title}（证书编号 {certificate.serial}）",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                _identity("identifier", certificate.enterprise_uscc),
                _identity("name", certificate.enterprise_name),
            ],
            "achievement": achievement(program),
        },
        "credentialStatus": status_list.entries(certificate),
    }
    return data_integrity.add_proof(document, controller=issuer)


def profile(url: str, name: str) -> dict:
    """An issuer's profile: who it is and the keys that sign for it, as a controller document."""
    return {
        "@context": PROFILE_CONTEXT,
        "id": url,
        "type": ["Profile"],
        "name": name,
        "url": settings.SITE_URL.rstrip("/") + "/",
        **data_integrity.verification_methods(url),
    }


def issuer_profile(program: Program) -> dict:
    return profile(issuer_url(program), program.issuing_body)


def site_issuer_profile() -> dict:
    """The issuer of the status lists: the site's organizer (the issuing bodies of all programmes share the lists)."""
    name = settings.SITE_ORGANIZER_NAME or str(settings.SITE_TITLE)
    return profile(status_list.site_issuer_url(), name)
