"""Evaluate a form definition into a grid of figures, each traceable to the records behind it.

Every leaf figure is one conditional aggregate (``SUM(CASE WHEN … )`` or ``COUNT(DISTINCT CASE …)``)
over a "universe" subquery of one kind of record (the period's visits; the petitions that can count in
the period, with their timeline facts). All figures of all forms over the same kind of record come
from ONE query, so no record ever passes through Python. Totals are not queried: they are the sums
of their parts. ``cell_ids`` re-uses the exact condition of a figure to list the visit or petition
ids behind it (drill-down).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import ColumnElement, FromClause, Select, and_, case, distinct, false, func, literal, or_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import True_

from app.models import Case, FieldCategory, IssuedDocument, Petition, PetitionEvent, Visit
from app.models.enums import HandlingAction, PetitionStatus
from app.services import settings
from app.services.errors import ValidationError
from app.services.reports.forms import Column, FormDef, Row
from app.services.reports.periods import Period

Number = int | float
Cond = ColumnElement[bool]

DIRECTION_ACTIONS = (
    HandlingAction.ACCEPT,
    HandlingAction.REFUSE,
    HandlingAction.FORWARD,
    HandlingAction.GUIDE,
    HandlingAction.RETURN,
    HandlingAction.FILE,
)
FLAGGED_ACTIONS = (*DIRECTION_ACTIONS, HandlingAction.REMIND, HandlingAction.DECIDE, HandlingAction.ENFORCE)
ACCEPTED_STATUSES = (PetitionStatus.ACCEPTED, PetitionStatus.RESOLVED)
# Measures whose figure is an amount rather than a count: shown with their own number format.
AMOUNT_MEASURES = {"money": "#,##0", "land": "#,##0.0"}


# ---- the shape of the result -------------------------------------------------------------------


@dataclass(frozen=True)
class HeaderCell:
    row: int
    col: int
    rowspan: int
    colspan: int
    text: str


@dataclass(frozen=True)
class LeafInfo:
    index: int
    label: str
    path: tuple[str, ...]
    measure: str | None  # None for a computed total
    number_format: str


@dataclass(frozen=True)
class ReportGrid:
    form: FormDef
    period: Period
    office: str
    entity: str  # visit | petition: what a drill-down lists
    header: tuple[HeaderCell, ...]
    header_rows: int
    leaves: tuple[LeafInfo, ...]
    row_labels: tuple[str, ...]
    values: tuple[tuple[Number, ...], ...]
    # Each total column with the columns it adds up (so anyone can re-check the sum).
    totals: tuple[tuple[int, tuple[int, ...]], ...] = ()

    def value(self, row: int, col: int) -> Number:
        return self.values[row][col]


# ---- the column tree, flattened ----------------------------------------------------------------


@dataclass
class _Node:
    label: str
    cond: Cond
    measure: str | None
    children: list[_Node]
    is_total: bool = False
    leaf_index: int = -1


# ---- dimensions and measures per source --------------------------------------------------------


class _Source:
    """Turns filter dictionaries over codes into SQL conditions for one kind of record."""

    entity: str

    def __init__(self, session: Session, period: Period) -> None:
        self.period = period
        self.fields = _field_tree(session)

    amounts: ClassVar[dict[str, str]] = {}
    u: Any  # one row per record, with the facts the conditions are written over

    def id_column(self) -> Any:
        return self.u.c.id

    def from_clause(self) -> FromClause:
        return self.u  # type: ignore[no-any-return]

    def n(self) -> Any:
        """What a record adds to a count."""
        return literal(1)

    def amount(self, measure: str) -> Any:
        return self.u.c[self.amounts[measure]]

    def dimension(self, name: str, value: Any) -> Any:
        raise NotImplementedError

    def measure(self, name: str, cond: Cond) -> ColumnElement[Any]:
        raise NotImplementedError

    def condition(self, flt: dict[str, Any]) -> Cond:
        parts: list[Cond] = []
        for name, value in flt.items():
            if name == "not":
                parts.append(~self.condition(value))
            elif name == "any":
                parts.append(or_(*(self.condition(item) for item in value)))
            else:
                parts.append(self.dimension(name, value))
        return _all(*parts)

    def field_condition(self, column: Any, value: Any) -> Cond:
        codes: set[str] = set()
        want_null = False
        for item in _as_list(value):
            if item is None:
                want_null = True
            else:
                codes |= self.fields.get(item, {item})
        conds: list[Cond] = []
        if codes:
            conds.append(column.in_(sorted(codes)))
        if want_null:
            conds.append(column.is_(None))
        return or_(false(), *conds)


def _all(*conds: Cond) -> Cond:
    """``and_`` without the always-true parts: on SQLite each one is a ``1 = 1`` tested per record
    and per figure (an empty filter, a form without base)."""
    parts = [c for c in conds if not isinstance(c, True_)]
    return and_(*parts) if parts else true()


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def _codes(column: Any, value: Any) -> Cond:
    values = _as_list(value)
    codes = [v for v in values if v is not None]
    conds: list[Cond] = []
    if codes:
        conds.append(column.in_(codes))
    if None in values:
        conds.append(column.is_(None))
    return or_(false(), *conds)


def _flag(column: Any, value: Any) -> Cond:
    if value is None:
        return column.is_(None)  # type: ignore[no-any-return]
    return column.is_(True) if value else column.is_(False)  # type: ignore[no-any-return]


def _field_tree(session: Session) -> dict[str, set[str]]:
    """Each field code with every code below it (a report row counts a field and its sub-fields)."""
    parents: dict[str, str | None] = {
        c: p for c, p in session.execute(select(FieldCategory.code, FieldCategory.parent_code))
    }
    tree: dict[str, set[str]] = {code: {code} for code in parents}
    for code in parents:
        parent = parents[code]
        seen = 0
        while parent is not None and seen < 20:
            tree.setdefault(parent, {parent}).add(code)
            parent = parents.get(parent)
            seen += 1
    return tree


def _unknown(name: str, value: Any) -> ValidationError:
    return ValidationError({"form": f"Điều kiện “{name}: {value}” không dùng được trong biểu này."})


class _VisitSource(_Source):
    """Visits of the period: the same rows as the reception register (the daily log)."""

    entity = "visit"
    amounts: ClassVar[dict[str, str]] = {"people": "head_count"}

    def __init__(self, session: Session, period: Period) -> None:
        super().__init__(session, period)
        old_case = and_(Case.id.is_not(None), Case.first_received_on < period.start)
        # A plain subquery: SQLite flattens it into the aggregate, which measured faster than computing
        # it apart (the only derived fact, "old case", is one comparison).
        self.u = (
            select(
                Visit.id.label("id"),
                Visit.reception_kind.label("reception_kind"),
                Visit.matter_kind.label("matter_kind"),
                Visit.matter_state.label("matter_state"),
                Visit.outcome.label("outcome"),
                Visit.is_crowd.label("is_crowd"),
                Visit.field_code.label("field_code"),
                Visit.head_count.label("head_count"),
                Visit.case_id.label("case_id"),
                # The matter a visit counts towards: its case, or itself when it has none (ids are
                # positive, so a negated visit id never meets a case id).
                case((Visit.case_id.is_(None), -Visit.id), else_=Visit.case_id).label("matter_key"),
                case((old_case, 1), else_=0).label("case_old"),
            )
            .select_from(Visit)
            .outerjoin(Case, Case.id == Visit.case_id)
            .where(
                Visit.deleted_at.is_(None),
                Visit.received_on >= period.start,
                Visit.received_on <= period.end,
            )
            .subquery("v")
        )

    def dimension(self, name: str, value: Any) -> Any:
        c = self.u.c
        if name in ("reception_kind", "matter_kind", "matter_state", "outcome"):
            return _codes(c[name], value)
        if name == "is_crowd":
            return _flag(c.is_crowd, value)
        if name == "field":
            return self.field_condition(c.field_code, value)
        if name == "case_age" and value in ("old", "new"):
            return c.case_old == (1 if value == "old" else 0)
        raise _unknown(name, value)

    def measure(self, name: str, cond: Cond) -> ColumnElement[Any]:
        c = self.u.c
        if name == "count":
            return func.sum(case((cond, self.n()), else_=0))
        if name == "people":
            return func.sum(case((cond, self.amount("people")), else_=0))
        if name == "matters":
            # One matter per case, and a visit not linked to a case is a matter of its own: one DISTINCT
            # over the matter key tests the condition once per visit (not once per half).
            return func.count(distinct(case((cond, c.matter_key))))
        raise _unknown("measure", name)


# Where a date falls against the period, as a small number (so that records group well).
NONE, BEFORE, DURING, AFTER = 0, 1, 2, 3


def _bucket(day: Any, period: Period) -> ColumnElement[int]:
    return case(
        (day.is_(None), NONE),
        (day < period.start, BEFORE),
        (day <= period.end, DURING),
        else_=AFTER,
    )


class _PetitionSource(_Source):
    """Petitions received up to the end of the period, with the facts of their timeline."""

    entity = "petition"
    amounts: ClassVar[dict[str, str]] = {
        "people": "head_count",
        "money": "money_recovered",
        "land": "land_recovered_m2",
        "people_handled": "people_handled",
        "documents": "documents",
    }

    def __init__(self, session: Session, period: Period) -> None:
        super().__init__(session, period)
        start, end = period.start, period.end
        # One row per petition with the facts of its timeline up to the end of the period: a GROUP BY
        # over the petition and its events (a probe per petition into the covering index
        # petition_event(petition_id, action, occurred_on)), measured 2.5× cheaper than joining a
        # pre-aggregated events subquery. Dates become buckets (before / during / after).
        e = PetitionEvent
        in_period = e.occurred_on >= start

        # Where an event falls (its join keeps only events up to the end of the period): BEFORE or
        # DURING. The bucket of the first date of some actions is the least bucket of their events, so
        # each timeline fact is ONE aggregate (a bucket written over ``min(date)`` would repeat it).
        event_b = case((e.occurred_on < start, BEFORE), else_=DURING)

        def first_b(*actions: HandlingAction) -> ColumnElement[Any]:
            return func.min(case((e.action.in_([a.value for a in actions]), event_b)))

        flags = [
            func.max(case((and_(e.action == action, in_period), 1), else_=0)).label(f"a_{action.value}")
            for action in FLAGGED_ACTIONS
        ]
        received_b = _bucket(Petition.received_on, period)
        accepted_b = func.coalesce(
            first_b(HandlingAction.ACCEPT),
            case((Petition.status.in_([s.value for s in ACCEPTED_STATUSES]), received_b), else_=NONE),
        )
        resolved_b = case(
            (Petition.result.is_(None), NONE),
            (Petition.closed_on.is_not(None), _bucket(Petition.closed_on, period)),
            (Petition.decided_on.is_not(None), _bucket(Petition.decided_on, period)),
            else_=func.coalesce(first_b(HandlingAction.DECIDE), NONE),
        )
        enforced = or_(
            and_(Petition.enforced_on >= start, Petition.enforced_on <= end),
            func.max(case((and_(e.action == HandlingAction.ENFORCE, in_period), 1), else_=0)) == 1,
        )
        documents = (
            select(func.count())
            .where(
                IssuedDocument.petition_id == Petition.id,
                IssuedDocument.issued_on >= start,
                IssuedDocument.issued_on <= end,
            )
            .scalar_subquery()
        )
        plain = [
            "kind",
            "source",
            "competence",
            "status",
            "sender_kind",
            "result",
            "instance",
            "matter_state",
            "eligible",
            "is_anonymous",
            "is_beyond_level",
            "is_prolonged",
            "field_code",
        ]
        self.u = (
            select(
                Petition.id.label("id"),
                *(getattr(Petition, name).label(name) for name in plain),
                *(getattr(Petition, name).label(name) for name in list(self.amounts.values())[:-1]),
                received_b.label("received_b"),
                func.coalesce(first_b(*DIRECTION_ACTIONS), NONE).label("handled_b"),
                accepted_b.label("accepted_b"),
                resolved_b.label("resolved_b"),
                case((enforced, 1), else_=0).label("enforced"),
                documents.label("documents"),
                *flags,
            )
            .select_from(Petition)
            .outerjoin(e, and_(e.petition_id == Petition.id, e.occurred_on <= end))
            .where(Petition.deleted_at.is_(None), Petition.received_on <= end, self._relevant(period))
            .group_by(Petition.id)
            .subquery("p")
        )

    @staticmethod
    def _relevant(period: Period) -> Cond:
        """Petitions that can count in the period: received in it, still open at its start, or acted on
        (an event or an issued document) during it. Everything closed earlier is left out unread."""
        touched = select(PetitionEvent.petition_id).where(
            PetitionEvent.occurred_on >= period.start, PetitionEvent.occurred_on <= period.end
        )
        documented = select(IssuedDocument.petition_id).where(
            IssuedDocument.petition_id.is_not(None),
            IssuedDocument.issued_on >= period.start,
            IssuedDocument.issued_on <= period.end,
        )
        return or_(
            Petition.received_on >= period.start,
            Petition.closed_on.is_(None),
            Petition.closed_on >= period.start,
            Petition.id.in_(touched),
            Petition.id.in_(documented),
        )

    def dimension(self, name: str, value: Any) -> Any:
        c = self.u.c
        if name in ("kind", "source", "competence", "status", "sender_kind", "result", "instance", "matter_state"):
            return _codes(c[name], value)
        if name in ("eligible", "is_anonymous", "is_beyond_level", "is_prolonged"):
            return _flag(c[name], value)
        if name == "field":
            return self.field_condition(c.field_code, value)
        if name == "received":
            # In the period, or carried over: received earlier and not yet given a direction at the start.
            carried = and_(c.received_b == BEFORE, c.handled_b != BEFORE)
            if value == "in_period":
                return c.received_b == DURING
            if value == "carried":
                return carried
            if value == "in_scope":
                return or_(c.received_b == DURING, carried)
        if name == "event":
            actions = [HandlingAction(a) for a in _as_list(value)]
            if any(action not in FLAGGED_ACTIONS for action in actions):
                raise _unknown(name, value)
            return or_(false(), *(c[f"a_{a.value}"] == 1 for a in actions))
        if name == "enforced" and value == "in_period":
            return c.enforced == 1
        if name == "accepted":
            if value is True:
                return c.accepted_b.in_([BEFORE, DURING])
            if value == "carried":
                return c.accepted_b == BEFORE
            if value == "in_period":
                return c.accepted_b == DURING
        if name == "resolved":
            if value == "open_at_start":
                return c.resolved_b != BEFORE
            if value == "in_period":
                return c.resolved_b == DURING
            if value == "pending":
                return c.resolved_b.in_([NONE, AFTER])
        raise _unknown(name, value)

    def measure(self, name: str, cond: Cond) -> ColumnElement[Any]:
        if name == "count":
            return func.sum(case((cond, self.n()), else_=0))
        if name in self.amounts:
            return func.sum(case((cond, func.coalesce(self.amount(name), 0)), else_=0))
        raise _unknown("measure", name)


SOURCES: dict[str, Callable[[Session, Period], _Source]] = {"visit": _VisitSource, "petition": _PetitionSource}


# ---- evaluation --------------------------------------------------------------------------------


def _build(columns: Sequence[Column], source: _Source, inherited: Cond, leaves: list[_Node]) -> list[_Node]:
    nodes: list[_Node] = []
    for column in columns:
        cond = _all(inherited, source.condition(column.filter)) if column.filter else inherited
        if column.is_leaf:
            node = _Node(column.label, cond, column.measure, [])
            node.leaf_index = len(leaves)
            leaves.append(node)
            nodes.append(node)
            continue
        group = _Node(column.label, cond, None, [])
        total: _Node | None = None
        if column.total:
            total = _Node(column.total, cond, None, [], is_total=True)
            total.leaf_index = len(leaves)
            leaves.append(total)
            group.children.append(total)
        parts = _build(column.children, source, cond, leaves)
        group.children.extend(parts)
        if total is not None:
            total.children = parts
            # Drill-down of a total: the records behind any of its parts.
            total.cond = or_(*(_node_cond(p) for p in parts))
        nodes.append(group)
    return nodes


def _node_cond(node: _Node) -> Cond:
    if node.is_total or not node.children:
        return node.cond
    return or_(*(_node_cond(c) for c in node.children if not c.is_total))


def _parts_sum(node: _Node, values: list[Number]) -> Number:
    """A group's figure: the sum of its parts (its own total column when it has one)."""
    if not node.children:
        return values[node.leaf_index]
    if node.is_total:
        return sum(_parts_sum(c, values) for c in node.children)
    parts = [c for c in node.children if not c.is_total]
    return sum(_parts_sum(c, values) for c in parts)


