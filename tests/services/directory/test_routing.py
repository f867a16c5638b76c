"""Routing suggestions: rules as data, the most specific first, editable."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.models.enums import AgencyLevel, Instance, MatterKind
from app.services.common import settings
from app.services.common.actor import SYSTEM
from app.services.directory import agencies, routing
from app.services.directory.routing import RouteQuery
from tests.petition_builders import agency_id


def _first(session: Session, query: RouteQuery) -> str:
    suggestions = routing.suggest(session, query)
    assert suggestions, query
    return suggestions[0].agency_name


def test_complaint_against_a_commune_goes_to_that_commune_then_to_the_province(session: Session) -> None:
    kinh_bac = agency_id(session, "X" + _commune_code(session, "Ủy ban nhân dân phường Kinh Bắc"))
    first = RouteQuery(MatterKind.COMPLAINT, "HC_DD_BT", AgencyLevel.COMMUNE, Instance.FIRST, kinh_bac)
    assert _first(session, first) == "Ủy ban nhân dân phường Kinh Bắc"
    second = RouteQuery(MatterKind.COMPLAINT, "HC_DD_BT", AgencyLevel.COMMUNE, Instance.SECOND, kinh_bac)
    assert _first(session, second) == "Ủy ban nhân dân tỉnh Bắc Ninh"


def _commune_code(session: Session, name: str) -> str:
    row = next(r for r in agencies.list_agencies(session, level=AgencyLevel.COMMUNE) if r.name == name)
    assert row.admin_unit_code
    return row.admin_unit_code


def test_field_rules_and_subfields(session: Session) -> None:
    # A recommendation on compensation for land (sub-field of land) goes to the land department.
    assert (
        _first(session, RouteQuery(MatterKind.RECOMMENDATION, "HC_DD_BT"))
        == "Sở Nông nghiệp và Môi trường tỉnh Bắc Ninh"
    )
    assert _first(session, RouteQuery(MatterKind.REFLECTION, "HC_NO")) == "Sở Xây dựng tỉnh Bắc Ninh"
    assert _first(session, RouteQuery(MatterKind.DENUNCIATION, "TN")) == "Thanh tra tỉnh Bắc Ninh"
    second_land = RouteQuery(MatterKind.COMPLAINT, "HC_DD", AgencyLevel.PROVINCE, Instance.SECOND)
    assert _first(session, second_land) == "Bộ Nông nghiệp và Môi trường"
    # Nothing specific: the province People's Committee.
    assert _first(session, RouteQuery(MatterKind.RECOMMENDATION, "KHAC")) == "Ủy ban nhân dân tỉnh Bắc Ninh"


def test_edited_rule_wins(session: Session) -> None:
    query = RouteQuery(MatterKind.RECOMMENDATION, "HC_MT")
    assert _first(session, query) == "Sở Nông nghiệp và Môi trường tỉnh Bắc Ninh"
    rule_id = routing.save_rule(
        session,
        SYSTEM,
        routing.RuleInput(
            matter_kind=MatterKind.RECOMMENDATION,
            field_code="HC_MT",
            agency_id=agency_id(session, "P24.SYT"),
            priority=10,
            note="Ô nhiễm ảnh hưởng sức khỏe",
        ),
    )
    assert _first(session, query) == "Sở Y tế tỉnh Bắc Ninh"
    rules = {r.id: r for r in routing.list_rules(session)}
    assert rules[rule_id].agency_name == "Sở Y tế tỉnh Bắc Ninh"
    routing.save_rule(
        session,
        SYSTEM,
        routing.RuleInput(
            matter_kind=MatterKind.RECOMMENDATION,
            field_code="HC_MT",
            agency_id=agency_id(session, "P24.SYT"),
            active=False,
        ),
        rule_id,
    )
    assert _first(session, query) == "Sở Nông nghiệp và Môi trường tỉnh Bắc Ninh"


def test_deactivated_body_is_not_suggested(session: Session) -> None:
    query = RouteQuery(MatterKind.REFLECTION, "HC_NO")
    agencies.set_active(session, SYSTEM, agency_id(session, "P24.SXD"), False)
    assert _first(session, query) == "Ủy ban nhân dân tỉnh Bắc Ninh"


def test_rules_follow_the_province_set_after_they_were_seeded(session: Session) -> None:
    """The first start asks for the office after the database was created with the default province:
    the suggestions then name the new province's bodies, not Bắc Ninh's."""
    land = RouteQuery(MatterKind.RECOMMENDATION, "HC_DD_BT")
    assert _first(session, land) == "Sở Nông nghiệp và Môi trường tỉnh Bắc Ninh"
    settings.put(session, settings.OFFICE_PROVINCE, "01")
    assert _first(session, land) == "Sở Nông nghiệp và Môi trường thành phố Hà Nội"
    assert _first(session, RouteQuery(MatterKind.DENUNCIATION, "TN")) == "Thanh tra thành phố Hà Nội"
    assert _first(session, RouteQuery(MatterKind.RECOMMENDATION, "KHAC")) == "Ủy ban nhân dân thành phố Hà Nội"
