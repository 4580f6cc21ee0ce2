"""The monthly report for the 科室 meeting, as tables: ratings, the closed loop, complaints,
the queue and the staff assessment sheet (document 002 §五: ratings feed staff assessment)."""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from hall.core.appeals import EXCLUSION_ZH, Appeal
from hall.core.cases import Case
from hall.core.complaint_handling import CHANNEL_ZH, ComplaintStatus, Handling
from hall.core.complaints import CATEGORY_ZH, ComplaintCategory
from hall.core.ratings import BAD_REASONS_ZH, LEVEL_ZH
from hall.core.reports import (
    LEVELS,
    SATISFACTION_FORMULA_ZH,
    Column,
    Dimension,
    Grain,
    HandleBucket,
    RatingCell,
    SatisfactionRow,
    Table,
    TicketTally,
    WaitBucket,
    bad_reasons_ranked,
    queue_figures,
    ratio,
    satisfaction,
    satisfaction_table,
)


@dataclass(frozen=True, slots=True)
class ComplaintFact:
    handling: Handling
    category: ComplaintCategory


@dataclass(frozen=True, slots=True)
class LoopFigures:
    cases: int
    real_name: int
    called_back: int
    due_or_given: int
    on_time: int
    overdue_open: int

    @property
    def callback_rate(self) -> float | None:
        return ratio(self.called_back, self.real_name)

    @property
    def on_time_rate(self) -> float | None:
        return ratio(self.on_time, self.due_or_given)


def loop_figures(cases: list[Case], excluded: set[str], as_of: date) -> LoopFigures:
    """回访率 and 按时整改率 of the cases opened in the period (excluded ratings out)."""
    counted = [c for c in cases if c.rating_id not in excluded]
    real = [c for c in counted if c.real_name]
    due_or_given = [c for c in counted if c.feedback_at is not None
                    or max(c.feedback_due, c.rectify_due or c.feedback_due) < as_of]
    return LoopFigures(
        cases=len(counted), real_name=len(real),
        called_back=sum(1 for c in real if c.callback_attempts > 0),
        due_or_given=len(due_or_given),
        on_time=sum(1 for c in due_or_given if c.rectified_on_time),
        overdue_open=sum(1 for c in counted if c.is_overdue(as_of)))


@dataclass(frozen=True, slots=True)
class MonthlyReport:
    hall_name_zh: str
    month: date
    as_of: date
    tables: tuple[Table, ...]
    headline: dict[str, str]


@dataclass(frozen=True, slots=True)
class MonthInputs:
    """What the store hands the month's report: rating cells of the month per dimension, of
    each day per business, bad-rating reasons, queue tallies and samples, loop records."""

    month_cells: dict[Dimension, list[RatingCell]]
    business_day_cells: list[RatingCell]
    reasons: list[tuple[str, int]]
    tallies: list[TicketTally]
    waits: list[WaitBucket]
    handles: list[HandleBucket]
    cases: list[Case]
    appeals: list[Appeal]
    complaints: list[ComplaintFact]
    excluded: set[str]