def _part_columns(node: _Node) -> list[int]:
    """The columns whose figures add up to ``node``'s figure."""
    if node.is_total or not node.children:
        return [node.leaf_index]
    own_total = [c for c in node.children if c.is_total]
    if own_total:
        return [own_total[0].leaf_index]
    return [i for c in node.children for i in _part_columns(c)]


def _layout(nodes: list[_Node], depth: int) -> list[HeaderCell]:
    cells: list[HeaderCell] = []

    def width(node: _Node) -> int:
        return 1 if not node.children or node.is_total else sum(width(c) for c in node.children)

    def place(items: list[_Node], row: int, col: int) -> None:
        for node in items:
            w = width(node)
            if not node.children or node.is_total:
                cells.append(HeaderCell(row, col, depth - row, 1, node.label))
            else:
                cells.append(HeaderCell(row, col, 1, w, node.label))
                place(node.children, row + 1, col)
            col += w

    place(nodes, 0, 0)
    return cells


def _tree_depth(nodes: list[_Node]) -> int:
    return max(
        (1 if not n.children or n.is_total else 1 + _tree_depth(n.children) for n in nodes),
        default=1,
    )


@dataclass
class _Compiled:
    form: FormDef
    source: _Source
    rows: list[Cond]
    nodes: list[_Node]
    leaves: list[_Node]


