"""The catalogue of handling actions: the statuses each starts from, where it leads, its documents, its clocks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.models.enums import (
    DocumentType,
    HandlingAction,
    MatterKind,
    PetitionStatus,
    ResolutionResult,
)
from app.services.casework.documents import IssuedRef
from app.services.common.legal_refs import DENOUNCER_SECRECY

S = PetitionStatus
K = MatterKind

# Clocks that a handling direction (thụ lý, chuyển, hướng dẫn, trả lại, lưu…) completes.
DIRECTION_CLOCKS = ("xu_ly_don", "thu_ly_khieu_nai", "thu_ly_to_cao", "chuyen_to_cao")
RESOLUTION_CLOCKS = ("gq_khieu_nai_lan_1", "gq_khieu_nai_lan_2", "gq_to_cao", "tra_loi_kien_nghi")
WAITING_CLOCK = "cho_ket_qua_chuyen_don"
# Luật Tiếp công dân, Điều 28 khoản 1: a matter received at a reception is answered within 10 working days.
ANSWER_CLOCK = "tra_loi_tiep_nhan_tai_tiep_cong_dan"
# A first-instance complaint decision takes legal effect unless complained again (Luật Khiếu nại).
LEGAL_EFFECT_CLOCK = "hieu_luc_quyet_dinh_gq_khieu_nai"
ENFORCEMENT_CLOCK = "thi_hanh_quyet_dinh_gq_khieu_nai"
# Documents that answer the person received at the reception: issuing one meets ANSWER_CLOCK.
ANSWERING_DOCUMENTS = frozenset(
    {
        DocumentType.ACCEPTANCE,
        DocumentType.NON_ACCEPTANCE,
        DocumentType.GUIDANCE,
        DocumentType.FORWARDING,
        DocumentType.RETURN,
        DocumentType.NOTICE,
    }
)
SINGLE_KINDS = frozenset({K.COMPLAINT, K.DENUNCIATION, K.RECOMMENDATION, K.REFLECTION})

TT05 = "Thông tư 05/2021/TT-TTCP"
LKN = "Luật Khiếu nại 2011"
LTC = "Luật Tố cáo 2018"
LTCD = "Luật Tiếp công dân 2013"
DIALOGUE_BASIS = f"{LKN}, Điều 30 và Điều 39; Nghị định 124/2020/NĐ-CP"
SECRECY = DENOUNCER_SECRECY.text()  # a forwarded denunciation withholds the denouncer's identity
ND124 = f"Nghị định 124/2020/NĐ-CP; {LTC}, Điều 34"  # suspending, resuming, terminating a resolution
ANY_KIND = frozenset(MatterKind)


@dataclass(frozen=True)
class ActionSpec:
    """The legal effects of one handling action."""

    action: HandlingAction
    verb: str  # "chuyển đơn", used in messages: "Không thể chuyển đơn …"
    sources: frozenset[PetitionStatus]
    result: PetitionStatus | None  # None: the status does not change
    documents: tuple[DocumentType, ...] = ()
    meets: tuple[str, ...] = ()
    cancels_rest: bool = False  # every other open clock of the petition stops for good
    suspends: bool = False
    resumes: bool = False
    needs_agency: bool = False
    needs_reason: bool = False
    kinds: frozenset[MatterKind] = SINGLE_KINDS
    basis: str = TT05
    desk_only: bool = False  # only for a petition handed in at a reception (it has a visit)


CATALOGUE: dict[HandlingAction, ActionSpec] = {
    spec.action: spec
    for spec in (
        ActionSpec(
            HandlingAction.ACCEPT,
            "thụ lý",
            frozenset({S.CLASSIFIED}),
            S.ACCEPTED,
            (DocumentType.ACCEPTANCE_PROPOSAL, DocumentType.ACCEPTANCE),
            meets=DIRECTION_CLOCKS,
            basis=f"{LKN}, Điều 11 và Điều 27; {LTC}, Điều 29; {TT05}",
        ),
        ActionSpec(
            HandlingAction.REFUSE,
            "ra thông báo không thụ lý",
            frozenset({S.CLASSIFIED}),
            S.NOT_ACCEPTED,
            (DocumentType.NON_ACCEPTANCE,),
            meets=DIRECTION_CLOCKS,
            cancels_rest=True,
            needs_reason=True,
            kinds=frozenset({K.COMPLAINT, K.DENUNCIATION}),
            basis=f"{LKN}, Điều 11 và Điều 27; {LTC}, Điều 29",
        ),
        ActionSpec(
            HandlingAction.FORWARD,
            "chuyển đơn",
            frozenset({S.CLASSIFIED, S.FORWARDED}),
            S.FORWARDED,
            (DocumentType.FORWARDING,),
            meets=DIRECTION_CLOCKS,
            needs_agency=True,
            basis=f"{TT05}; {LTC}, Điều 24; {SECRECY}",
        ),
        ActionSpec(
            HandlingAction.GUIDE,
            "hướng dẫn",
            frozenset({S.CLASSIFIED}),
            S.GUIDED,
            (DocumentType.GUIDANCE,),
            meets=DIRECTION_CLOCKS,
            cancels_rest=True,
            basis=TT05,
        ),
        ActionSpec(
            HandlingAction.RETURN,
            "trả lại đơn",
            frozenset({S.RECEIVED, S.CLASSIFIED}),
            S.RETURNED,
            (DocumentType.RETURN,),
            meets=DIRECTION_CLOCKS,
            cancels_rest=True,
            needs_reason=True,
            kinds=ANY_KIND,
            basis=TT05,
        ),
        ActionSpec(
            HandlingAction.FILE,
            "lưu đơn",
            frozenset({S.RECEIVED, S.CLASSIFIED}),
            S.FILED,
            meets=DIRECTION_CLOCKS,
            cancels_rest=True,
            needs_reason=True,
            kinds=ANY_KIND,
            basis=TT05,
        ),
        ActionSpec(
            HandlingAction.REMIND,
            "đôn đốc",
            frozenset({S.FORWARDED, S.RESOLVED}),
            None,
            (DocumentType.REMINDER,),
            needs_agency=True,
            basis=TT05,
        ),
        ActionSpec(
            HandlingAction.WITHDRAW,
            "ghi nhận rút đơn",
            frozenset({S.RECEIVED, S.CLASSIFIED, S.ACCEPTED, S.SUSPENDED, S.FORWARDED}),
            S.WITHDRAWN,
            cancels_rest=True,
            kinds=ANY_KIND,
            basis=f"{LKN}, Điều 10; {LTC}, Điều 33",
        ),
        ActionSpec(
            HandlingAction.SUSPEND,
            "tạm đình chỉ",
            frozenset({S.ACCEPTED}),
            S.SUSPENDED,
            (DocumentType.DECISION,),
            suspends=True,
            needs_reason=True,
            basis=ND124,
        ),
        ActionSpec(
            HandlingAction.RESUME,
            "tiếp tục giải quyết",
            frozenset({S.SUSPENDED}),
            S.ACCEPTED,
            (DocumentType.DECISION,),
            resumes=True,
            basis=ND124,
        ),
        ActionSpec(
            HandlingAction.TERMINATE,
            "đình chỉ",
            frozenset({S.ACCEPTED, S.SUSPENDED}),
            S.TERMINATED,
            (DocumentType.DECISION,),
            cancels_rest=True,
            needs_reason=True,
            basis=ND124,
        ),
        ActionSpec(
            HandlingAction.EXTEND,
            "gia hạn",
            frozenset({S.ACCEPTED}),
            None,
            (DocumentType.DECISION,),
            needs_reason=True,
            kinds=frozenset({K.DENUNCIATION}),
            basis=f"{LTC}, Điều 30",
        ),
        ActionSpec(
            HandlingAction.ANSWER_RECEIVED,
            "ghi nhận kết quả",
            frozenset({S.FORWARDED}),
            S.CLOSED,
            meets=(WAITING_CLOCK,),
            cancels_rest=True,
            basis=TT05,
        ),
        ActionSpec(
            HandlingAction.DECIDE,
            "ban hành quyết định, kết luận",
            frozenset({S.ACCEPTED}),
            S.RESOLVED,
            (DocumentType.DECISION,),
            meets=RESOLUTION_CLOCKS,
            basis=f"{LKN}, Điều 31 và Điều 40; {LTC}, Điều 35",
        ),
        ActionSpec(
            HandlingAction.ENFORCE,
            "ghi nhận thi hành",
            frozenset({S.RESOLVED}),
            None,
            meets=(ENFORCEMENT_CLOCK,),
            basis=f"{LKN}, Điều 44; {LTC}, Điều 44",
        ),
        ActionSpec(
            HandlingAction.NOTIFY,
            "thông báo trả lời",
            frozenset({S.RECEIVED, S.CLASSIFIED, S.ACCEPTED, S.SUSPENDED, S.FORWARDED, S.RESOLVED}),
            None,
            (DocumentType.NOTICE,),
            meets=(ANSWER_CLOCK,),
            needs_reason=True,
            kinds=ANY_KIND,
            basis=f"{LTCD}, Điều 28",
            desk_only=True,
        ),
        ActionSpec(
            HandlingAction.INVITE_DIALOGUE,
            "mời đối thoại",
            frozenset({S.ACCEPTED}),
            None,
            (DocumentType.DIALOGUE_NOTICE,),
            kinds=frozenset({K.COMPLAINT}),
            basis=DIALOGUE_BASIS,
        ),
        ActionSpec(
            HandlingAction.HOLD_DIALOGUE,
            "lập biên bản đối thoại",
            frozenset({S.ACCEPTED}),
            None,
            (DocumentType.DIALOGUE_MINUTES,),
            kinds=frozenset({K.COMPLAINT}),
            basis=DIALOGUE_BASIS,
        ),
        ActionSpec(
            HandlingAction.CLOSE,
            "kết thúc",
            frozenset({S.RESOLVED, S.GUIDED, S.RETURNED, S.FILED, S.NOT_ACCEPTED, S.FORWARDED}),
            S.CLOSED,
            cancels_rest=True,
            kinds=ANY_KIND,
            basis=TT05,
        ),
    )
}

# Actions a user picks on the action panel, in the order they are offered.
MENU: tuple[HandlingAction, ...] = tuple(CATALOGUE)
TERMINAL = frozenset({S.GUIDED, S.RETURNED, S.FILED, S.WITHDRAWN, S.TERMINATED, S.NOT_ACCEPTED, S.CLOSED, S.SPLIT})


@dataclass(frozen=True)
class ActionInput:
    action: HandlingAction
    on: dt.date | None = None
    agency_id: int | None = None
    reason: str | None = None
    reason_code: str | None = None
    note: str | None = None
    result: ResolutionResult | None = None
    days: int | None = None
    # The document's own fields some actions ask for (a dialogue's time, place, participants…).
    details: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class ActionOutcome:
    event_id: int
    status: PetitionStatus
    documents: tuple[IssuedRef, ...]
    warnings: tuple[str, ...] = field(default_factory=tuple)
