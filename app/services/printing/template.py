"""What every document template shares: its description, the standard page, the stock sentences."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.platypus import Flowable

from app.models.enums import DocumentType
from app.services.printing import form_numbers, layout, legal_basis
from app.services.printing.facts import MASK_NOTE, Facts
from app.services.printing.layout import Signature, b, esc, short_date


class Audience(enum.StrEnum):
    """Who receives the document: decides whether a denouncer's identity may appear on it."""

    CITIZEN = "citizen"  # handed or sent to the petitioner themself
    AGENCY = "agency"  # leaves the office for another body: the denouncer is always withheld
    INTERNAL = "internal"  # stays in the office: shown only to users allowed to see it


@dataclass(frozen=True)
class Template:
    doc_type: DocumentType
    command: str  # the CLI word: ``python -m app print <command>``
    name: str  # Vietnamese name, for titles and file names
    audience: Audience
    build: Callable[[Facts], list[Flowable]]


def office_in_text(facts: Facts) -> str:
    """The office's name inside a sentence ("Ban Tiếp công dân tỉnh"), not in capitals."""
    return facts.office.name_in_text or layout.sentence_case(facts.office.name)


def page(
    facts: Facts,
    *,
    title: str,
    subtitle: str = "",
    to: Sequence[str] = (),
    body: Sequence[Flowable],
    recipients: Sequence[str] = (),
    signature: Signature | None = None,
    excerpt: str = "",
    closing: Flowable | None = None,
) -> list[Flowable]:
    """The standard page: header, title, "Kính gửi", legal basis, body, then "Nơi nhận" and the signature."""
    story: list[Flowable] = [
        # The official form number is data (resources/templates.json): no template can forget it.
        *layout.form_number(form_numbers.form_line(facts.doc_type)),
        layout.OfficeHeader(facts.office, facts.symbol, facts.issued_on, excerpt=excerpt),
    ]
    if title:
        story += layout.title(title, subtitle)
    if to:
        story.append(layout.addressee(*to))
    # Every document cites the law of its petition's kind, in one place: no template can forget it.
    story += basis_paragraphs(facts)
    story += list(body)
    listed = facts.items("recipients") or list(recipients)
    story.append(closing or layout.closing(listed, signature or layout.office_signature(facts.office)))
    return story


def filed(facts: Facts) -> str:
    return f"Lưu: VT, {facts.office.symbol}" if facts.office.symbol else "Lưu: VT"


def person_markup(facts: Facts) -> str:
    """ "ông/bà <b>Nguyễn Văn A</b>, CCCD số …, địa chỉ: …" — or the denouncer note when withheld."""
    if facts.masked:
        reference = facts.text("secret_reference")  # sổ mật: the identity is on the standalone workstation
        held = f", mã tham chiếu sổ mật {b(reference)}" if reference else ""
        return f"người tố cáo{held} {esc(MASK_NOTE)}"
    if facts.organisation:
        return b(facts.organisation)
    person = facts.petitioner
    if person is None:
        return "người gửi đơn không ghi rõ họ tên"
    parts = [f"ông/bà {b(person.name)}"]
    if person.id_number:
        parts.append(f"số định danh cá nhân/CCCD: {esc(person.id_number)}")
    if person.address:
        parts.append(f"địa chỉ: {esc(person.address)}")
    text = ", ".join(parts)
    if facts.head_count > 1:
        text += f" (đại diện cho {facts.head_count} người)"
    return text


def received_sentence(facts: Facts, verb: str = "nhận được") -> str:
    """ "Ngày 20/11/2026, Ban … nhận được đơn khiếu nại của …"."""
    day = facts.date("received_on")
    number = facts.text("petition_number")
    numbered = f" (số vào sổ {esc(number)})" if number else ""
    return (
        f"Ngày {short_date(day)}, {esc(office_in_text(facts))} {verb} đơn {esc(facts.kind_label)}{numbered} "
        f"của {person_markup(facts)}."
    )


def basis_paragraphs(facts: Facts) -> list[Flowable]:
    """The "Căn cứ …;" lines of the law of the petition's kind (legal_basis.py holds them all).

    The issuing action's own ``legal_basis`` is not printed: it names every law an action may rest
    on, whatever the petition's kind, and a complaint's paper must not cite the denunciation law.
    """
    lines = legal_basis.sentences(facts.doc_type, facts.kind, facts.issued_on, facts.text("action"))
    # NĐ 30/2020 sets the grounds of a document in italics.
    return [layout.para(layout.i(line)) for line in lines]


def summary_paragraph(facts: Facts, lead: str = "Nội dung đơn") -> Flowable:
    return layout.para(f"{esc(lead)}: {esc(facts.text('summary', '…'))}")


def optional(facts: Facts, key: str, lead: str = "") -> list[Flowable]:
    value = facts.text(key)
    if not value:
        return []
    # esc() trims, so the space after a lead ("Khi đến, đề nghị mang theo:") is added here.
    return [layout.para(f"{esc(lead)} {esc(value)}" if lead else esc(value))]


def citizen_addressee(facts: Facts) -> str:
    if facts.organisation:
        return facts.organisation
    if facts.petitioner is None:
        return facts.recipient or "Người gửi đơn"
    return f"Ông/bà {facts.petitioner.name}"


def citizen_recipient(facts: Facts) -> list[str]:
    """ "Nơi nhận" for a document sent to the petitioner."""
    return ["Như trên", filed(facts)]


def petition_opening(facts: Facts) -> list[Flowable]:
    """The opening of a document about a petition: when it came, from whom, and what it says."""
    return [layout.para(received_sentence(facts)), summary_paragraph(facts)]


def citizen_notice(
    facts: Facts, *, title: str, subtitle: str = "", body: Sequence[Flowable], note: bool = True
) -> list[Flowable]:
    """A document for the petitioner: "Kính gửi" them, "Nơi nhận" as above; the free note ends the body."""
    return page(
        facts,
        title=title,
        subtitle=subtitle,
        to=[citizen_addressee(facts)],
        body=[*body, *(optional(facts, "note") if note else [])],
        recipients=citizen_recipient(facts),
    )