def monthly_report(*, hall_name_zh: str, month: date, as_of: date, inputs: MonthInputs,
                   names: dict[str, str]) -> MonthlyReport:
    """Every table of one month; `names` labels 工号 and business codes in Chinese."""
    def label(key: str) -> str:
        return f"{names[key]}（{key}）" if key in names else key

    by_dimension = {d: satisfaction(inputs.month_cells[d]) for d in Dimension}
    tables = [satisfaction_table(by_dimension[d], d, Grain.MONTH, label) for d in Dimension]
    daily = satisfaction_table(satisfaction(inputs.business_day_cells), Dimension.BUSINESS,
                               Grain.DAY, label)
    tables.append(replace(daily, in_print=False))
    ranked = bad_reasons_ranked(inputs.reasons)
    tables.append(Table("bad_reasons", "差评原因排行", (Column("原因"), Column("次数", "int")),
                        [(BAD_REASONS_ZH.get(k, k), n) for k, n in ranked]))
    loop = loop_figures(inputs.cases, inputs.excluded, as_of)
    tables.append(Table("closed_loop", "差评整改", (Column("指标"), Column("数值", "float")), [
        ("差评件数", loop.cases), ("实名差评件数", loop.real_name), ("已回访", loop.called_back),
        ("回访率", loop.callback_rate), ("应反馈件数", loop.due_or_given),
        ("按时整改反馈", loop.on_time), ("按时整改率", loop.on_time_rate),
        ("超期未办结", loop.overdue_open)],
        note_zh="回访率 = 已回访的实名差评 ÷ 实名差评（应为100%）；按时整改率 = 期限内反馈 ÷ "
                "已反馈或已到期。",
        # 回访率 must be 100% (document 002 §五): anything less is marked.
        flagged_rows=frozenset({3} if loop.callback_rate is not None
                               and loop.callback_rate < 1 else set())))
    tables.append(_appeals_table(inputs.appeals, label))
    tables.extend(_complaint_tables(inputs.complaints, as_of))
    tables.extend(_queue_tables(inputs, label))
    tables.append(staff_assessment(by_dimension[Dimension.STAFF], inputs, as_of, label))
    windows = by_dimension[Dimension.WINDOW]
    valid = sum(r.total for r in windows)
    satisfied = sum(r.satisfied for r in windows)
    headline = {"有效评价数": str(valid),
                "满意率": f"{satisfied / valid:.1%}" if valid else "—",
                "剔除评价数": str(sum(r.excluded for r in windows)),
                "取号数": str(sum(t.tickets for t in inputs.tallies)),
                "差评件数": str(loop.cases), "投诉件数": str(len(inputs.complaints))}
    return MonthlyReport(hall_name_zh=hall_name_zh, month=month, as_of=as_of,
                         tables=tuple(tables), headline=headline)


def _appeals_table(appeals: list[Appeal], label: Callable[[str], str]) -> Table:
    rows: list[tuple[object, ...]] = []
    for a in appeals:
        outcome = "待复核" if a.pending else ("申诉成立" if a.upheld else "申诉不成立")
        rows.append((a.filed_at, a.rating_id, label(a.staff_id), a.reason, outcome,
                     EXCLUSION_ZH[a.exclusion] if a.exclusion else "", a.decided_by,
                     a.decision_reason))
    return Table("appeals", "申诉复核", (
        Column("申诉时间", "datetime"), Column("评价编号"), Column("工号"), Column("申诉理由"),
        Column("结果"), Column("认定"), Column("复核人"), Column("复核意见")), rows)


def _complaint_tables(complaints: list[ComplaintFact], as_of: date) -> list[Table]:
    by = Counter((CATEGORY_ZH[c.category], CHANNEL_ZH[c.handling.channel]) for c in complaints)
    counts = Table("complaints_by_category", "投诉按类别和渠道",
                   (Column("类别"), Column("渠道"), Column("件数", "int")),
                   [(cat, ch, n) for (cat, ch), n in sorted(by.items())])
    answerable = [c.handling for c in complaints
                  if c.handling.status is not ComplaintStatus.TRANSFERRED
                  and (c.handling.closed_at is not None or c.handling.answer_due < as_of)]
    on_time = sum(1 for h in answerable if h.answered_on_time())
    transferred = [c.handling for c in complaints
                   if c.handling.status is ComplaintStatus.TRANSFERRED]
    summary = Table("complaints_summary", "投诉办理", (Column("指标"), Column("数值", "float")), [
        ("登记件数", len(complaints)), ("应答复件数", len(answerable)), ("按时答复", on_time),
        ("按时答复率", ratio(on_time, len(answerable))), ("转办件数", len(transferred)),
        ("按时转办", sum(1 for h in transferred if h.transferred_at is not None
                        and h.transferred_at.date() <= h.transfer_due))],
        note_zh="按时答复率 = 期限内办结 ÷ 已办结或已到期（转办件另计）；答复期限 7 个工作日，"
                "延期不超过 15 个工作日。")
    overdue = [c for c in complaints if c.handling.is_open and c.handling.answer_due < as_of]
    overdue_table = Table("complaints_overdue", "超期投诉", (
        Column("编号"), Column("类别"), Column("渠道"), Column("登记时间", "datetime"),
        Column("答复期限", "date"), Column("承办人")),
        [(c.handling.tracking_number, CATEGORY_ZH[c.category], CHANNEL_ZH[c.handling.channel],
          c.handling.registered_at, c.handling.answer_due, c.handling.handler)
         for c in overdue])
    return [counts, summary, overdue_table]


