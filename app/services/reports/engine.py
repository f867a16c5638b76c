"""Evaluate a form definition into a grid of figures, each traceable to the records behind it.

A report reads the facts of each kind of record once (facts.py: one plain row per visit or petition
of the period, only the columns the forms ask about), groups the rows by their combination of values
(a year at 200,000 visits has about 3,000 combinations of visit facts and 10,000 of petition facts),
and walks each form's column tree once per combination with the predicates of conditions.py. Totals
are not counted: they are the sums of their parts. ``cell_ids`` lists the records behind a figure with
the very same predicates (drill-down).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import FieldCategory
from app.services.common import settings
from app.services.common.errors import ValidationError
from app.services.reports import facts
from app.services.reports.conditions import CONDITIONS, Conditions, Key, Pred, all_of, any_of, holds
from app.services.reports.forms import Column, FormDef, Row
from app.services.reports.periods import Period

Number = int | float
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


# ---- forms compiled into predicate trees --------------------------------------------------------


@dataclass
class _Node:
    label: str
    pred: Pred | None  # this column's own filter (its ancestors' are tested on the way down)
    full: Pred | None  # with every ancestor's filter: what a drill-down tests
    measure: str | None
    children: list[_Node]
    is_total: bool = False
    leaf_index: int = -1


@dataclass
class _Compiled:
    form: FormDef
    entity: str
    base: Pred | None  # the form's own filter, tested once per combination before its rows
    rows: list[Pred | None]  # each row's filter (without the base)
    nodes: list[_Node]
    leaves: list[_Node]


@dataclass
class _Plan:
    """The forms over one kind of record, compiled together so that they share one read of the facts."""

    source: facts.FactSource
    conditions: Conditions
    measures: set[str] = field(default_factory=set)

    @classmethod
    def create(cls, session: Session, entity: str) -> _Plan:
        if entity not in facts.SOURCES:
            raise ValidationError({"form": f"Nguồn dữ liệu “{entity}” của biểu báo cáo không hợp lệ."})
        return cls(facts.SOURCES[entity], CONDITIONS[entity](_field_tree(session)))

    def compile(self, form: FormDef) -> _Compiled:
        leaves: list[_Node] = []
        nodes = self._build(form.columns, None, leaves)
        base = self.conditions.condition(form.base)
        rows = [self.conditions.condition(r.filter) for r in form.rows]
        return _Compiled(form, self.source.entity, base, rows, nodes, leaves)

    def _build(self, columns: Sequence[Column], inherited: Pred | None, leaves: list[_Node]) -> list[_Node]:
        nodes: list[_Node] = []
        for column in columns:
            own = self.conditions.condition(column.filter) if column.filter else None
            full = all_of([inherited, own])
            node = _Node(column.label, own, full, self._measure(column.measure) if column.is_leaf else None, [])
            if column.is_leaf:
                node.leaf_index = len(leaves)
                leaves.append(node)
            else:
                if column.total:
                    total = _Node(column.total, None, full, None, [], is_total=True, leaf_index=len(leaves))
                    leaves.append(total)
                    node.children.append(total)
                parts = self._build(column.children, full, leaves)
                node.children.extend(parts)
                if column.total:
                    node.children[0].children = parts
            nodes.append(node)
        return nodes

    def _measure(self, name: str | None) -> str:
        known = {"count", *self.source.amounts, *self.source.distinct}
        if name is None or name not in known:
            raise ValidationError({"form": f"Phép đếm “{name}” không dùng được với nguồn dữ liệu này."})
        self.measures.add(name)
        return name

    def fact_columns(self) -> list[str]:
        measured = [self.source.amounts.get(m) or self.source.distinct.get(m) for m in sorted(self.measures)]
        return [*self.conditions.dims, *(c for c in measured if c)]


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


def _key_getter(positions: Sequence[int]) -> Callable[[tuple[Any, ...]], Key]:
    if not positions:
        return lambda row: ()
    if len(positions) == 1:
        only = positions[0]
        return lambda row: (row[only],)
    return itemgetter(*positions)


# ---- counting ------------------------------------------------------------------------------------


@dataclass
class _Groups:
    """The fact rows grouped by their key: per distinct key, how many records and their amounts."""

    keys: list[Key]
    counts: list[int]
    sums: dict[str, list[Number]]  # measure -> per key
    # distinct measure -> value -> the key it appears under, or the keys when it appears under several
    members: dict[str, dict[Any, int | set[int]]]


def _group(table: facts.FactTable, plan: _Plan) -> _Groups:
    dims = [table.position(d) for d in plan.conditions.dims]
    amounts = [(m, table.position(c)) for m, c in plan.source.amounts.items() if m in plan.measures]
    # One pass in C (Counter over itemgetter) counts the rows per key and amount values; the Python
    # loops below only see the distinct (key, amounts) pairs.
    per_value = Counter(map(_key_getter(dims + [at for _, at in amounts]), table.rows))
    index: dict[Key, int] = {}
    groups = _Groups([], [], {m: [] for m, _ in amounts}, {})
    width = len(dims)
    for values, n in per_value.items():
        key = values[:width]
        i = index.get(key)
        if i is None:
            i = index[key] = len(groups.keys)
            groups.keys.append(key)
            groups.counts.append(0)
            for sums in groups.sums.values():
                sums.append(0)
        groups.counts[i] += n
        for j, (measure, _) in enumerate(amounts):
            value = values[width + j]
            if value:
                groups.sums[measure][i] += value * n
    key_of = _key_getter(dims)
    for measure, column in plan.source.distinct.items():
        if measure in plan.measures:
            groups.members[measure] = _members(table, table.position(column), key_of, index)
    return groups


def _members(
    table: facts.FactTable, at: int, key_of: Callable[[tuple[Any, ...]], Key], index: dict[Key, int]
) -> dict[Any, int | set[int]]:
    """Each value of a distinct measure with the key(s) its records fall under."""
    members: dict[Any, int | set[int]] = {}
    setdefault = members.setdefault
    for value, key in zip(map(itemgetter(at), table.rows), map(key_of, table.rows), strict=True):
        i = index[key]
        seen = setdefault(value, i)
        if seen != i:
            if isinstance(seen, int):
                members[value] = {seen, i}
            else:
                seen.add(i)
    return members


def _walk(nodes: list[_Node], key: Key, hits: list[_Node]) -> None:
    for node in nodes:
        if node.is_total or not holds(node.pred, key):
            continue
        if node.children:
            _walk(node.children, key, hits)
        else:
            hits.append(node)


def _count(groups: _Groups, compiled: Sequence[_Compiled]) -> list[list[list[Number]]]:
    """figures[form][row][leaf] for every leaf of every form (totals are filled in later)."""
    figures: list[list[list[Number]]] = [[[0 for _ in c.leaves] for _ in c.rows] for c in compiled]
    # A distinct measure cannot be added up per key: each key collects the bits of the figures it
    # falls in, and each distinct value counts once in every figure any of its keys falls in.
    bits: dict[tuple[int, int, int], int] = {}
    key_bits: dict[str, list[int]] = {m: [0] * len(groups.keys) for m in groups.members}
    hits: list[_Node] = []
    for i, key in enumerate(groups.keys):
        for f, form in enumerate(compiled):
            if not holds(form.base, key):
                continue
            for r, row_pred in enumerate(form.rows):
                if not holds(row_pred, key):
                    continue
                hits.clear()
                _walk(form.nodes, key, hits)
                out = figures[f][r]
                for leaf in hits:
                    measure = str(leaf.measure)
                    if measure == "count":
                        out[leaf.leaf_index] += groups.counts[i]
                    elif measure in groups.sums:
                        out[leaf.leaf_index] += groups.sums[measure][i]
                    else:
                        cell = (f, r, leaf.leaf_index)
                        key_bits[measure][i] |= 1 << bits.setdefault(cell, len(bits))
    cells = {bit: cell for cell, bit in bits.items()}
    for measure, members in groups.members.items():
        per_key = key_bits[measure]
        masks: Counter[int] = Counter()
        for under in members.values():
            if isinstance(under, int):
                masks[per_key[under]] += 1
                continue
            mask = 0
            for i in under:
                mask |= per_key[i]
            masks[mask] += 1
        for mask, n in masks.items():
            while mask:
                low = mask & -mask
                f, r, leaf_index = cells[low.bit_length() - 1]
                figures[f][r][leaf_index] += n
                mask ^= low
    return figures


def evaluate(session: Session, form: FormDef, period: Period, office: str | None = None) -> ReportGrid:
    """Every figure of ``form`` for ``period``."""
    return evaluate_all(session, [form], period, office)[0]


def evaluate_all(
    session: Session, forms: Sequence[FormDef], period: Period, office: str | None = None
) -> list[ReportGrid]:
    """Every figure of every form: the forms over the same kind of record share one read of its facts."""
    office = office if office is not None else str(settings.get(session, settings.OFFICE_NAME))
    plans: dict[str, _Plan] = {}
    compiled: list[_Compiled] = []
    for form in forms:
        if form.source not in facts.SOURCES:
            raise ValidationError({"form": f"Biểu {form.code}: nguồn dữ liệu “{form.source}” không hợp lệ."})
        plan = plans.get(form.source) or plans.setdefault(form.source, _Plan.create(session, form.source))
        compiled.append(plan.compile(form))
    figures: dict[int, list[list[Number]]] = {}
    for entity, plan in plans.items():
        mine = [i for i, c in enumerate(compiled) if c.entity == entity]
        table = plan.source.load(session, period, plan.fact_columns())
        counted = _count(_group(table, plan), [compiled[i] for i in mine])
        figures.update(zip(mine, counted, strict=True))
    return [_grid(c, figures[i], period, office) for i, c in enumerate(compiled)]


def _counted_leaves(node: _Node) -> list[_Node]:
    """The leaves whose records make up ``node``'s figure (a total: every leaf of its parts)."""
    if not node.children:
        return [node]
    return [leaf for c in node.children if not c.is_total for leaf in _counted_leaves(c)]


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


