"""Units named in a directive: the caller's directory (names, short names, aliases) plus generic
forms the parser knows (宣传部门, 市委党校, 督查局, 各部门各单位, 镇（街道）…).

A generic form is mapped to a directory unit when exactly one directory unit's name or alias
equals or contains the form's core (宣传部门 → 党工委宣传部 / alias 宣传部); otherwise the form is
reported as written (normalised). Nothing is reported that is not in the text.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from .hanzi import simplified_chars
from .model import UnitName

# Department stems a city/county government commonly has (short forms as used in speech).
_DEPTS = (
    "发展和改革委员会|发展改革委|发改委|财政局|住房和城乡建设局|住建局|教育局|教体局|公安局|民政局|"
    "人力资源和社会保障局|人社局|自然资源和规划局|自然资源局|生态环境局|交通运输局|交通局|水利局|"
    "农业农村局|商务局|文化广电和旅游局|文广旅局|文旅局|卫生健康委员会|卫健委|卫生健康委|应急管理局|应急局|"
    "市场监督管理局|市场监管局|统计局|审计局|税务局|城市管理局|城管局|工业和信息化局|工信局|科技局|"
    "大数据管理局|大数据局|行政审批和政务信息管理局|行政审批局|政务服务中心|营商环境办|营商办|信访局|"
    "医疗保障局|医保局|退役军人事务局|林业局|气象局|供电公司|宣传部|组织部|统战部|政法委|编办|"
    "督查局|督查室|政府办公厅|政府办公室|政府办|党委办公室|党委办|融媒体中心|投资促进局|招商局|金融局|"
    "城乡规划局|规划局|住房保障中心|消防救援大队|消防救援支队|国资委|机关事务管理局|司法局|"
    "纪工委|纪委监委|纪委|总工会|团委|妇联|残联|科协|住建委|交通运输委|水务局|发改局|卫健局|粮食局|扶贫办|"
    "乡村振兴局|数据局|体育局|文化和旅游局|城市管理和综合执法局|综合行政执法局|行政执法局|疾控中心|"
    "疾病预防控制中心|生态环境分局|环境分局|自然资源和规划分局|公安分局|执法大队|督查委|"
    # the names of before the 2018 reform, still those of many documents in the set's years
    "环保局|环境保护局|工商局|工商行政管理局|国土资源局|国土局|房管局|安监局|质监局|食药监局|卫计局|卫生局|"
    "农业局|畜牧局|广电局|文化局|旅游局|供销社"
)
_FIELDS = (
    "宣传|组织|统战|政法|财政|公安|教育|民政|住建|交通|交通运输|水利|农业农村|农业|应急|应急管理|生态环境|环保|"
    "市场监管|税务|人社|自然资源|发改|发展改革|统计|审计|文旅|文化|旅游|商务|工信|科技|卫健|卫生健康|卫生|"
    "城管|信访|医保|司法|金融|国资|林业|林草|草原|气象|消防|住房保障|规划|体育|人防|粮食|畜牧|水务|电力|通信|退役军人|残联|妇联|共青团|工会|行业主管|主管|监管|行业"
)

def _trie(words: str) -> str:
    """'财政局|财务局|住建局' → '(?:财(?:政局|务局)|住建局)': the same words, longest first, with
    shared beginnings factored out so that a scan tries each position once instead of per word."""
    tree: dict = {}
    for w in sorted({w for w in words.split("|") if w}, key=len, reverse=True):
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = []
        end = "" in node
        for ch in sorted(k for k in node if k):
            alts.append(re.escape(ch) + emit(node[ch]))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if end else body

    return "(?:" + emit(tree) + ")"


_COLLECTIVE = (
    r"(?:乡镇（街道）|乡镇\(街道\)|乡镇|镇办|镇街|县区|区县|县（市、区）|街道|"
    r"(?:县|市|区)(?:直|级)各?(?:有关|相关)?(?:部门|单位)|(?:有关|相关)?(?:部门单位|部门|单位))"
)
# What never stands inside the kind of the enterprises (各施工企业, 相关投资开发企业): a body's ending or a verb
# said of enterprises (各部门指导企业做好…, 相关部门帮助企业解决…)
# (乡镇企业 is a kind of enterprise, not a town)
_NOT_IN_KIND = (r"部门|单位|街道|[局委办]|乡镇(?!企业)|镇(?!企业)|乡(?!镇企业|企业)|指导|帮助|帮扶|督促|引导|支持|推动|协调|鼓励|要求|监督|检查|配合|协助|"
                r"动员|走访|联系|包保|包联|对接|深入|走进|组织|约谈|督导|推进|落实|[为向对给帮助促]")
# (regex, core used to map onto the directory or None for collective forms)
_GENERIC: list[tuple[str, str | None]] = [
    # collective compounds first, so that 各相关部门及乡镇 is not read as 相关部门
    (r"(?:全县|全市|全区|全镇)?各级各(?:有关|相关)?(?:部门单位|部门和单位|部门、单位|部门|单位)(?:（单位）|\(单位\))?", None),
    # 各地各部门, 各区各部门: every place and every department, one collective (not 各部门 alone)
    # (各街道各单位, 各乡镇各村, 各镇各社区: 各 said twice with no mark between is one collective, by shape)
    (r"各(?:地|区|县|市|乡镇|镇|乡|县区|街道|社区|村)各(?:有关|相关|职能)?(?:部门单位|部门和单位|部门|单位|村民小组|小组|组|村|社区)", None),
    # 18个成员单位, 22个行业部门, 5个工作专班: a counted body of one kind, one collective (not after 等:
    # 环保局、住建局等8个单位 counts the names before it; never from inside a number: 等十二个单位 is not 二个单位)
    (r"(?<![等\d两二三四五六七八九十百])(?:[1-9]\d?|[两二三四五六七八九十]{1,3})个(?:(?:县直|市直|区直)?(?:成员|行业|职能|责任|牵头|相关|有关|包保|帮扶)?(?:单位|部门)|工作专班|专班|工作组|督导组|督查组|乡镇|街道)", None),
    # 各园区及相关企业, 各乡镇和辖区企业: places or bodies and the enterprises in them, one collective owner
    # read whole (not its first half); 各施工企业, 相关投资开发企业, 辖区企业: the enterprises of a kind,
    # whatever up to four characters name it, one collective
    (r"各(?:园区|开发区|乡镇|镇|街道|部门|单位|县区|有关部门|相关部门)(?:及|和|以及)(?:各|有关|相关|辖区|涉及|重点)?"
     r"(?:(?![和及与的、等各要])[\u4e00-\u9fff]){0,4}?企业", None),
    # (no body and no verb inside the qualifier: 各部门指导企业, 相关部门帮助企业 are a body acting on enterprises)
    (r"(?:各|有关|相关|辖区|涉及|涉事)(?:(?![和及与的、等各要]|" + _NOT_IN_KIND + r")[\u4e00-\u9fff]){0,4}?企业"
     r"(?![\u4e00-\u9fff]{0,2}(?:负责人|职工|员工|家|主|发展|经营|生产))", None),
    # 各相关职能部门和单位: the departments and bodies concerned, one collective
    (r"各(?:有关|相关)?职能部门(?:和|及|、)?单位", None),
    # 各包保部门和乡镇: the departments assigned to cover the towns (包保, 包联, 挂包, 帮扶) and the towns
    (r"各?(?:有关|相关|包保|包联|挂包|帮扶)?(?:部门|单位)(?:及|和)各?(?:乡镇|镇办|镇（街道）|乡镇（街道）|镇\(街道\)|乡镇\(街道\))", None),
    # 各乡镇及县直部门, 各县区和市直各单位: two collectives joined are one collective owner
    (rf"各(?:有关|相关)?{_COLLECTIVE}(?:及|和|与|以及)各?{_COLLECTIVE}", None),
    # 全市各街道、社区, 各乡镇、村: one 各 spread over two kinds of place or body, with the scope it is
    # said of, is one collective owner (not its first kind alone); 各乡镇、各部门 repeats 各 and names two
    (r"(?:全[县市区镇乡旗])?各(?:乡镇|街道|社区|村|镇|乡|部门|单位)、(?:乡镇|街道|社区|村|镇|乡|部门|单位)"
     r"(?![\u4e00-\u9fff]{0,3}(?:局|委|办|中心|站|所|组|干部|书记|主任|负责人|工作|党组织))", None),
    (r"(?:县|市|区)(?:直|级)各(?:有关|相关)?(?:部门|单位)(?:（单位）|\(单位\))?|(?:县|市|区)直(?:有关|相关)?(?:部门|单位)", None),
    (r"(?:示范区)?党工委办公室", "党工委办公室"),
    # 管委会各部门, 管委会各职能部门: the offices of one body as one collective owner
    (r"(?:示范区)?管委会各(?:有关|相关|职能)?(?:部门|单位|处室|科室)", None),
    (r"(?:示范区)?管委会办公室", "管委会办公室"),
    (r"(?:市委|县委|区委|党工委|市|县|区)?党校", "党校"),
    (r"(?:示范区|市|县|区)?人大工委", "人大工委"),
    (r"(?:示范区|市|县|区)?政协工委", "政协工委"),
    (r"(?:示范区)?管委会", "管委会"),
    (r"(?:示范区)?党工委", "党工委"),
    (r"(?:各级各部门|各部门各单位|各部门、各单位|各单位各部门)", None),
    # 市安委会有关成员单位, 县防指各成员单位: the members of a commission, as one collective
    (r"(?:市|县|区|镇|乡)(?:(?![和及与的、])[\u4e00-\u9fff]){1,6}?(?:委员会|委会|领导小组|指挥部)(?:有关|相关|各)?成员单位", None),
    # 各乡镇(街道、办事处), 各县(区), 各社区(村): a collective with the kinds it covers in brackets
    # (各镇（街）、村: the towns and the villages under them, one collective)
    # (各街道（镇）: the kinds may stand either way round, whichever the place has most of)
    (r"各(?:乡镇|县|市|区|镇|乡|社区|村|街道)[（(](?:街道|办事处|区|县|市|镇|乡|村|居|社区|园区|场|街)(?:、(?:街道|办事处|区|县|市|镇|乡|村|居|社区|园区|场|街))*[）)]"
     r"(?:、(?:村|社区)(?:[（(](?:居|社区|村)[）)])?(?![\u4e00-\u9fff]{0,3}(?:局|委|办|中心|站|所|组)))?", None),
    (r"(?:各|有关|相关)?(?:县（市、区）|县\(市、区\)|镇（街道）|镇\(街道\)|乡镇（街道）|乡（镇）|乡\(镇\))", None),
    # 各苏木乡镇, 各嘎查村, 各旗县区: the same collectives where banners and sumu stand for counties and towns
    (r"各(?:苏木乡镇|苏木镇|苏木|嘎查村|嘎查|旗县区|旗县市区|旗县|旗市区|盟市)", None),
    # 各行管部门, 各行业主管部门: the departments that regulate a field, as one collective
    (r"各(?:行管|行业主管|行业监管|主管|业务主管|监管)(?:部门|单位)", None),
    (r"各(?:乡镇（街道）|乡镇\(街道\)|乡镇|镇办|镇|县区|区县|县（市、区）|街道办事处|街道|部门|单位|科室|企业|园区|开发区|个专班|专班|社区居委会|社区居民委员会|村（居）委会|村\(居\)委会|居委会|村委会|社区|村各(?:村民)?小组|村|办事处|(?:有关|相关|责任|牵头|配合|协同|参与|成员|职能|包保|包联|挂包|帮扶)(?:部门|单位)|(?:责任|有关|相关)(?:乡镇|村|社区))", None),
    (r"(?:有关|相关)(?:部门单位|部门和单位|部门|单位)", None),
    # 涉及单位要…: the bodies a matter involves, a collective like 有关单位
    (r"涉及(?:的)?(?:部门单位|部门和单位|部门|单位)", None),
    # (主要责任单位, 其他责任单位, 相关责任部门: the role with the word that says which of its holders)
    (r"(?:牵头责任单位|牵头责任部门|牵头部门|牵头单位|(?:主要|其他|相关|有关)?(?:责任部门|责任单位|配合单位|协同单位)|主要承担部门|承担部门)", "ROLE"),
    # 各建设单位, 各施工单位: every party of that kind, a collective (no lead), not 建设单位 alone
    (r"各(?:项目)?(?:施工|建设|业主|监理|代建|设计)单位", None),
    # 各医疗机构, 各学校, 各中小学, 各景区, 各新闻媒体: every body of a sector, a collective (no lead)
    (r"各(?:级)?(?:医疗卫生|医疗|卫生|金融|养老|托育|培训|文化|旅游|检验检测)?(?:机构|医院|卫生院|学校|中小学|幼儿园|景区)"
     r"|各(?:级|类)?(?:新闻)?媒体", None),
    # 各包扶单位, 各项目单位, 各驻村单位: every body of the kind its qualifier names, one collective
    # (no lead). The qualifier is read by its shape, not looked up: whatever two to four characters
    # stand between 各 and 单位/部门, the whole is one collective owner
    (r"各(?:(?![和及与的、等各])[\u4e00-\u9fff]){2,4}?(?:单位|部门)(?![\u4e00-\u9fff]{0,2}(?:负责人|领导|干部))", None),
    # 施工单位, 项目业主单位, 项目指挥部: the parties of a works project, each one owner as written
    (r"(?:项目)?(?:施工|建设|业主|监理|代建|设计)单位|项目(?:指挥部|业主|办公室|部)", "PROJECT"),
    # 县乡财政部门, 市县两级财政部门: the departments of a field at two levels, one collective (no lead)
    (rf"(?:省市县|省市|市县|县乡|县镇|区镇|县区|市区)(?:两级|三级)?{_trie(_FIELDS)}部门", None),
    (rf"{_trie(_FIELDS)}部门", "FIELD"),
    (r"各(?:区|县|县区|区县|县市区|县（市、区）|县（市）区|市县|乡镇)(?:人民)?政府", None),
    (rf"(?:示范区|市|县|区|镇|乡)?(?:人民)?(?:政府)?{_trie(_DEPTS)}", "DEPT"),
]
# Any unit written with its level: 县疾控中心, 区城建局, 镇农业服务中心, 县城投集团 … A name is a run of
# characters that are no function words, ending in a unit suffix that is not the start of a word
# (县政府常务会议, 县委书记, 县长办公会 are no units).
# 项 only in 项目 (县重点项目服务中心; 三项工作 names none).
_NC = r"(?:项(?=目)|[^\W\d_A-Za-z要和及与的了在对将把牵负配参等向为是由请从到按并或各做抓加推完落以于就被让使好年月日个项件次听取汇报召主持])"
_SUF = (
    r"(?:领导小组办公室|委员会|办公室|管委会|领导小组|指挥部|服务中心|中心|分局|局|委|落实办|办|站|所|协会|联合会|商会|会|管理处|社(?!区|会)|"
    r"有限公司|公司|集团|大队|支队|中队|队|专班|组|部|室|机构(?!改革|编制|设置))"
)
# 布局/格局/大局, 社会/两会, 网站/南站, 团队/队伍: words that end like a unit but name none.
_SUF_NOT_AFTER = re.compile(r"(?:[布格大全开结当政时变残棋饭]局|[社两机大晚年例约聚理体领学工作年茶]会|[网车南北东西]站|[团排军球梯]队|[重改编机班分混]组)$")
_SUF_STOP = (
    # (结合 after a name is the basis of its work: 海航集团结合会议意见…)
    r"(?!议|上|同|后|前|场|谈|公|理|事|法|好|结(?!合)|件|成|有|以|(?<=所)在|属|需|得|谓|门|署|分|长|员|书记|常委|托|面|势|位|稳|岗|会(?![同议])|办公室|"
    r"校|伍|织|学|技|内|外|置|罚|计|客|商|话|费|务|展|晤|签|见|心得|建|合|团|件)"
)
# (由包片单位县气象局负责: the role word written onto the name, as 由X单位 a list of bodies)
_NAMED_RE = re.compile(rf"(?:^|(?<=[、，,。；;：:（(）)“\s由请和及与同了意促责到给向对的是])|(?<=要求|责成|单位))[县市区镇乡](?!长|域|委书记|领导|政府常务|政府全体|城(?!市管理|市综合)|域|内|里|级|直)(?:{_NC}{{1,9}}?{_SUF}){_SUF_STOP}")
# Towns, subdistricts, villages and development zones named in a list or as subjects (小伊乡、同兴镇等未
# 按要求报送, 8月7日前金元村、石宝沟村要…, 由经济开发区和国土局负责, 九重镇落实). 美丽乡村/新农村 are no villages.
_PLACE = (
    rf"(?:{_NC}{{2,3}}?(?:乡|镇|街道办事处|街道办|街道|社区居委会|社区居民委员会|社区|(?<![乡农山渔城])村(?:委会|民委员会)?)|"
    rf"{_NC}{{0,6}}?(?:经济技术开发区|经济开发区|高新技术产业开发区|开发区|经开区|高新区|工业园区|产业园区))"
)
_TOWN_RE = re.compile(
    # (after a sentence's end or an item's number too: …。城关镇要…, 3.城关镇负责…)
    rf"(?:^|(?<=[、，,：:；;（(）)由请和及与是。.\s])|(?<=日前)|(?<=要求)|(?<=责成)){_PLACE}"
    r"(?=、|等|要|和|及|负责|牵头|配合|参与|落实|应|因|[，,：:])"
)
_PLACE_RE = re.compile(_PLACE)
# 1.珠山村大水井：垃圾箱满溢…, 3.邑等村：…: an item of a 红黑榜 that opens with a village (town,
# community) and the spot in it, then the problem: the village answers for it. Only right after the
# item's number and before its colon, where a name may hold characters a subject's may not (邑等村).
_ITEM_PLACE_RE = re.compile(
    r"(?<=\d[.、．])[\u4e00-\u9fff]{1,3}?(?:社区|街道|镇|乡|(?<![乡农])村)(?=[^，,。；;：:\s]{0,14}[：:])"
)
_ITEM_PLACE_NOT = re.compile(r"[要和及与的了在对将把是由请从到按并或各]")


def place_name(text: str) -> bool:
    """Whether the text is a town, subdistrict, village or zone by its name alone (高桥镇, 经开区), as
    a heading or a cell names one without a verb after it."""
    return bool(_PLACE_RE.fullmatch(text))
# Without a level, only where a unit stands as a subject or in a list of units (督查委、纪委要…).
_SUBJECT_SUF = r"(?:领导小组办公室|委员会|办公室|管委会|领导小组|指挥部|服务中心|中心|管理处|分局|局|委|办|专班|机构(?!改革|编制|设置)|有限公司|公司|集团|大队|支队|队|医院|院|馆|组|科(?![技研学普所院室局委])|股(?![份东权票市]))"
_SUBJECT_NAMED_RE = re.compile(
    # (not 即原供电公司 in brackets: the former name of a place, no body; not 根据县委、县政府…要求: what
    # the work goes by)
    rf"(?:^|(?<=[、，,：:；;（(）)由请和及与是\s]))(?!即(?!墨))(?!根据|依据|按照|遵照|依照|对照)(?:{_NC}{{2,8}}?{_SUBJECT_SUF}){_SUF_STOP}"
    r"(?=要|负责|牵头|配合|参与|协助|、|和|及|等|会同|抓紧|立即|尽快|拟|对|将|于)"
)
# 由兴东集团按程序组织实施: after 由 a name with a unit's ending is the unit that does the work
# (由拦隆口人民政府负责: a town's government named without its level, after 由)
_BY_NAMED_RE = re.compile(
    rf"(?<=由)(?:{_NC}{{2,8}}?(?:{_SUBJECT_SUF}|人民政府)){_SUF_STOP}"
    # 请海航集团结合会议讨论的意见，尽快…: after 请 at the opening of a request, the body it goes to
    rf"|(?:(?<=^请)|(?<=[、，,：:；;。\s]请)|(?<=[一二三四五六七八九十]、请))(?:{_NC}{{2,8}}?{_SUBJECT_SUF}){_SUF_STOP}"
)
# a name without a level counts only as (part of) the subject: 督查委、纪委要…, 小伊乡、同兴镇等未…
# (the other names may be joined by 和/及 and carry a note in brackets: …开发区和市安委会有关成员单位(详见任务分工)要)
_NOTE = r"(?:[（(][^（）()]{1,12}[）)])?"
_SUBJECT_CHAIN = re.compile(
    rf"{_NOTE}(?:[、和及与][^，,。；;、和及与（()]{{2,16}}{_NOTE}){{0,12}}(?:等(?:\d+个|[一二三四五六七八九十]+个)?(?:部门|单位|乡镇)?)?(?:均|都|分别)?"
    r"(?:要|负责|牵头|配合|参与|协助|会同|抓紧|立即|尽快|未|没有|拟|对|将|落实|应(?![急用对])"
    # 姚集镇因…纳入拆迁范畴，应及时变更…: the subject, the reason, then its modal
    r"|因[^，,。；;]{2,40}[，,](?:要|应|须|需|必须))"
)
# 双沟、王集两镇要…, 高桥、城关、新集等三个乡镇: places of one level named once for all, by their
# count. Each name is a place of that level; 乡镇 does not say which, so the name stays as written.
_COUNTED_PLACES = re.compile(
    r"(?:^|(?<=[、，,。；;：:（(\s由请和及与是]))(?<![\u4e00-\u9fff]、)"
    r"((?:[\u4e00-\u9fff]{2,3}?、)+[\u4e00-\u9fff]{2,3}?)(等)?([两二三四五六七八九十]|\d{1,2})个?(乡镇|镇|乡|街道|社区|村)"
)
_COUNT_WORDS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_PLACE_BOUNDARY = re.compile(r"[、，,。；;：:（(\s由请和及与]")
# Every generic form starts with one of these characters; checking it first lets the scan skip the
# long alternation at almost every position (the forms are plain word lists after their prefixes).
_FIRST_CHARS = "".join(
    sorted(set("示党管市县区镇乡人政全各有相部单牵责配协主承项施建业监代设涉其辖123456789两二三四五六七八九十") | {w[0] for w in (_DEPTS + "|" + _FIELDS).split("|") if w})
)
_GENERIC_RE = re.compile(f"(?=[{re.escape(_FIRST_CHARS)}])(?:" + "|".join(f"({p})" for p, _ in _GENERIC) + ")")
# Units of a higher level are mentioned (按照省委宣传部统一安排, 与省直部门做好对接) but never assigned.
_HIGHER = re.compile(r"(?:省|省委|省政府|省直|中央|国家|国务院|全国|党中央|中共中央)$")
_PREFIX = re.compile(r"^(?:示范区|[\u4e00-\u9fff]{1,4}?(?:市|县|区|镇|乡|街道))")


def normalize(name: str) -> str:
    """The comparison key for unit names: NFKC, simplified characters, no spaces, Chinese brackets."""
    s = simplified_chars(unicodedata.normalize("NFKC", name or ""))
    s = re.sub(r"\s+", "", s)
    return s.replace("(", "（").replace(")", "）")


def display(name: str) -> str:
    s = re.sub(r"\s+", "", name or "")
    return s.replace("(", "（").replace(")", "）")


class _Spans:
    """Spans already taken in a text; asks whether a new one overlaps any of them in time
    logarithmic in their number (a line of 200,000 characters holds tens of thousands)."""

    def __init__(self, spans=()) -> None:
        self._spans: list[tuple[int, int]] = []
        self._longest = 0
        for a, b in spans:
            self.add(a, b)

    def add(self, a: int, b: int) -> None:
        bisect.insort(self._spans, (a, b))
        self._longest = max(self._longest, b - a)

    def overlaps(self, s: int, e: int) -> bool:
        # only a span starting less than the longest span's length before s can reach past s
        i = bisect.bisect_left(self._spans, (s - self._longest, -1))
        while i < len(self._spans) and self._spans[i][0] < e:
            a, b = self._spans[i]
            if not (e <= a or s >= b):
                return True
            i += 1
        return False


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    surface: str
    name: str  # what the parser reports
    collective: bool
    directory: bool


class UnitMatcher:
    def __init__(self, units: Sequence[UnitName] = ()):
        self.units = [u for u in units if isinstance(u, UnitName) and normalize(u.name)]
        forms: dict[str, str] = {}
        for u in self.units:
            name = display(u.name)
            keys = [u.name, *[a for a in (u.aliases or ()) if isinstance(a, str)]]
            short = _PREFIX.sub("", normalize(u.name))
            if len(short) >= 3 and short != normalize(u.name):
                keys.append(short)
            for k in keys:
                k = display(k)
                if len(k) >= 2:
                    forms.setdefault(k, name)
        self.forms = forms
        self._cache: dict[str, tuple[Mention, ...]] = {}
        self._dir_re = (
            re.compile("|".join(re.escape(k) for k in sorted(forms, key=len, reverse=True))) if forms else None
        )

    def words(self) -> list[str]:
        return list(self.forms)

    def canonical(self, surface: str) -> str | None:
        """Directory unit for a name written in a field (牵头单位：市发改委) or None."""
        s = display(surface)
        if s in self.forms:
            return self.forms[s]
        short = _PREFIX.sub("", s)
        if short in self.forms:
            return self.forms[short]
        return None

    def _map_generic(self, surface: str, core: str | None) -> str:
        if core is None or not self.units:
            return display(surface)
        if core == "FIELD":
            core = surface[:-2]  # 宣传部门 → 宣传
        elif core == "DEPT":
            core = _PREFIX.sub("", display(surface))
        exact, contains = [], []
        for u in self.units:
            names = [display(u.name), *[display(a) for a in u.aliases or ()]]
            if any(n == core or n == display(surface) for n in names):
                exact.append(u)
            elif any(core in n for n in names):
                contains.append(u)
        pool = exact or contains
        if len(pool) == 1:
            return display(pool[0].name)
        if len(pool) > 1:
            shortest = min(len(display(u.name)) for u in pool)
            best = [u for u in pool if len(display(u.name)) == shortest]
            if len(best) == 1:
                return display(best[0].name)
        return display(surface)

    def find(self, text: str) -> list[Mention]:
        """Non-overlapping unit mentions in ``text`` in order (directory names win over generic
        forms on overlap; longer wins)."""
        # The parser asks about the same sentence and clause several times (directive, subject,
        # roles, title); the answer depends on the text alone.
        hit = self._cache.get(text)
        if hit is None:
            if len(self._cache) > 50_000:
                self._cache.clear()
            hit = self._cache[text] = tuple(self._find(text))
        return list(hit)

    def _find(self, text: str) -> list[Mention]:
        found: list[Mention] = []
        if self._dir_re is not None:
            for m in self._dir_re.finditer(text):
                if _HIGHER.search(text[max(0, m.start() - 4):m.start()]):
                    continue
                found.append(Mention(m.start(), m.end(), m.group(0), self.forms[m.group(0)], False, True))
        taken = _Spans((f.start, f.end) for f in found)
        for m in _COUNTED_PLACES.finditer(text):
            names = m.group(1).split("、")
            count = int(m.group(3)) if m.group(3).isdigit() else _COUNT_WORDS[m.group(3)]
            if count != len(names) or any(_FUNCTION_CHARS.search(n) or _VERB_BEFORE.search(n) for n in names):
                continue  # 各乡镇、各部门两个责任: no list of place names
            if not _SUBJECT_CHAIN.match(text, m.end()) or taken.overlaps(m.start(), m.end()):
                continue
            level, at = m.group(4), m.start(1)
            for n in names:
                end = at + len(n) if n is not names[-1] else m.end()
                written = n if level == "乡镇" else n + level
                known = self.canonical(written) or (
                    (self.canonical(n + "镇") or self.canonical(n + "乡")) if level == "乡镇" else None)
                found.append(Mention(at, end, text[at:end], known or written, False, known is not None))
                taken.add(at, end)
                at += len(n) + 1
        for m in _GENERIC_RE.finditer(text):
            s, e = m.start(), m.end()
            if taken.overlaps(s, e):
                continue
            if _HIGHER.search(text[max(0, s - 4):s]):
                continue
            idx = m.lastindex - 1 if m.lastindex else 0
            core = _GENERIC[idx][1]
            surface = m.group(0)
            if core == "DEPT" and surface in ("宣传部", "组织部") and text[e:e + 1] == "门":
                continue
            if core == "DEPT" and surface[-1:] in _TITLED_ENDS and _HEAD_TITLE.match(text, e):
                continue  # 环保局长王某: the head of the bureau by title, a person, no unit
            if core == "DEPT" and surface.endswith("局") and _WORD_AFTER_JU.match(text, e):
                continue  # 打开招商局面, 环境卫生局部整治, 传统农业局限: 局 begins a word, no bureau
            if core is None and _TITLED_PLACE.search(text[max(0, s - 4):s]) and surface.startswith(("县", "镇", "乡")):
                continue  # 培树12个食品药品安全示范县(市、区): a kind of county to be named, not the counties
            if core == "ROLE":
                # 督促责任单位 / 请牵头单位: a role, named by the one who speaks of it, is no unit;
                # as the subject (牵头部门主要负责同志要…) it stands for the units in that role.
                if s > 0 and text[s - 1] not in "由和、及与各的，,。；;：: \n" and "\u4e00" <= text[s - 1] <= "\u9fff" \
                        and text[max(0, s - 3):s] not in ("特别是", "尤其是"):
                    continue  # (特别是牵头单位要…: the role singled out is the subject)
                if re.search(r"(?:明确|确定|落实)[^，,。；;：:]{0,40}$", text[max(0, s - 42):s]):
                    continue  # 明确工作目标、完成时限以及责任部门: the role to be named, no owner
                if not surface.startswith("牵头"):
                    core = None
            if core in ("ROLE", "PROJECT"):
                # 牵头单位要…: the role that leads is one owner (it leads); 施工单位: a party as written
                found.append(Mention(s, e, surface, display(surface), False, False))
                taken.add(s, e)
                continue
            if core is not None and surface.startswith(("县", "市", "区")) and _zone_prefix(text, s) == s:
                s = _named_place(text, s)  # 兴庆区政府办公室: the place named before the level
                surface = text[s:e]
            if core is not None and not surface.startswith(("县", "市", "区", "镇", "乡")):
                s = _place_prefix(text, s)
                surface = text[s:e]
            elif core is not None and surface.startswith("区"):
                s = _zone_prefix(text, s)  # 开发区供电公司: the 区 is the end of the zone's name
                surface = text[s:e]
            found.append(Mention(s, e, surface, self._map_generic(surface, core), core is None, False))
            taken.add(s, e)
        for rx in (_NAMED_RE, _SUBJECT_NAMED_RE, _BY_NAMED_RE, _TOWN_RE, _ITEM_PLACE_RE):
            place = rx in (_TOWN_RE, _ITEM_PLACE_RE)
            for m in rx.finditer(text):
                s, e = m.start(), m.end()
                if taken.overlaps(s, e):
                    continue
                if _HIGHER.search(text[max(0, s - 4):s]):
                    continue
                if rx is _TOWN_RE and _FUNCTION_CHARS.search(m.group(0)[:-1]):
                    continue
                if rx is _ITEM_PLACE_RE and _ITEM_PLACE_NOT.search(m.group(0)[:-1]):
                    continue
                if not place and _SUF_NOT_AFTER.search(m.group(0)):
                    continue
                if rx in (_SUBJECT_NAMED_RE, _TOWN_RE) and not _SUBJECT_CHAIN.match(text, e):
                    continue
                if not place:
                    s = _zone_prefix(text, s) if text[s] == "区" else _place_prefix(text, s)
                surface = text[s:e]
                if surface[:1] in "县市区镇乡" and len(surface) <= 2:
                    continue
                found.append(Mention(s, e, surface, self._map_generic(surface, "DEPT"), False, False))
                taken.add(s, e)
        found.sort(key=lambda f: f.start)
        # 县公安局交警大队, 县住建局城建监察大队: a unit's own subdivision named right after it
        out: list[Mention] = []
        for f in found:
            sub = _SUBDIVISION.match(text, f.end)
            if sub and not f.collective and not any(g.start < sub.end() and g.start >= f.end for g in found):
                e = sub.end()
                surface = text[f.start:e]
                f = Mention(f.start, e, surface, display(surface) if not f.directory else f.name + sub.group(0), False, f.directory)
            out.append(f)
        return out


# 局长, 部长, 大队长, 社长, 所长, 院长, 站长: the head of a body by title (not 委/办/中心: no title is said so),
# unless 长 begins a word of its own (长期, 长效, 长远, 长年, 长时间, 长江 …)
_TITLED_ENDS = "局部队社所院站"
_HEAD_TITLE = re.compile(r"长(?!期|效|远|年|久|足|时|江|城|沙|春|治|廊|度|达)")
# 局面, 局势, 局限, 局促, 局部 (not 局部署, 局部分, 局部门): words that begin with 局, after a field's name
_WORD_AFTER_JU = re.compile(r"面|势|限|促|部(?!署|分|门)")


_SUBDIVISION = re.compile(
    rf"(?:办公室|{_NC}{{1,6}}?(?:大队|中队|支队|分局|派出所|执法队|服务中心|中心|管理站|站|管理所|所|科|股)){_SUF_STOP}"
    r"(?=要|负责|牵头|配合|参与|、|和|及|等|会同|对|按|将|[，,：:；;。])"
)


def _zone_prefix(text: str, s: int) -> int:
    m = _ZONE_BEFORE.search(text[max(0, s - 12):s + 1])
    if m:
        a = s + 1 - (len(text[max(0, s - 12):s + 1]) - m.start())
        if a < s and (a == 0 or _PLACE_BOUNDARY.match(text, a - 1)):
            return a
    return s


def _place_prefix(text: str, s: int) -> int:
    """开江县交通局, 城管执法队, 县经济技术开发区管委会: a place (or 县/市/区) before a unit's name
    belongs to it when it follows a clause or list boundary."""
    if text[max(0, s - 2):s] in ("市委", "县委", "区委") or text[max(0, s - 3):s] == "党工委":
        return s - (3 if text[max(0, s - 3):s] == "党工委" else 2)
    m = _ZONE_BEFORE.search(text[max(0, s - 12):s])
    if m:
        a = s - (len(text[max(0, s - 12):s]) - m.start())
        if a == 0 or _PLACE_BOUNDARY.match(text, a - 1):
            return a
    for n in (3, 2, 1):
        a = s - n
        if a < 0:
            continue
        name = text[a:s]
        if _VERB_BEFORE.search(name):
            continue
        if n == 1 and name not in "县市区":
            continue
        if not all("\u4e00" <= ch <= "\u9fff" for ch in name) or _FUNCTION_CHARS.search(name):
            continue
        if name.startswith("即") and not name.startswith("即墨"):
            continue  # （即原供电公司…）: "that is, the former", no place
        if a == 0 or _PLACE_BOUNDARY.match(text, a - 1):
            return a
    return s


def _named_place(text: str, s: int) -> int:
    """兴庆区政府办公室, 开江县交通局: the name of the place before 区/县/市 belongs to the unit when it
    follows a clause or list boundary and is no adverb, verb or function word (同时县住建局 is not one)."""
    for n in (4, 3, 2):
        a = s - n
        if a < 0:
            continue
        name = text[a:s]
        if not all("\u4e00" <= ch <= "\u9fff" for ch in name) or _FUNCTION_CHARS.search(name):
            continue
        if _VERB_BEFORE.search(name) or _NOT_PLACE.search(name):
            continue
        if a == 0 or _PLACE_BOUNDARY.match(text, a - 1):
            return a
    return s


_NOT_PLACE = re.compile(
    r"同时|此外|其中|随后|最后|首先|其次|然后|另外|会后|会上|会议|目前|当前|近期|下步|一步|今后|此前|阶段|今年|明年|"
    r"尤其|特别|重点|确保|进一步|[一二三四五六七八九十]是|省|国|中央|[县市区镇乡村]|"
    r"同意|通过|审议|审定|研究|决定|听取|原则|批准|印发|提交|报送|交由|移交|邀请|约谈|表扬|批评|"
    # 由包片单位县气象局负责: a role written before the name
    r"单位|部门"
)


# 督促农业部门, 指导城管执法队: a verb before a unit is no place name.
_VERB_BEFORE = re.compile(
    r"督促|指导|协调|组织|推动|要求|配合|会同|联合|责成|支持|帮助|依托|通过|提请|报请|加强|强化|压实|"
    r"优化|完善|建立|健全|规范|深化|提升|加快|推进|落实|做好|整合|理顺|成立|组建|设立|督|促|导|协|推|请"
)
# 示范县（市、区）, 先进乡（镇）: places of a title to be won or named, the object of the work, not its owners
_TITLED_PLACE = re.compile(r"(?:示范|先进|百强|强|试点|达标|文明|卫生|标杆|样板|合格)$")
_FUNCTION_CHARS = re.compile(r"[要和及与的了在对将把牵负配参等向为是由请从到按并或各做抓加推完落以于就被让使好年月日个项件次听取汇报召主持全本我该]")
_ZONE_BEFORE = re.compile(r"(?:[县市区])?[\u4e00-\u9fff]{0,8}?(?:经济技术开发区|经济开发区|高新技术产业开发区|开发区|经开区|示范区|产业园区|园区|新区|高新区)$")
_ONE_COLLECTIVE = re.compile(r"各?(?:县、市、区|市、县、区|县、区|区、县)(?:人民)?政府|[（(]市、区[）)]|[（(]县、区[）)]")


def split_units(value: str) -> list[str]:
    """'市财政局、市住建局；市教育局' → ['市财政局', '市住建局', '市教育局']."""
    # 各县、市、区政府 and 各县（市、区） name one collective: their 、 separates no units
    keep = {m.start() + i for m in _ONE_COLLECTIVE.finditer(value or "") for i, ch in enumerate(m.group(0)) if ch == "、"}
    value = "".join("\0" if i in keep else ch for i, ch in enumerate(value or ""))
    parts = re.split(r"[、，,；;／/]+|\s{2,}", value)
    out = []
    for p in parts:
        p = p.replace("\0", "、")
        p = re.sub(r"^\s*(?:和|及|以及)", "", p.strip())
        p = re.sub(r"(?:[。．.]+|等)$", "", p).strip()
        if p and p not in out:
            out.append(p)
    return out
