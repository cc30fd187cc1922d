"""Every figure and citation is written out once (reconnect.guidance.evidence), the domain's
canned answers cite it in the same words, and emergency numbers come only from clinic.yml."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from reconnect.guidance import evidence

ROOT = Path(__file__).resolve().parents[2]
# What only the evidence module may write out in code, and only clinic.yml may configure.
MARKERS = ("71.1", "447.15", "Oldham", "McQueenie", "Motto", "Swift &", "Lee 2005", "Sims,",
           "Clough", "APA Ethics", "NASW Code", "ACA Code", "OR 2.38", "d = 0.38", "988", "911")


def _code_files():
    for folder in ("reconnect", "actions"):
        yield from (p for p in (ROOT / folder).rglob("*.py") if p.name != "evidence.py")


@pytest.mark.parametrize("path", list(_code_files()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_figure_citation_or_emergency_number_is_written_out_in_code(path):
    source = path.read_text(encoding="utf-8")
    assert [m for m in MARKERS if m in source] == []


def _responses() -> str:
    texts = []
    for path in [ROOT / "domain.yml", *sorted((ROOT / "data" / "responses").glob("*.yml"))]:
        for variants in (yaml.safe_load(path.read_text()).get("responses") or {}).values():
            texts += [v.get("text", "") for v in variants]
    return "\n".join(texts)


def test_the_domain_answers_give_no_emergency_number_of_their_own():
    text = _responses()
    assert "988" not in text and "911" not in text
    assert "{crisis_line}" in text and "{emergency_number}" in text


def test_every_citation_in_the_domain_answers_is_one_of_the_evidence_modules():
    text = _responses()
    cited = re.findall(r"\(([^()]*\b(?:19|20)\d\d)\)", text)
    assert cited, "the answers cite nothing?"
    for citation in cited:
        assert any(citation.endswith(known) for known in evidence.CITATIONS), citation
    for code in (evidence.APA_ENDING, evidence.NASW_ENDING, evidence.ACA_ABANDONMENT,
                 evidence.MEDICAID_NO_FEE):
        assert code in text
    for figure in re.finditer(r"71\.1%[^\n]*", text):
        assert figure.group(0).startswith(evidence.RESCHEDULED), figure.group(0)


def test_the_checks_would_catch_a_stray_figure(tmp_path):
    stray = 'SAY = "Most return: 71.1% of visits"'
    assert [m for m in MARKERS if m in stray] == ["71.1"]
    assert not "(Smith 2019)".endswith(evidence.CITATIONS)
