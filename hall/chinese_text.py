"""Chinese text as citizens read it on screens and slips: words kept whole, full-width punctuation.

Pure and light (stdlib only): the kiosk's first screen uses it before anything else is loaded.
Chinese has no spaces, so a renderer may break a line between any two characters and split a
word (残疾|人, 预|约码). `segments` cuts a text into pieces that must stay on one line: the
hall's known words (longest match first), Latin words and numbers, short bracketed phrases, with
closing punctuation kept on the line before it and opening punctuation on the line after.
"""
from __future__ import annotations

import re

# U+2060 WORD JOINER: no line break here, invisible. Qt's line breaker honours it.
WORD_JOINER = "\u2060"
# A space that holds a number to its Chinese neighbours: 约 21 分钟 never ends a line at 21.
NO_BREAK_SPACE = "\u00a0"
_NUMBER_SPACE = re.compile(r"(?<=[0-9])[ ](?=[\u3400-\u9fff])|(?<=[\u3400-\u9fff])[ ](?=[0-9])")
# A bracketed phrase up to this many characters stays on one line: （零星）, （取号）.
SHORT_BRACKET_CHARS = 8

# Words of the 医保 hall and of the kiosk's own texts that must never be split. Longest match
# wins, so a long term (异地就医) is kept before its parts (异地, 就医).
KNOWN_WORDS = frozenset(str.split(
    "承诺书 证明 转诊 工作 居住 居住证 声明 常驻 长期 临时 外出 定点 医疗机构 机构 直接 "
    "结算 联网 出具 医院 国家 平台 小程序 登记表 现场 领取 任选 其一 补齐 生效 当日 一般 "
    "网上 即时 收取 任何 参保人员 参保人 身份 居民 社会 原件 复印件 票据 明细 清单 病历 "
    "银行卡 发票 材料齐全 工作日 个工作日 "
    "恢复取号 暂停取号 开始取号 停止取号 "
    "中文 后四位 手机号码 非常满意 非常不满意 基本满意 服务态度 服务效率 业务熟练度 "
    "一次性告知 等候时间 过长 作出 医保 医疗 保障 医疗保障 服务 大厅 服务大厅 参保 "
    "登记 参保登记 变更 信息 异地 "
    "就医 异地就医 备案 门诊 慢特病 慢性病 特殊病 待遇 认定 申请 费用 手工 零星 报销 "
    "生育 津贴 支付 关系 转移 接续 缴费 个人 账户 查询 打印 凭证 救助 综合 窗口 "
    "综合窗口 业务 事项 类别 办理 办事 指南 办事指南 取号 号票 号码 绿色 通道 "
    "绿色通道 预约 签到 预约码 评价 评价码 服务评价 投诉 建议 受理 编号 受理编号 回执 "
    "进度 答复 期限 时间 姓氏 先生 女士 电话 手机 号码 尾号 联系 方式 联系方式 称呼 "
    "老人 残疾人 孕妇 现役 军人 行动 不便 优先 情形 材料 条件 时限 收费 标准 地点 "
    "温馨 提示 一次性 告知单 告知 身份证 社保卡 医保卡 电子 凭证 二维码 摄像头 "
    "工作人员 系统 连接 中断 恢复 谅解 稍等 稍候 咨询 帮助 欢迎 您好 请您 请问 可以 "
    "需要 提交 确认 删除 清空 返回 首页 上一步 下一步 大字 模式 语音 播报 标准字号 "
    "大字模式 语音播报 等候 等待 预计 分钟 前方 开放 暂停 暂无 估算 满意 不满意 非常 "
    "基本 态度 效率 熟练 原因 至少 一项 分项 可选 打印机 缺纸 故障 补打 重新 自动 "
    "记下 输入 扫描 对准 键盘 数字 字母 拼音 首字母 查找 名称 相符 再试 今天 今日 "
    "上午 下午 营业 休息 午休 节假日 工作日 正在 已经 没有 无法 暂时 很抱歉 感谢 "
    "支持 意见 改进 处理 尽快 登记 办结 转交 单位 相关 小时 以上 以后 以前 之前 "
    "之后 时候 还有 更多 继续 使用 离开 结束 自助 终端 自助终端 人员 窗口号 "
))
_LONGEST_WORD = max(len(w) for w in KNOWN_WORDS)

_CLOSING = frozenset("，。、；：！？）」』》”’,.;:!?)%…")
_OPENING = frozenset("（「『《“‘(")
_LATIN = re.compile(r"[A-Za-z0-9'’\-.:/+#*@_]+")
# A bracketed phrase, one level of brackets inside allowed: 《居住声明（承诺书）》.
_BRACKET = re.compile(r"[（(「《“](?:[^（()）「」《》“”]|[（(「《“][^（()）「」《》“”]*[)）」》”])+"
                      r"[)）」》”]")
_HALF_TO_FULL = {"(": "（", ")": "）", ",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}


def is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\U00020000" <= char <= "\U0002ffff"


def segments(text: str, bracket_chars: int = SHORT_BRACKET_CHARS) -> list[str]:
    """The text in pieces that must each stay on one line; joined they give the text back.
    A bracketed phrase of up to `bracket_chars` characters is one piece."""
    pieces: list[str] = []
    i = 0
    while i < len(text):
        piece = _piece_at(text, i, bracket_chars)
        i += len(piece)
        if pieces and (piece[0] in _CLOSING or pieces[-1][-1] in _OPENING):
            pieces[-1] += piece  # 避头尾: no line starts with ）or ends with （
        else:
            pieces.append(piece)
    return pieces


def _piece_at(text: str, i: int, bracket_chars: int) -> str:
    bracket = _BRACKET.match(text, i)
    if bracket and len(bracket.group()) <= bracket_chars + 2:
        return bracket.group()
    latin = _LATIN.match(text, i)
    if latin:
        return latin.group()
    for length in range(min(_LONGEST_WORD, len(text) - i), 1, -1):
        if text[i:i + length] in KNOWN_WORDS:
            return text[i:i + length]
    return text[i]


def keep_words(text: str) -> str:
    """The text with word joiners inside each piece, and numbers held to the Chinese around
    them: a line breaker can split it only between pieces."""
    joined = "".join(WORD_JOINER.join(piece) if len(piece) > 1 and not piece.isascii() else piece
                     for piece in segments(text))
    return _NUMBER_SPACE.sub(NO_BREAK_SPACE, joined)


def full_width_punctuation(text: str) -> str:
    """Half-width brackets and marks next to Chinese characters made full-width: 手工(零星) ->
    手工（零星）. Latin text and numbers (12:30, Ms.) are left alone."""
    chars = list(text)
    for i, c in enumerate(chars):
        if c not in _HALF_TO_FULL:
            continue
        before = chars[i - 1] if i > 0 else ""
        after = chars[i + 1] if i + 1 < len(chars) else ""
        if c in "(" and is_cjk(before) or c == ")" and _bracket_holds_cjk(chars, i) or (
                c not in "()" and is_cjk(before)) or c == "(" and is_cjk(after):
            chars[i] = _HALF_TO_FULL[c]
    # An opening bracket made full-width takes its partner along, and the other way round.
    fixed = "".join(chars)
    return re.sub(r"（([^()（）]*)\)", r"（\1）", re.sub(r"\(([^()（）]*)）", r"（\1）", fixed))


def _bracket_holds_cjk(chars: list[str], close: int) -> bool:
    i = close - 1
    while i >= 0 and chars[i] not in "(（":
        if is_cjk(chars[i]):
            return True
        i -= 1
    return False