def _compile(session: Session, form: FormDef, period: Period, source: _Source | None = None) -> _Compiled:
    if form.source not in SOURCES:
        raise ValidationError({"form": f"Biểu {form.code}: nguồn dữ liệu “{form.source}” không hợp lệ."})
    source = source or SOURCES[form.source](session, period)
    base = source.condition(form.base)
    leaves: list[_Node] = []
    nodes = _build(form.columns, source, true(), leaves)
    rows = [_all(base, source.condition(r.filter)) for r in form.rows]
    return _Compiled(form, source, rows, nodes, leaves)


def _number(value: Any) -> Number:
    if value is None:
        return 0
    if isinstance(value, Decimal | float):
        f = float(value)
        return int(f) if f.is_integer() else f
    return int(value)


def evaluate(session: Session, form: FormDef, period: Period, office: str | None = None) -> ReportGrid:
    """Every figure of ``form`` for ``period``."""
    return evaluate_all(session, [form], period, office)[0]


def evaluate_all(
    session: Session, forms: Sequence[FormDef], period: Period, office: str | None = None
) -> list[ReportGrid]:
    """Every figure of every form: ONE aggregate query per kind of record (visits, petitions).

    All figures of the forms that count the same records share one scan of them, and each
    petition's timeline facts are computed once per report (a GROUP BY over the petition and its events).
    """
    office = office if office is not None else str(settings.get(session, settings.OFFICE_NAME))
    sources: dict[str, _Source] = {}
    compiled: list[_Compiled] = []
    for form in forms:
        if form.source not in SOURCES:
            raise ValidationError({"form": f"Biểu {form.code}: nguồn dữ liệu “{form.source}” không hợp lệ."})
        if form.source not in sources:
            sources[form.source] = SOURCES[form.source](session, period)
        compiled.append(_compile(session, form, period, sources[form.source]))
    figures: dict[tuple[int, int, int], Number] = {}
    for name, source in sources.items():
        cells = [
            (f, r, leaf)
            for f, c in enumerate(compiled)
            if c.form.source == name
            for r, row_cond in enumerate(c.rows)
            for leaf in c.leaves
            if not leaf.is_total
        ]
        columns = [source.measure(str(leaf.measure), _all(compiled[f].rows[r], leaf.cond)) for f, r, leaf in cells]
        # SQLite allows at most 2,000 result columns by default: split very wide reports.
        for chunk in range(0, len(columns), 1_500):
            part = columns[chunk : chunk + 1_500]
            result = session.execute(select(*part).select_from(source.from_clause())).one()
            for (f, r, leaf), value in zip(cells[chunk : chunk + 1_500], result, strict=True):
                figures[(f, r, leaf.leaf_index)] = _number(value)
    return [_grid(c, i, figures, period, office) for i, c in enumerate(compiled)]


