"""The Bitstring Status Lists (W3C Bitstring Status List v1.0) that say which titles are revoked or suspended.

Every Open Badges credential points at bit `pk` of two lists, one per purpose. A list is one signed credential
whose `encodedList` is the GZIP of a bitstring, bit 0 being the most significant bit of the first byte, in
multibase base64url ("u…"). A bit is set when the one status rule (`title_status`) gives the title that status
today: the same answer as the verification page. Nothing about a title but its status is in a list, and a list
hides which titles it describes among at least 131,072 positions (the specification's minimum, for herd privacy).
"""

from __future__ import annotations

import gzip

from django.conf import settings
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate, CertificateStatus
from credentials import data_integrity

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
PURPOSES = {"revocation": CertificateStatus.REVOKED, "suspension": CertificateStatus.SUSPENDED}
MINIMUM_BITS = 16 * 1024 * 8


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def list_url(purpose: str) -> str:
    return absolute(reverse("credential_status_list", kwargs={"purpose": purpose}))


def site_issuer_url() -> str:
    """The issuer of the status lists: the site's organizer, for every programme's titles (a list may be issued
    by another party than the credentials it describes, Bitstring Status List v1.0 §2.1)."""
    return absolute(reverse("credential_site_issuer"))


def entries(certificate: Certificate) -> list[dict]:
    """A credential's `credentialStatus`: its bit in the revocation list and in the suspension list."""
    index = str(certificate.pk)
    return [
        {
            "id": f"{list_url(purpose)}#{index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": purpose,
            "statusListIndex": index,
            "statusListCredential": list_url(purpose),
        }
        for purpose in PURPOSES
    ]


def bitstring(indices, length: int) -> bytes:
    """`length` bits (a multiple of 8), those at `indices` set; bit 0 is the most significant bit of byte 0."""
    bits = bytearray(length // 8)
    for index in indices:
        bits[index >> 3] |= 0x80 >> (index & 7)
    return bytes(bits)


def encode(bits: bytes) -> str:
    # mtime=0: the same bits always give the same bytes, so an unchanged list keeps its ETag.
    return data_integrity.multibase_base64url(gzip.compress(bits, mtime=0))


def list_length(largest_index: int) -> int:
    """Room for every title's bit, in steps of the minimum size, so that the length tells little."""
    steps = largest_index // MINIMUM_BITS + 1
    return steps * MINIMUM_BITS


def status_list_credential(purpose: str) -> dict:
    """The signed BitstringStatusListCredential of one purpose, as of now. Two indexed queries, whatever the size."""
    status = PURPOSES[purpose]
    largest = Certificate.objects.aggregate(largest=Max("pk"))["largest"] or 0
    flagged = Certificate.objects.with_status(status, timezone.localdate()).values_list("pk", flat=True)
    url = list_url(purpose)
    document = {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": site_issuer_url(),
        "validFrom": timezone.now().replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encode(bitstring(flagged.iterator(chunk_size=10_000), list_length(largest))),
        },
    }
    return data_integrity.add_proof(document, controller=site_issuer_url())
