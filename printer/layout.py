"""Receipt layouts, pure: a receipt is a list of print operations for one paper width."""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from hall.chinese_text import full_width_punctuation
from hall.core.guides import ServiceGuide
from hall.public_texts import wait_words


@enum.unique
class Paper(enum.IntEnum):
    """Paper width in mm; `dots` is the printable width of a 203 dpi thermal head."""

    MM58 = 58
    MM80 = 80

    @property
    def dots(self) -> int:
        return 384 if self is Paper.MM58 else 576

    @property
    def columns(self) -> int:
        """Half-width characters per line at normal size (12x24 font)."""
        return 32 if self is Paper.MM58 else 48


@enum.unique
class Align(enum.StrEnum):
    LEFT = "left"
    CENTER = "center"


@dataclass(frozen=True, slots=True)
class Text:
    text: str
    scale: int = 1
    bold: bool = False
    align: Align = Align.LEFT


@dataclass(frozen=True, slots=True)
class Qr:
    data: str
    caption: str = ""


@dataclass(frozen=True, slots=True)
class Rule:
    pass


@dataclass(frozen=True, slots=True)
class Cut:
    pass


PrintOp = Text | Qr | Rule | Cut


@dataclass(frozen=True, slots=True)
class TicketSlip:
    hall_name_zh: str
    number: str
    business_zh: str
    business_en: str
    people_ahead: int
    est_wait_min: int | None
    issued_at: datetime
    kind: str
    rating_url: str
    priority_reason: str = ""
    reprint: bool = False
    # The windows that serve the ticket's business, and the code typed at a kiosk without camera.
    windows: tuple[int, ...] = ()
    rating_code: str = ""
    wait_range: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class ComplaintSlip:
    hall_name_zh: str
    tracking_number: str
    category_zh: str
    registered_at: datetime
    answer_due: datetime
    complainant_name: str
    id_number: str
    phone: str
    lookup_hint: str


POLITE_CLOSING = "请走好，别忘记您的东西！"
KIND_MARK = {"priority": "【绿色通道 Priority】", "appointment": "【预约 Appointment】"}


def windows_zh(windows: tuple[int, ...]) -> str:
    return "、".join(str(n) for n in windows) + " 号窗口"


def ticket_slip(slip: TicketSlip, paper: Paper) -> list[PrintOp]:
    low, high = slip.wait_range if slip.wait_range is not None else (None, None)
    words = wait_words(slip.est_wait_min, low, high)
    wait = f"预计等待{words}" if words else "预计等待时间暂无法估算"
    ops: list[PrintOp] = [
        Text(slip.hall_name_zh, bold=True, align=Align.CENTER),
        Rule(),
        Text(slip.number, scale=4 if paper is Paper.MM80 else 3, bold=True, align=Align.CENTER),
        Text(full_width_punctuation(slip.business_zh), scale=2, bold=True, align=Align.CENTER),
        Text(slip.business_en, align=Align.CENTER),
    ]
    if slip.kind in KIND_MARK:
        ops.append(Text(KIND_MARK[slip.kind], bold=True, align=Align.CENTER))
    if slip.priority_reason:
        ops.append(Text(slip.priority_reason, align=Align.CENTER))
    ops += [
        Rule(),
        Text(f"您已领取 {slip.number} 号，前方等待 {slip.people_ahead} 人", bold=True),
        Text(wait),
        Text(f"Ticket {slip.number}: {slip.people_ahead} ahead of you"),
    ]
    if slip.windows:
        ops.append(Text(f"办理窗口：{windows_zh(slip.windows)}", bold=True))
        ops.append(Text("Windows: " + ", ".join(str(n) for n in slip.windows)))
    ops += [
        Text(f"取号时间 {slip.issued_at:%Y-%m-%d %H:%M}"),
        Text("请留意叫号，过号需重新排队。"),
        Rule(),
        Qr(slip.rating_url, caption="办事后 24 小时内扫码评价 · Rate this service"),
    ]
    if slip.rating_code:
        ops += [Text(f"评价码 {slip.rating_code}", bold=True, align=Align.CENTER),
                Text("无法扫码时，可在自助终端「评价服务」输入评价码。")]
    ops.append(Text(POLITE_CLOSING, align=Align.CENTER))
    if slip.reprint:
        ops.append(Text("（补打 Reprint）", align=Align.CENTER))
    ops.append(Cut())
    return ops


