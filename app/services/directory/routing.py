"""Which body is competent: suggestion rules over (kind, field, respondent level, instance), kept as data.

The rules are rows of ``routing_rule`` (seeded from resources/seeds/routing_rules.json, edited
in Danh mục). The most specific matching rule comes first: more criteria set, then a deeper
field of the taxonomy, then the lower priority number.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Agency, FieldCategory, Petition, RoutingRule
from app.models.enums import AgencyLevel, Instance, MatterKind
from app.paths import resource
from app.services.common import settings
from app.services.common.actor import Actor
from app.services.common.errors import NotFoundError, ValidationError
from app.services.common.text import nfc_or_none
from app.services.directory import agencies
from app.services.security import audit
from app.services.security.permissions import Permission, require

SEEDED = settings.define("routing.seeded", False, "Đã nạp quy tắc gợi ý cơ quan có thẩm quyền")
SEEDED_FOR = settings.define("routing.seeded_for", "", "Tỉnh mà các quy tắc gợi ý đang trỏ tới (mã)")

TARGETS = {
    "respondent": "Chính cơ quan bị khiếu nại, tố cáo",
    "respondent_parent": "Cơ quan cấp trên của cơ quan bị khiếu nại, tố cáo",
}


@dataclass(frozen=True)
class RouteQuery:
    kind: MatterKind | None
    field_code: str | None = None
    respondent_level: AgencyLevel | None = None
    instance: Instance | None = None
    respondent_agency_id: int | None = None


@dataclass(frozen=True)
class RouteSuggestion:
    agency_id: int
    agency_name: str
    rule_id: int
    explanation: str


@dataclass(frozen=True)
class RuleRow:
    id: int
    matter_kind: MatterKind | None
    field_code: str | None
    respondent_level: AgencyLevel | None
    instance: Instance | None
    agency_id: int | None
    agency_name: str
    target: str | None
    priority: int
    note: str | None
    active: bool


@dataclass(frozen=True)
class RuleInput:
    matter_kind: MatterKind | None = None
    field_code: str | None = None
    respondent_level: AgencyLevel | None = None
    instance: Instance | None = None
    agency_id: int | None = None
    target: str | None = None
    priority: int = 100
    note: str | None = None
    active: bool = True


def ensure_seeded(session: Session) -> int:
    """Insert the default rules once (after the directory); later edits are the office's.

    The rules name the province's bodies ("{P}" in the seed file). When the office's province is
    set or changed after the rules were seeded (the first-start wizard runs after the database is
    created), the rules pointing at the old province's bodies move to the new province's.
    """
    agencies.ensure_seeded(session)
    province = agencies.province_code(session)
    if settings.get(session, SEEDED):
        seeded_for = str(settings.get(session, SEEDED_FOR) or "") or province  # older databases
        if seeded_for != province:
            _repoint(session, seeded_for, province)
        if settings.get(session, SEEDED_FOR) != province:
            settings.put(session, SEEDED_FOR, province)
        return 0
    ids = dict(session.execute(select(Agency.code, Agency.id).where(Agency.code.is_not(None))).all())
    data = _seed_data()
    added = 0
    for item in data["rules"]:
        agency_id = None
        if item.get("agency"):
            agency_id = ids.get(item["agency"].replace("{P}", province))
            if agency_id is None:
                continue  # a body of another province's template: nothing to point at
        for kind in item.get("kinds") or [None]:
            session.add(
                RoutingRule(
                    matter_kind=MatterKind(kind) if kind else None,
                    field_code=item.get("field"),
                    respondent_level=AgencyLevel(item["level"]) if item.get("level") else None,
                    instance=Instance(item["instance"]) if item.get("instance") else None,
                    agency_id=agency_id,
                    target=item.get("target"),
                    priority=int(item.get("priority", 100)),
                    note=item.get("note"),
                    active=True,
                )
            )
            added += 1
    settings.put(session, SEEDED, True)
    settings.put(session, SEEDED_FOR, province)
    session.flush()
    return added


def _seed_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resource("seeds", "routing_rules.json").read_text(encoding="utf-8"))
    return data


def _repoint(session: Session, old: str, new: str) -> None:
    """Rules on a body of the old province's template go to the same body of the new province, where
    the directory has it; a rule the office pointed elsewhere is left as it is."""
    templates = {item["agency"] for item in _seed_data()["rules"] if "{P}" in (item.get("agency") or "")}
    ids = dict(session.execute(select(Agency.code, Agency.id).where(Agency.code.is_not(None))).all())
    for template in templates:
        old_id, new_id = ids.get(template.replace("{P}", old)), ids.get(template.replace("{P}", new))
        if old_id is None or new_id is None:
            continue
        for rule in session.scalars(select(RoutingRule).where(RoutingRule.agency_id == old_id)):
            rule.agency_id = new_id
    session.flush()


def _field_chain(session: Session, field_code: str | None) -> list[str]:
    """The field and its ancestors, deepest first: a rule on "HC_DD" matches a petition on "HC_DD_BT"."""
    chain: list[str] = []
    code = field_code
    while code and code not in chain:
        chain.append(code)
        code = session.scalar(select(FieldCategory.parent_code).where(FieldCategory.code == code))
    return chain


def query_for(session: Session, petition_id: int) -> RouteQuery:
    petition = session.get(Petition, petition_id)
    if petition is None:
        raise NotFoundError(f"Không tìm thấy đơn số {petition_id}.")
    return RouteQuery(
        kind=petition.kind,
        field_code=petition.field_code,
        respondent_level=petition.respondent_level,
        instance=petition.instance,
        respondent_agency_id=petition.respondent_agency_id,
    )


def _resolve_target(session: Session, rule: RoutingRule, query: RouteQuery) -> Agency | None:
    if rule.agency_id is not None:
        return session.get(Agency, rule.agency_id)
    if query.respondent_agency_id is None:
        return None
    respondent = session.get(Agency, query.respondent_agency_id)
    if respondent is None:
        return None
    if rule.target == "respondent":
        return respondent
    if rule.target == "respondent_parent":
        if respondent.parent_id is not None:
            return session.get(Agency, respondent.parent_id)
        committee = agencies.province_committee(session)
        return session.get(Agency, committee.id) if committee else None
    return None


def suggest(session: Session, query: RouteQuery, *, limit: int = 5) -> list[RouteSuggestion]:
    """Competent bodies for ``query``, the best first (one per body)."""
    ensure_seeded(session)
    level = query.respondent_level
    if level is None and query.respondent_agency_id is not None:
        respondent = session.get(Agency, query.respondent_agency_id)
        level = respondent.level if respondent else None
    chain = _field_chain(session, query.field_code)
    scored: list[tuple[tuple[int, int, int, int], RoutingRule]] = []
    for rule in session.scalars(select(RoutingRule).where(RoutingRule.active.is_(True))):
        if rule.matter_kind is not None and rule.matter_kind != query.kind:
            continue
        if rule.respondent_level is not None and rule.respondent_level != level:
            continue
        if rule.instance is not None and rule.instance != query.instance:
            continue
        if rule.field_code is not None and rule.field_code not in chain:
            continue
        criteria = sum(x is not None for x in (rule.matter_kind, rule.field_code, rule.respondent_level, rule.instance))
        # A field rule nearer the petition's own field is more specific than one on an ancestor.
        depth = len(chain) - chain.index(rule.field_code) if rule.field_code else 0
        scored.append(((-criteria, -depth, rule.priority, rule.id), rule))
    scored.sort(key=lambda item: item[0])
    suggestions: list[RouteSuggestion] = []
    seen: set[int] = set()
    for _, rule in scored:
        agency = _resolve_target(session, rule, query)
        if agency is None or not agency.active or agency.id in seen:
            continue
        seen.add(agency.id)
        suggestions.append(RouteSuggestion(agency.id, agency.name, rule.id, rule.note or ""))
        if len(suggestions) >= limit:
            break
    return suggestions


def suggest_for(session: Session, petition_id: int, *, limit: int = 5) -> list[RouteSuggestion]:
    return suggest(session, query_for(session, petition_id), limit=limit)


# ---- editing (Danh mục) ----------------------------------------------------------------------------


def list_rules(session: Session) -> list[RuleRow]:
    ensure_seeded(session)
    rules = list(session.scalars(select(RoutingRule).order_by(RoutingRule.priority, RoutingRule.id)))
    names = agencies.names(session, {r.agency_id for r in rules if r.agency_id})
    return [
        RuleRow(
            r.id,
            r.matter_kind,
            r.field_code,
            r.respondent_level,
            r.instance,
            r.agency_id,
            names.get(r.agency_id, "") if r.agency_id else TARGETS.get(r.target or "", ""),
            r.target,
            r.priority,
            r.note,
            r.active,
        )
        for r in rules
    ]


def _snapshot(rule: RoutingRule) -> dict[str, Any]:
    return {
        "matter_kind": rule.matter_kind,
        "field_code": rule.field_code,
        "respondent_level": rule.respondent_level,
        "instance": rule.instance,
        "agency_id": rule.agency_id,
        "target": rule.target,
        "priority": rule.priority,
        "note": rule.note,
        "active": rule.active,
    }


def save_rule(session: Session, actor: Actor, data: RuleInput, rule_id: int | None = None) -> int:
    require(actor, Permission.MANAGE_CATALOGUES)
    errors: dict[str, str] = {}
    if data.agency_id is None and data.target not in TARGETS:
        errors["agency_id"] = "Chọn cơ quan nhận, hoặc chọn “chính cơ quan bị khiếu nại, tố cáo / cơ quan cấp trên”."
    if data.agency_id is not None and session.get(Agency, data.agency_id) is None:
        errors["agency_id"] = "Cơ quan đã chọn không có trong danh bạ."
    if data.field_code is not None and session.get(FieldCategory, data.field_code) is None:
        errors["field_code"] = "Lĩnh vực không có trong danh mục."
    if not 0 <= data.priority <= 100_000:
        errors["priority"] = "Thứ tự ưu tiên là số từ 0 đến 100000 (số nhỏ được ưu tiên)."
    if errors:
        raise ValidationError(errors)
    ensure_seeded(session)
    rule = RoutingRule() if rule_id is None else session.get(RoutingRule, rule_id)
    if rule is None:
        raise NotFoundError(f"Không tìm thấy quy tắc số {rule_id}.")
    before = _snapshot(rule) if rule_id is not None else {}
    rule.matter_kind = data.matter_kind
    rule.field_code = data.field_code
    rule.respondent_level = data.respondent_level
    rule.instance = data.instance
    rule.agency_id = data.agency_id
    rule.target = None if data.agency_id is not None else data.target
    rule.priority = data.priority
    rule.note = nfc_or_none(data.note)
    rule.active = data.active
    if rule_id is None:
        session.add(rule)
    session.flush()
    old, new = audit.changes(before, _snapshot(rule))
    audit.record(
        session, actor, "create" if rule_id is None else "update", "routing_rule", rule.id, before=old, after=new
    )
    return rule.id
