"""Everything a user sees has a Simplified Chinese translation."""

from __future__ import annotations

import re
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _entries() -> list[str]:
    return [block for block in CATALOGUE.read_text(encoding="utf-8").split("\n\n") if "msgid " in block]


def test_every_message_is_translated():
    untranslated = []
    for block in _entries()[1:]:  # the first entry is the header
        if re.search(r'^msgstr(\[0\])? ""\s*$', block, re.MULTILINE) and not re.search(r'^msgstr.*\n"', block, re.M):
            untranslated.append(block)
    assert not untranslated, "\n\n".join(untranslated)


def test_no_translation_is_a_fuzzy_guess():
    fuzzy = [block for block in _entries()[1:] if "#, fuzzy" in block or ", fuzzy" in block]
    assert not fuzzy, "\n\n".join(fuzzy)


def test_viewflow_task_statuses_read_in_chinese():
    from django.utils import translation
    from viewflow.workflow.status import STATUS

    with translation.override("zh-hans"):
        assert str(STATUS.DONE.label) != "Done"
        assert str(STATUS.ASSIGNED.label) != "Assigned"