def guide_slip(hall_name_zh: str, guide: ServiceGuide, paper: Paper,
               printed_at: datetime | None = None) -> list[PrintOp]:
    ops: list[PrintOp] = [
        Text(hall_name_zh, bold=True, align=Align.CENTER),
        Text("一次性告知单", scale=2, bold=True, align=Align.CENTER),
    ]
    if printed_at is not None:
        ops.append(Text(f"告知日期：{printed_at:%Y年%m月%d日}", align=Align.CENTER))
    ops += [
        Rule(),
        Text(full_width_punctuation(guide.name_zh), scale=2, bold=True),
        Text(guide.name_en),
        Rule(),
        Text("需提供材料 Materials", bold=True),
        *[Text(f"{i}. {full_width_punctuation(item)}")
          for i, item in enumerate(guide.materials, start=1)],
        Text("办理条件 Conditions", bold=True),
        *[Text(f"· {full_width_punctuation(item)}") for item in guide.conditions],
        Text("办理时限 Time limit", bold=True),
        Text(full_width_punctuation(guide.time_limit)),
        Text("收费标准 Fees", bold=True),
        Text(full_width_punctuation(guide.fee)),
        Text("办理地点 Where", bold=True),
        Text(full_width_punctuation(guide.where)),
    ]
    if guide.notes:
        ops.append(Text("温馨提示 Notes", bold=True))
        ops += [Text(f"· {full_width_punctuation(note)}") for note in guide.notes]
    ops += [Rule(), Text("材料不全的，工作人员将一次性告知需补齐的材料。"),
            Text(POLITE_CLOSING, align=Align.CENTER), Cut()]
    return ops


def complaint_slip(slip: ComplaintSlip, paper: Paper) -> list[PrintOp]:
    return [
        Text(slip.hall_name_zh, bold=True, align=Align.CENTER),
        Text("投诉受理回执", scale=2, bold=True, align=Align.CENTER),
        Rule(),
        Text("受理编号 Tracking number", bold=True),
        # The one thing the citizen must keep: as large as fits the paper, never cut.
        Text(slip.tracking_number, scale=2 if paper is Paper.MM80 else 1, bold=True,
             align=Align.CENTER),
        Text(f"投诉类别：{slip.category_zh}"),
        # Only what the citizen gave: an empty "证件号码：" reads like something went missing.
        *[Text(f"{label}：{masked}") for label, masked in (
            ("投诉人", mask_name(slip.complainant_name)),
            ("证件号码", mask_id_number(slip.id_number)),
            ("联系电话", mask_phone(slip.phone))) if masked],
        Text(f"受理时间：{slip.registered_at:%Y-%m-%d %H:%M}"),
        Text(f"答复期限：{slip.answer_due:%Y-%m-%d} 前", bold=True),
        Rule(),
        Text(slip.lookup_hint),
        Text("您的意见对我们很重要，我们将尽快处理并答复您。"),
        Cut(),
    ]


# A name on a public slip keeps its surname and a title; two-character surnames stay whole.
TITLES = ("先生", "女士", "小姐")
COMPOUND_SURNAMES = frozenset(str.split(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 "
    "端木 独孤 南宫 西门 百里 呼延 万俟 闻人 澹台 申屠 太史 公羊 濮阳 淳于 单于 "
    "钟离 "
))


def surname_of(name: str) -> str:
    return name[:2] if len(name) > 2 and name[:2] in COMPOUND_SURNAMES else name[:1]


def mask_name(name: str) -> str:
    """What a public slip may show of a name, by one rule: the surname, then a title as given
    (王先生 stays 王先生, 王小明先生 becomes 王先生) or a star for each other character (王小明 ->
    王**). Never 王*生, which reads like a real name."""
    name = name.strip()
    for title in TITLES:
        if name.endswith(title) and len(name) > len(title):
            before = name[:-len(title)]
            return (before if before in COMPOUND_SURNAMES else surname_of(before)) + title
    surname = surname_of(name)
    return surname + "*" * (len(name) - len(surname))


def mask_id_number(id_number: str) -> str:
    digits = id_number.strip()
    if not digits:
        return ""
    return "*" * max(0, len(digits) - 4) + digits[-4:]


def mask_phone(phone: str) -> str:
    p = phone.strip()
    if len(p) < 7:
        return "*" * len(p)
    return p[:3] + "*" * (len(p) - 7) + p[-4:]
