"""The issuer's public keys at a stable address, for any verifier of the signed QR codes and credentials."""

from __future__ import annotations

import hashlib
import json

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_safe

from credentials import keys


@require_safe
def keys_json(request: HttpRequest) -> HttpResponse:
    body = json.dumps(keys.public_keys_document(), ensure_ascii=False, indent=1).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    response = get_conditional_response(request, etag=etag) or HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    response["Access-Control-Allow-Origin"] = "*"
    # Keys change only at a rotation; a verifier may keep them a day, and must ask again after that.
    patch_cache_control(response, public=True, max_age=86400)
    return response
