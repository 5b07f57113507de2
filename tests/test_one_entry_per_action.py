"""Each action has one public entry, and the apps import downward: awards never reaches up at import time."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import awards.services
import certificates.services
import workflows.services
import workflows.tasks

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("module", "name"),
    [
        (awards.services, "application_submit"),
        (awards.services, "notice_publish"),
        (awards.services, "notice_period_change"),
        (awards.services, "review_replace"),
        (certificates.services, "case_open"),
        (workflows.tasks, "review_decline"),
    ],
)
def test_an_action_that_moves_a_process_has_no_second_entry_of_the_same_name(module, name):
    assert not hasattr(module, name)


@pytest.mark.parametrize(
    "name", ["application_submit", "notice_publish", "notice_period_change", "review_replace", "case_open"]
)
def test_the_one_entry_of_each_action_moves_its_process(name):
    assert callable(getattr(workflows.services, name))


def _module_level_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:  # module level only: a documented import inside a function runs at call time
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
    return names


@pytest.mark.parametrize("path", sorted((ROOT / "awards").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_awards_imports_neither_workflows_nor_certificates_when_loaded(path):
    assert not _module_level_imports(path) & {"workflows", "certificates"}
