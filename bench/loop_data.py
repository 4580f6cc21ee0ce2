"""Generated history of a busy hall: tickets, ratings, bad-rating cases, appeals and complaints.

Seeded, so a run is reproducible; fast (rows go in with executemany). Days follow the hall's
working-day calendar, so the 2026 National Day week has no tickets and its 调休 Saturday does.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hall.config import HallConfig
from hall.core import cases as cs
from hall.core.complaint_handling import ComplaintChannel, start_handling
from hall.core.complaints import COMMON_REASONS_ZH, ComplaintCategory
from hall.core.ratings import BAD_REASONS_ZH, SUB_INDICATORS_ZH, Rating, RatingLevel
from hall.store import SqliteStore
from hall.store.bulk_load import load
from hall.store.case_store import case_row

_LEVEL_WEIGHTS = ((RatingLevel.VERY_SATISFIED, 70), (RatingLevel.SATISFIED, 20),
                  (RatingLevel.BASIC, 8), (RatingLevel.DISSATISFIED, 1.3),
                  (RatingLevel.VERY_DISSATISFIED, 0.7))


@dataclass(frozen=True)
class Scale:
    tickets: int
    ratings: int
    complaints: int


YEAR_OF_A_BUSY_HALL = Scale(tickets=300_000, ratings=100_000, complaints=500)


def generate(store: SqliteStore, config: HallConfig, start: date, end: date, scale: Scale,
             seed: int = 2026) -> dict[str, int]:
    """Fill [start, end) with history at `scale` (spread over that span's working days)."""
    rnd = random.Random(seed)
    tz = ZoneInfo(str(config.timezone))
    catalogue, calendar = config.catalogue, config.calendar
    days = [start + timedelta(days=n) for n in range((end - start).days)
            if calendar.is_working_day(start + timedelta(days=n))]
    staff_of = {w.number: catalogue.staff[i % len(catalogue.staff)].staff_id
                for i, w in enumerate(catalogue.windows)}
    businesses = [b for b in catalogue.businesses]
    windows_of = {b.code: [w.number for w in catalogue.windows_serving(b.code)]
                  for b in businesses}
    rate_share = scale.ratings / scale.tickets
    items_json = {b.code: json.dumps([b.code]) for b in businesses}
    no_subs, no_reasons = json.dumps({}), json.dumps([])
    tickets: list[tuple[object, ...]] = []
    ratings: list[Rating] = []
    bad: list[Rating] = []
    per_day = scale.tickets / len(days)
    made = 0
    for index, day in enumerate(days):
        count = int(per_day * (index + 1)) - made
        made += count
        numbers: dict[str, int] = {}
        opening = datetime.combine(day, time(9), tz)
        day_iso = day.isoformat()
        for _ in range(count):
            b = rnd.choice(businesses)
            numbers[b.code] = numbers.get(b.code, 0) + 1
            issued = opening + timedelta(seconds=rnd.randrange(27000))
            kind = "priority" if rnd.random() < 0.05 else "normal"
            window = rnd.choice(windows_of[b.code])
            fate = rnd.random()
            first = finished = None
            status, calls = "expired", 0
            if fate < 0.97:
                first = issued + timedelta(seconds=rnd.randrange(60, 3600))
                calls = 1
                status = "no_show" if fate > 0.90 else "finished"
                if status == "finished":
                    finished = first + timedelta(seconds=rnd.randrange(120, 1500))
            ticket_id = f"{day:%Y%m%d}-{b.prefix}{numbers[b.code]:03d}"
            issued_iso = issued.isoformat()
            first_iso = _iso(first)
            tickets.append((ticket_id, day_iso, f"{b.prefix}{numbers[b.code]:03d}",
                            b.code, kind, status, issued_iso, issued_iso,
                            window if first else None, staff_of[window] if first else "",
                            first_iso, first_iso, calls, _iso(finished), items_json[b.code]))
            if finished is not None and rnd.random() < rate_share / 0.9:
                level = rnd.choices([lv for lv, _ in _LEVEL_WEIGHTS],
                                    [w for _, w in _LEVEL_WEIGHTS])[0]
                reasons = tuple(rnd.sample(sorted(set(BAD_REASONS_ZH) - {"other"}),
                                           rnd.randint(1, 2))) if level.is_bad else ()
                subs = {k: level for k in SUB_INDICATORS_ZH if rnd.random() < 0.4}
                rated = finished + timedelta(seconds=rnd.randrange(5, 600))
                rating = Rating(f"R{len(ratings):07d}", ticket_id, day, window, staff_of[window],
                                (b.code,), level, rated, "pad", subs, reasons)
                ratings.append(rating)
                if level.is_bad:
                    bad.append(rating)
    load(store, "tickets", tickets)
    load(store, "ratings", [
        (r.rating_id, r.ticket_id, r.service_day.isoformat(), r.window, r.staff_id,
         items_json[r.items[0]], r.level.value,
         json.dumps({k: v.value for k, v in r.sub_scores.items()}) if r.sub_scores else no_subs,
         json.dumps(list(r.reasons)) if r.reasons else no_reasons,
         "", r.channel, r.rated_at.isoformat()) for r in ratings])
    _cases(store, config, bad, rnd)
    complaints = _complaints(store, config, days, scale.complaints, rnd, tz)
    return {"tickets": len(tickets), "ratings": len(ratings), "cases": len(bad),
            "complaints": complaints, "days": len(days)}


def _cases(store: SqliteStore, config: HallConfig, bad: list[Rating], rnd: random.Random) -> None:
    """Every bad rating's case, at a random point of its loop; some appealed, some excluded."""
    case_rows: list[tuple[object, ...]] = []
    contacts: list[tuple[object, ...]] = []
    appeals: list[tuple[object, ...]] = []
    exclusions: list[tuple[object, ...]] = []
    for n, rating in enumerate(bad):
        real = rnd.random() < 0.6
        if real:
            contacts.append((rating.rating_id, f"139{n:08d}", rating.rated_at.isoformat()))
        case, step = cs.open_case(rating, case_id=f"C{n:06d}", real_name=real,
                                  policy=config.loop, calendar=config.calendar)
        moment = rating.rated_at
        for stage in range(rnd.choice((0, 2, 5, 5, 6))):
            moment += timedelta(hours=rnd.choice((1, 20, 50, 100)))
            actor = "manager"
            if stage == 0:
                case, step = cs.record_callback(case, actor=actor, channel="phone", reached=True,
                                                said="", now=moment)
            elif stage == 1:
                case, step = cs.verify(case, actor=actor, confirmed=True, note="", now=moment)
            elif stage == 2:
                case, step = cs.rectify(case, actor=actor, kind=cs.RectifyKind.AT_ONCE,
                                        plan="已整改", due=None, now=moment)
            elif stage == 3:
                case, step = cs.record_feedback(case, actor=actor, channel="phone", note="",
                                                now=moment)
            elif stage == 4:
                case, step = cs.close(case, actor=actor, note="", now=moment)
        case_rows.append(case_row(case))
        if rnd.random() < 0.08:
            upheld = rnd.random() < 0.5
            decided = rating.rated_at + timedelta(days=3)
            appeals.append((f"S{n:06d}", rating.rating_id, rating.staff_id, "申诉理由",
                            rating.staff_id, (rating.rated_at + timedelta(days=1)).isoformat(),
                            "supervisor", decided.isoformat(), int(upheld),
                            "mis_rating" if upheld else None, "复核意见"))
            if upheld:
                exclusions.append((rating.rating_id, "mis_rating", f"S{n:06d}", "supervisor",
                                   "复核意见", decided.isoformat()))
    load(store, "cases", case_rows)
    load(store, "rating_contacts", contacts)
    load(store, "rating_appeals", appeals)
    load(store, "rating_exclusions", exclusions)


def _complaints(store: SqliteStore, config: HallConfig, days: list[date], count: int,
                rnd: random.Random, tz: ZoneInfo) -> int:
    rows = []
    channels = list(ComplaintChannel)
    for n in range(count):
        day = days[n * len(days) // count]
        at = datetime.combine(day, time(9), tz) + timedelta(seconds=rnd.randrange(27000))
        channel = rnd.choice(channels)
        h = start_handling(f"TS{day:%Y%m%d}-{n:04d}", channel, at, config.calendar)
        fate = rnd.random()
        status, closed, transferred, department = "handling", None, None, ""
        if fate < 0.7:
            status = "closed"
            closed = at + timedelta(days=rnd.choice((1, 3, 8, 12)))
        elif fate < 0.8:
            status, department = "transferred", "市卫生健康委员会"
            transferred = at + timedelta(days=rnd.choice((1, 2, 6)))
        rows.append((h.tracking_number, rnd.choice(list(ComplaintCategory)).value,
                     json.dumps([rnd.choice(sorted(COMMON_REASONS_ZH))]), "", "", "", "", "",
                     "console", at.isoformat(), h.answer_due.isoformat(), status, channel.value,
                     h.transfer_due.isoformat(), _iso(h.first_contact_due), None, "zhang", 0,
                     department, _iso(transferred), _iso(closed),
                     "satisfied" if closed else None))
    load(store, "complaints", rows)
    return len(rows)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