def _grid(
    compiled: _Compiled, f: int, figures: dict[tuple[int, int, int], Number], period: Period, office: str
) -> ReportGrid:
    form = compiled.form
    values: list[tuple[Number, ...]] = []
    for r in range(len(compiled.rows)):
        row: list[Number] = [figures.get((f, r, leaf.leaf_index), 0) for leaf in compiled.leaves]
        for leaf in compiled.leaves:
            if leaf.is_total:
                row[leaf.leaf_index] = _parts_sum(leaf, row)
        values.append(tuple(row))
    depth = _tree_depth(compiled.nodes)
    paths = _leaf_paths(compiled.nodes)
    infos = tuple(
        LeafInfo(
            leaf.leaf_index,
            leaf.label,
            paths[leaf.leaf_index],
            leaf.measure,
            AMOUNT_MEASURES.get(_leaf_measure(leaf), "#,##0"),
        )
        for leaf in compiled.leaves
    )
    return ReportGrid(
        form=form,
        period=period,
        office=office,
        entity=compiled.source.entity,
        header=tuple(_layout(compiled.nodes, depth)),
        header_rows=depth,
        leaves=infos,
        row_labels=tuple(_row_label(r, office) for r in form.rows),
        values=tuple(values),
        totals=tuple(
            (leaf.leaf_index, tuple(i for part in leaf.children for i in _part_columns(part)))
            for leaf in compiled.leaves
            if leaf.is_total
        ),
    )


