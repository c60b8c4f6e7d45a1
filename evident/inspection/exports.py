"""Files made from live data: the board pack PDF and the self-evaluation in PDF and Word.

WeasyPrint renders the same templates' markup with print CSS; charts are the server's SVG
(no script runs in WeasyPrint), each followed by its table of numbers."""

from __future__ import annotations

import io
from dataclasses import dataclass

import docx
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from weasyprint import HTML

from evident.inspection import rules
from evident.inspection.forms import SELF_EVALUATION_QUESTIONS
from evident.inspection.models import Meeting, SelfEvaluationVersion
from evident.inspection.selectors import CITATION, BoardPack, cited_words, render_citations


def _pdf(html: str) -> bytes:
    return bytes(HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf())


def board_pack_pdf(*, meeting: Meeting, pack: BoardPack) -> bytes:
    html = render_to_string("inspection/pack_pdf.html", {"meeting": meeting, "pack": pack})
    return _pdf(html)


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    html: SafeString


@dataclass(frozen=True)
class Section:
    area: str
    answers: list[Answer]


def _frozen(version: SelfEvaluationVersion) -> dict[str, str] | None:
    """A shared version's citations as they read on the day; None (live) for a draft."""
    return version.cited if version.shared_with_ofsted_on else None


def self_evaluation_sections(version: SelfEvaluationVersion) -> list[Section]:
    """The saved text by area and question, citations shown with today's live values (or,
    for a version shared with Ofsted, the values it was shared with)."""
    frozen = _frozen(version)
    sections = []
    order = [a.value for a in rules.Area]
    # jsonb keeps keys in its own order: put the areas back in the framework's.
    ordered = sorted(
        version.sections.items(),
        key=lambda item: order.index(item[0]) if item[0] in order else len(order),
    )
    for area, answers in ordered:
        try:
            label = rules.Area(area).label
        except ValueError:
            label = area
        sections.append(
            Section(
                area=label,
                answers=[
                    Answer(
                        question=q,
                        text=answers.get(k, ""),
                        html=render_citations(answers.get(k, ""), frozen=frozen),
                    )
                    for k, q in SELF_EVALUATION_QUESTIONS
                ],
            )
        )
    return sections


def self_evaluation_pdf(version: SelfEvaluationVersion) -> bytes:
    html = render_to_string(
        "inspection/self_evaluation_pdf.html",
        {"version": version, "sections": self_evaluation_sections(version)},
    )
    return _pdf(html)


def _plain_citations(text: str, frozen: dict[str, str] | None) -> str:
    return CITATION.sub(lambda m: f"[{cited_words(m, now=None, frozen=frozen)}]", text)


def self_evaluation_docx(version: SelfEvaluationVersion) -> bytes:
    document = docx.Document()
    evaluation = version.self_evaluation
    document.add_heading(f"Self-evaluation {evaluation.year} (version {version.number})", 0)
    if version.shared_with_ofsted_on:
        document.add_paragraph(
            f"Shared with Ofsted on {version.shared_with_ofsted_on:%d %B %Y}; this version is frozen."
        )
    for section in self_evaluation_sections(version):
        document.add_heading(section.area, 1)
        for answer in section.answers:
            document.add_heading(answer.question, 2)
            for line in (
                _plain_citations(answer.text, _frozen(version)) or "Not answered."
            ).splitlines():
                document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