def _queue_tables(inputs: MonthInputs, name: Callable[[str], str]) -> list[Table]:
    businesses, windows = queue_figures(inputs.tallies, inputs.waits, inputs.handles)
    hours = sorted({h for b in businesses for h in b.per_hour})
    per_hour = Table("tickets_per_hour", "各业务分时段取号量",
                     (Column("业务"), *(Column(f"{h:02d}时", "int") for h in hours),
                      Column("合计", "int")),
                     [(name(b.business), *(b.per_hour.get(h, 0) for h in hours), b.tickets)
                      for b in businesses])
    waits = Table("waits", "等候时间、过号与绿色通道", (
        Column("业务"), Column("取号数", "int"), Column("平均等候（分钟）", "float"),
        Column("P90等候（分钟）", "float"), Column("过号率", "percent"),
        Column("绿色通道取号", "int"), Column("绿色通道平均等候（分钟）", "float"),
        Column("绿色通道P90等候（分钟）", "float")),
        [(name(b.business), b.tickets, b.wait_mean_min, b.wait_p90_min, b.no_show_rate,
          b.priority_tickets, b.priority_wait_mean_min, b.priority_wait_p90_min)
         for b in businesses],
        note_zh="等候 = 取号至首次叫号；过号率 = 过号 ÷ 已叫号；平均值精确，P90 为最近秩第90"
                "百分位（精确到秒）。")
    window_table = Table("windows", "各窗口办件量与办理时长", (
        Column("窗口", "int"), Column("办件量", "int"), Column("平均办理（分钟）", "float"),
        Column("P90办理（分钟）", "float")),
        [(w.window, w.handled, w.handle_mean_min, w.handle_p90_min) for w in windows])
    return [per_hour, waits, window_table]


def staff_assessment(rows: list[SatisfactionRow], inputs: MonthInputs, as_of: date,
                     name: Callable[[str], str]) -> Table:
    """月度工作人员考核表: ratings, bad ratings, exclusions, cases overdue, services handled."""
    rows_by_staff = {r.key: r for r in rows}
    handled: Counter[str] = Counter()
    for bucket in inputs.handles:
        if bucket.staff_id:
            handled[bucket.staff_id] += bucket.services
    counted = [c for c in inputs.cases if c.rating_id not in inputs.excluded]
    bad_cases = Counter(c.staff_id for c in counted)
    overdue = Counter(c.staff_id for c in counted if c.is_overdue(as_of))
    body = []
    flagged = set()
    for index, sid in enumerate(sorted(set(rows_by_staff) | set(handled))):
        row = rows_by_staff.get(sid)
        if row is not None and row.flagged:
            flagged.add(index)
        body.append((name(sid), handled[sid], row.total if row else 0,
                     *(row.counts[lv] if row else 0 for lv in LEVELS),
                     row.rate if row else None, row.excluded if row else 0, bad_cases[sid],
                     overdue[sid], "是" if index in flagged else ""))
    return Table("staff_assessment", "工作人员月度考核表", (
        Column("工作人员"), Column("办件量", "int"), Column("有效评价数", "int"),
        *(Column(LEVEL_ZH[lv], "int") for lv in LEVELS), Column("满意率", "percent"),
        Column("剔除评价数", "int"), Column("差评件数", "int"), Column("超期整改件数", "int"),
        Column("低于90%", "text")), body, note_zh=SATISFACTION_FORMULA_ZH,
        flagged_rows=frozenset(flagged))


def as_of_end(month: date, now: datetime) -> date:
    """The day a month's report counts deadlines against: the month's end, or today if sooner."""
    return min(month_end(month), now.date())


def month_end(month: date) -> date:
    """The first day of the following month (periods are half-open)."""
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)