def _grid(compiled: _Compiled, figures: list[list[Number]], period: Period, office: str) -> ReportGrid:
    form = compiled.form
    values: list[tuple[Number, ...]] = []
    for r in range(len(compiled.rows)):
        row = [_number(v) for v in figures[r]]
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
        entity=compiled.entity,
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


def _number(value: Any) -> Number:
    if value is None:
        return 0
    if isinstance(value, Decimal | float):
        f = float(value)
        return int(f) if f.is_integer() else f
    return int(value)


def cell_ids(session: Session, form: FormDef, period: Period, row: int, col: int) -> list[int]:
    """The ids of the records behind one figure, tested with the same predicates as the figure."""
    plan = _Plan.create(session, form.source)
    compiled = plan.compile(form)
    if not 0 <= row < len(compiled.rows) or not 0 <= col < len(compiled.leaves):
        raise ValidationError({"cell": "Ô báo cáo không tồn tại."})
    leaves = _counted_leaves(compiled.leaves[col])
    target = all_of([compiled.base, compiled.rows[row], any_of([leaf.full for leaf in leaves])])
    table = plan.source.load(session, period, plan.conditions.dims)
    key_of = _key_getter([table.position(d) for d in plan.conditions.dims])
    verdicts: dict[Key, bool] = {}
    ids: list[int] = []
    for record in table.rows:
        key = key_of(record)
        verdict = verdicts.get(key)
        if verdict is None:
            verdict = verdicts[key] = holds(target, key)
        if verdict:
            ids.append(record[0])
    return sorted(ids)