def _leaf_measure(leaf: _Node) -> str:
    if leaf.measure:
        return leaf.measure
    inner = [_leaf_measure(c) for c in leaf.children]
    return inner[0] if inner and all(m == inner[0] for m in inner) else "count"


def _leaf_paths(nodes: list[_Node]) -> dict[int, tuple[str, ...]]:
    paths: dict[int, tuple[str, ...]] = {}

    def walk(items: list[_Node], prefix: tuple[str, ...]) -> None:
        for node in items:
            if node.leaf_index >= 0:
                paths[node.leaf_index] = (*prefix, node.label)
            if node.children and not node.is_total:
                walk(node.children, (*prefix, node.label))

    walk(nodes, ())
    return paths


def _row_label(row: Row, office: str) -> str:
    return row.label.replace("{office}", office)


def cell_query(session: Session, form: FormDef, period: Period, row: int, col: int) -> Select[tuple[int]]:
    """The query listing the ids of the records behind one figure (same condition as the figure)."""
    compiled = _compile(session, form, period)
    if not 0 <= row < len(compiled.rows) or not 0 <= col < len(compiled.leaves):
        raise ValidationError({"cell": "Ô báo cáo không tồn tại."})
    source = compiled.source
    cond = _node_cond(compiled.leaves[col])
    return (
        select(source.id_column())
        .select_from(source.from_clause())
        .where(compiled.rows[row], cond)
        .order_by(source.id_column())
        .distinct()
    )


def cell_ids(session: Session, form: FormDef, period: Period, row: int, col: int) -> list[int]:
    return list(session.scalars(cell_query(session, form, period, row, col)))
