"""Directive text → outline + candidate tasks. Pure Python; see docs/parser.md."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from collections.abc import Sequence

from luoshi.core.i18n import gettext, gettext_noop

from . import segment as _seg
from .actions import ActionModel, load as load_action_model
from .tables import _last_limit, read_cell_lines, read_spaced_lines, read_tables
from .dates import detect_date, field_deadline, find_cadence, find_deadline, find_deadline_at, held_on
from .errors import ParseError
from .hanzi import to_simplified
from .unwrap import past_gloss, unwrap
from .model import Candidate, DetectedDate, OutlineItem, ParseResult, UnitName
from .structure import (
    Node,
    Para,
    Piece,
    build_outline,
    classify,
    paragraphs,
    parse_fields,
    _HEADER_KEYS,
)
from .split import (
    COUNT_TAIL,
    GUIDANCE,
    JOINED_OBJECT,
    REQUEST_OWNER,
    WORK_NOUN,
    aims_only,
    follows_up,
    named_work,
    opens_action,
    shared_work_head,
)
from .targets import find_targets
from .units import Mention, UnitMatcher, display, place_name, split_units

MAX_CHARS = 5_000_000
INTERNAL_ERROR = gettext_noop("解析失败：文本结构无法处理，请检查文件内容后重试")

# 要 as a modal verb, not inside 重要/主要/要求/要素/纪要/只要 …
_MODAL = re.compile(
    r"(?<![重主必需只首纪概提扼简紧险显摘枢政想就])要(?![求素点务害闻件领道么是员地犯]|紧(?![盯抓]))(?!更|比)"
    r"|必须|应当(?![是说])|务必|确保|一定要|(?<!很)(?<!得)坚决|力争|不得(?![当了不已劲])|严禁|切实|抓紧|尽快|牵头|负责(?!同志|人)|督促|责成|请.{0,8}(?:于|在).{0,10}前"
    # 镇人居办将不定期对未整改问题进行回访: what the office that writes says it will do, after its object too
    r"|将(?:从[^，。]{1,6}起)?(?:专门|适时|定期|不定期)?(?:对[^，,。；;]{2,14}?)?(?:召开|听取|开展|组织|举办|出台|印发|启动|进行|实施|制定)(?!了)"
    # 希望各村对所曝光问题及时进行整改: a 通报's request to the units it names (split.REQUEST_OWNER)
    r"|^希望(?=(?:各|有关|相关|上述)?[\u4e00-\u9fff]{0,16}?(?:局|委|办|中心|部门|单位|镇|乡|街道|公司|村|社区))"
)
_ACTION = re.compile(
    r"^(?:进一步|全力|全面|大力|着力|加力|扎实|切实|持续|积极|深入|认真|严格|统筹|迅速|及时|尽快|抓紧|"
    r"坚决|坚定不移|毫不放松|全力以赴|有序|稳步|加快|加紧|继续|不断|主动|重点|充分|广泛|分类|一体|"
    r"高质量|高标准|高水平|因地制宜|依法|常态化|协同|联合|集中|分批|逐步)?"
    r"(?:推进|推动|实施|开展|建设|建立|健全|完善|落实|加强|加快|加大|强化|提升|提高|优化|深化|促进|支持|"
    r"制定|出台|编制|组织|召开|举办|办好|做好|抓好|打好|搞好|搞活|打造|培育|发展|构建|创建|争创|整合|启动|开工|建成|"
    r"新建|改造|实现|确保|保障|守牢|严守|兜牢|维护|防范|化解|巩固|扩大|降低|引导|鼓励|规范|整治|治理|"
    r"开发(?!区(?!域)|园区)|做通|排定|倒排|丰富(?!的)|拓宽|关停|淘汰|推行|推广|探索|用好|发挥|擦亮|深度对接|对接|筹备|部署|完成|清理|摸排|排查|督导|"
    r"坚持|突出|聚焦|围绕|加速|力争|争取|严控|控制|压降|保护|抢抓|谋划|研究|梳理|调整|召集|印发|申报|"
    r"稳定|扩容|拓展|提质|提速|建强|健全|推进|办|抓|建|修订|持续|强力|迅速|布局|践行|铸牢|重视|发挥|新改建|新开工|"
    r"执法|推出|设立|成立|配齐|检查|督查|考核|通报|验收|移交|报送|上报|审定|拨付|兑现|筹集|争创|申建|融入|"
    r"统筹|增加|减少|压减|补齐|补足|消除|清除|疏通|加固|修复|修缮|改善|改进|明确|细化|压实|盘活|"
    r"招聘|招录|培训|宣传|宣讲|普及|走访|慰问|救助|安置|补植|补种|植树|绿化|美化|亮化|硬化|监测|调度|跟踪|督办|"
    r"约谈|问责|注意|核实|签收|办结|追责|处置|处理|协调|衔接|指导|帮助|保护|收集|收储|征收|征迁|拆迁|搬迁|挂牌|出让|执行)"
)
# …切实做到以下几点：, …提出如下要求：: a sentence that only announces the items after it
_LEADIN_ONLY = re.compile(r"(?:以下|如下)(?:几点|[一二三四五六七八九十\d]{1,2}点|几个方面|[一二三四五六七八九十\d]{1,2}个方面|要求|工作)[：:]$")
# 在处理投诉过程中, 在办理过程中: the circumstance a requirement applies in, before its verb
_CIRCUMSTANCE = re.compile(r"^在[^，,。；;：:]{2,16}?(?:过程中|环节中|工作中)[，,]?")
# a topic frame (在安全生产方面，各乡镇要…; 就…一案有关情况方面，要…): what the clause is about
_FRAME = r"(?:在|就)[^，,。；;：:]{2,40}?方面"
_LEADIN_CLAUSE = re.compile(
    r"^(?:同时|此外|另外|特别是|尤其是|总之|对此|为此|首先|其次|再次|最后|当前|近期|下一步|下步|下阶段|今后|目前|现阶段|"
    rf"会议要求|会议强调|会议指出|会议决定|会议明确|会议同意|会议研究决定|会上|具体来说|{_FRAME}|"
    # 其中，建成A、B等50条道路: the named works that make up the item's total
    r"其中(?=[，,]?(?:建成|完成|新建|新开工|开工|改造|实施|启动)))[，,：:]?"
)
_WHEN_FRAME = re.compile(r"^(?:在|就|针对)[^，,。；;]{2,40}?(?:时|期间|之际|过程中)[，,]")
_TOPIC_FRAME = re.compile(rf"^(?:[^，,。；;：:]{{0,12}}?[，,])?{_FRAME}[，,]")
# A time limit and the verb it bounds (于4月15日前完成…, 在10月10日前，整改…): what may follow a
# request's addressee or the basis of the work.
_LIMIT_THEN_VERB = (
    r"(?=(?:于|在)[^，,。]{1,10}?(?:前|内|底)[，,]?"
    r"(?:完成|整改|开展|推进|实施|落实|做好|抓好|组织|制定|建立|加快|报送|上报))"
)
_ASKED_BEFORE_LIMIT = re.compile(r"^请[^，,；;。：:“”《》]{2,16}?" + _LIMIT_THEN_VERB)
_BASIS_BEFORE_LIMIT = re.compile(r"^(?:按照|根据|对照|依据)[^，,。]{2,24}?[，,]" + _LIMIT_THEN_VERB)
_BASIS_ONLY = re.compile(r"(?:请|由)?(?:按照|根据|对照|依据)[^，,；;。]{1,20}")
_ASSIGNED_HEAD = re.compile(r"由(?P<u>[^，,。；;：:]{2,24}?)(?:统一|具体|全面)?负责[，,]")
#: A clause that only says how often to report (每周通报进展, 每月5日前报送工作进展): the row's 报送周期.
_CADENCE_CLAUSE = re.compile(
    r"(?:要|须|并)?(?:每(?:周|旬|半月|月|季度?|半年|年|日|天)|定期|按(?:周|月|季度?))(?:\d{1,2}日前)?"
    r"(?:向.{1,14}?)?(?:通报|报送|汇报|上报|报告|报)(?:一次)?(?:工作|整改|推进|落实)?(?:进展|进度|情况|动态)(?:情况)?"
)
_REPORT_VERB = re.compile(r"(?:指出|提出|强调|要求|认为|表示|讲到|明确提出|号召)(?:了)?(?:[，,：:]|(?=要))")
_OWN_VOICE = re.compile(r"会议|我们|我|县长|市长|区长|主任|同志|书记|领导")
_SEE_ONLY = re.compile(r"(?:看到|认识到|认清|意识到|清醒|清楚)")
_AUTHORITY = re.compile(r"省|中央|国家|总书记|党代会|全会|报告|国务院|大家|代表|上级|他们?(?:在|曾|就)")
_RECOGNISE = re.compile(r"(?:认识到|意识到|看到|体会到|明白)[：:，,]?$")
_NOT_DIRECTIVE = re.compile(
    r"^(?:所谓|这是|这些|这一点|其中(?![，,]?(?:建成|完成|新建|新开工|开工|改造|实施|启动))|比如|例如|再比如|还比如|如果|假如)|[，,]是[^，,。]{0,20}(?:的|任务|机遇|时期|关键)"
    r"|就是要.*的[。；]?$|[?？]$|^[^，,。]{0,12}是.{0,30}的(?:[。；]|$)"
    r"|这就?意味着|^(?:现在|从目前|从全省|从全国)来看|^(?:自|从)[^，,。；;]{2,30}?(?:以来|来看)[，,]|[，,](?:有利于|有助于)[^。；]{4,}[。；]?$"
    # 推行政务公开是政府…的重要制度安排: an explanation of why, not a directive
    r"|^[^，,。；]{2,16}是[^。；]{0,60}的[^。，,；]{0,10}(?:安排|举措|保障|要求|任务|基础|前提|关键|途径|抓手|体现|内容|方面|环节|工程|事业)[。；]?$"
)
_LABEL = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|第[一二三四五六七八九十]{1,3}[，,、：:]"
    r"|[一二三四五六七八九十]{1,3}(?:要|是)|\d{1,2}[.．、]|[（(]\d{1,2}[）)]|[①-⑳])\s*"
)
_FIELD_PAREN = re.compile(
    r"[（(](?:(?:牵头单位|主办单位|责任单位|配合单位|责任领导|牵头领导|完成时限|完成时间)[：:][^（）()]*"
    r"|[^（）()]{2,40}?牵头[^（）()]*)[）)]"
)
_PAREN_LEAD = re.compile(r"[（(](?P<lead>[^（）()，,；;]{2,30}?)牵头(?:[，,、；;]?(?P<co>[^（）()]{2,60}?)(?:配合|参与|协同|按职责分工负责))?[）)]")
_LEADER = re.compile(
    r"(?:由)?(?P<l>[\u4e00-\u9fff]{1,4}(?:同志|常务副市长|常务副县长|副市长|副县长|副区长|市长|县长|区长|副主任|主任|副书记|书记))"
    r"(?:统一|负责)?牵头"
)
_TARGET_LEADIN = re.compile(r"(?:预期目标|主要目标|发展目标|目标任务)(?:是|为)?[：:]$")
_CLAUSE = re.compile(r"[^，,]+[，,]?")
_PREP = re.compile(r"^(?:依托|围绕|按照|依照|依据|针对|对照|根据|通过|结合|为了|随着|立足|面对|紧扣|关于)")
_PREP_SHORT = re.compile(r"^(?:在|以|对于|为|从|当前|目前)")
_TIME_LEAD = re.compile(
    r"^(?:今年|年内|年底前|上半年|下半年|[一二三四]季度|\d{1,2}月(?:底|末|中旬|上旬|下旬)?(?:前|之前)?|本月底?前?|本周内?|近期|汛期前|汛前)[，,]?"
)
# A time limit between a subject and its verb (县交通运输局于4月15日前完成…, 县住建局10个工作日内制定…):
# skipped to tell that the sentence sets work and that its subject leads it.
_TIME_BEFORE_VERB = re.compile(
    r"^(?:(?:要|须|务必)?(?:于|在))?(?:(?:\d{4}年)?\d{1,2}月(?:\d{1,2}[日号]|底|末|中旬|上旬|下旬)?(?:前|之前)"
    r"|本周[一二三四五六日天]?(?:内|前|之前)|本月底?前|年底前|\d{1,3}个?(?:工作日|日|天)(?:内|以内)"
    r"|(?:春节|元旦|国庆节?|节)(?:前|之前)"
    # 在二季度内完成…, 上半年完成…, 汛前完成…: periods of the year and of the seasons' work
    r"|(?:第?[一二三四]季度|[上下]半年)(?:末|底)?(?:内|前|之前)?|年内|年度内|(?:入汛|汛期|汛)前)[，,]?"
)
_VERBISH = re.compile(r"开展|推进|建设|实施|进行|推动|完成|做好|抓好|加快|落实|召开|制定|出台")
_NUMBERED = re.compile(
    r"(?:具体)?(?:负责|牵头|承办|办理)的第(?P<nums>\d{1,3}(?:[、，,和及]\d{1,3})*)(?P<measure>件|项|条|号)"
)
_NUMBERED_TAIL = re.compile(r"(?:确定|交办|议定|督办|重点)?(?:事项|任务|工作)")
_LAGGING = re.compile(
    r"(?:^|(?<=[，,；;：:]))(?:其中|但|部分|个别|还有)?[，,]?(?P<list>[^，,；;。：:、]{2,24}(?:、[^，,；;。：:、]{2,24})+?)"
    r"等?(?:\d+个|[一二三四五六七八九十]+个)?(?:项目|单位|乡镇|部门)?"
    r"(?P<state>(?:均|都|仍|还)?(?:未(?!来|必|曾)|没有|尚未|进展缓慢|进度缓慢|推进缓慢|进展滞后|进度滞后|滞后|不到位|不及时)[^，,；;。]{0,20})"
)
# 督查通报 ranking the units: "平均分低于75分的单位是甲镇（74.16）、乙镇（73.93）" or "处理率偏低的是…" names
# each unit to chase; "排名前三的单位是…" and "优秀率达到100%的是…" are praise and name none.
_FLAGGED = re.compile(
    r"(?P<state>[^，,；;。：:]{0,24}?(?:低于|偏低|较低|偏高|较差|偏差|靠后|落后|滞后|末位|倒数|后[三五十]|不合格|不达标|未完成|未达|未按|"
    r"排名后|逾期|超期|未办结|不及时|未签收|未反馈|不到位|缓慢)[^，,；;。：:]{0,16}?)的(?:单位|镇街|乡镇|镇|街道|部门|县区|区县|地区|项目)?(?:(?:有|是|为)[：:]?|(?<=[位街镇道门区县项目])[：:])"
    r"(?P<list>[^，,；;。：:、]{2,30}(?:、[^，,；;。：:、]{2,30})*)"
)
_FLAG_HINT = re.compile(
    r"低于|偏低|较低|偏高|较差|偏差|靠后|落后|滞后|末位|倒数|后[三五十]|不合格|不达标|未完成|未达|未按|排名后"
    r"|逾期|超期|未办结|不及时|未签收|未反馈|不到位|缓慢"
)
_OWNED_HINT = re.compile(r"有(?:\d|[一二三四五六七八九十])")
_FLAG_ITEM = re.compile(r"^(?P<u>[^（）()]{2,30}?)(?:[（(][^（）()]{0,16}[）)])?$")
# 表现较好的单位：…, 做得较好的有…, 红榜: units praised, whom no row is about
_PRAISED = re.compile(r"(?:较好|良好|突出|优秀|最好|先进)的(?:单位|村|社区|乡镇|镇街|镇|街道|部门)?(?:有|是|为)?[：:]|红榜[：:]")
# A list of units singled out for criticism (黑榜名单, 通报批评单位): each unit on it is a row to chase;
# a 红榜/表扬 list is praise.
_CRITICISED_HEAD = re.compile(r"^(?:[^，,。；;：:]{0,12}?)(?:黑榜|通报批评|批评|后进|落后|末位|排名靠后|较差)(?:单位|名单|单位名单)?[：:]?$")
# A 黑榜 table that came through one cell a line: its header cells (村组, 所属镇街), the cells naming
# who is listed (四连山村柯家湾 / 汪仁镇), then each listed place with its problem on one line
# (汪仁镇四连山村柯家湾村民房前屋后杂物乱堆乱放): a row of the town and the village.
_TABLE_HEADER_CELL = re.compile(r"(?:序号|村组|村（组）|所属镇街|所属乡镇|所属镇|镇街|乡镇|村（社区）|村社区|单位|存在问题|问题|具体问题|点位|整改时限|备注)")
_PLACED_PROBLEM = re.compile(
    r"(?P<town>[\u4e00-\u9fff]{1,4}?(?:镇|乡|街道))(?P<village>[\u4e00-\u9fff]{1,4}?(?:村|社区))(?P<rest>[^。；;！!？?]{6,60})"
)
_LIST_CELL = re.compile(r"[\u4e00-\u9fff]{2,10}")
# 1、徘徊镇夏庄村,537储备库门口成堆垃圾未清理: a numbered item of a 通报 whose first clause is nothing but
# a township and the village (街, 社区) in it names who answers for the problem after it: both, neither
# leading, as in a 黑榜 table. The whole first clause must be the pair, so 1、城关镇要… is read as before.
_ITEM_TOWN_VILLAGE = re.compile(
    r"\s*(?:\d{1,2}[、.．]|[（(]\d{1,2}[)）])\s*(?!各|全|本|该)(?P<town>[\u4e00-\u9fff]{2,3}?(?:镇|乡|街道))"
    r"(?P<village>[\u4e00-\u9fff]{2,4}?(?:村|社区|街))[，,：:]"
)
_GROUP_LABEL = re.compile(r"^第[一二三四五六七八九十\d]{1,3}(?:组|名|类|片区)[：:]")
# A line that names a ranking from below and leaves its units to the line after it
# (1、单位末位排名 / 教育局 信用联社; …连续2个月均在后20名的乡镇是： / A镇、B镇): each unit is a row to chase
_RANKED_LOW_HEAD = re.compile(
    r"^(?:\d{1,2}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、)?"
    r"[^。；;！!]{0,60}?(?P<state>末位|倒数(?:\d{1,3}|[一二三四五六七八九十]{1,3})?名?|排名靠后|靠后|"
    r"后(?:\d{1,3}|[一二三四五六七八九十]{1,3})名|最后(?:\d{1,3}|[一二三四五六七八九十]{1,3})?名?)"
    r"[^。；;：:，,]{0,8}?(?:的)?(?:单位|乡镇(?:[（(]街道[）)])?|镇街|镇|街道|部门|县区|区县)?(?:排名|名单)?"
    r"(?:是|为|有)?[：:]?$"
)
# A 进度公示 by area: "巴州区有3（A、B、C）推进缓慢" — the works in brackets are that area's rows.
_OWNED_LAGGING = re.compile(
    r"(?:^|(?<=[，,；;：:]))(?:其中)?(?P<o>[\u4e00-\u9fff]{2,16}?)(?:有|共有|尚有|还有)(?:\d{1,3}|[一二三四五六七八九十]{1,3})(?:个|项|件)?(?:项目|事项)?"
    r"[（(](?P<list>[^（）()]{2,300})[）)](?P<state>(?:均|都|仍|还)?(?:未(?!来|必|曾)|没有|尚未|进展缓慢|进度缓慢|推进缓慢|进展滞后|进度滞后|滞后|不到位|不及时)[^，,；;。]{0,20})"
)
# A 通报 naming each village or town with what was found there, in running text (大湖村有两处未整改；
# 岗阳村发现多处杂物乱堆乱放、卫生死角未清理等现象): that place's row to put right, not a list of works.
_PLACE_STATE = re.compile(
    r"(?:^|(?<=[，,；;：:。]))(?P<u>(?!各|部分|个别|被|全|多|少数|有的|其他|其余|该|本|此)[\u4e00-\u9fff]{1,8}?(?:村|社区|居委会|镇|乡|街道))"
    r"(?P<state>有(?:\d{1,3}|[一二两三四五六七八九十多])处[^，,；;。]{0,10}?(?:未整改|未清理|问题|隐患)"
    r"|(?:发现|存在)[^；;。]{2,60}?(?:现象|问题|隐患|未整改|未清理))"
)
# 会上，王县长还就抓好A、B及C等相关工作进行强调: each work the leader stressed at the close is a row
# (会议就A、B等工作进行了安排部署 sums up the requirements that follow, and is no row).
_WORKS_STRESSED = re.compile(
    r"(?:还|同时|另外)就(?P<verb>抓好|做好|推进|加强|落实)?(?P<list>[^，,。；;：:“”《》]{2,30}(?:(?:、|及|和|以及)[^，,。；;：:“”《》]{2,30})+?)"
    r"等?(?:相关|有关|重点)?工作(?:进行了?|作了?|作出了?|做了?|提出了?)(?:再)?(?:强调|具体要求|要求)"
)
# the kind of document a title names at its end (…协调会议纪要, …的通知)
_TITLE_END = re.compile(r"(?:纪要|通知|通报|方案|意见|决定|报告|办法|规划|清单|计划|要点)$")
# 会议决定如下事项： / 会议议定事项： / 现就有关事项明确如下：: the items after it are decisions, each a row
# even when it has no directive verb (一、临时停车泊位保留至6月底。).
_DECIDED_LEADIN = re.compile(
    r"(?:决定|议定|确定|明确|商定|议定的?|纪要)(?:了)?(?:如下|以下)?(?:事项|意见|问题)?(?:如下)?[：:]\s*$"
)
# 同意X提出的…方案/安排: a plan a unit proposed, agreed and so to be carried out (not 关于…的汇报).
_PROPOSAL = re.compile(
    r"同意[^，,。；;]{2,30}?(?:提出|拟定|拟订|制定|报送|上报|提交|编制)的[^，,。；;《》]{2,30}"
    r"(?:方案|安排|计划|意见|措施|建议|办法)"
)
_HEARD = re.compile(r"听取|汇报|介绍了|通报了")
_SUBJECT_AFTER = re.compile(
    r"(?:、[^，,。；;、]{2,16})*(?:等(?:\d+个|[一二三四五六七八九十]+个)?(?:部门|单位))?(?:党组|党委)?"
    r"(?:要|必须|务必|需|负责|统一牵头|牵头|配合|分别|抓紧|立即|尽快|会同)"
)
_UNIT_HEADING = re.compile(
    r"^(?:属于?|归属于?|涉及)?(?P<u>[^，,。；;：:]{2,30}?)(?:牵头|负责|承担|承办|责任)?(?:的)?"
    r"(?:工作|任务|事项|清单|(?:职责|责任|管理|监管|管辖)范围内?(?:的?问题)?)?"
    r"(?:[（(][^（）()]{0,12}[）)])?[：:。]?$"
)
# 县交通运输局：1.… / （一）县住建局：… : a unit before a colon opening a numbered list of its items.
_COLON_UNIT = re.compile(
    r"^\s*(?:[（(]?[一二三四五六七八九十\d]{1,3}[）)、.．]\s*)?(?P<u>[^，,。；;：:、\s（）()]{2,30})[：:]\s*"
)
# 县住建局：…, 2.城南街道、城北街道：…: names alone before the colon that opens a sentence (no clause mark
# before the colon, so 会议要求县住建局：… is no such sentence: its 要求 is no name)
_SENTENCE_COLON_UNITS = re.compile(
    r"\s*(?:[（(]?[一二三四五六七八九十\d]{1,3}[）)、.．]\s*)?(?P<u>[^，,。；;：:\s（）()]{2,40}?)[：:]"
)
# 二、加强消防安全（县消防大队负责） / （责任单位：县住建局）: the owners a heading names in its closing brackets
_HEADING_OWNER_BRACKET = re.compile(
    r"[（(](?:牵头单位|责任单位|责任部门|牵头部门|主责单位)?[：:]?(?P<u>[^（）()：:，,；;]{2,40}?)(?:牵头负责|负责|牵头)?[）)]$"
)
# 县城投公司, 华润燃气有限公司, 城北片区改造指挥部, 招商专班, 经开区管委会, 东城街道办事处, 幸福社区居委会:
# a body named as written by the ending of its kind, standing alone (before a colon, as a heading, in brackets)
_NAMED_BODY = re.compile(
    r"(?!关于)(?:[\u4e00-\u9fff]|[（(][\u4e00-\u9fff]{1,6}[）)]){2,16}?(?:有限责任公司|有限公司|公司|集团|指挥部|专班"
    r"|管委会|管理委员会|街道办事处|办事处|居委会|村委会|居民委员会|村民委员会|派出所|供电所|司法所|财政所|卫生院)"
)
# …。[牵头单位:X;责任单位:Y] closing an item of several sentences: the owner fields of the whole item
# (a bracket closed by one of its own kind: square [ ［ by ] ］, 【 by 】, round （ ( by ） ))
_REGION_OWNER_FIELDS = re.compile(
    r"(?:(?P<sq>[\[［])|(?P<lb>【)|[（(])(?P<f>(?:牵头单位|牵头部门|主办单位|责任单位|责任部门)[：:][^\[\]【】［］]{2,200}?)"
    r"(?(sq)[\]］]|(?(lb)】|[）)]))$"
)
_FUNCTION_WORD = re.compile(r"[要的了在对将把是请从到按并或做抓加推完落以于就被让使好]")
_NUMBERED_AFTER = re.compile(r"\s*(?:\d{1,2}[.．、]|[（(]\d{1,2}[）)]|[①-⑳])")
# …问题。（县城管局、城关镇） closing an enumerated item: the units to act on it.
# …围墙多处破损。（责任单位：市国土局，责任人：王功传） closing a paragraph: the unit to fix it.
_DUTY_BRACKET = re.compile(
    r"[（(](?:责任单位|整改单位|牵头单位|责任部门)[：:](?P<u>[^（）()：:，,；;。]{2,40})(?:[，,；;]\s*(?:责任人|责任领导|整改时限|完成时限)[：:][^（）()]{1,30})*[）)][。；;]?\s*$"
)
_OWNERS_BRACKET = re.compile(r"[（(](?P<u>[^（）()：:。]{2,60})[）)][。；;]?\s*$")
_CLOSING = re.compile(
    r"^(?:[^，,。；;]{0,10}?(?:要|务必|须)?)?(?:对|请|针对)?(?:对照)?(?:以上|上述|通报的?|督查发现的?)(?:问题|事项|整改事项|交办事项|督办事项|单位)"
    r"|^[^，,。；;]{0,10}?(?:要|务必|须)?对照(?:问题|督查|整改)清单"
    # 请上榜黑榜的村（社区）于10月10日前完成整改: those listed on a 红黑榜's black list
    r"|^(?:请|要求)?(?:上|列入)?黑榜的?(?:村|社区|单位|乡镇|镇街|部门)"
    r"|^(?:请|要求)?上榜黑榜的?"
)
# 为62户困难家庭实施…, 为全县60岁以上老年人免费体检: a service for people named by their number or
# their whole group, not the purpose (为了…) of the clause after it
_FOR_PEOPLE = re.compile(
    r"^为(?:\d|全|[一二三四五六七八九十百千万两])[^，,；;。]{1,24}?(?:户|名|人|家庭|老年人|妇女|儿童|学生|群众|居民)"
    r"[^，,；;。]{0,8}?(?:免费|实施|进行|开展|发放|提供|办理|安装|改造)"
)
# 旅游厕所8座, 农村生活污水处理站5个: a work named with how many are built
_COUNTED_WORK = re.compile(
    # (其中幼儿园420个: how a total breaks down, no further work)
    r"(?!其中|含|包括|(?:[^\d“”]|“[^“”]*”)*?(?:完成|开工|建成|完工|竣工|投产|实施|开展|负责|未|已))"
    r"(?:[\u4e00-\u9fff]|“[^“”]{1,12}”){2,20}?\d+(?:\.\d+)?万?(?:座|个|处|所|条|家|套|公里|千米|平方米)(?:以上|左右)?"
)
# 要求…作进一步修改完善后，认真组织实施: revising asked for as a task, and what is done with the result
# 请县财政局根据会议意见修改完善后，提请县人大常委会审议: a body asked to revise a draft and put it to
# whoever approves it; work of its own though neither verb opens an action elsewhere
_REVISE_ASKED = r"^请[^，,；;。]{2,20}?(?:(?:根据|按照|结合)[^，,；;。]{2,16}?)?(?:进一步|认真)?(?:修改完善|修订完善|完善)(?:后)?"
_REVISE_AND_SUBMIT = re.compile(_REVISE_ASKED + r"[，,]?(?:按程序)?(?:提请|提交|报送?|呈报)[^，,；;。]{2,24}?(?:审议|审定|审批|批准|研究)")
_REVISE_ASKED_CLAUSE = re.compile(_REVISE_ASKED + "$")
_REVISE_FIRST = re.compile(r"^(?:要求|请|并)[^，,；;。]{0,16}?作(?:进一步|必要的?)?(?:的)?修改完善后$")
_ISSUE_AFTER = re.compile(r"(?:认真|抓紧|及时|尽快)?(?:以[^，,；;。]{2,12}名义)?(?:组织实施|印发实施|印发|实施|执行)")
# 年度阶段性工作目标: | 第一季度:…第四季度:… |: the milestones of a record laid out as label | value |
_SCHEDULE_LINE = re.compile(r"^(?:年度)?(?:阶段性?(?:工作)?目标|进度安排|时间安排|节点安排|推进计划)\s*[：:]\s*[|｜]?")
# 序号 具体点位 存在问题 整改责任单位: a table's header line whose bars were lost, and its records
_SPACED_HEADER = re.compile(r"序号\s+\S{2,8}(?:\s+\S{2,8}){0,5}?\s+\S{0,4}(?:责任单位|牵头单位|责任部门)\s*$")
_RECORD_START = re.compile(r"^(\d{1,3})\s+(?=[\u4e00-\u9fff])")
# 将屡教不改的门店报县住建局…: a case handed on to another unit, not a report of how the work went
_HAND_ON = re.compile(
    r"^(?:将|把)(?![^，,；;。]*?(?:情况|进度|进展|结果|材料|报告|清单|台账|名单|方案))[^，,；;。]{2,24}?(?:报|移交|移送|交由)(?=[县市区镇乡])"
)
# the counted work a clause ends with, which a bare counted clause after it continues
_COUNTED_END = re.compile(r"\d+(?:\.\d+)?万?(?:座|个|处|所|条|家|套|公里|千米|平方米)(?:以上|左右)?$")
_YEAR_TARGET = re.compile(r"(?:完成|实现|超额完成)全年[^，,；;。]{0,6}?(?:目标|任务|指标)")
# 东河堤段清淤问题。: the matter an item of minutes opens with, named and not yet acted on
_THEME = re.compile(r"[^，,；;。：:]{2,40}?(?:问题|事项|事宜)[。]")
# 以上工作确保在一个月内完成: a limit that covers the actions written before it
_COVERING = re.compile(
    r"^(?:(?:以上|上述)(?:各项|几项|\d项|[两三四五六七八九十]项)?|(?P<near>此项|该项|这项|这些|此))(?:工作|任务|事项)"
    r"(?:要|须|务必|必须)?(?:确保|力争|务必|要|须)?"
    r"(?:在|于)?[^，,；;。]{0,12}(?:前|内|底)(?:全部|全面)?(?:完成|办结|到位|落实)?[。；;]?$"
)
_MID_REQUEST = re.compile(r"[，,](?:并|同时|他|她|会议)?(?:要求|强调)(?:[，,：:])?")
_PLAN = re.compile(
    r"^(?:\d{4}年|今年|年内|下半年|上半年)?[，,]?(?:我区|我县|我市|我镇|全县|全区|全市|全镇)?(?:今年)?(?:计划|拟)"
    r"(?:\d|[一二三四五六七八九十两]|新建|完成|实施|开工|建设|改造|投资|启动|推进|引进|招引|续建|新增)"
)
_TITLE_QUOTE = re.compile(r"《[^《》]{0,80}》")
_NOTE_PAREN = re.compile(
    r"[（(][^（）()]{0,80}?(?:设在|电话|邮箱|详见|见附件)[^（）()]{0,80}[）)]"
    # (无牵头单位的，责任单位即为牵头单位，下同), (以下简称…): a definition, which names no owner
    r"|[（(](?:以下简称|下称|简称)?[^（）()]{0,60}?(?:[，,]下同|以下简称[^（）()]{1,20})[）)]"
)
_ROLE_REST = re.compile(
    r"(?:要|应|须|应当|必须)?(?:由|请|经|会同|联合)?[、和及与，,\s]*(?:等部门|等单位)?(?:要|应|须|应当|必须)?(?:统一|共同|负责|具体)?"
    r"(?:牵头|配合|参与|协同|协助|负责|按职责分工负责|组织实施)?(?:落实|实施)?"
)
# a time limit marked as one (…前, …之前, …底, …末, …内, …以内), as against a bare date
_LIMIT_MARKS = ("前", "底", "末", "内")
_ROLE_END = re.compile(r"(?:牵头|配合|参与|协同|协助|负责|实施|落实|部门|单位|[局委办会心站所司团队院馆班组部室镇乡道府）)])\s*$")
# Between the units of one subject; 会同/联合: A会同B，在二季度内完成… (B works with A, the lead).
_SUBJECT_GAP = re.compile(r"(?:由|请|经|和|及|与|会同|联合|、|，|,|\s){0,2}")
_DECISION = re.compile(r"^(?:会议|会上)?(?:还)?(?:原则|研究|审议|讨论)?(?:同意|通过|审定通过|审议通过|决定|议定|明确)(?!了)")
_REPORT_STYLE = re.compile(r"各位代表")
_ADVERB = re.compile(
    r"^(?:[要再还也都并]|应(?=及时|尽快|立即|抓紧|加快|主动|积极|认真|严格|切实|按|于|在)|[\u4e00-\u9fff]{2,3}性地?(?=[做抓推加开实落建完强提])|"
    # manner: 精细化治理, 常态化开展; 以极端负责的态度抓实…, 以最严的标准落实…
    r"[\u4e00-\u9fff]{1,3}化(?=[做抓推加开实落建完强提治整排督])|以[^，,；;。]{1,12}?的?(?:态度|精神|作风|标准|力度|举措|劲头|决心)|"
    r"进一步|全力|全面|大力|着力|扎实|切实|持续|积极|深入(?!(?:到)?(?:工作|生产|施工|项目)?(?:一线|基层|现场|村组|企业|群众))|认真|严格|迅速|及时|尽快|抓紧时间|抓紧|"
    r"立即|马上|按时|按期|提前|同步|继续|主动|务必|必须|坚决|尽早|亲自|抓紧时间|全力以赴|加大力度|有效|不断|稳步|有序|精准|加紧|着重|深度|更大力度|更高水平|更实举措|更高标准|"
    # how often and how far: 定期召开会议, 定期通报进展; 基本建成…, 基本完成… (a completion, not a hedge)
    r"定期|每周|每月|基本(?=建成|完成|实现|形成|消除|解决)|"
    # how strictly or broadly: 从严落实“五控”措施, 从严查处; 综合治理出生人口性别比偏高问题, 综合整治…
    r"从严|从快|从重|综合(?=治理|整治|施策|执法|整顿|利用)|"
    # a works plan's two verbs: 规划实施…项目, 规划建设…园区 (规划 is how the work is undertaken)
    r"规划(?=实施|建设|新建)|"
    # quality and manner: 按时保质完成, 妥善解决, 依法依规处置, 自觉接受
    r"保质保量|保质|优质|高效|妥善|稳妥|依法依规|依规|依法|自觉|大胆|"
    # fitted to the place: 结合实际细化方案, 立足实际制定…, 因地制宜推进…
    r"结合(?:本地|本单位|各自|自身|工作)?实际|立足(?:本地|自身)?实际|因地制宜|"
    # how soundly or in what order: 科学组织施工, 合理优化布局, 靠前发力, 分类分步、由点及面恢复
    r"科学|合理|靠前|分类分步|分步|由点及面|因时因势|"
    # by every means: 千方百计拓宽…, 想方设法解决…, 多措并举推进…
    r"千方百计|想方设法|多措并举|多渠道|全方位|"
    # perseverance: 持之以恒地抓好作风建设, 慎终如始抓好…, 坚持不懈推进…
    r"(?:持之以恒|慎终如始|坚持不懈|锲而不舍|驰而不息|一以贯之|始终如一|毫不松懈|久久为功|常抓不懈)地?)*"
)
_SPLIT_VERB = re.compile(
    r"^(?:督促|压实|抓实|备好|启动|计划|指导|协调|推进|建设|完成|加快|做好|抓好|落实|开展|组织|制定|"
    r"排查|整改|化解|修订|上报|报送|审定|批复|印发|办理|解决|争取|包装|招引|引进|清理|清零|拆除)"
)
# Actions that do not open with their verb: 将交办事项列入考核内容, 对交办事项进行认真研究,
# 把平安建设作为…前提, 发现问题及时上报.
_ACTION_FORM = re.compile(
    r"^(?:并|同时)?(?:将|把)[^，,；;。]{2,24}?(?:列入|纳入|报送|上报|提交|移交|作为|落实到|分解到|转化为|抓在手上|摆在|转入|拨入|划入|汇入)"
    # 及时把奖补资金兑现到位, 把问题整改到位: what is done with the object, then its completion
    r"|^(?:并|同时)?(?:将|把)[^，,；;。]{2,24}?(?:兑现|拨付|发放|整改|落实|清理|处置|办理|安置)(?:到位|完毕|落地)"
    # 把企业的真实情况调查准确, 把工作目标定到人、定到岗: a verb whose result says how far the object is
    # taken (exact, clear, down to each person or post)
    r"|^(?:并|同时)?(?:将|把)[^，,；;。]{2,24}?[\u4e00-\u9fff]{1,2}(?:准确|清楚|到人|到岗|到户|到时)"
    r"|^(?:对|就)[^，,；;。]{2,24}?(?:进行|开展|实施|实行|组织|拿出|提出|形成|作出|制定)"
    # 对本次巡查的问题认真整改: what the problems found are to have done to them
    r"|^对[^，,；;。]{2,24}?(?:问题|隐患)(?:认真|及时|立即|限期|全面|彻底|逐一)?(?:整改|整治|处置|查处)"
    # 将屡教不改的门店报县住建局…: handing a case on to the unit that deals with it
    r"|^(?:并|同时)?(?:将|把)[^，,；;。]{2,24}?报(?=[县市区镇乡])"
    # 把今年工作任务进一步项目化、具体化: making the work take a form is an action
    r"|^(?:并|同时)?(?:将|把)[^，,；;。]{2,24}?[\u4e00-\u9fff]{1,3}化(?:、[\u4e00-\u9fff]{1,3}化)*[，,。；;]?$"
    r"|^发现[^，,；;。]{1,10}?(?:及时|立即|马上|第一时间)"
    # 把自己分管的行业领域管起来, 把群众发动起来: taking the thing in hand is the action
    r"|^(?:并|同时)?(?:将|把)[^，,；;。]{2,24}?(?:管|抓|动|发动|组织|统|用|建)起来"
    # 提出增设公共停车场的方案: 提出 is a report verb (会议提出，…) unless what it puts forward is a
    # plan, an opinion or a list to be written (提出建议和意见 alone, about nothing named, stays part
    # of the clause before it)
    r"|^提出(?!的)(?![建议意见和及与、相关有]+[，,。；;]?$)[^，,；;。：:]{1,24}?(?:方案|意见|建议|计划|措施|办法|清单|对策)[，,。；;]?$"
    # 与区配套办沟通, 主动与县自然资源局对接: working something out with another unit
    r"|^与[^，,；;。]{2,16}?(?:沟通|对接|衔接|协调|协商|联系|会商|签订|签署|签约)"
    # 招标手续尽快落实, 二次装修质量监督问题抓紧解决: the matter named first, then how soon it is done
    r"|^[^，,；;。]{2,20}?(?:要|须)?(?:按照[^，,；;。]{1,10}?)?(?:尽快|抓紧|及时|立即|限期|按时)(?:落实|解决|完成|办理|到位|整改|办结)"
    # 农村危房改造工作7月底前全面完成: the work named first, then its time limit and completion
    r"|^[^，,；;。]{2,16}?(?:工作|项目|工程|任务|资金)(?:要|须|务必)?(?:于|在)?[^，,；;。]{1,8}?(?:前|内)(?:全面|全部|基本)?"
    r"(?:完成|建成|完工|到位|办结|清零|投用|投运|销号)"
)
# 及时向市政府提出…, 严格在法律框架内作出…: a prepositional phrase between the adverbs and the verb;
# after one, a verb of giving or proposing is an action too (提出措施, 作出决策, 提供保障)
_PREP_HEAD = re.compile(r"^(?:向|给|在|按照|按|依照)")
# 在产业、劳务、教育等方面: the fields a work covers, when its own verb follows (在…方面下功夫 stays a frame)
_FIELD_FRAME = re.compile(r"^在[^，,。；;：:“”]{2,30}?等?方面(?:的)?")
# 对重点路段坡道、弯道积雪及时清除: the object put first with 对, then a manner word and the verb that
# ends the clause. Only with the manner word and a short verb at the end, so 对…进行/开展 and 对…的要求
# are read as before.
_FRONTED_OBJECT = re.compile(
    r"^对(?P<obj>[^，,；;。：:“”《》]{2,24}?)(?:要|须|应)?(?P<manner>及时|立即|迅速|尽快|全面|彻底|依法|从严|严格|切实|认真)"
    r"(?P<rest>[\u4e00-\u9fff]{2,6})$"
)
_AFTER_PREP_VERB = re.compile(r"^(?:提出|作出|做出|提供|反馈|报告|汇报|报备|倾斜|延伸|发力|下功夫|投入|申请|寻求)")
# 资金使用要规范: the matter named first, then the quality it must have
_MATTER_QUALITY = re.compile(r"^[^，,；;。要]{2,10}(?:要|须|必须)(?:规范|到位|落实到位|公开透明|合法合规)[。；;]?$")
# 要确保项目按期完工，加强…: 确保 as the requirement itself when it opens the requirement
_ENSURE_FIRST = re.compile(r"^(?:要|必须|务必|一定要)(?:全力)?确保[^，,；;。]{4,}")
_COUPLET = re.compile(r"[\u4e00-\u9fff]{2,6}(?:[，,][\u4e00-\u9fff]{2,6}){1,2}[。！!]")
# 细化方案, 完善机制, 建立台账: a verb and the plan or system it makes are an action, short as they
# are (明确责任, 细化措施 are the manner of the action before them)
_SHORT_ACTION = re.compile(
    r"(?:细化|完善|健全|建立|制定|制订|出台|明确|分解|优化|修订|编制|落实)"
    r"(?:方案|机制|制度|台账|清单|计划|预案|规划|标准)[。；;，,]?"
    # answering people's questions and troubles: a service done for them, four characters as it is
    r"|(?:答疑解惑|解疑释惑|排忧解难)[。；;，,]?"
)
# 主要从壮大A、做优B、加速C等3个方面进行安排: areas of work listed by their actions
_ASPECT_LIST = re.compile(r"^(?:主要|重点)?从(?=[^，,；;。]{4,}?等(?:\d+|[一二三四五六七八九十两]+)?个?方面)")
_OWNER_MODAL = re.compile(r"^[^，,。；;]{2,30}?(?:要|必须|务必)(?![求素点务害闻件领道么是紧员地犯])")
# How sure the action model must be that a verb-and-object clause after an action opens one more
# (chosen on dev: 0.25 adds three labelled rows at eight candidates; at 0.3 one, at 0.2 no more)
_VERB_OBJECT_PROB = 0.25
_PURPOSE = re.compile(r"^(?:争取(?=[^，,；;。]{0,6}(?:前|内|底|年|月|季度))|确保|做到|力争|努力|实现|以|为了?|使|让|防止|避免|杜绝|形成|真正(?!沉)|全力确保|坚决杜绝|切实做到|保证)")
_CONJ_VERB = re.compile(
    r"(和|并|及|以及|同时)(?=(?:全力|加快|积极|尽快|同步|认真)?(?:启动|开展|推进|实施|完成|建设|加快|做好|抓好|落实|组织|制定|开工|改造))"
)
# the verbs a report lists works after, and the list closed by when and how they are done
_DUE_VERB = r"推动|推进|力促|促进|加快|确保|力争|实现|争取|抓好|完成"
_DONE = r"(?:建成|投用|投产|竣工|开工|完工|投运|落地|获批|开业|交付|投入)(?:使用|运行|运营|达效)?"
_WORKS_DUE = re.compile(
    r"(?P<list>[^，,；;。：:、]{3,}(?:、[^，,；;。：:、]{3,}?)+?)"
    r"(?P<time>上半年|下半年|年内|年底前|年底|今年|[一二三四]季度|\d{1,2}月底?前)?"
    # 秋季投入使用: a season of the school year says when, but is no date
    r"(?:[春秋]季(?:开学前)?)?"
    rf"(?P<done>{_DONE})$"
)
_DUE_END = re.compile(rf"{_DONE}$")
_QUOTED = re.compile(r"“[^“”]*”|‘[^‘’]*’|《[^《》]*》")
# where a work is done rather than a work: 重点场所, 关键环节, 薄弱部位, 重点时段
_SCOPE_ITEM = re.compile(
    r"^(?:重点|关键|薄弱|主要|重要|特殊|敏感|要害|重大)(?:场所|环节|领域|部位|区域|行业|时段|节点|人群|岗位|地段|部门|单位|对象)"
)
# …等50条道路, …等3所学校: a count of works of one kind closes a list of named works as 等N个项目 does
_WORKS_HEAD = re.compile(r"项目|工程|建设|改造|工作|事项|任务|设施|整治|治理|道路|公路|桥梁|学校|医院|公园|广场|场馆|小区|水厂|厂房")
_WORKS_HEAD_END = re.compile(r"(?:底线|红线|工作|项目建设|项目|工程|任务|专项行动|行动|建设|改造)$")
# (牵头单位（无牵头单位的，责任单位即为牵头单位，下同）要…: a note in brackets between the subject and its modal)
_SUBJECT_TAIL = re.compile(
    r"(?:[（(][^（）()]{1,40}[）)](?=要|必须|务必|将|负责))?(?:党组|党委|主要负责同志|负责同志|主要领导|要|必须|务必|将|负责|统一|牵头|和|、|，|,)+"
)


# The subject of a requirement and its modal, when the subject is no unit the parser knows:
# 县林草部门要…, 县政府各分管领导要…; never a phrase that already holds a verb or a clause break.
_BARE_SUBJECT = re.compile(
    r"^(?P<subj>(?:主要|[^，,；;。、：:“”《》（）()要须需应]){2,16}?)"
    r"(?<![重主必只首纪概提扼简紧险显摘枢政想就])(?:要|必须|务必|需要|应当)(?![求素点务害闻件领道么是紧员地犯])"
)
# 公安、应急、综合执法、市场监管等部门要…: departments named by their fields, closed by 等部门, as a subject
_LISTED_SUBJECT = re.compile(
    r"^[^，,。；;：:“”《》]{2,40}?等(?:\d+个|[一二三四五六七八九十]+个)?(?:部门|单位|乡镇|镇街|县区|企业)(?:要|必须|务必|需要)"
)
# 交警、网信、电视台要加强沟通: bodies the directory does not know, named by short names in a 、-list
# with their own modal, as a clause's subject
_SHORT_NAMES_SUBJECT = re.compile(
    r"^(?:(?:(?!等)[\u4e00-\u9fff]){2,4}、){1,5}(?:(?!等)[\u4e00-\u9fff]){2,4}"
    r"(?:要(?![求素点务害闻件领道么是紧员地犯])|必须|务必)"
)
# What the action model sees of the clauses before and after a clause.
_PREV_KEPT = ("c2=", "s2=", "act", "lab", "end=", "role", "unit0")
_NEXT_KEPT = ("act", "s2=", "role", "lab")
# Words whose presence in a clause the action model weighs (actions.py): modals, report and status
# words, role words, decision and time words.
_CUES = (
    "要", "必须", "确保", "务必", "力争", "尽快", "抓紧", "切实", "了", "已", "目前", "截至", "听取", "汇报",
    "牵头", "配合", "负责", "会议", "强调", "要求", "指出", "议定", "同意", "决定", "研究", "审议", "通过",
    "前", "底", "内", "%", "亿", "万", "完成", "落实", "推进", "加快", "做好", "抓好", "工作", "项目", "问题",
    "是", "的", "和", "、", "“", "《", "：", "各", "全", "坚持", "同志", "主持", "参加", "出席",
    "等", "率", "年", "月", "个", "元", "户", "人", "已经", "正在", "将",
)


def _past_preposition(s: str) -> str | None:
    """向市政府提出相应措施 → 提出相应措施: what follows a short prepositional phrase, when it opens
    with a verb (在…内 only: 在丰富业态方面下功夫 and 在公开内容上突出… are frames; 与…相符 compares)."""
    if not _PREP_HEAD.match(s):
        return None
    for i in range(2, min(len(s), 17)):
        if s[i - 1] in "，,；;。：:、":
            return None
        if s[0] == "在" and s[i - 1] not in "内中":
            continue
        rest = s[i:]
        if s[0] in "按依":
            # 按照时间节点上报…: the verb after a phrase of manner; never inside a quoted name
            # (按照“持续、提升”要求, 按照《…报告》各项任务)
            head = s[:i]
            if i < 4 or sum(head.count(o) - head.count(c) for o, c in ("“”", "《》", "‘’")) or head[-1] in "”》’":
                continue
            vm = _ACTION.match(rest) or _SPLIT_VERB.match(rest) or opens_action(rest)
        else:
            vm = _ACTION.match(rest) or _SPLIT_VERB.match(rest) or opens_action(rest) or _AFTER_PREP_VERB.match(rest)
        if vm and vm.end() >= 2 and _cjk_len(rest) >= 4:
            return rest
    return None


def _is_work(x: str) -> bool:
    """A named work: 县城电网改造工作, 西蔡河治理, 沙颖河航道升级改造工程, 高铁建设进度."""
    return bool(WORK_NOUN.search(x) or _WORKS_HEAD_END.search(x) or re.search(r"(?:建设|改造|治理|整治|工作)进度$", x))


_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")


def _cjk_len(s: str) -> int:
    return len(_CJK_CHAR.findall(s))


# 实施“3个100万”, 开展“回头看”: a verb of the list whose object is a named programme in quotation
# marks, digits and all; the name is the work, however few characters of it are words
_QUOTED_OBJECT = re.compile(r"“[^“”，,。；;]{2,12}”(?:行动|工程|活动|计划)?[。；;，,]?$")


def _named_work(s: str) -> bool:
    m = _ACTION.match(s)
    return bool(m) and bool(_QUOTED_OBJECT.match(s, m.end()))


_ASCII_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_ASCII_PUNCT = re.compile(
    r"(?<=[\u4e00-\u9fff“”（）《》、])[,;:?!()]|[,;:?!()](?=[\u4e00-\u9fff“”《》])|(?<=\d)\)(?=[\u4e00-\u9fff])"
)


# （责任单位；住建局…）: a field name typed with a semicolon for its colon
_FIELD_SEMICOLON = re.compile(
    r"(?<=[（(])(?P<f>牵头单位|责任单位|配合单位|协办单位|责任部门|牵头部门|责任领导|完成时限)[；;]"
)


def full_width(text: str) -> str:
    """Text pasted from web pages writes , : ; ( ) ? in ASCII. Next to Chinese they are read as
    their full-width forms; one character for one, so every offset stays valid. A field name in
    brackets followed by a semicolon (（责任单位；住建局）) reads as the field it is."""
    text = _ASCII_PUNCT.sub(lambda m: _ASCII_FULL[m.group(0)], text)
    return _FIELD_SEMICOLON.sub(lambda m: m.group("f") + "：", text)


class _Doc:
    def __init__(self, text: str, issued: dt.date | None, units: Sequence[UnitName],
                 model: ActionModel | None = None):
        self.orig = text
        self.model = model
        text = full_width(to_simplified(text))
        self.text = text
        self.issued = issued
        self.matcher = UnitMatcher(units)
        if self.matcher.forms:
            _seg.add_words(self.matcher.words())
        self.paras: list[Para] = paragraphs(text)
        classify(text, self.paras)
        self.nodes: list[Node] = build_outline(text, self.paras)
        self.cands: list[Candidate] = []
        self._directive_memo: dict[tuple[str, bool], int] = {}
        self._strip_memo: dict[str, str] = {}
        self._action_memo: dict[str, int | None] = {}
        self._title_memo: dict[str, str] = {}
        self._spans: list[tuple[int, int, int]] | None = None
        self._ctx: list[list[str]] = []
        self._para_of: list[int] = []
        self._own_memo: dict[int, list[str]] = {}
        self.heading_cand: dict[int, Candidate] = {}  # node index → its heading/item candidate
        self.quiet: list[tuple[int, int]] = []  # spans read as a row's field, where the model adds no row
        self._node_starts = [n.item.start for n in self.nodes]
        first = next((p.text for p in self.paras if p.kind == "text"), "")
        self.report_style = bool(_REPORT_STYLE.search(text[:5000])) or bool(re.search(r"政府工作报告\s*$", first))

    # -- context -------------------------------------------------------------------------------
    def innermost(self, pos: int) -> int | None:
        """The innermost outline item whose region holds ``pos`` (regions nest, so: the last item
        starting at or before pos, then up its parents)."""
        i = bisect.bisect_right(self._node_starts, pos) - 1
        while i is not None and i >= 0:
            nd = self.nodes[i]
            if nd.item.start <= pos < max(nd.region_end, nd.item.end):
                return i
            i = nd.parent
        return None

    def narrative(self, node: int | None) -> bool:
        return node is not None and self.nodes[node].narrative

    # -- classification -----------------------------------------------------------------------
    def directive(self, s: str, reported: bool) -> int:
        """0 = not a directive; 1 = action sentence; 2 = modal directive."""
        key = (s, reported)
        got = self._directive_memo.get(key)
        if got is None:
            got = self._directive_memo[key] = self._directive(s, reported)
        return got

    def _directive(self, s: str, reported: bool) -> int:
        if reported or _RECOGNISE.search(s):
            return 0
        label_modal = bool(re.match(r"^[一二三四五六七八九十]{1,3}要", s))
        core = _LABEL.sub("", s, count=1)
        if _DECISION.match(core) and not re.match(r"^[^，,。]{0,12}了", core[4:]) and _cjk_len(core) >= 8 \
                and not re.search(r"(?:如下|以下)?[：:]$", core) and self._decision_sets_work(core):
            return 2  # 会议原则同意X拟草的《…》，修改完善后印发: a decision that sets work
        core = _LEADIN_CLAUSE.sub("", core)
        if _cjk_len(core) < 5:
            return 0
        if _NOT_DIRECTIVE.search(core):
            return 2 if self._owner_after_reason(core) else 0
        if re.match(r"^(?:传达学习|学习传达)(?:了)?[^，,；;。要]{2,60}?精神[，,；;。]", core + "。"):
            # …主持召开常务会议，听取…；传达学习中央…坚决遏制…会议精神，听取…: the meeting's agenda (its
            # modal words are the name of what was studied), not a request
            return 0
        mod = None
        for m in _MODAL.finditer(core):
            if not _SEE_ONLY.match(core, m.end()):
                mod = m
                break
        if mod:
            head = core[: mod.start()]
            rv = _REPORT_VERB.search(head + core[mod.start():mod.start() + 1])
            if rv:
                # 在通报中央环保督察…情况时，市长指出: the frame says when, the speaker is the one after it
                who = _WHEN_FRAME.sub("", head[: rv.start()])
                # 会议传达学习了《中共中央办公厅…的通知》精神，强调要…: an authority named in a title
                # studied is not the one who speaks
                who = _TITLE_QUOTE.sub("", who)
                bare = rv.group(0).endswith(("出", "示", "调")) and core[rv.end():rv.end() + 1] == "要"
                if _AUTHORITY.search(who) or (bare and not _OWN_VOICE.search(who)):
                    return 0
            return 2
        if label_modal or _REVISE_AND_SUBMIT.match(core):
            return 2
        req = _MID_REQUEST.search(core)
        if req and self._action_at(core[req.end():]) is not None:
            return 2  # …传达了…精神，要求全局上下进一步…落实好…: the requirement is the directive
        if "了" in core or "已" in core:
            return 0
        stripped = self.strip_subject(core)
        if re.match(r"^(?:主持)?(?:召开|举行)[^，,。]{0,30}会", stripped):
            return 0  # 县创文领导小组召开第二次会议: the news, not a directive
        if _ACTION.match(stripped) or _ACTION.match(_TIME_BEFORE_VERB.sub("", stripped, count=1)):
            return 1
        if re.match(r"^(?:将|把)", stripped) and _ACTION_FORM.match(stripped):
            return 1  # 2、将村环境卫生纳入“村规民约”，…: what is done with its object opens the item
        # 二是在处理投诉过程中注意保密投诉人信息: an enumerated requirement whose verb follows the
        # circumstance it applies in
        framed = _CIRCUMSTANCE.match(stripped)
        if framed and s != core and _ACTION.match(stripped[framed.end():]):
            return 1
        bare = _ADVERB.sub("", stripped)
        if bare != stripped and _ACTION.match(bare) or opens_action(bare):
            return 1  # 基本建成…, 定期通报…; 新增公交车50台: an action after its manner, or a coined verb
        if _PLAN.match(core) or _PLAN.match(stripped):
            return 1
        return 0

    def _owner_after_reason(self, core: str) -> bool:
        """《报告》是…的指导性文件，各镇（街道）、各部门要…: a sentence that gives its reason first
        and then names an owner with its modal is that owner's requirement."""
        for m in re.finditer(r"[，,]", core):
            rest = core[m.end():]
            if _NOT_DIRECTIVE.search(rest) or not _OWNER_MODAL.match(rest):
                continue
            if any(x.start == 0 for x in self.matcher.find(rest[:30])) and self._subject_units(rest):
                return True
        return False

    @staticmethod
    def _decision_sets_work(core: str) -> bool:
        """会议原则同意…《办法》，修改完善后印发 sets work; 会议原则通过《规划》。 alone does not."""
        rest = _TITLE_QUOTE.sub("", core)
        if _ACTION.match(_DECISION.sub("", rest, count=1)):
            return True  # 会议原则同意启动实施A项目: what is agreed is an action
        if _PROPOSAL.search(rest):
            return True  # 会议同意县农业农村局提出的春耕生产安排: the proposer carries it out
        return bool(re.search(r"[，,；;][^，,；;。]{3,}|由|请|责成|负责|牵头|(?:后|前)(?:印发|实施|报|提交|执行)", rest))

    def strip_subject(self, s: str) -> str:
        got = self._strip_memo.get(s)
        if got is None:
            got = self._strip_memo[s] = self._strip_subject(s)
        return got

    def _strip_subject(self, s: str) -> str:
        s = REQUEST_OWNER.sub("", _LEADIN_CLAUSE.sub("", s))
        ms = self.matcher.find(s[:40])
        pos = 0
        for m in ms:
            if m.start >= pos and _SUBJECT_GAP.fullmatch(s, pos, m.start):
                pos = m.end
                tail = _SUBJECT_TAIL.match(s, pos)
                if tail:
                    pos = tail.end()
            else:
                break
        s = s[pos:]
        s = _TIME_LEAD.sub("", s)
        s = re.sub(r"^以[^，,]{1,30}为(?:牵引|重点|抓手|目标|导向|核心|主线|契机|载体|突破口)[，,]", "", s)
        s = re.sub(r"^由[^，,]{2,30}?(?:统一|负责)?牵头[，,]?", "", s)
        s = re.sub(r"^(?:按照|根据|对照|依据)[^，,。]{2,24}?(?=(?:完成|开展|推进|实施|落实|做好|抓好|组织|制定|建立|加快)(?!的))", "", s)
        # 请上榜黑榜的村（社区）于10月10日前完成整改: a request to those described, with its limit;
        # 请各乡镇按照任务分工，于4月15日前完成…: the basis, then the limit before the verb
        s = _ASKED_BEFORE_LIMIT.sub("", s, count=1)
        s = _BASIS_BEFORE_LIMIT.sub("", s, count=1)
        # …，工作人员要真正沉下去, 各相关负责人要深入一线: people in their posts, the subject of what they do
        s = re.sub(r"^(?:我们|大家|全[\u4e00-\u9fff]上下|各级党员领导干部|各级党组织|各级领导干部|党员干部"
                   r"|[^，,。；;、\s]{0,6}?(?:负责人|工作人员|网格员|志愿者|干部)(?=(?:一定|都|还|也|务必)?(?:要|必须|务必)))?"
                   r"(?:一定|都|还|更(?![大高实好加])|也|务必)?(?:要|必须|需要|应当|须)?", "", s)
        return s

    # -- clause features for the action model (actions.py) -------------------------------------
    def clause_spans(self) -> list[tuple[int, int, int]]:
        """Every comma/semicolon clause of every text paragraph as (start, end, end of its sentence)."""
        if self._spans is not None:
            return self._spans
        spans: list[tuple[int, int, int]] = []
        for pi, p in enumerate(self.paras):
            if p.kind != "text":
                continue
            for pc in p.pieces:
                cls = self._clauses(pc.start, pc.end)
                sent_dir = self.directive(pc.text, False)
                narr = self.narrative(self.innermost(pc.start))
                # a short enumerated sentence followed by more of its paragraph reads as a heading
                headlike = bool(_LABEL.match(pc.text)) and len(cls) <= 2 and not pc.last
                # how the sentence opens and how the one before it ended hold for all its clauses
                opening = _LEADIN_CLAUSE.sub("", _LABEL.sub("", pc.text, count=1))
                sent = [f"dir={sent_dir}", f"pi={min(pc.index, 3)}", f"n={min(len(cls), 6)}",
                        f"so2={opening[:2]}", f"pend={self.text[pc.start - 1:pc.start] if pc.start else '^'}"]
                for flag, on in (("headlike", headlike), ("lastsent", pc.last), ("narr", narr),
                                 ("report", self.report_style)):
                    if on:
                        sent.append(flag)
                for ci, (a, b) in enumerate(cls):
                    ctx = [*sent, f"ci={min(ci, 3)}"]
                    if ci == len(cls) - 1:
                        ctx.append("last")
                    if ci == 0 and _LABEL.match(pc.text):
                        ctx.append("sent_lab")
                    spans.append((a, b, pc.end))
                    self._ctx.append(ctx)
                    self._para_of.append(pi)
        self._spans = spans
        return spans

    def clause_features(self, i: int) -> list[str]:
        """The features of clause ``i`` of clause_spans(): how it opens (its first characters, and
        again once its enumerator, lead-in, subject and manner adverbs are taken off), whether the
        verb lexicon calls it an action, its place in the sentence and paragraph, the punctuation
        around it, a few cue words, and the openings of the clauses before and after it in its
        paragraph (a lead phrase or a heading is followed by its actions)."""
        spans = self.clause_spans()
        f = self._own(i) + self._ctx[i]
        if i > 0 and self._para_of[i - 1] == self._para_of[i]:
            f += ["p:" + x for x in self._own(i - 1) if x.startswith(_PREV_KEPT)]
        else:
            f.append("p:start")
        if i + 1 < len(spans) and self._para_of[i + 1] == self._para_of[i]:
            f += ["n:" + x for x in self._own(i + 1) if x.startswith(_NEXT_KEPT)]
        return f

    def clause_rows(self) -> list[tuple[int, int, int, list[str]]]:
        """(start, end, end of sentence, features) of every clause (training reads them all)."""
        return [(a, b, e, self.clause_features(i)) for i, (a, b, e) in enumerate(self.clause_spans())]

    def _own(self, i: int) -> list[str]:
        got = self._own_memo.get(i)
        if got is None:
            a, b, _e = self._spans[i]
            got = self._own_memo[i] = self._clause_own_features(a, b)
        return got

    def _clause_own_features(self, a: int, b: int) -> list[str]:
        text = self.text
        cl = text[a:b]
        core = _LABEL.sub("", cl, count=1)
        f = [f"c1={core[:1]}", f"c2={core[:2]}", f"c3={core[:3]}"]
        if len(core) < len(cl):
            f.append("lab")
        lead = _LEADIN_CLAUSE.sub("", core)
        stripped = _ADVERB.sub("", re.sub(r"^(?:要|必须|务必|需|应)", "", self.strip_subject(lead)))
        if len(stripped) < len(lead):
            f.append("subj")
        f += [f"s1={stripped[:1]}", f"s2={stripped[:2]}", f"s3={stripped[:3]}"]
        at = self._action_at(cl)
        if at is None:
            f.append("act=none")
        else:
            f += ["act", f"v2={cl[at:at + 2]}"]
        if self._role_clause(cl):
            f.append("role")
        off = len(cl) - len(core)
        if any(off <= m.start <= off + 1 for m in self.matcher.find(cl[: off + 24])):
            f.append("unit0")
        n = _cjk_len(cl)
        f.append(f"len={0 if n < 4 else 1 if n < 8 else 2 if n < 16 else 3 if n < 30 else 4}")
        f.append(f"end={text[b:b + 1] or '$'}")
        f.append(f"e2={cl[-2:]}")
        if any(ch.isdigit() for ch in cl):
            f.append("digit")
        f.append(f"beg={text[a - 1:a] if a else '^'}")
        for w in _CUES:
            if w in cl:
                f.append("w=" + w)
        for i in range(min(len(stripped), 8) - 1):
            f.append("bg=" + stripped[i:i + 2])
        return f

    # -- candidate assembly -------------------------------------------------------------------
    def add(self, s: int, e: int, kind: str, extra_fields=(), conf_bonus: float = 0.0) -> int | None:
        text = self.text
        while s < e and text[s].isspace():
            s += 1
        while e > s and (text[e - 1].isspace()):
            e -= 1
        if e <= s:
            return None
        body = text[s:e]
        notes = [(m.start(), m.end()) for m in _NOTE_PAREN.finditer(body)]
        found = [m for m in self.matcher.find(body) if not any(a <= m.start < b for a, b in notes)]
        actor = [_is_actor(body, m) for m in found]
        first_actor = next((i for i, a in enumerate(actor) if a), len(actor))  # not any(actor[:i]): a copy per name
        for i, m in enumerate(found):
            if actor[i] and i > first_actor and _SUPERVISED.search(body[max(0, m.start - 60):m.start]):
                actor[i] = False
        for i in range(1, len(found)):
            # 对全县各乡镇、县级各部门…: the rest of a list shares its first name's role
            if not actor[i - 1] and body[found[i - 1].end:found[i].start] in ("、", "和", "及", "与"):
                actor[i] = False
        mentions = [m for m, a in zip(found, actor) if a]
        mentioned: list[str] = []
        for m, a in zip(found, actor):  # not `m not in mentions`: that compares every pair
            if not a and m.name not in mentioned:
                mentioned.append(m.name)
        units: list[str] = []
        lead = None
        leader = None
        deadline_text = None
        fields = list(extra_fields) + parse_fields(body, s)
        co: list[str] = []
        for k, v, _a, _b in fields:
            if k in ("牵头单位", "主办单位", "牵头部门"):
                vals = [self.matcher.canonical(u) or display(u) for u in split_units(v)]
                if vals:
                    lead = lead or vals[0]
                    co = vals + co
            elif k in ("责任单位", "配合单位", "协办单位", "参与单位", "责任部门", "配合部门"):
                named = [self.matcher.canonical(u) or display(u) for u in split_units(v)]
                if k in ("责任单位", "责任部门") and len(named) == 1 and not any(
                    f[0] in ("牵头单位", "主办单位", "牵头部门") for f in fields
                ):
                    lead = lead or named[0]  # the one responsible unit of a row leads it
                co += named
            elif k in ("责任领导", "牵头领导", "分管领导", "联系领导", "责任人"):
                leader = leader or (split_units(v)[:1] or [None])[0]
            elif k in ("完成时限", "完成时间", "时间节点", "办结时限") and v:
                deadline_text = v
        if fields and (lead or co):
            for u in co:
                if u not in units:
                    units.append(u)
        else:
            pl = _PAREN_LEAD.search(body)
            if pl:
                # （X、Y牵头，Z及W按职责分工负责）: every unit named leads or shares; the first listed leads
                for grp in ("lead", "co"):
                    if not pl.group(grp):
                        continue
                    for u in split_units(pl.group(grp)):
                        ums = self.matcher.find(u)
                        for name in ([m.name for m in ums] if ums else [display(u)]):
                            if name not in units:
                                units.append(name)
                    if grp == "lead" and units:
                        lead = units[0]
            for m in mentions:
                if m.name not in units:
                    units.append(m.name)
            if lead is None:
                lead = self._lead_from_text(body, mentions)
            if lead is None and len(units) == 1:
                ob = _HEADING_OWNER_BRACKET.search(body.rstrip("。；; \n"))
                if ob and re.search(r"(?:负责|牵头)[）)]$", ob.group(0)) and ob.group("u") == units[0] \
                        and not any(m.collective for m in mentions):
                    lead = units[0]  # …（县消防大队负责）: the one unit a row's closing bracket charges leads it
        lm = _LEADER.search(body)
        if lm and not leader:
            leader = lm.group("l")
        if deadline_text:
            deadline = field_deadline(deadline_text, self.issued)[1]
        else:
            scan = _FIELD_PAREN.sub("", body)
            scan = _TITLE_QUOTE.sub(lambda m: "\u3000" * len(m.group(0)), scan)  # 《…（2019-2023年）》 is a name
            deadline_text, deadline = find_deadline(scan, self.issued)
        cadence_text, cadence = find_cadence(_TITLE_QUOTE.sub("", body))
        if cadence is None and deadline_text and deadline is None:
            # a 完成时限 cell or field that says 每月5日前 sets how often to report, not a limit
            cadence_text, cadence = find_cadence(deadline_text)
        targets = find_targets(_LABEL.sub("", body, count=1))
        measures = self.measures(body)
        title = None  # computed once the candidate survives splitting (run())
        section = self.innermost(s)
        conf = 0.45 + conf_bonus + (0.15 if units else 0) + (0.1 if deadline_text else 0) + (0.1 if targets else 0)
        mentioned = [u for u in mentioned if u not in units]
        cand = Candidate(
            co_units=[u for u in units if u != lead],
            mentioned_units=mentioned,
            title=title,
            text=self.orig[s:e],
            measures=measures,
            start=s,
            end=e,
            section=section,
            units=units,
            lead_unit=lead,
            lead_leader=leader,
            deadline=deadline,
            deadline_text=deadline_text,
            targets=targets,
            kind=kind,
            confidence=min(conf, 0.95),
            cadence=cadence,
            cadence_text=cadence_text,
        )
        self.cands.append(cand)
        return len(self.cands) - 1

    def _lead_from_text(self, body: str, mentions: list[Mention]) -> str | None:
        for m in mentions:
            after = body[m.end:m.end + 6]
            before = body[max(0, m.start - 1):m.start]
            if re.match(r"^(?:统一|负责|共同)?牵头", after) and not m.collective:
                return m.name
            if before == "由" and re.match(r"^(?:统一|负责)?(?:牵头|负责|组织)", after) and not m.collective:
                return m.name
            if re.search(r"由[^，,。；;由]{0,8}单位$", body[max(0, m.start - 12):m.start]) \
                    and re.match(r"^(?:统一|具体)?负责", after) and not m.collective:
                return m.name  # 由包片单位县气象局负责: the role written before the name
            if (before == "请" or body[max(0, m.start - 2):m.start] == "责成") and not m.collective:
                return m.name  # 请X…, 责成X…: the unit asked to do it
            if before == "由" and not m.collective and not re.match(r"^(?:向|对|给)", after) \
                    and not _SUPPORT_ROLE.match(after) \
                    and not re.search(r"(?:经费|资金|费用|补助|补贴)$", body[max(0, m.start - 5):m.start - 1]):
                return m.name  # (所需经费由市财政局解决: the funder does not lead the work)
        for m in mentions:
            if re.search(r"(?:同意|通过)$", body[max(0, m.start - 4):m.start]) and not m.collective:
                return m.name  # 会议同意县财政局拟草的《…》/县脱贫攻坚办对…拟定的《…》: the proposer
        specific = [m for m in mentions if not m.collective]
        if len({m.name for m in specific}) >= 1:
            m = specific[0]
            # (各有关单位要主动配合，X要组织…推进: the collective asked only to support does not share the lead)
            if any(x.start < m.start and not (x.collective and _SUPPORT_ROLE.match(body, x.end)) for x in mentions):
                return None
            core = _LABEL.sub("", body, count=1)
            offset = len(body) - len(core)
            lead_in = _LEADIN_CLAUSE.match(core)
            offset += lead_in.end() if lead_in else 0
            starts = {offset} | {i + 1 for i, ch in enumerate(body) if ch in "。；;，,"}
            at_start = any(st <= m.start <= st + 2 for st in starts)
            # (…由王光玲牵头，九重镇落实: the unit that 落实 a work a leader heads is its owner)
            if at_start and _COUNTERPARTY.match(body, m.end):
                return m.name  # X与Y签订合同: the party named first does it, Y is the other side
            sup = _SUPPORT_ROLE.match(body, m.end)
            helped = sup and next((x for x in specific if sup.end() <= x.start <= sup.end() + 1), None)
            if at_start and helped:
                return helped.name  # X要配合Y做好…: the unit helped leads, the one that helps is a co-unit
            if at_start and re.match(r"^(?:党组|党委)?(?:要|必须|务必|将|负责|牵头|统一|抓紧|迅速|尽快|会同|做好|加强|抓好|落实)"
                                     r"|^因[^，,。；;]{2,40}[，,](?:要|应|须|必须)", body[m.end:]):
                return m.name
            if at_start and len({x.name for x in specific}) == 1 and re.match(r"对[^，,；;。]{2,24}?(?:进行|开展)", body[m.end:]):
                return m.name  # 县双创办对上述工作进行抽查: the one unit that does what the sentence says
            timed = _TIME_BEFORE_VERB.sub("", body[m.end:], count=1)
            if at_start and len(timed) < len(body) - m.end and _ACTION.match(timed):
                return m.name  # 会议要求县交通运输局于4月15日前完成…: the subject has its time limit first
            if at_start and len({x.name for x in specific}) == 1 and re.search(r"(?:村|社区|镇|乡|街道)$", m.name) \
                    and re.match(r"^[^，,。；;：:]{0,14}[：:]", body[m.end:]):
                return m.name  # 1.珠山村大水井：垃圾箱满溢…: the village answers for the problem listed under its name
        return None

    def measures(self, body: str) -> str:
        s = _LABEL.sub("", body, count=1)
        s = _FIELD_PAREN.sub("", s)
        return s.strip().rstrip("；;，,")

    def title(self, body: str) -> str:
        got = self._title_memo.get(body)
        if got is None:
            got = self._title_memo[body] = self._title(body)
        return got

    def _title(self, body: str) -> str:
        s = self.measures(body)
        s = re.sub(r"[。！!？?；;：:.]+[”’\"」』）)]*$", "", s)  # "." : text pasted from a web page
        s = re.split(r"[。！？!?；;]", s, maxsplit=1)[0] or s
        clauses = _split_clauses(s)
        if not clauses:
            return self._cut(s)
        decided = _DECISION.match(clauses[0])
        named = _TITLE_QUOTE.search(clauses[0])
        if decided and len(clauses) > 1:
            # 会议原则同意X拟草的《…》，修改完善后，批复实施 → 《…》修改完善后，批复实施;
            # 会议同意X提出的改造方案，由Y负责组织实施，6月底前完工 → X提出的改造方案，6月底前完工
            rest = [c for c in clauses[1:] if not self._role_clause(c) and not self._basis_only(c)] or clauses[1:]
            rest[0] = self._drop_time(rest[0])
            if named:
                return self._cut(named.group(0) + "，".join(rest))
            head = clauses[0][decided.end():].strip("，,：: ")
            return self._cut("，".join(([head] if _cjk_len(head) >= 2 else []) + rest))
        # owners and time limits have their own columns: 由X负责，Y参与，6月底前完成… → 完成…
        kept = [c for c in clauses if not self._role_clause(c)]
        clauses = kept or clauses
        # start at the clause that carries the directive (skip preamble like 今天这次会议是初步学习)
        for k, c in enumerate(clauses):
            if _MODAL.search(c) or _ACTION.match(self.strip_subject(c)) or opens_action(self.strip_subject(c)) \
                    or _REVISE_AND_SUBMIT.match(c) or _REVISE_ASKED_CLAUSE.match(c):
                clauses = clauses[k:]
                break
        clauses[0] = self.strip_subject(clauses[0])
        clauses = [c for c in clauses if c and not re.fullmatch(r"由.{2,30}?(?:统一|负责)?牵头", c)] or clauses
        while len(clauses) > 1:
            c = clauses[0]
            revised = re.search(r"(?:修改完善|修订完善)后?$", c)
            if revised and _PREP.match(c):
                # 根据会议意见修改完善后，提请…审议: the revising is the first half of the work, its basis none
                clauses[:2] = [revised.group(0) + clauses[1]]
                break
            items = c.split("、")
            nxt = clauses[1]
            nxt_directive = bool(_MODAL.search(nxt) or _ACTION.match(self.strip_subject(nxt)))
            # a list of short names before the work is no title (县财政局、县住建局，…), a short work with
            # its 、-listed objects is (排定时间表、路线图)
            if (len(items) >= 2 and all(_cjk_len(x) <= 5 for x in items) and not _ACTION.match(c)) \
                    or (_cjk_len(c) <= 4 and nxt_directive):
                clauses.pop(0)
            elif re.match(r"^在.{1,20}(?:的同时|中|上|时|下|方面)$", c):
                clauses.pop(0)
            elif (_PREP.match(c) and (_cjk_len(c) <= 12 or not _VERBISH.search(c))) or (
                _PREP_SHORT.match(c) and _cjk_len(c) <= 12 and not _VERBISH.search(c)
            ):
                clauses.pop(0)
            elif _REPORT_VERB.search(c[-4:] + "，") or _RECOGNISE.search(c):
                clauses.pop(0)
            elif self._role_clause(c):  # 会议要求A会同B，在二季度内完成… → after its subject, 会同B is a role
                clauses.pop(0)
            else:
                break
            clauses[0] = self.strip_subject(clauses[0])
        # 每周通报进展，10个工作日内报送整改清单 → 报送整改清单: how often to report is the row's
        # 报送周期, not its work
        clauses = [c for c in clauses if not _CADENCE_CLAUSE.fullmatch(c)] or clauses
        clauses[0] = self._drop_time(clauses[0])
        out = clauses[0]
        for c in clauses[1:]:
            if len(out) + 1 + len(c) > 30:
                break
            out = out + "，" + c
        return self._cut(out)

    def _basis_only(self, clause: str) -> bool:
        """请各乡镇按照任务分工: an owner and what the work goes by, no work of its own."""
        return bool(_BASIS_ONLY.fullmatch(self.strip_subject(clause).strip()))

    def _drop_time(self, clause: str) -> str:
        """10个工作日内完成…, 春节前完成… → 完成…: the limit is in the deadline column."""
        lead = re.match(r"^(?:要|须|必须|务必)?(?:于|在)?", clause).end()
        dtext, _d = find_deadline(clause[lead:lead + 16], self.issued)
        if dtext and clause[lead:].startswith(dtext):
            rest = clause[lead + len(dtext):].lstrip("，, ")
            rest = re.sub(r"^(?:要|必须|务必)", "", rest)
            if _cjk_len(rest) >= 4:
                return rest
        return clause

    def _cut(self, s: str, limit: int = 30) -> str:
        s = s.strip("，,、 ")
        if len(s) <= limit:
            return s
        # End at the last clause that fits whole (…施工招标，年底 → …施工招标); only a first
        # clause longer than the limit is cut inside, at a word.
        head = s[: limit + 1]
        comma = max(head.rfind("，"), head.rfind(","), head.rfind("；"))
        if comma > 0 and _cjk_len(s[:comma]) >= 4:
            return s[:comma].rstrip("，,、 ")
        out = ""
        for w in _seg.segment(s[:limit * 3]):  # the words past the limit are not needed (a clause may be 200,000 chars)
            if len(out) + len(w) > limit:
                break
            out += w
        out = out.rstrip("，,、的和与及")
        return out or s[:limit]

    # -- passes ---------------------------------------------------------------------------------
    def run(self, rules: bool = True) -> None:
        consumed: set[tuple[int, int]] = set()  # pieces handled as part of an item
        self.decided_topic: set[int] = set()
        self.decided = self._decided_paras()
        if rules:
            self._field_items(consumed)
            read_tables(self)
            read_cell_lines(self)
            read_spaced_lines(self)
            self._flat_tables()
            self._spaced_records()
            before = set(consumed)
            self._bracket_owned_items(consumed)
            self._listed_items(consumed)
            self._items(consumed, consumed - before)
            self._sentences(consumed)
            self._split_actions()
        self._model_pass()
        self.cands.sort(key=lambda c: (c.start, -c.end))
        self._carry_subjects()
        self._assigned_items()
        self._town_village_items()
        self._colon_owners()
        for c in self.cands:
            if c.title is None:
                c.title = self.title(self.text[c.start:c.end])
        # A unit heading or a unit before a colon names the owner of each row under it; the lead-in
        # of an enumeration speaks only for the rows those leave without one.
        self._unit_headings()
        self._heading_owners()
        self._leadin_owners()
        self._drop_leadins()
        self._closing_deadline()
        self._covering_limit()
        self._link_parents()
        self._heading_deadlines()

    def _decided_paras(self) -> set[int]:
        """Paragraphs that open an item after a decision lead-in (会议决定如下事项：)."""
        out: set[int] = set()
        open_ = False
        for pi, p in enumerate(self.paras):
            if p.kind != "text":
                continue
            if open_ and self._para_starts_item(pi):
                first = p.pieces[0].text if p.pieces else ""
                if first[-1:] in "。；;" and not re.match(r"^\S{1,4}[、.．]?关于", first):
                    out.add(pi)  # 一、关于老旧小区改造工作（。） is a topic, not a decision
                elif len(p.pieces) > 1:
                    self.decided_topic.add(pi)  # 三、关于背街小巷卫生。各社区落实…: the decision follows its topic
                continue
            open_ = bool(p.pieces) and bool(_DECIDED_LEADIN.search(p.pieces[-1].text))
        return out

    def _carry_subjects(self) -> None:
        """"X要A；要B": the subject of a sentence stays the owner of its later clauses."""
        subject: list[str] = []
        lead = None
        prev_end = -1
        last: tuple[list[str], str | None] | None = None  # the audience of the sentence just ended
        opened: list[str] | None = None  # the owner the current sentence opens with
        for c in self.cands:
            if c.kind not in ("sentence", "item", "heading"):
                subject, prev_end, last, opened = [], -1, None, None
                continue
            gap = self.text[prev_end:c.start] if prev_end >= 0 else "。"
            if re.search(r"[。！？!?\n]", gap) or not gap.strip().endswith(("；", ";", "，", ",")) and gap.strip():
                subject, lead, opened = [], None, None
            first = not subject and opened is None
            # 各乡镇及相关单位要A。要B: a sentence that opens with a bare modal goes on addressing the
            # audience of the sentence before it, in the same paragraph
            if first and last and "\n" not in gap and not gap.strip() and re.match(r"要(?!求)", c.text):
                subject, lead = last
                opened = last[0]
            last = None
            if _LABEL.match(c.text) or _TOPIC_FRAME.match(c.text):
                subject, lead = [], None  # a new enumerated item or topic names its own owner
            own = self._subject_units(c.text)
            if own and not c.units and _COUNTED_WORK.fullmatch(c.text.rstrip("。；;，, ")):
                own = []  # 建成…、乡镇健身中心2处: a work counted among others, named like a body, owns nothing
            if not own and _NON_UNIT_SUBJECT.match(self.text[c.start:c.end]):
                subject, lead = [], None  # …，工作人员要真正沉下去: a subject of its own, and no unit
            if own:
                subject, lead = own, c.lead_unit
                if first:
                    opened = own
            elif subject and not c.units:
                c.units, c.lead_unit = list(subject), lead
                c.co_units = [u for u in c.units if u != c.lead_unit]
                c.mentioned_units = [u for u in c.mentioned_units if u not in c.units]
            if opened is None:
                opened = []
            prev_end = c.end
            if c.text.rstrip().endswith(("。", "！", "？", "!", "?")):
                # only an audience addressed as a whole from the sentence's start (各乡镇及相关单位要…)
                # is still addressed by the next bare 要; a unit named in passing (县爱卫会要…) or in a
                # later clause is not
                if opened and all(re.match(r"各|有关|相关|涉及", u) for u in opened):
                    last = (list(opened), lead if subject == opened else None)
                subject, lead, opened = [], None, None

    def _assigned_items(self) -> None:
        """（二）由县林业局负责，…。同时，做好…: an item handed to one owner at its start is that owner's
        throughout; its later sentences that name no owner of their own are the owner's too."""
        owners: dict[int, str | None] = {}
        for c in self.cands:
            if c.units or c.section is None:
                continue
            ni = c.section
            if ni not in owners:
                nd = self.nodes[ni]
                head = _LABEL.sub("", self.text[nd.item.start:nd.item.start + 60], count=1)
                m = _ASSIGNED_HEAD.match(head)
                found = self.matcher.find(m.group("u")) if m else []
                whole = len(found) == 1 and found[0].start == 0 and found[0].end == len(m.group("u"))
                owners[ni] = found[0].name if whole and not found[0].collective else None
            if owners[ni] and c.start > self.nodes[ni].item.start:
                c.units, c.lead_unit, c.co_units = [owners[ni]], owners[ni], []
                c.mentioned_units = [u for u in c.mentioned_units if u != owners[ni]]

    def _town_village_items(self) -> None:
        """An item that opens with a township and its village alone (``_ITEM_TOWN_VILLAGE``) is theirs."""
        for c in self.cands:
            if c.units or c.kind != "item":
                continue
            m = _ITEM_TOWN_VILLAGE.match(self.text, c.start, min(len(self.text), c.start + 24))
            if m is None:
                continue
            c.units, c.lead_unit, c.co_units = [m.group("town"), m.group("village")], None, []
            c.mentioned_units = [u for u in c.mentioned_units if u not in c.units]

    def _colon_owners(self) -> None:
        """``县住建局：加快…；确保…。`` / ``2.城南街道、城北街道：加快…``: the units (or places) written alone
        before the colon that opens a sentence own the rows of that sentence that name none. One
        specific unit leads; several, or a collective, share the rows with no lead."""
        text = self.text
        for c in self.cands:
            if c.units or c.lead_unit:
                continue
            a = max(text.rfind(ch, 0, c.start) for ch in "。！？!?\n") + 1
            m = _SENTENCE_COLON_UNITS.match(text, a, c.start)
            if not m:
                continue
            names = self._listed_owners(m.group("u"))
            if not names:
                continue
            c.units = [n for n, _coll in names]
            c.lead_unit = names[0][0] if len(names) == 1 and not names[0][1] else None
            c.co_units = [u for u in c.units if u != c.lead_unit]
            c.mentioned_units = [u for u in c.mentioned_units if u not in c.units]

    def _heading_owners(self) -> None:
        """``一、加强交通安全管理（县公安局牵头，县交通局配合）`` over ``1.…`` ``2.…``: the owners a heading names
        in its closing brackets own the items under it that name none (the nearest such heading)."""
        cache: dict[int, tuple[list[str], str | None] | None] = {}

        def owners_of(ni: int):
            if ni not in cache:
                head = self.text[self.nodes[ni].item.start:self.nodes[ni].item.end].rstrip("。；; \n")
                got = None
                pl = _PAREN_LEAD.search(head)
                fp = _FIELD_PAREN.search(head)
                if fp and fp.end() == len(head) and fp.group(0)[1:3] in ("牵头", "主办", "责任", "配合"):
                    # （牵头单位：X；责任单位：Y、Z）: the owner fields of the heading's closing brackets
                    got = self._field_owners(parse_fields(fp.group(0)[1:-1], 0))
                elif pl and pl.end() == len(head):
                    lead = self._listed_owners(pl.group("lead"))
                    co = self._listed_owners(pl.group("co")) if pl.group("co") else []
                    if lead and co is not None:
                        names = list(dict.fromkeys(n for n, _c in lead + co))
                        got = (names, lead[0][0] if len(lead) == 1 and not lead[0][1] else None)
                else:
                    ob = _HEADING_OWNER_BRACKET.search(head)
                    listed = self._listed_owners(ob.group("u")) if ob else None
                    if listed:
                        names = list(dict.fromkeys(n for n, _c in listed))
                        got = (names, listed[0][0] if len(listed) == 1 and not listed[0][1] else None)
                cache[ni] = got
            return cache[ni]

        def tail_owners(ni: int):
            # 1、切实…。按照…。对…。[牵头单位:区卫健局;责任单位:…]: an item of several sentences (no items
            # under it) closed by a bracket of owner fields: they own every row of the item, its first
            # sentence too
            nd = self.nodes[ni]
            if nd.children or nd.region_end <= nd.item.end:
                return None
            tail = _REGION_OWNER_FIELDS.search(self.text[nd.item.end:nd.region_end].rstrip("。；; \n"))
            if not tail:
                return None
            lead, names = None, []
            for k, v, _a, _b in parse_fields(tail.group("f"), 0):
                vals = [self.matcher.canonical(u) or display(u) for u in split_units(v)]
                if k in ("牵头单位", "牵头部门", "主办单位"):
                    lead = vals[0] if len(vals) == 1 and lead is None and not names else None
                    names = vals + names
                elif k in ("责任单位", "责任部门", "配合单位", "配合部门", "协办单位"):
                    names += vals
            names = list(dict.fromkeys(names))
            return (names, lead if lead in names else None) if names else None

        for c in self.cands:
            if c.units or c.lead_unit or c.section is None:
                continue
            ni = c.section
            nd = self.nodes[ni]
            got = tail_owners(ni)
            if got:
                c.units, c.lead_unit = list(got[0]), got[1]
                c.co_units = [u for u in c.units if u != c.lead_unit]
                c.mentioned_units = [u for u in c.mentioned_units if u not in c.units]
                continue
            if c.start <= nd.item.start and c.end >= nd.item.end:
                ni = nd.parent  # the heading's own row: its owners are read with it
            while ni is not None:
                got = owners_of(ni)
                if got:
                    c.units, c.lead_unit = list(got[0]), got[1]
                    c.co_units = [u for u in c.units if u != c.lead_unit]
                    c.mentioned_units = [u for u in c.mentioned_units if u not in c.units]
                    break
                ni = self.nodes[ni].parent

    def _field_owners(self, fields) -> tuple[list[str], str | None] | None:
        """The units and lead of owner fields, read as a row's own fields are (``add``): the first
        牵头单位 leads, or the one 责任单位 when no unit leads."""
        lead, co = [], []
        for k, v, _a, _b in fields:
            names = [self.matcher.canonical(u) or display(u) for u in split_units(v)]
            if k == "牵头单位":
                lead += names
            elif k in ("责任单位", "配合单位"):
                co += names
        names = list(dict.fromkeys(lead + co))
        if not names:
            return None
        first = lead[0] if lead else (co[0] if len(co) == 1 else None)
        if first and any(m.collective for m in self.matcher.find(first)):
            first = None
        return names, first

    @staticmethod
    def _named_alone(x: str) -> bool:
        """A town, village or zone, or a body named by the ending of its kind, written alone."""
        return place_name(x) or _named_body(x)

    def _listed_owners(self, u: str) -> list[tuple[str, bool]] | None:
        """Names that make up the whole of ``u`` (a unit, a place, or a 、/和/及-list of them), or None."""
        out: list[tuple[str, bool]] = []
        for part in re.split(r"[、和及与]", u):
            found = self.matcher.find(part)
            if len(found) == 1 and found[0].start == 0 and found[0].end == len(part):
                out.append((found[0].name, found[0].collective))
            elif place_name(part) and not _FUNCTION_WORD.search(part) or _named_body(part):
                out.append((part, False))
            else:
                return None
        return out or None

    def _drop_leadins(self) -> None:
        """请各单位切实做到以下几点：一是…: the lead-in of an enumeration asks for nothing its items do
        not; its units are the items' owners (``_leadin_owners``), the sentence itself is no row."""
        starts = sorted(nd.item.start for nd in self.nodes)
        keep = []
        for c in self.cands:
            text = self.text[c.start:c.end].rstrip()
            if _LEADIN_ONLY.search(text) and c not in self.heading_cand.values():
                at = bisect.bisect_left(starts, c.end)
                if at < len(starts) and not self.text[c.end:starts[at]].strip():
                    continue
            keep.append(c)
        self.cands = keep

    def _leadin_owners(self) -> None:
        """请各单位切实做到以下几点：一是…；二是…: the units the lead-in of an enumeration addresses own
        the items that name no unit of their own."""
        owners: dict[int, tuple[list[str], str | None]] = {}

        def of_list(ni: int) -> tuple[list[str], str | None]:
            nd = self.nodes[ni]
            first = ni
            while first > 0:
                prev = self.nodes[first - 1]
                if prev.parent != nd.parent or prev.style != nd.style:
                    break
                first -= 1
            if first not in owners:
                start = self.nodes[first].item.start
                floor = self.nodes[nd.parent].heading_end if nd.parent is not None else 0
                lead_in = self.text[max(floor, start - 80):start]
                lead_in = re.split(r"[。！？!?\n]", lead_in)[-1]
                units: list[str] = []
                if re.search(r"[：:]\s*$", lead_in):
                    for m in self.matcher.find(lead_in):
                        if _is_actor(lead_in, m) and m.name not in units:
                            units.append(m.name)
                owners[first] = (units, self._lead_from_text(lead_in, self.matcher.find(lead_in)) if units else None)
            return owners[first]

        for c in self.cands:
            if c.units or c.lead_unit or c.section is None or c.kind not in ("sentence", "item", "heading"):
                continue
            units, lead = of_list(c.section)
            if units:
                c.units, c.lead_unit = list(units), lead
                c.co_units = [u for u in units if u != lead]
                c.mentioned_units = [u for u in c.mentioned_units if u not in units]

    def _unit_headings(self) -> None:
        """A 清单 or 督查通报 grouped by unit (一、县农业农村局 / 一、县示范区管委会牵头工作（8项）):
        the rows under the heading are that unit's."""
        cache: dict[int, str | None] = {}

        def unit_of(ni: int) -> str | None:
            if ni not in cache:
                nd = self.nodes[ni]
                head = _LABEL.sub("", self.text[nd.item.start:nd.item.end], count=1).strip()
                m = _UNIT_HEADING.match(head)
                found = self.matcher.find(m.group("u")) if m else []
                if len(found) == 1 and found[0].end - found[0].start == len(m.group("u")):
                    cache[ni] = found[0].name
                else:
                    # （三）高桥镇, 一、县城投公司: a place or a named body standing alone as the heading is
                    # the unit of the rows under it, though no unit pattern reads it without a verb after it
                    cache[ni] = m.group("u") if m and self._named_alone(m.group("u")) else None
            return cache[ni]

        remit: dict[int, str | None] = {}

        def remit_of(ni: int) -> str | None:
            """The unit of a heading that names its remit (属X职责范围, X管理范围内的问题), or None."""
            if ni not in remit:
                nd = self.nodes[ni]
                head = _LABEL.sub("", self.text[nd.item.start:nd.item.end], count=1).strip()
                m = _UNIT_HEADING.match(head)
                u = unit_of(ni) if m and "范围" in head[m.end("u"):] else None
                # (属各乡镇职责范围 / （一）城关镇: a collective's remit, the heading below names the one)
                remit[ni] = u if u and not any(f.collective for f in self.matcher.find(u)) else None
            return remit[ni]

        starts = [p.start for p in self.paras]
        for c in self.cands:
            if c.lead_unit is None and c.units:
                own = _COLON_UNIT.match(c.text)
                if own and _cjk_len(c.text[own.end():]) >= 4:
                    # 1.县交通运输局：农村公路养护进度滞后。: the unit before the colon owns the item
                    found = self.matcher.find(own.group("u"))
                    if len(found) == 1 and found[0].start == 0 and found[0].end == len(own.group("u")) \
                            and found[0].name in c.units and not found[0].collective:
                        c.lead_unit = found[0].name
                        c.co_units = [u for u in c.units if u != c.lead_unit]
            if c.units or c.lead_unit:
                continue
            u = self._colon_unit(starts, c.start)
            ni = c.section
            while ni is not None and u is None:
                u = unit_of(ni)
                ni = self.nodes[ni].parent
            if u is not None and ni is not None:
                # 一、属住建局职责范围： / （一）凤城镇 / 1.…: under a heading of a unit's remit the headings
                # below it name where the problem is, not who answers for it
                while ni is not None:
                    if remit_of(ni):
                        u = remit_of(ni)
                        break
                    ni = self.nodes[ni].parent
            if u:
                c.units, c.lead_unit, c.co_units = [u], u, []
                c.mentioned_units = [m for m in c.mentioned_units if m != u]

    def _heading_deadlines(self) -> None:
        """`（一）春节前完成农民工工资清零。县人社局要…；县住建局要…`: a time limit in a heading is the
        limit of the rows under it that set none of their own."""
        memo: dict[int, tuple[str | None, dt.date | None]] = {}
        for c in self.cands:
            if c.deadline_text is not None:
                continue
            ni = c.section
            while ni is not None:
                nd = self.nodes[ni]
                # a row inside the heading's own sentence (三是要强化安全生产，县应急局要在清明节前…，县交通运输局
                # 要…) is no row under a heading: the limits there are its neighbours' own
                if nd.item.start != c.start and not nd.narrative and c.start >= nd.heading_end:
                    if ni not in memo:
                        head = self.text[nd.item.start:nd.heading_end]
                        dtext, d = find_deadline(_TITLE_QUOTE.sub("", head), self.issued)
                        memo[ni] = (dtext, d) if dtext and re.search(r"(?:前|底|末|内)$", dtext) else (None, None)
                    if memo[ni][0]:
                        c.deadline_text, c.deadline = memo[ni]
                        break
                ni = nd.parent

    def _closing_deadline(self) -> None:
        """`以上问题请于5月23日前整改到位` after a list of problems by unit: the limit of every problem
        listed above it that sets none of its own."""
        since = 0
        for i, c in enumerate(self.cands):
            if c.deadline_text is None or not _CLOSING.match(_LABEL.sub("", c.text, count=1)):
                continue
            for prev in self.cands[since:i]:
                if prev.deadline_text is None and prev.lead_unit and prev.kind in ("item", "assignment"):
                    prev.deadline_text, prev.deadline = c.deadline_text, c.deadline
            since = i + 1

    def _covering_limit(self) -> None:
        """`以上工作确保在一个月内完成` after the actions of an item: the limit of each of them that sets
        none of its own, counted from the day the document was issued; the sentence itself asks for
        nothing more than they do."""
        drop = []
        starts = [p.start for p in self.paras]
        for i, c in enumerate(self.cands):
            cm = None if c.deadline_text is None or c.units else _COVERING.match(c.text)
            if cm is None:
                continue
            para = bisect.bisect_right(starts, c.start) - 1
            # 此项工作6月底前完成 names the work just before it: only the actions of its own paragraph
            near = cm.group("near") is not None
            covered = [p for p in self.cands[:i] if p.section == c.section and p.end <= c.start
                       and (c.section is not None and not near or bisect.bisect_right(starts, p.start) - 1 == para)]
            if not covered:
                continue
            for p in covered:
                if p.deadline_text is None:
                    p.deadline_text, p.deadline = c.deadline_text, c.deadline
            if c not in self.heading_cand.values():
                drop.append(i)
        for i in reversed(drop):
            del self.cands[i]

    def _colon_unit(self, starts: list[int], pos: int) -> str | None:
        """督查通报 listing problems by unit: `县交通运输局：1.…；2.…`, or `县交通运输局：` on a line of
        its own above `1.…` `2.…` lines. The numbered items are that unit's."""
        pi = bisect.bisect_right(starts, pos) - 1
        while pi >= 0:
            p = self.paras[pi]
            if p.kind != "text":
                return None
            m = _COLON_UNIT.match(p.text)
            if m and p.start + m.end() <= pos:
                found = self.matcher.find(m.group("u"))
                whole = len(found) == 1 and found[0].start == 0 and found[0].end == len(m.group("u"))
                if not _NUMBERED_AFTER.match(p.text, m.end()) and m.end() < len(p.text.rstrip()):
                    return None
                if not whole:
                    # 东城街道办事处： above 1.… 2.…: a body named as written
                    return m.group("u") if _named_body(m.group("u")) else None
                return found[0].name
            if p.start == pos or _NUMBERED_AFTER.match(p.text):
                pi -= 1  # a numbered line: its unit is named on a line above
                continue
            return None
        return None

    def _field_items(self, consumed: set) -> None:
        """分工方案: an item followed by 牵头单位：/责任单位：/完成时限： lines is exactly one task."""
        i = 0
        paras = self.paras
        while i < len(paras):
            if paras[i].kind != "field":
                i += 1
                continue
            j = i
            fields = []
            while j < len(paras) and paras[j].kind == "field":
                fields += paras[j].fields
                j += 1
            # 年度阶段性工作目标: | 第一季度:…第四季度:… |: the item's milestones; the last is its limit
            sched = _SCHEDULE_LINE.match(paras[j].text) if j < len(paras) and paras[j].kind == "text" else None
            if sched:
                last = _last_limit(paras[j].text[sched.end():], self.issued)
                if last and not any(f[0] == "完成时限" for f in fields):
                    fields.append(("完成时限", last, paras[j].start, paras[j].end))
                for pc in paras[j].pieces:
                    consumed.add((pc.start, pc.end))
                self.quiet.append((paras[j].start, paras[j].end))
            group = self._owner_line_group(i, j, consumed)
            if group is not None:
                self._emit_owned_group(group, i, fields, consumed)
                i = j
                continue
            # the item: back to the paragraph that starts an outline item (or the previous paragraph)
            k = i - 1
            while k >= 0 and paras[k].kind == "text" and not self._para_starts_item(k) and k > i - 4:
                if k - 1 < 0 or paras[k - 1].kind != "text":
                    break
                k -= 1
            if k >= 0 and paras[k].kind == "text":
                s, e = paras[k].start, paras[i - 1].end
                idx = self.add(s, e, "assignment", extra_fields=fields, conf_bonus=0.4)
                for pk in range(k, i):
                    for pc in paras[pk].pieces:
                        consumed.add((pc.start, pc.end))
                if idx is not None:
                    nd = self._node_at(s)
                    if nd is not None:
                        self.heading_cand[nd] = self.cands[idx]
            i = j

    def _para_item(self, pi: int) -> int | None:
        """The paragraph-level outline item that paragraph ``pi`` opens, or None."""
        p = self.paras[pi]
        k = bisect.bisect_left(self._node_starts, p.start)
        while k < len(self.nodes) and self.nodes[k].item.start == p.start:
            if self.nodes[k].scope == "para" and self.nodes[k].para == pi:
                return k
            k += 1
        return None

    def _para_children(self, ni: int) -> list[int]:
        return [c for c in self.nodes[ni].children if self.nodes[c].scope == "para" and self.nodes[c].item.kind != "lead"]

    def _leaf_items(self, ni: int) -> list[int]:
        """The numbered items under ``ni`` that hold no numbered items of their own, in order."""
        out: list[int] = []
        for c in self._para_children(ni):
            out.extend(self._leaf_items(c) if self._para_children(c) else [c])
        return out

    def _item_paras(self, ni: int) -> tuple[int, int]:
        """The paragraphs [a, b) of a leaf item: its own and the text after it up to the next item,
        field line or table."""
        nd = self.nodes[ni]
        b = nd.para + 1
        while b < len(self.paras) and self.paras[b].kind == "text" and self.paras[b].start < nd.region_end:
            b += 1
        return nd.para, b

    def _owns_itself(self, a: int, b: int) -> bool:
        """An item that names its own owners in fields or brackets (（牵头单位：X）, （X牵头）)."""
        body = self.text[self.paras[a].start:self.paras[b - 1].end]
        return bool(_PAREN_LEAD.search(body)) or any(
            k in ("牵头单位", "责任单位", "配合单位") for k, _v, _a, _b in parse_fields(body, 0))

    def _owner_line_group(self, i: int, j: int, consumed: set) -> tuple[list[int], list[int]] | None:
        """Owner lines (牵头单位：X / 责任单位：Y / （牵头单位：X；责任单位：Y）) at paras[i:j] that speak for
        a group of numbered items rather than the one item above them:

        * standing under a heading whose first numbered item follows them (``（一）稳定粮食生产`` /
          ``牵头单位：县农业农村局`` / ``1.…`` ``2.…``): they own every item under that heading;
        * closing a list none of whose earlier items has owner lines of its own, where the list does not
          go on after them (``1.…`` ``2.…`` / ``（牵头单位：县水利局）`` / ``（三）…``): they own every item of it.

        Returns the heading paragraphs (no rows of their own) and the items, or None (the lines are the
        fields of the item above them, as in a 分工方案 that gives each item its own lines)."""
        paras, nodes = self.paras, self.nodes
        if i == 0 or paras[i - 1].kind != "text" or not any(
                k in ("牵头单位", "责任单位", "配合单位") for k, _v, _a, _b in
                (f for q in paras[i:j] for f in q.fields)):
            return None
        head = self._para_item(i - 1)
        first = self._para_item(j) if j < len(paras) and paras[j].kind == "text" else None
        if head is not None and first is not None and nodes[first].parent == head:
            leaves = self._leaf_items(head)
            return ([i - 1], leaves) if leaves else None
        last = self.innermost(paras[i - 1].start)
        while last is not None and nodes[last].scope != "para":
            last = nodes[last].parent
        if last is None or self._para_children(last) or nodes[last].item.kind == "lead":
            return None
        nd = nodes[last]
        same = [k for k in range(len(nodes)) if nodes[k].parent == nd.parent and nodes[k].style == nd.style
                and nodes[k].scope == "para"]
        if any(k > last and nodes[k].item.number == (nd.item.number or 0) + 1 for k in same):
            return None  # the list goes on: the lines are its last item's
        run = [last]
        while True:
            prev = next((k for k in same if k < run[0] and nodes[k].item.number == nodes[run[0]].item.number - 1), None)
            if prev is None:
                break
            run.insert(0, prev)
        if len(run) < 2 or nodes[run[0]].item.number != 1:
            return None
        for k in run:
            a, b = self._item_paras(k)
            if self._para_children(k) or (k != last and (b < len(paras) and paras[b].kind == "field"
                                                          or self._owns_itself(a, b))):
                return None
            if any((pc.start, pc.end) in consumed for q in paras[a:b] for pc in q.pieces):
                return None
        # the heading over a closed list is no row of its own either
        return ([nodes[nd.parent].para] if nd.parent is not None and nodes[nd.parent].scope == "para" else []), run

    def _emit_owned_group(self, group: tuple[list[int], list[int]], at: int, fields: list, consumed: set) -> None:
        """One assignment per item of an owner-line group, with the group's fields (an item that names
        its own owners keeps them)."""
        heads, items = group
        for pk in heads:
            for pc in self.paras[pk].pieces:
                consumed.add((pc.start, pc.end))
            self.quiet.append((self.paras[pk].start, self.paras[pk].end))
        for ni in items:
            a, b = self._item_paras(ni)
            if b < len(self.paras) and self.paras[b].kind == "field" and b != at:
                continue  # the item's own owner lines follow it (those closing a list are the group's)
            if any((pc.start, pc.end) in consumed for q in self.paras[a:b] for pc in q.pieces):
                continue
            own = self._owns_itself(a, b)
            idx = self.add(self.paras[a].start, self.paras[b - 1].end, "assignment",
                           extra_fields=[f for f in fields if not own or f[0] in ("完成时限", "责任领导")], conf_bonus=0.4)
            for q in self.paras[a:b]:
                for pc in q.pieces:
                    consumed.add((pc.start, pc.end))
            if idx is not None:
                self.heading_cand[ni] = self.cands[idx]

    def _para_starts_item(self, pi: int) -> bool:
        p = self.paras[pi]
        return any(nd.para == pi and nd.item.start == p.start for nd in self.nodes)

    def _node_at(self, pos: int) -> int | None:
        for i, nd in enumerate(self.nodes):
            if nd.item.start == pos:
                return i
        return None

    def _flat_tables(self) -> None:
        """A table pasted from a web page one cell a line (`序号 |`, `重点工作 |`, …, `1 |`, `…任务… |`):
        a header run naming the task and unit columns, then rows that each open with their number.
        Cells are read by what they hold (the long cell is the task, a cell of unit names the units,
        a short name the leader), since pasted rows often lose or merge an empty cell."""
        paras = self.paras
        i = 0
        while i < len(paras):
            if not _is_cell(paras[i]):
                i += 1
                continue
            j = i
            while j < len(paras) and (_is_cell(paras[j]) or paras[j].kind == "table" and not paras[j].text.strip("|｜ \t")):
                j += 1
            self._flat_table(paras[i:j])
            i = j

    def _flat_table(self, run: list[Para]) -> None:
        cells = []
        for p in run:
            t = p.text.rstrip()
            t = re.sub(r"[|｜\s]+$", "", t)
            cells.append((p, t))
        k = 0
        cols: dict[str, int] = {}
        while k < len(cells) and not re.fullmatch(r"\d{1,3}", cells[k][1]):
            name = re.sub(r"\s+", "", cells[k][1])
            for key, rx in _HEADER_KEYS.items():
                if key not in cols and len(name) <= 12 and rx.search(name):
                    if key == "task" and _HEADER_KEYS["measures"].search(name):
                        continue
                    cols[key] = k
                    break
            k += 1
        if "task" not in cols or not ({"lead", "units"} & cols.keys()) or k >= len(cells):
            return
        rows: list[list[tuple[Para, str]]] = []
        expect = None
        for p, t in cells[k:]:
            if re.fullmatch(r"\d{1,3}", t) and (expect is None or int(t) == expect):
                rows.append([])
                expect = int(t) + 1
                p.kind = "cell"
                continue
            if rows:
                rows[-1].append((p, t))
                p.kind = "cell"
        for row in rows:
            task = next(((p, t) for p, t in row if _cjk_len(t) >= 6 and not self._unit_cell(t)), None)
            if task is None:
                continue
            after = row[row.index(task) + 1:]
            unit_cells = [(p, t) for p, t in after if self._unit_cell(t)]
            fields = []
            names = ["牵头单位", "责任单位"] if "lead" in cols else ["责任单位", "配合单位"]
            for name, (p, t) in zip(names, unit_cells):
                a = p.start + (len(p.text) - len(p.text.lstrip()))
                fields.append((name, t.strip(), a, a + len(t.strip())))
            if "leader" in cols:
                leader = next(((p, t) for p, t in after if re.fullmatch(r"[\u4e00-\u9fff]{2,4}", t.strip())
                               and not self._unit_cell(t)), None)
                if leader:
                    a = leader[0].start + (len(leader[0].text) - len(leader[0].text.lstrip()))
                    fields.append(("责任领导", leader[1].strip(), a, a + len(leader[1].strip())))
            if "deadline" in cols:
                dl = next(((p, t) for p, t in after if len(t.strip()) <= 16 and field_deadline(t, self.issued)[1]), None)
                if dl:
                    a = dl[0].start + (len(dl[0].text) - len(dl[0].text.lstrip()))
                    fields.append(("完成时限", dl[1].strip(), a, a + len(dl[1].strip())))
            tp = task[0]
            a = tp.start + (len(tp.text) - len(tp.text.lstrip()))
            self.add(a, a + len(task[1].strip()), "assignment", extra_fields=fields, conf_bonus=0.4)

    def _spaced_records(self) -> None:
        """A table whose bars were lost in the copy: a header line of column names between spaces
        (序号 具体点位 存在问题 整改责任单位), then records that each open with a bare number and a space
        (`2 聚源路…工地`) and run over several lines (the problems of the spot, numbered 1、2、 inside the
        cell), the unit cell last: one row per record, owned by the names of that cell
        (`…. 区卫生局`, `区文广新局 区公安分局`, `请市文明办协调解决`)."""
        paras = self.paras
        head = next((i for i, p in enumerate(paras) if p.kind == "text" and _SPACED_HEADER.search(p.text)), None)
        if head is None:
            return
        records: list[list[Para]] = []
        expect = 1
        for p in paras[head + 1:]:
            if p.kind not in ("text", "furniture"):
                break
            m = _RECORD_START.match(p.text)
            if m and int(m.group(1)) == expect:
                records.append([p])
                expect += 1
            elif records and p.kind == "text":
                records[-1].append(p)
        if len(records) < 2:
            return
        for rec in records:
            units, lead = self._record_units(rec[-1].text)
            fields = []
            if units:
                last = rec[-1]
                fields.append(("牵头单位" if lead else "责任单位", "、".join(units), last.start, last.end))
            for p in rec:
                p.kind = "cell"
            idx = self.add(rec[0].start, rec[-1].end, "assignment", extra_fields=fields, conf_bonus=0.4)
            if idx is not None:
                self.cands[idx].title = self._cut(" ".join(rec[0].text.split()[1:]))  # the spot, as its cell names it

    def _record_units(self, line: str) -> tuple[list[str], str | None]:
        """The unit cell at the end of a record's last line: its names, and the one asked to act."""
        tail = re.split(r"[。.；;]\s+|[。；;]", line.rstrip(" .。"))[-1].strip()
        asked = re.fullmatch(r"请(?P<u>[\u4e00-\u9fff]{2,15}?)(?:协调解决|牵头解决|督促整改|负责整改|负责)", tail)
        if asked and self._unit_cell(asked.group("u")):
            return [asked.group("u")], asked.group("u")
        names = tail.split()
        # (a cell of names only: 与 there is part of a name, 区城管与执法局)
        if not names or not all(_cjk_len(x) == len(x) and 2 <= len(x) <= 15 and (
                self._unit_cell(x) or _UNIT_END.search(x) and not re.search(r"[的是了有在]", x)) for x in names):
            return [], None
        return names, names[0] if len(names) == 1 else None

    def _unit_cell(self, t: str) -> bool:
        items = [x.strip() for x in re.split(r"[、，,；;]", t) if x.strip()]
        if not items or len(t) > 80:
            return False
        for x in items:
            found = self.matcher.find(x)
            if not (found and found[0].start == 0 and found[-1].end == len(x)) and not _unit_like(x):
                return False
        return True

    def _body_pieces(self, ni: int, consumed: set) -> list[Piece]:
        nd = self.nodes[ni]
        out = []
        child_spans = [(self.nodes[c].item.start, self.nodes[c].region_end) for c in nd.children]
        paras = self.paras
        # by index: a slice from the item's paragraph copied the rest of the document for every item
        for pi in range(nd.para, len(paras)):
            p = paras[pi]
            if p.start >= nd.region_end:
                break
            if p.kind != "text":
                continue
            for pc in p.pieces:
                if pc.start < nd.item.start or pc.start >= nd.region_end:
                    continue
                if any(a <= pc.start < b for a, b in child_spans):
                    continue
                if (pc.start, pc.end) in consumed:
                    continue
                out.append(pc)
        return out

    def _items(self, consumed: set, as_rows: set) -> None:
        """Enumerated items: a short item is one task; a long one gives its heading (if a directive)
        and then its sentences."""
        for ni, nd in enumerate(self.nodes):
            if nd.item.kind == "part":
                p = self.paras[nd.para]
                if nd.para in self.decided:
                    continue  # a decision, not a heading
                for pc in p.pieces:
                    if pc.start == nd.item.start and not (_cjk_len(pc.text) > 40 and self.directive(pc.text, False)) \
                            and not self._bare_part_directive(nd, pc):
                        consumed.add((pc.start, pc.end))
                continue
            if nd.narrative or ni in self.heading_cand:
                continue
            if as_rows and any((pc.start, pc.end) in as_rows for pc in self._body_pieces(ni, set())):
                # an item of a 督查通报 whose units were already listed as rows: those are its rows
                for pc in self._body_pieces(ni, consumed):
                    consumed.add((pc.start, pc.end))
                continue
            body = self._body_pieces(ni, consumed)
            if not body:
                continue
            head = body[0] if body[0].start == nd.item.start else None
            if head is None:
                continue
            intro = self._intro_of(ni)
            if intro == "recognise":
                for pc in body:
                    consumed.add((pc.start, pc.end))
                continue
            own = [pc for pc in body if pc.para == nd.para]
            pure_heading = len(own) == 1 and own[0].text[-1:] not in "。！？!?；;" and len(own) < len(body)
            sentences = sum(1 for pc in own if pc.text[-1:] in "。！？!?" or pc.last)
            size = own[-1].end - own[0].start
            scores = [self.directive(pc.text, False) for pc in own]
            is_enum = nd.item.kind in ("enum", "inline")
            if is_enum and not pure_heading and self._in_target_list(ni):
                self._whole_item(ni, own, "target", 0.25, consumed)
                continue
            if pure_heading:
                consumed.add((head.start, head.end))
                continue
            if is_enum and _PAREN_LEAD.fullmatch(own[-1].text.strip()) and len(own) > 1:
                # 1.任务。…。（X牵头，Y按职责分工负责）: a 工作要点 item with its owners is one task
                self._whole_item(ni, own, "assignment", 0.4, consumed)
                continue
            listed = nd.style.split("@")[0] in ("num_dot", "num_dun", "paren_num", "circ") and (
                own[-1].text[-1:] in "。；;！!" or size > 30
            ) or nd.para in self.decided  # a numbered list item of a 清单/分工方案 or a decided item
            # is a task even without a directive verb
            rest_text = "".join(pc.text for pc in own[1:])
            # (二要X。A要…；B要…；C要…。: owned requirements between semicolons count as sentences)
            acts = sum(
                1 for pc, sc in zip(own[1:], scores[1:])
                if sc and (pc.text[-1:] in "。！!" or pc.text[-1:] in "；;" and self._subject_units(pc.text))
            )
            elaborated = (
                len(own) > 1 and own[0].text[-1:] in "。！!" and sum(1 for sc in scores[1:] if sc) >= 1
                and (
                    # (完成全年固投任务 names the year's target, not a limit the item is dated by)
                    not self.matcher.find(rest_text)
                    and find_deadline(_YEAR_TARGET.sub("", rest_text), self.issued)[0] is None
                    # 一要冲刺全年目标。各乡镇要…。县发改局要…。: a theme, then sentences each an action
                    # with its own owners; one such sentence is the theme's own measure
                    or not listed and acts >= 2
                )
            )  # 二要强力推进项目建设。要把…，加快推进…。: a theme whose sentences are the actions
            # 1.明确任务，压实责任。各牵头单位要…，建立…，细化…。: a couplet of short phrases heading the
            # item, then owners with their modals: the sentences are the rows, as a 通知 lays them out
            elaborated = elaborated or (
                len(own) > 1 and own[0].text[-1:] in "。！!" and _COUPLET.fullmatch(_LABEL.sub("", own[0].text, count=1))
                and any(sc == 2 and self._subject_units(pc.text) for pc, sc in zip(own[1:], scores[1:]))
            )
            if is_enum and not nd.children and sentences <= 3 and size <= 220 and (any(scores) or listed) \
                    and not elaborated:
                self._whole_item(ni, own, "item", 0.25, consumed)
                continue
            # heading alone
            hd = self.directive(head.text, False)
            # a heading sentence that itself lists actions (四是认真部署A、B等工作，加快推进C。同时，要…)
            # is rows of its own, not just the theme of the sentences after it
            acting = elaborated and len(self._clauses(head.start, head.end)) > 1
            if head.text[-1:] in "。！？!?；;" and (hd == 2 or (hd and (listed or acting))):
                idx = self.add(head.start, head.end, "heading", conf_bonus=0.2)
                if idx is not None:
                    self.heading_cand[ni] = self.cands[idx]
            consumed.add((head.start, head.end))

    def _bare_part_directive(self, nd: Node, pc: Piece) -> bool:
        """二、请县交通局尽快报送项目清单 (no full stop, nothing under it): an item typed without its stop,
        or the last line of a copy cut short, is a requirement when it asks for work, not a part's heading."""
        if nd.children or self.text[nd.item.end:max(nd.region_end, nd.item.end)].strip():
            return False
        core = _LABEL.sub("", pc.text, count=1)
        return self.directive(pc.text, False) == 2 and bool(re.search(r"^请|[，,]|要", core))

    def _whole_item(self, ni: int, own: list[Piece], kind: str, bonus: float, consumed: set) -> None:
        """The item's own pieces as one candidate, which is the heading of what lies under it."""
        idx = self.add(own[0].start, own[-1].end, kind, conf_bonus=bonus)
        for pc in own:
            consumed.add((pc.start, pc.end))
        if idx is not None:
            self.heading_cand[ni] = self.cands[idx]

    def _in_target_list(self, ni: int) -> bool:
        nd = self.nodes[ni]
        first = nd
        # siblings come after their parent: looking further back only costs (a list that never
        # restarts at 1 made each item scan the whole document)
        for j in range(ni, -1 if nd.parent is None else nd.parent, -1):
            other = self.nodes[j]
            if other.style == nd.style and other.parent == nd.parent and other.item.number == 1:
                first = other
                break
        pi = first.para
        if nd.scope == "inline":
            pieces = [pc for pc in self.paras[pi].pieces if pc.end <= first.item.start]
        else:
            k = pi - 1
            while k >= 0 and self.paras[k].kind != "text":
                k -= 1
            pieces = self.paras[k].pieces if k >= 0 else []
        return bool(pieces) and bool(_TARGET_LEADIN.search(pieces[-1].text))

    def _intro_of(self, ni: int) -> str | None:
        nd = self.nodes[ni]
        if nd.scope != "inline":
            return None
        first = nd
        j = ni
        while j >= 0 and self.nodes[j].para == nd.para:
            other = self.nodes[j]
            if other.style == nd.style and other.item.number == 1:
                first = other
                break
            j -= 1
        p = self.paras[nd.para]
        prev = [pc for pc in p.pieces if pc.end <= first.item.start]
        if prev and _RECOGNISE.search(prev[-1].text):
            return "recognise"
        return None

    def _listed_items(self, consumed: set) -> None:
        """督查通报: "由县民政局负责的第1件、县卫健局负责的第17、18件…进展滞后" gives one row per
        numbered item with its unit; "A项目、B工程等均未达序时" and "甲乡、乙镇等未按要求报送" one
        row per work or unit named as lagging."""
        under_criticised = False  # the paragraphs after a 黑榜 heading
        criticised: bool | None = None  # whether its lines carry 第N组：
        prev_end = 0
        for p in self.paras:
            if p.kind != "text":
                continue
            gap, prev_end = self.text[prev_end:p.start], p.end
            if under_criticised and criticised is not None and re.search(r"\n[ \t\u3000]*\n", gap):
                under_criticised = False  # a blank line after the list: what follows (the signature) is no unit to chase
            head = p.text.strip()
            if _CRITICISED_HEAD.match(head) or _RANKED_LOW_HEAD.match(head):
                criticised, under_criticised = None, True
                placed = self._placed_problems(p)
                if placed:
                    self._emit_placed(placed, consumed)
                    under_criticised = False
                continue
            if under_criticised:
                labelled = bool(_GROUP_LABEL.match(head))
                rows = self._criticised_rows(p) if criticised in (None, labelled) else []
                if rows:
                    criticised = labelled
                    self._emit_rows(rows, p.pieces, consumed)
                    continue
                under_criticised = False
            for k, pc in enumerate(p.pieces):
                key = (pc.start, pc.end)
                if key in consumed or self.narrative(self.innermost(pc.start)):
                    continue
                nxt = p.pieces[k + 1] if k + 1 < len(p.pieces) else None
                used = [pc]
                rows = self._numbered_rows(pc) or self._flagged_rows(pc, nxt)
                if rows and nxt is not None and rows[-1][1] > pc.end:
                    used.append(nxt)
                rows = rows or self._owned_rows(pc) or self._place_state_rows(pc) or self._works_stressed_rows(pc) \
                    or self._lagging_rows(pc)
                if not rows:
                    continue
                self._emit_rows(rows, used, consumed)

    def _bracket_owned_items(self, consumed: set) -> None:
        """督查通报 and 交办 lists: `一、人民路农贸市场周边垃圾清运不及时。（县城管局）` — an enumerated
        problem closed by the units to fix it in brackets is one row, led by the first unit named."""
        for ni, nd in enumerate(self.nodes):
            if ni in self.heading_cand or nd.narrative:
                continue
            p = self.paras[nd.para]
            if p.kind != "text":
                continue
            # outline items come in the order of the text: the next one in this paragraph ends this one
            after = self.nodes[ni + 1] if ni + 1 < len(self.nodes) else None
            end = after.item.start if after is not None and after.para == nd.para else p.end
            seg = self.text[nd.item.start:end]
            m = _OWNERS_BRACKET.search(seg)
            if not m or m.start() < 6:
                continue
            names = split_units(m.group("u"))
            if not names or not all(self._is_unit_name(x) for x in names):
                continue
            at = nd.item.start + m.start("u")
            fields = [("牵头单位", names[0], at, at + len(names[0]))]
            if len(names) > 1:
                rest = m.group("u")[len(names[0]):].lstrip("、，,；; ")
                fields.append(("配合单位", rest, at, at + len(m.group("u"))))
            idx = self.add(nd.item.start, nd.item.start + m.end(), "item", extra_fields=fields, conf_bonus=0.3)
            if idx is None:
                continue
            self.heading_cand[ni] = self.cands[idx]
            for pc in p.pieces:
                if nd.item.start <= pc.start < nd.item.start + m.end():
                    consumed.add((pc.start, pc.end))

        # 督查通报 by paragraph: a problem closed by `（责任单位：市国土局，责任人：王功传）` is one row of that unit
        for p in self.paras:
            if p.kind != "text" or any((pc.start, pc.end) in consumed for pc in p.pieces):
                continue
            seg = self.text[p.start:p.end]
            m = _DUTY_BRACKET.search(seg)
            if not m or _cjk_len(seg[:m.start()]) < 10:
                continue
            names = split_units(m.group("u"))
            if not names or not all(self._is_unit_name(x) for x in names):
                continue
            at = p.start + m.start("u")
            fields = [("牵头单位", names[0], at, at + len(names[0]))]
            if len(names) > 1:
                fields.append(("配合单位", "、".join(names[1:]), at, at + len(m.group("u"))))
            if self.add(p.start, p.start + m.end(), "item", extra_fields=fields, conf_bonus=0.3) is None:
                continue
            for pc in p.pieces:
                consumed.add((pc.start, pc.end))

    def _is_unit_name(self, x: str) -> bool:
        found = self.matcher.find(x)
        return bool(found and found[0].start == 0 and found[-1].end == len(x)) or _unit_like(x)

    def _emit_rows(self, rows, pieces, consumed: set) -> None:
        for pc in pieces:
            consumed.add((pc.start, pc.end))
        for a, b, title, unit in rows:
            idx = self.add(a, b, "item", conf_bonus=0.2)
            if idx is None:
                continue
            c = self.cands[idx]
            c.title = self._cut(title)
            if unit:
                c.lead_unit = unit
                c.units = [unit]
                c.co_units = []
                c.mentioned_units = [u for u in c.mentioned_units if u != unit]

    def _unit_item(self, a: int, b: int) -> tuple[int, int, str] | None:
        """A list item that names a unit as written (甲镇（74.16） → 甲镇), or None."""
        t = self.text[a:b]
        lead_ws = len(t) - len(t.lstrip())
        t = t.strip()
        m = _FLAG_ITEM.match(t)
        if not m:
            return None
        u = m.group("u")
        found = self.matcher.find(u)
        if found and found[0].start == 0 and found[0].end == len(u):
            name = found[0].name
        elif _unit_like(u):
            name = u
        else:
            return None
        return a + lead_ws, a + lead_ws + len(t), name

    def _list_units(self, a: int, b: int) -> list[tuple[int, int, str]] | None:
        """Every 、-separated item of text[a:b] as a unit, or None when one is not."""
        out = []
        pos = a
        for x in self.text[a:b].split("、"):
            it = self._unit_item(pos, pos + len(x))
            if it is None:
                return None
            out.append(it)
            pos += len(x) + 1
        return out

    def _spaced_units(self, a: int, b: int) -> list[tuple[int, int, str]] | None:
        """Every space-separated item of text[a:b] as a unit, or None when one is not."""
        out = []
        for m in re.finditer(r"[^ \t\u3000]+", self.text[a:b]):
            it = self._unit_item(a + m.start(), a + m.end())
            if it is None:
                return None
            out.append(it)
        return out or None

    def _flagged_rows(self, pc: Piece, nxt: Piece | None = None) -> list[tuple[int, int, str, str | None]]:
        if "的" not in pc.text or not _FLAG_HINT.search(pc.text):
            return []
        text = pc.text
        if nxt is not None and text.endswith(("：", ":")):
            text = self.text[pc.start:nxt.end]  # 表现较差的单位：/县文旅局、县统计局。
        m = _FLAGGED.search(text)
        if not m:
            return []
        items = self._list_units(pc.start + m.start("list"), pc.start + m.end("list"))
        if not items:
            return []
        state = re.sub(r"^(?:其中|但|部分|个别)", "", m.group("state").strip())
        return [(a, b, f"{name}（{state}）", name) for a, b, name in items]

    def _placed_problems(self, head: Para) -> list[tuple[Para, re.Match | None]]:
        """After a 黑榜 heading, a table set one cell a line (see ``_PLACED_PROBLEM``): its lines up to
        the first that is neither a cell nor a placed problem, each with its problem match (None for a
        cell); empty unless at least two lines are placed problems."""
        lines, found = [], 0
        after = False
        for p in self.paras:
            if p is head:
                after = True
                continue
            if not after or p.kind != "text":
                continue
            t = p.text.strip()
            m = _PLACED_PROBLEM.fullmatch(t)
            if m:
                found += 1
            elif found or not (_TABLE_HEADER_CELL.fullmatch(t) or _LIST_CELL.fullmatch(t)):
                break  # the list ends at the first line after the problems that is not one
            lines.append((p, m))
        return lines if found >= 2 else []

    def _emit_placed(self, lines: list[tuple[Para, re.Match | None]], consumed: set) -> None:
        for p, m in lines:
            for pc in p.pieces:
                consumed.add((pc.start, pc.end))
            if m is None:
                continue  # a header or a cell naming who is listed: the problem line says it again
            off = p.start + (len(p.text) - len(p.text.lstrip()))
            idx = self.add(off, off + m.end(), "item", conf_bonus=0.2)
            if idx is None:
                continue
            c = self.cands[idx]
            c.title = self._cut(m.group("village") + m.group("rest"))
            # the town answers for its village: both are on the list, neither leads
            c.units, c.lead_unit, c.co_units = [m.group("town"), m.group("village")], None, []
            c.mentioned_units = [u for u in c.mentioned_units if u not in c.units]

    def _criticised_rows(self, p: Para) -> list[tuple[int, int, str, str | None]]:
        head = p.text.strip()
        off = p.start + (len(p.text) - len(p.text.lstrip()))
        g = _GROUP_LABEL.match(head)
        a = off + (g.end() if g else 0)
        b = off + len(head.rstrip("。；;"))
        if "、" not in head and re.search(r"\S[ \t\u3000]+\S", head):
            items = self._spaced_units(a, b)  # 教育局 信用联社: a list typeset with spaces
        else:
            items = self._list_units(a, b)
        if not items:
            return []
        return [(x, y, f"{name}（通报批评）", name) for x, y, name in items]

    def _numbered_rows(self, pc: Piece) -> list[tuple[int, int, str, str | None]]:
        rows = []
        t = pc.text
        if "的第" not in t:
            return rows
        for m in self.matcher.find(t):
            nm = _NUMBERED.match(t, m.end)
            if not nm:
                continue
            nums = list(re.finditer(r"\d{1,3}", nm.group("nums")))
            base = nm.start("nums")
            tail = _NUMBERED_TAIL.match(t, nm.end())
            what = nm.group("measure") + (tail.group(0) if tail else "")
            for k, n in enumerate(nums):
                a = pc.start + (m.start if k == 0 else base + n.start())
                last = k == len(nums) - 1
                b = pc.start + (nm.end() if last else base + n.end())
                rows.append((a, b, f"{m.name}负责的第{n.group(0)}{what}", m.name))
        return rows

    def _owned_rows(self, pc: Piece) -> list[tuple[int, int, str, str | None]]:
        t = pc.text
        if "有" not in t or not _OWNED_HINT.search(t):
            return []
        m = _OWNED_LAGGING.search(t)
        if not m:
            return []
        o = m.group("o")
        found = self.matcher.find(o)
        owner = found[-1].name if found and found[-1].end == len(o) else (o if _unit_like(o) else None)
        if owner is None:
            return []
        state = re.sub(r"^(?:均|都|仍|还)", "", m.group("state"))
        rows = []
        rel = m.start("list")
        for x in m.group("list").split("、"):
            xs = x.strip()
            a = rel + len(x) - len(x.lstrip())
            if _cjk_len(xs) >= 2:
                rows.append((pc.start + a, pc.start + a + len(xs), f"{xs}（{state}）", owner))
            rel += len(x) + 1
        return rows

    def _works_stressed_rows(self, pc: Piece) -> list[tuple[int, int, str, str | None]]:
        """The works a leader spoke to (``_WORKS_STRESSED``), one row each, titled with the verb."""
        m = _WORKS_STRESSED.search(pc.text)
        if not m:
            return []
        verb = m.group("verb") or ""
        rows = []
        for it in re.finditer(r"[^、及和]+", m.group("list")):
            x = re.sub(r"等?(?:相关|有关|重点)?$", "", it.group(0))  # …及C等相关工作
            if x.startswith("以"):
                x = x[1:]  # …、B以及C
            if _cjk_len(x) < 2:
                continue
            a = m.start("list") + it.start() + (1 if it.group(0).startswith("以") else 0)
            rows.append((pc.start + a, pc.start + a + len(x), verb + x, None))
        return rows if len(rows) >= 2 else []

    def _place_state_rows(self, pc: Piece) -> list[tuple[int, int, str, str | None]]:
        """Each place a 通报 names with what was found there (``_PLACE_STATE``): a row of that place,
        running to the next place named or the end of its clause group (…有两处未整改，两处未整改彻底；)."""
        t = pc.text
        # a place's own name may hold 和 (协和村); two places joined by 和 are not one
        found = [m for m in _PLACE_STATE.finditer(t)
                 if not re.search(r"[的是了在与及]|(?:村|社区|镇|乡|街道)和", m.group("u"))]
        rows = []
        for k, m in enumerate(found):
            stop = found[k + 1].start() if k + 1 < len(found) else len(t)
            semi = re.search(r"[；;。]", t[m.end():stop])
            b = m.end() + semi.start() if semi else len(t[:stop].rstrip("，,；;。 "))
            rows.append((pc.start + m.start(), pc.start + b, m.group("u") + m.group("state"), m.group("u")))
        return rows

    def _lagging_rows(self, pc: Piece) -> list[tuple[int, int, str, str | None]]:
        t = pc.text
        m = _LAGGING.search(t)
        if not m:
            return []
        if re.match(r"(?:对|对于)", m.group("list")) or re.search(r"的(?:单位|部门|个人|人员|干部|责任人|乡镇|村)", m.group("state")):
            return []  # 对重视不够、措施不力、整改不到位的单位和个人，将…问责: whom a rule is for, no list of laggards
        items = m.group("list").split("、")
        if len(items) < 2:
            return []
        rows = []
        rel = m.start("list")
        state = re.sub(r"^(?:均|都|仍|还)", "", m.group("state"))
        spans = {(u.start, u.end): u.name for u in self.matcher.find(t)}
        for x in items:
            xs = re.sub(r"(?:等|均|都|仍)+$", "", x.strip())
            lead_ws = len(x) - len(x.lstrip())
            if _cjk_len(xs) >= 2:
                a = rel + lead_ws
                unit = spans.get((a, a + len(xs)))
                rows.append((pc.start + a, pc.start + a + len(xs), f"{xs}（{state}）", unit))
            rel += len(x) + 1
        return rows

    def _title_part(self, p_index: int) -> bool:
        """落实安徽省人民政府与海航集团 / 合作备忘录协调会议纪要: a title set over two lines; its first line
        is no requirement however it opens."""
        t = self.paras[p_index].text.strip()
        if not t or _cjk_len(t) > 30 or re.search(r"[，,。；;：:、！!？?]", t):
            return False
        j = p_index + 1
        while j < len(self.paras) and not self.paras[j].text.strip():
            j += 1
        nxt = self.paras[j] if j < len(self.paras) else None
        if nxt is None or nxt.kind != "text":
            return False
        n = nxt.text.strip()
        return _cjk_len(n) <= 30 and not re.search(r"[，,。；;：:！!？?]", n) and bool(_TITLE_END.search(n))

    def _sentences(self, consumed: set) -> None:
        for p_index, p in enumerate(self.paras):
            if p.kind != "text" or self._title_part(p_index):
                continue
            reported = False
            recognising = False
            target_ctx = False
            requiring = False
            last_idx: int | None = None
            for pc in p.pieces:
                key = (pc.start, pc.end)
                node = self.innermost(pc.start)
                ends_sentence = pc.text[-1:] in "。！？!?" or pc.text.endswith(("。”", "！”"))
                if key in consumed or self.narrative(node):
                    last_idx = None
                else:
                    score = 0 if recognising else self.directive(pc.text, reported)
                    after_semicolon = pc.start > 0 and self.text[pc.start - 1] in "；;"
                    if not score and requiring and not recognising and not reported and not after_semicolon \
                            and self._continues(pc):
                        score = 1  # 王华要求，X要…。通盘考虑，…，做好Y工作。: the requirement goes on
                    if not score and p_index in self.decided and pc.index == 0 and not _HEARD.search(pc.text):
                        score = 1
                    if not score and (p_index in self.decided or p_index in self.decided_topic) and pc.index > 0 \
                            and not _HEARD.search(pc.text) and self._continues(pc):
                        score = 1  # every decided sentence that sets an action is a row
                    if target_ctx:
                        self._target_clauses(pc)
                        last_idx = None
                    elif score:
                        last_idx = self.add(pc.start, pc.end, "sentence", conf_bonus=0.15 if score == 2 else 0.0)
                        if score == 2:
                            requiring = True
                    elif last_idx is not None and pc.start > 0 and self.text[pc.start - 1] in "；;" and not reported:
                        c = self.cands[last_idx]
                        self.add(c.start, pc.end, c.kind)
                        merged = self.cands.pop()
                        merged.confidence = c.confidence
                        self.cands[last_idx] = merged
                    else:
                        last_idx = None
                # context carried to following pieces of the same sentence
                t = pc.text
                if t.endswith(("：", ":")):
                    rv = _REPORT_VERB.search(t)
                    if rv and _AUTHORITY.search(t[: rv.start()]):
                        reported = True
                    if _RECOGNISE.search(t):
                        recognising = True
                    if _TARGET_LEADIN.search(t):
                        target_ctx = True
                if ends_sentence:
                    reported = False
                    recognising = False

    def _continues(self, pc: Piece) -> bool:
        """A sentence without a modal after a requirement in the same paragraph is still part of it
        when one of its clauses is an action (依据…，结合…，积极梳理谋划项目，争取资金。)."""
        t = pc.text
        if "了" in t or "已" in t or _NOT_DIRECTIVE.search(t) or t[-1:] in "？?" or t.endswith(("：", ":")):
            return False
        return any(self._action_at(self.text[a:b]) is not None for a, b in self._clauses(pc.start, pc.end))

    def _target_clauses(self, pc: Piece) -> None:
        for m in re.finditer(r"[^，,；;。]+", pc.text):
            seg = m.group(0).strip()
            if _cjk_len(seg) < 4:
                continue
            s = pc.start + m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
            self.add(s, s + len(seg), "target", conf_bonus=0.2)

    # -- one candidate per accountable action -------------------------------------------------
    def _split_actions(self) -> None:
        if self.report_style:
            # A government work report is decomposed sentence by sentence (one 分工方案 row each),
            # not clause by clause as meeting requirements are; only the named works it lists with
            # the limit by which they are done (推动A、B上半年投用) are one row each.
            out = []
            for c in self.cands:
                out.extend((self._works_due(c) if c.kind in ("sentence", "item") else None) or [c])
            self.cands = out
            return
        out: list[Candidate] = []
        replaced: dict[int, Candidate | None] = {}
        for c in self.cands:
            parts = None
            if c.kind in ("sentence", "item", "heading"):
                due = self._works_due(c) if c.kind != "heading" else None
                if due:
                    # the works are rows; the other clauses of the sentence are split as ever
                    parts = [y for x in due for y in ((x.deadline_text is None and self._action_parts(x)) or [x])]
                else:
                    parts = self._action_parts(c)
            if not parts:
                out.append(c)
                continue
            replaced[id(c)] = parts[0]
            out.extend(parts)
        for ni, h in list(self.heading_cand.items()):
            if id(h) in replaced:
                if h.kind == "item":
                    # a short item split into its actions: they are siblings under the item's own
                    # heading (the outline item, its section), none is the parent of the others
                    del self.heading_cand[ni]
                else:
                    self.heading_cand[ni] = replaced[id(h)]
        self.cands = out

    def _works_due(self, c: Candidate) -> list[Candidate] | None:
        """推动标准化厂房二期、太子参小微园上半年投用；力促A、B、C等项目年内投产: named works listed
        after their verb, with the time and the completion they are due by after the list; one row
        per work, each with that limit. The other clauses of the sentence stay rows as they were."""
        segs, a = [], c.start
        for m in re.finditer(r"[；;]", self.text[c.start:c.end]):
            segs.append((a, c.start + m.start()))
            a = c.start + m.end()
        segs.append((a, c.end))
        pieces: list[tuple[int, int, str | None, str | None]] = []  # start, end, title, limit words
        found = False
        for sa, sb in segs:
            seg = self.text[sa:sb].rstrip("。；; ")
            items = got = vm = None
            # only a short clause closed by a completion is tried (linear on a line without stops)
            for vm in re.finditer(_DUE_VERB, seg) if len(seg) <= 300 and _DUE_END.search(seg) else ():
                got = _WORKS_DUE.fullmatch(seg, vm.end())
                if got:
                    break
            if got:
                listed = re.sub(r"等(?:\d+|[一二三四五六七八九十两]+)?个?(?:重点|重大)?(?:项目|工程)$", "", got.group("list"))
                items = listed.split("、")
                if len(items) < 2 or any(_cjk_len(x) < 3 or re.search(r"[的，,]", x) for x in items):
                    items = None
                elif got.group("time") is None and (
                        not re.fullmatch(r"(?:投入|交付)使用|投用|建成|竣工|完工", got.group("done"))
                        or any(_cjk_len(x) > 8 for x in items)):
                    items = None  # with no time the completion alone must say the works are finished
            if not items:
                if seg.strip():
                    pieces.append((sa, sa + len(seg), None, None))
                continue
            found = True
            first = sa
            head = seg[:vm.start()].rstrip("，, ")
            if head and "，" in self.text[sa:sa + vm.start()] + "," and self._action_at(head) is not None:
                pieces.append((sa, sa + len(head), None, None))  # 加快…建设，推动A、B…: an action of its own first
                first = sa + vm.start()
            pos = sa + got.start("list")
            for k, x in enumerate(items):
                xa = first if k == 0 else pos
                xb = pos + len(x) if k < len(items) - 1 else sa + len(seg)
                pieces.append((xa, xb, vm.group(0) + x + got.group("done"), got.group("time")))
                pos += len(x) + 1
        if not found or len(pieces) < 2:
            return None
        parts = []
        for pa, pb, title, when in pieces:
            n = len(self.cands)
            if self.add(pa, pb, c.kind, conf_bonus=max(0.0, c.confidence - 0.6)) is None:
                continue
            part = self.cands.pop(n)
            if title:
                part.title = self._cut(title)
            if when:
                part.deadline_text, part.deadline = find_deadline(when, self.issued)
            parts.append(part)
        return parts or None

    # -- the action model's second opinion (actions.py) ----------------------------------------
    def _model_pass(self) -> None:
        """Where the rules and the model disagree, the model's thresholds (recorded in the model file,
        chosen as train.py explains) say how sure it must be to overrule them: ``split`` a rule row
        holding several actions, ``add`` an action no rule row covers, ``drop`` a rule sentence in
        which no clause opens an action, ``lead``: the model's actions first and the rule rows only
        where it has none; and ``fallback``: when the rules find nothing at all, the model's actions
        are the answer. Clauses are read only when an operation needs them."""
        m = self.model
        if m is None:
            return
        th = {k: m.threshold(k) for k in ("fallback", "split", "add", "drop", "lead")}
        if self.cands and th["split"] > 1.0 and th["add"] > 1.0 and th["drop"] <= 0.0 and th["lead"] > 1.0:
            return
        spans = self.clause_spans()
        if not spans:
            return
        memo: dict[int, float] = {}

        def prob(i: int) -> float:
            got = memo.get(i)
            if got is None:
                got = memo[i] = m.probability(self.clause_features(i))
            return got

        if not self.cands or th["lead"] <= 1.0:
            rule = self.cands
            self.cands = []
            self._model_actions(spans, prob, th["fallback"] if not rule else th["lead"])
            if rule:
                starts, reach = self._reach(self.cands)
                heads = {id(h) for h in self.heading_cand.values()}
                self.cands += [c for c in rule if id(c) in heads or not self._covered(starts, reach, c.start, c.end)]
            return
        starts0 = [a for a, _b, _e in spans]
        heads = {id(h) for h in self.heading_cand.values()}
        if th["split"] <= 1.0 or th["drop"] > 0.0:
            out: list[Candidate] = []
            for c in self.cands:
                if c.kind != "sentence" or id(c) in heads:
                    out.append(c)
                    continue
                i = bisect.bisect_left(starts0, c.start)
                inside = []
                while i < len(spans) and spans[i][1] <= c.end:
                    inside.append(i)
                    i += 1
                if inside and max(prob(j) for j in inside) < th["drop"]:
                    continue
                cuts = [spans[j][0] for j in inside[1:] if prob(j) >= th["split"]]
                parts = self._split_at(c, cuts) if cuts else None
                out.extend(parts or [c])
            self.cands = out
        if th["add"] <= 1.0:
            starts, reach = self._reach(self.cands)
            for i, (a, b, _e) in enumerate(spans):
                if self._covered(starts, reach, a, b) or not self._has_content(a, b) or prob(i) < th["add"] \
                        or any(qa <= a < qb for qa, qb in self.quiet):
                    continue
                self.add(a, self._action_end(spans, prob, i, th["add"]), "sentence")

    @staticmethod
    def _reach(cands: list[Candidate]) -> tuple[list[int], list[int]]:
        spans = sorted((c.start, c.end) for c in cands)
        return [a for a, _b in spans], list(itertools.accumulate((b for _a, b in spans), max))

    def _has_content(self, a: int, b: int) -> bool:
        """Whether a clause says more than names (第一组：县图书馆、城南街道 is a list, not an action),
        praise (表现较好的单位：县财政局、县税务局) or the heading of a list."""
        core = _LABEL.sub("", self.text[a:b], count=1)
        if _PRAISED.search(core) or re.search(r"[：:]\s*$", core) and _FLAG_HINT.search(core):
            return False  # praise, or the heading of a list of units to chase (表现较差的单位：) whose items are the rows
        for m in reversed(self.matcher.find(core)):
            core = core[: m.start] + core[m.end:]
        return _cjk_len(core) >= 4

    @staticmethod
    def _covered(starts: list[int], reach: list[int], a: int, b: int) -> bool:
        """Whether some candidate overlaps text[a:b] (reach: running maximum of the ends of the
        candidates sorted by start). Overlap, not containment: the rules may have cut the clause into
        its 、-listed works, and then it is theirs."""
        k = bisect.bisect_left(starts, b) - 1
        return k >= 0 and reach[k] > a

    @staticmethod
    def _action_end(spans, prob, i: int, t: float) -> int:
        """An action runs from its clause to the clause before the next action of the same sentence."""
        piece_end = spans[i][2]
        j = i + 1
        while j < len(spans) and spans[j][2] == piece_end and prob(j) < t:
            j += 1
        if j < len(spans) and spans[j][2] == piece_end:
            return spans[j - 1][1]
        return piece_end

    def _model_actions(self, spans, prob, t: float) -> None:
        first_of_piece = True
        for i, (a, b, e) in enumerate(spans):
            if prob(i) >= t and self._has_content(a, b):
                # the first action of a sentence keeps the sentence's opening (lead-in, subject)
                j = i
                while first_of_piece and j > 0 and spans[j - 1][2] == e:
                    j -= 1
                self.add(spans[j][0], self._action_end(spans, prob, i, t), "sentence")
                first_of_piece = False
            if i + 1 < len(spans) and spans[i + 1][2] != e:
                first_of_piece = True

    def _split_at(self, c: Candidate, cuts: list[int]) -> list[Candidate] | None:
        bounds = [c.start, *cuts, c.end]
        first = self.text[c.start:cuts[0]]
        subject = self._subject_units(first)
        parts: list[Candidate] = []
        for a, b in zip(bounds, bounds[1:]):
            while b > a and self.text[b - 1] in "，,；; ":
                b -= 1
            n = len(self.cands)
            if self.add(a, b, c.kind, conf_bonus=max(0.0, c.confidence - 0.6)) is None:
                continue
            part = self.cands.pop(n)
            if not part.units and subject:
                part.units, part.lead_unit = list(subject), c.lead_unit if c.lead_unit in subject else None
                part.co_units = [u for u in part.units if u != part.lead_unit]
            if part.deadline_text is None and c.deadline_text and c.deadline_text in first:
                part.deadline_text, part.deadline = c.deadline_text, c.deadline
            part.lead_leader = part.lead_leader or c.lead_leader
            parts.append(part)
        return parts if len(parts) > 1 else None

    def _clauses(self, s: int, e: int) -> list[tuple[int, int]]:
        """Comma/semicolon clauses of text[s:e] outside quotes, brackets and titles."""
        out, depth, a = [], 0, s
        for i in range(s, e):
            ch = self.text[i]
            if ch in "“‘「『《（(【":
                depth += 1
            elif ch in "”’」』》）)】" and depth:
                depth -= 1
            elif ch in "，,；;" and depth == 0:
                out.append((a, i))
                a = i + 1
        out.append((a, e))
        res = []
        for a, b in out:
            while a < b and self.text[a].isspace():
                a += 1
            while b > a and (self.text[b - 1].isspace() or self.text[b - 1] in "。！？!?"):
                b -= 1
            if b > a:
                res.append((a, b))
        return res

    def _action_at(self, clause: str) -> int | None:
        """Offset in ``clause`` of the action verb a clause opens with (after its enumerator,
        lead-in, subject and modal), or None when the clause is no separate action."""
        if clause not in self._action_memo:
            self._action_memo[clause] = self._find_action(clause)
        return self._action_memo[clause]

    def _find_action(self, clause: str) -> int | None:
        core = _LABEL.sub("", clause, count=1)
        core = re.sub(r"^[^，,]{0,12}?(?:要求|强调|指出|明确|提出)[，,：:]", "", core)
        core = re.sub(r"^[^，,：:。；;]{1,16}[：:](?=[^，,：:。；;]{4})", "", core)  # 旅游职专：会议要求… (the topic)
        core = re.sub(r"^(?:会议|会上)(?:还|同时)?(?:要求|强调|明确)(?=由|请|[\u4e00-\u9fff]{4})", "", core)
        core = REQUEST_OWNER.sub("", core)  # …问题，要求县财政局尽快拨付资金
        core = re.sub(r"^(?:会议|会上)?(?:还)?(?:原则|研究|审议)?(?:同意|通过|决定|议定)", "", core)
        if follows_up(core):
            return None
        field = _FIELD_FRAME.match(core)
        if field and _ACTION.match(core[field.end():]) and _cjk_len(core[field.end():]) >= 4:
            return len(clause) - len(core) + field.end()  # 在产业、劳务等方面深化合作: the fields, then the verb
        timed = self._after_time(core)
        if timed != core and _HAND_ON.match(timed):
            # …开展劝阻教育，在本月底以前将屡教不改的门店报县住建局…: a case handed on by a limit of its
            # own is a second action, not the schedule of the first (…，下周前报送进度 is)
            return len(clause) - len(timed)
        joined = JOINED_OBJECT.match(core)
        if joined:
            rest = core[joined.end():]
            if _cjk_len(rest) < 4 or _PURPOSE.match(rest) or GUIDANCE.search(rest):
                return None
            return len(clause) - len(rest)
        stripped = self.strip_subject(core)
        stripped2 = _ADVERB.sub("", stripped)
        if len(stripped) < len(core):
            # 县卫健委要在6月底前完成…: after its own subject or modal a clause may name its time
            # limit before its verb; a clause that opens with a limit (下周例会前报送…) is the
            # schedule of the action before it
            stripped2 = self._after_time(stripped2)
        own_subject = len(stripped) < len(core) and (bool(self._subject_units(core[: len(core) - len(stripped) + 2]))
                                                     or bool(_NON_UNIT_SUBJECT.match(core)))  # 负责人要深入一线
        m_aspect = _ASPECT_LIST.match(stripped2)
        if m_aspect and _ACTION.match(stripped2[m_aspect.end():]) or m_aspect and opens_action(stripped2[m_aspect.end():]):
            return len(clause) - len(stripped2) + m_aspect.end()  # 主要从壮大A、做优B等3个方面进行安排
        if _FOR_PEOPLE.match(stripped2):
            return len(clause) - len(stripped2)  # 为5000名农村妇女免费进行检查: a service to people counted
        if _PURPOSE.match(stripped2) or aims_only(stripped2) or _cjk_len(stripped2) < (3 if own_subject else 5) \
                and not _SHORT_ACTION.fullmatch(stripped2) and not _named_work(stripped2):
            return None
        if own_subject and re.search(r"(?:要|必须|务必|需|将)$", core[: len(core) - len(stripped)]) \
                and not _PREP.match(stripped2):
            # 相关部门及乡镇要年底前完成任务 (…，镇人居办将不定期…回访): its own owner, its own row
            return len(clause) - len(stripped2)
        by = self.matcher.find(core[:40]) if core.startswith("由") else []
        # (由陈家坝沿线包片单位县职教中心、…负责: the role and the area written before the first name)
        if by and (by[0].start == 1 or re.fullmatch(r"[^，,；;。、]{0,10}单位", core[1:by[0].start])) and not re.fullmatch(r"(?:统一|负责|具体)?(?:牵头|负责)?(?:组织实施|实施|落实)?", core[by[0].end:]):
            return 0  # 由区督查组综合后向区政府汇报: a clause that hands the work to its own owner
        if len(stripped2) < len(core) and re.search(r"(?:负责|牵头)$", core[: len(core) - len(stripped2)]) \
                and self.matcher.find(core[:len(core) - len(stripped2)]):
            return len(clause) - len(stripped2)  # 市发展改革委负责《方案》的督导调度: an assignment
        if _PLAN.match(core):
            return 0
        if _MATTER_QUALITY.match(stripped2):
            return len(clause) - len(stripped2)
        if not (_ACTION.match(stripped2) or _SPLIT_VERB.match(stripped2) or _ACTION_FORM.match(stripped2)
                or opens_action(stripped2)):
            fronted = _FRONTED_OBJECT.match(stripped2)
            if fronted and _ACTION.match(fronted.group("rest")):
                return len(clause) - len(stripped2)
            rest = _past_preposition(stripped2)
            if rest is not None:
                return len(clause) - len(rest)
            # a subject the directory does not know (县林草部门要…, 各分管领导要…) followed by its modal
            sm = _BARE_SUBJECT.match(core) or _LISTED_SUBJECT.match(core) or _SHORT_NAMES_SUBJECT.match(core)
            if sm is None:
                return None
            rest = _ADVERB.sub("", core[sm.end():])
            if _cjk_len(rest) < 4 or _PURPOSE.match(rest) or not (
                    _ACTION.match(rest) or _SPLIT_VERB.match(rest) or _ACTION_FORM.match(rest) or opens_action(rest)):
                return None
            return len(clause) - len(rest)
        return len(clause) - len(stripped2)

    def _after_time(self, s: str) -> str:
        """在6月底前完成… → 完成…: a clause may name its time limit before its verb."""
        lead = 1 if s[:1] in "在于" else 0
        dtext, _d = find_deadline(s[lead:lead + 16], self.issued)
        if dtext and s.startswith(dtext, lead):
            rest = _ADVERB.sub("", s[lead + len(dtext):].lstrip("，, "))
            if _cjk_len(rest) >= 4:
                return rest
        return s

    def _owned_next(self, clauses: list[tuple[int, int]], i: int) -> bool:
        """Whether the clause after clause ``i`` names its own owners."""
        return i + 1 < len(clauses) and bool(self._subject_units(self.text[clauses[i + 1][0]:clauses[i + 1][1]]))

    def _action_parts(self, c: Candidate) -> list[Candidate] | None:
        s, e = c.start, c.end
        inner = self.text[s:e].rstrip("。！？!?；;")
        if re.search(r"[。！？!?]", inner):
            return self._status_then_requirement(c)
        return self._clause_parts(c, s, e)

    def _status_then_requirement(self, c: Candidate) -> list[Candidate] | None:
        """An item of several sentences stays one row (it elaborates itself), unless it opens with
        where things stand (国际五金城项目：目前主体已完工，…。会议要求…，同时…): then the
        requirement's sentences are its rows and the status is none."""
        spans, a = [], c.start
        for m in re.finditer(r"[。！？!?]+”?", self.text[c.start:c.end]):
            b = c.start + m.end()
            if b > a:
                spans.append((a, b))
            a = b
        if a < c.end and self.text[a:c.end].strip():
            spans.append((a, c.end))
        if len(spans) < 2:
            return None
        first = _LABEL.sub("", self.text[spans[0][0]:spans[0][1]], count=1)
        first = re.sub(r"^[^，,：:。；;]{1,16}[：:]", "", first)
        if c.kind == "item" and _THEME.fullmatch(first) and not self.directive(first, False) and any(
                _is_actor(self.text[a:b], m) for a, b in spans[1:] for m in self.matcher.find(self.text[a:b])):
            # （1）东河堤段清淤问题。…由A负责…，B与…签订…。: a topic that asks nothing, then owners with
            # their actions; the actions are the rows, the topic none (一是加快X。A要…。 asks for X itself:
            # its one owned sentence stays its measure)
            parts: list[Candidate] = []
            for a, b in spans[1:]:
                got = self._clause_parts(c, a, b)
                if got:
                    parts.extend(got)
                    continue
                n = len(self.cands)
                if self.add(a, b, c.kind, conf_bonus=max(0.0, c.confidence - 0.6)) is not None:
                    parts.append(self.cands.pop(n))
            return parts if len(parts) > 1 else None
        if self.directive(first, False) or not re.search(r"目前|已经?|正在|现已|截至", first):
            return None
        parts: list[Candidate] = []
        for a, b in spans[1:]:
            if not self.directive(self.text[a:b], False):
                continue
            got = self._clause_parts(c, a, b)
            if got:
                parts.extend(got)
                continue
            n = len(self.cands)
            if self.add(a, b, c.kind, conf_bonus=max(0.0, c.confidence - 0.6)) is not None:
                parts.append(self.cands.pop(n))
        return parts or None

    def _clause_parts(self, c: Candidate, s: int, e: int) -> list[Candidate] | None:
        clauses = self._clauses(s, e)
        kinds = []
        for i, (a, b) in enumerate(clauses):
            cl = self.text[a:b]
            if self._role_clause(cl) and not (self._action_at(cl) is not None and self._owned_next(clauses, i)):
                # X、Y要按职责分工负责，抓好…: who shares the work that follows, not work of its own
                # (unless what follows has owners of its own)
                kinds.append("role")
            elif self._action_at(cl) is not None:
                kinds.append("action")
            elif a > s and self.text[a - 1] in "；;" and any(m.start == 0 for m in self.matcher.find(self.text[a:a + 60])):
                kinds.append("role")  # …；姚集镇因…范畴，应及时变更…: a new owner opens what follows
            else:
                kinds.append("other")
        first = self.text[clauses[0][0]:clauses[0][1]] if clauses else ""
        if kinds and kinds[0] == "other" and "action" in kinds[1:] and not _DECISION.match(_LABEL.sub("", first, count=1)):
            core0 = _LEADIN_CLAUSE.sub("", _LABEL.sub("", first, count=1))
            opens_with_unit = any(m.start <= 1 for m in self.matcher.find(core0[:24]))
            content = _ADVERB.sub("", re.sub(r"^(?:要|必须|务必|需)", "", self.strip_subject(core0)))
            if (self._subject_units(first) or opens_with_unit) and self.directive(first, False) == 2 \
                    and _cjk_len(content) >= 4 and not _PREP.match(content):  # 县爱卫会要提前着手，…: a lead phrase, not an action
                kinds[0] = "action"  # 各部门各单位要在每季度末…，由区督查组综合后…: two owners, two rows
        # 三是要加强调度，各单位要明确一名负责人: a short work asked by a bare modal, then another with an
        # owner of its own, are two requirements (a short first clause alone stays the lead phrase)
        if len(kinds) > 1 and kinds[0] == "other" and kinds[1] == "action" and self._owned_next(clauses, 0):
            bare = re.sub(r"^(?:要|必须|务必)(?!求)", "", _LABEL.sub("", first, count=1), count=1)
            if bare != _LABEL.sub("", first, count=1) and _cjk_len(bare) == 4 and _ACTION.match(_ADVERB.sub("", bare)):
                kinds[0] = "action"
        # 请各乡镇按照任务分工，于4月15日前完成造林任务，县林业局…: a clause opening with its limit is
        # the schedule of the action before it, but with no action before it, it is the action
        for i, (a0, b0) in enumerate(clauses):
            if kinds[i] == "action":
                break
            if kinds[i] == "other" and i > 0:
                cl = self.text[a0:b0]
                rest = self._after_time(cl)
                if rest != cl and self._action_at(rest) is not None:
                    kinds[i] = "action"
                    break
        # 要求根据讨论意见作进一步修改完善后，认真组织实施: revising, asked for as a task of its own
        # (作…修改完善), then carrying out; 修改完善后，批复实施 is one step before the other
        for i in range(len(clauses) - 1):
            if _REVISE_FIRST.search(self.text[clauses[i][0]:clauses[i][1]]) and (
                    kinds[i + 1] == "action" or _ISSUE_AFTER.fullmatch(self.text[clauses[i + 1][0]:clauses[i + 1][1]])):
                kinds[i] = kinds[i + 1] = "action"
        # 上足力量设备，定期召开会议，…: a clause right after an action whose head the segmenter's dictionary
        # tags as a verb with its object after it is one more action when the action model, reading the
        # clause's place and words, also leans that way. Neither alone is enough: the dictionary calls
        # 保持社会稳定 and 增进民生福祉 verb and object too, and the model alone only knows the verbs the
        # labelled documents used; together they find actions whose verb or manner no list holds
        # (定期召开会议, 要按时保质完成工程, 全力协助社区解决实际困难)
        for i in range(1, len(clauses)):
            if kinds[i] == "other" and kinds[i - 1] == "action" and self._verb_object(self.text[clauses[i][0]:clauses[i][1]]):
                pr = self._clause_prob(clauses[i][0])
                if pr is not None and pr >= _VERB_OBJECT_PROB:
                    kinds[i] = "action"
        # 新建公共厕所120座、旅游厕所8座，农村户用厕所1万座: one more kind of work the verb before it
        # builds, counted as the others were
        for i in range(1, len(clauses)):
            if kinds[i] == "other" and kinds[i - 1] == "action" \
                    and _COUNTED_WORK.fullmatch(self.text[clauses[i][0]:clauses[i][1]]) \
                    and _COUNTED_END.search(self.text[clauses[i - 1][0]:clauses[i - 1][1]]):
                kinds[i] = "counted"
        # 在X方面，要确保项目按期完工，加强…: 确保 opening the requirement is its first action
        for i, (a0, b0) in enumerate(clauses):
            core_i = _LEADIN_CLAUSE.sub("", _LABEL.sub("", self.text[a0:b0], count=1)).strip("，, ")
            if not core_i:
                continue
            if kinds[i] == "other" and "action" in kinds[i + 1:] and _ENSURE_FIRST.match(core_i):
                kinds[i] = "action"
            break
        groups: list[list[int]] = []
        pending: list[int] = []
        for i, k in enumerate(kinds):
            if k in ("action", "counted"):
                if groups and any(kinds[j] in ("action", "counted") for j in groups[-1]):
                    groups.append(pending + [i])
                elif groups:
                    groups[-1].extend(pending + [i])
                else:
                    groups.append(pending + [i])
                pending = []
            elif k == "role" and groups:
                pending.append(i)
            elif groups and not pending:
                groups[-1].append(i)
            else:
                pending.append(i)
        if pending:
            if groups:
                groups[-1].extend(pending)
            else:
                groups.append(pending)
        # spans: the first group keeps the candidate's start (enumerator, lead-in, subject)
        spans = []
        for gi, g in enumerate(groups):
            a = s if gi == 0 else clauses[g[0]][0]
            b = e if gi == len(groups) - 1 else clauses[g[-1]][1]
            spans.append((a, b, [clauses[j] for j in g if kinds[j] in ("action", "counted")]))
        # within a group's action clause: 、-lists of distinct works and 和/并 + a second verb
        pieces: list[tuple[int, int, str | None]] = []
        listed: dict[int, tuple[int, int]] = {}  # piece index → the listed work it is named by
        prev_verb = None
        for a, b, acts in spans:
            sub = None
            joined = self._joined_title(acts[0], prev_verb) if acts else None
            if acts:
                prev_verb = self._verb_of(*acts[-1]) or prev_verb
            if joined:
                pieces.append((a, b, joined))
                continue
            if len(acts) == 1:
                sub = self._object_parts(*acts[0])
            if sub and len(sub) > 1:
                first_a = a
                for k, (sa, sb, title) in enumerate(sub):
                    pa = first_a if k == 0 else sa
                    pb = b if k == len(sub) - 1 else sb
                    listed[len(pieces)] = (sa, sb)
                    pieces.append((pa, pb, title))
            else:
                pieces.append((a, b, None))
        if len(pieces) < 2:
            return None
        # what the whole sentence says about owners and time is shared by its actions
        first_act = next((clauses[i] for i, k in enumerate(kinds) if k == "action"), None)
        prefix_end = first_act[0] + (self._action_at(self.text[first_act[0]:first_act[1]]) or 0) if first_act else s
        shared = self._shared_fields(s, prefix_end, [clauses[i] for i, k in enumerate(kinds) if k != "action"])
        # 县应急局要在清明节前开展…，县交通运输局要加强…: a limit written inside the first action's own
        # clause (after its subject) is that owner's, not the limit of a later clause with an owner of its own
        first_owns_limit = bool(first_act) and find_deadline(self.text[s:first_act[0]], self.issued)[0] is None \
            and find_deadline(self.text[s:prefix_end], self.issued)[0] is not None
        parts = []
        carry: tuple[list[str], str | None] | None = None
        own_non_unit = False
        for pi, (a, b, title) in enumerate(pieces):
            n = len(self.cands)
            idx = self.add(a, b, c.kind, conf_bonus=max(0.0, c.confidence - 0.6))
            if idx is None:
                continue
            part = self.cands.pop(n)
            if title:
                part.title = self._cut(title)
            built: set[str] = set()
            if pi in listed:
                # 开工建设A、市文化艺术中心、市体育中心: a listed work named like a body is the object
                # built, not an owner
                la, lb = listed[pi]
                built = {m.name for m in self.matcher.find(self.text[la:lb]) if not _cjk_len(self.text[la:la + m.start])}
                if built:
                    part.units = [u for u in part.units if u not in built]
                    part.lead_unit = part.lead_unit if part.lead_unit in part.units else None
            subject = [u for u in self._subject_units(self.text[a:b]) if u not in built]
            if not subject and _TOPIC_FRAME.match(self.text[a:b]):
                carry = None  # …；在Y方面，要…: a new topic does not inherit the last one's owner
            if not subject and a > s and _NON_UNIT_SUBJECT.match(self.text[a:b]):
                carry, own_non_unit = None, True  # goes on to the clauses after it, until a new owner
            elif subject:
                own_non_unit = False
            named = _SHORT_NAMES_SUBJECT.match(self.text[a:b]) if a > s else None
            names = re.sub(r"(?:要|必须|务必)$", "", named.group()).split("、") if named else []
            if names and all(u in names for u in subject):
                # bodies named by their short names (the directory knows some or none of them) are this
                # clause's owners, and the next ones'
                subject = names
                part.units, part.lead_unit, own_non_unit = list(names), None, False
            if subject:
                if part.lead_unit is None and part.units == subject and len(subject) == 1 \
                        and self._action_at(self.text[a:b]) is not None \
                        and not any(m.collective for m in self.matcher.find(self.text[a:b]) if m.name == subject[0]):
                    part.lead_unit = subject[0]  # …，县自然资源局加快办理用地手续: the sole owner of its own clause
                carry = (subject, part.lead_unit)
            elif not part.units and carry:
                part.units, part.lead_unit = list(carry[0]), carry[1]
            elif carry and _SUPERVISES.match(self.text, a):
                # 各乡镇要…，督促各社区落实…: the subject supervises; the supervised are only mentioned
                part.mentioned_units = part.units + part.mentioned_units
                part.units, part.lead_unit = list(carry[0]), carry[1]
            if not part.units and shared["units"] and not own_non_unit:
                part.units = list(shared["units"])
                part.lead_unit = part.lead_unit or shared["lead"]
            part.co_units = [u for u in part.units if u != part.lead_unit]
            part.mentioned_units = [u for u in part.mentioned_units if u not in part.units]
            if part.deadline_text is None and shared["deadline_text"] and not (first_owns_limit and subject and a > first_act[0]):
                part.deadline_text, part.deadline = shared["deadline_text"], shared["deadline"]
            if not part.lead_leader:
                part.lead_leader = c.lead_leader
            parts.append(part)
        return parts if len(parts) > 1 else None

    def _clause_prob(self, a: int) -> float | None:
        """The action model's probability that the clause starting at ``a`` opens an action (None
        without a model, or where the model's clauses do not start there)."""
        if self.model is None:
            return None
        spans = self.clause_spans()
        i = bisect.bisect_left(spans, (a,))
        if i >= len(spans) or spans[i][0] != a:
            return None
        return self.model.probability(self.clause_features(i))

    def _verb_object(self, clause: str) -> bool:
        """Whether a short clause, once its subject, modal and manner are off, opens with a word of two
        or more characters the segmenter's dictionary tags as a verb, followed by a word of two or more
        that names its object (a noun, or a verb used as one: 召开会议, 细化推进措施)."""
        core = _LEADIN_CLAUSE.sub("", _LABEL.sub("", clause, count=1))
        dtext, _d = find_deadline(core[:16], self.issued)
        if dtext and core.startswith(dtext):
            return False  # 今年必须进入全省第一方阵: opening with its time, the schedule or aim of the action before
        core = _ADVERB.sub("", re.sub(r"^(?:要|必须|务必|需|应)", "", self.strip_subject(core)))
        n = _cjk_len(core)
        if n < 4 or n > 14 or _PURPOSE.match(core) or aims_only(core) or GUIDANCE.search(core) or follows_up(core):
            return False
        words = _seg.tagged(core[:16])
        if len(words) < 2:
            return False
        (w0, t0), (w1, t1) = words[0], words[1]
        return len(w0) >= 2 and t0 == "v" and len(w1) >= 2 and t1[:1] in ("n", "v")

    def _verb_of(self, a: int, b: int) -> str | None:
        """The verb (with its adverbs) an action clause opens with: 持续加强, 抓好."""
        cl = self.text[a:b]
        at = self._action_at(cl)
        if at is None or JOINED_OBJECT.match(cl):
            return None
        vm = _ACTION.match(cl[at:]) or _SPLIT_VERB.match(cl[at:]) or opens_action(cl[at:])
        return cl[at:at + vm.end()] if vm else None

    def _joined_title(self, act: tuple[int, int], verb: str | None) -> str | None:
        """以及校园疫情防控 after 加强…的防控 → 加强校园疫情防控: the verb before it is its verb too."""
        cl = self.text[act[0]:act[1]]
        if verb and _COUNTED_WORK.fullmatch(cl) and self._action_at(cl) is None:
            return self._cut(verb + cl)
        if not JOINED_OBJECT.match(cl):
            return None
        rest = cl[JOINED_OBJECT.match(cl).end():]
        if _ACTION.match(rest) or _SPLIT_VERB.match(rest) or opens_action(rest) or not verb:
            return self._cut(rest)
        return self._cut(verb + rest)

    def _subject_units(self, text: str) -> list[str]:
        """Units a clause names as its subject (X、Y等部门要…, X牵头…): they stay the subject of
        the clauses that follow until another subject is named."""
        out = []
        core = _LEADIN_CLAUSE.sub("", _LABEL.sub("", text, count=1))
        # 要求各相关部门进一步…。要…: the body a sentence opens by asking is addressed as its subject is
        # (not 要求各单位报送的材料要真实完整: what the body hands in is the subject there)
        asked = _ASKS_OPENING.sub("", core, count=1)
        if asked != core:
            first = self.matcher.find(asked[:40])
            if not (first and first[0].start == 0 and _ASKED_DESCRIBES.match(asked, first[0].end)):
                core = asked
        opening = len(text) - len(core)
        chain_end = -1
        for m in self.matcher.find(text):
            at_start = m.start <= opening + 1 or m.start == chain_end + 1 and text[chain_end:m.start] in ("、", "和", "及")
            if (_SUBJECT_AFTER.match(text, m.end) or at_start) and _is_actor(text, m) and m.name not in out:
                out.append(m.name)
                chain_end = m.end
        return out

    def _role_clause(self, cl: str) -> bool:
        if not _ROLE_END.search(cl):
            return False  # a role clause ends in a role word or a unit's name
        cl = _LABEL.sub("", cl, count=1)
        ms = self.matcher.find(cl)
        if not ms:
            return False
        rest = cl
        for m in reversed(ms):
            rest = rest[: m.start] + rest[m.end:]
        # The modal may follow the units as well as precede them: X、Y要按职责分工负责.
        return bool(_ROLE_REST.fullmatch(rest))

    def _shared_fields(self, s: int, prefix_end: int, others: list[tuple[int, int]]) -> dict:
        head = self.text[s:prefix_end]
        ms = [m for m in self.matcher.find(head) if _is_actor(head, m)]
        units, lead = [], None
        for m in ms:
            if m.name not in units:
                units.append(m.name)
        lead = self._lead_from_text(head + "要", ms) if ms else None
        for a, b in others:
            cl = self.text[a:b]
            if self._role_clause(cl):
                for m in self.matcher.find(cl):
                    if m.name not in units:
                        units.append(m.name)
                    if lead is None and re.match(r"^(?:统一|负责)?牵头|^负责", cl[m.end:]) and not m.collective:
                        lead = m.name
        dtext, ddate = find_deadline(head, self.issued)
        if dtext is None:
            for a, b in others:
                dtext, ddate, dend = find_deadline_at(self.text[a:b], self.issued)
                # 8月22日，县长主持召开…: a bare date is the day of the meeting; a marked limit
                # (6月底前，组织召开专题会议) stays the limit of the actions after it
                if dtext and not dtext.endswith(_LIMIT_MARKS) and held_on(self.text, a + dend):
                    dtext, ddate = None, None
                if dtext:
                    break
        return {"units": units, "lead": lead, "deadline_text": dtext, "deadline": ddate}

    def _object_parts(self, a: int, b: int) -> list[tuple[int, int, str]] | None:
        """加快A、B、C等项目建设 → one part per named work; 推进A和启动B → two parts."""
        cl = self.text[a:b]
        at = self._action_at(cl)
        if at is None:
            return None
        vm = _ACTION.match(cl[at:]) or _SPLIT_VERB.match(cl[at:]) or opens_action(cl[at:])
        if vm is None:
            return None
        verb_end = at + vm.end()
        # 和/并/及 + a second action verb: two actions
        conj = _CONJ_VERB.search(cl, verb_end)
        if conj and _cjk_len(cl[verb_end:conj.start()]) >= 3 and _cjk_len(cl[conj.end():]) >= 4:
            verb = cl[at:verb_end]
            return [
                (a, a + conj.start(), cl[at:conj.start()]),
                (a + conj.start() + len(conj.group(1)), b, cl[conj.start() + len(conj.group(1)):]),
            ][:2] if verb else None
        nxt = cl[verb_end:verb_end + 2]
        skip = 1 if nxt[:1] in ("好", "牢") or (nxt[:1] == "实" and nxt[1:] not in ("施", "现", "行")) else 0
        obj = cl[verb_end + skip:]
        if re.search(r"[：:]", obj):
            return None
        verb = cl[at:verb_end + skip]
        pos0 = a + verb_end + skip
        if _SECTOR_LIST.search(obj):
            return None  # 加快火电和水泥行业、大型燃煤锅炉除尘改造…: whose work it is, listed, then one work
        # 加快推进A项目建设、B、推进C工作: an item that opens with its own verb makes every item an action
        items = obj.split("、")
        # (明确量化目标、建设内容、责任主体: a verb with a two-character noun after it, 建设内容, 完成时限, is
        # one more noun of the list, not a work of its own)
        if 1 < len(items) <= 12 and any((vx := _ACTION.match(x)) and _cjk_len(x[vx.end():]) >= 3 for x in items[1:]) \
                and all(_cjk_len(x) >= 4 for x in items):
            out, pos = [], pos0
            for x in items:
                t = re.sub(r"等(?:\d+|[一二三四五六七八九十两]+)?个?方面.*$", "", x)  # …等3个方面进行安排
                out.append((pos, pos + len(x), t if _ACTION.match(t) or opens_action(t) else verb + t))
                pos += len(x) + 1
            return out
        # 加快A、B等政策落实和C建设: the list, then one more work joined by 和/及
        tail_work = re.fullmatch(r"(.+、.+?)(?:和|及|以及)([^、，,和及与的]{4,})", obj)
        if tail_work and _is_work(tail_work.group(2)) and _cjk_len(tail_work.group(2)) >= 6:
            x, y = tail_work.groups()
            head = self._list_parts(x, pos0, verb) or [(pos0, pos0 + len(x), verb + x)]
            return head + [(b - len(y), b, verb + y)]
        pair = re.fullmatch(r"([^、，,和及与的]{3,})(?:和|及|与)([^、，,和及与的]{3,})", obj) if "、" not in obj else None
        if pair and (all(WORK_NOUN.search(x) for x in pair.groups())
                     or all(_is_work(x) and _cjk_len(x) >= 6 for x in pair.groups())):
            # 加快建设A园区和B合作区: two works, two rows
            verb = cl[at:verb_end + skip]
            x, y = pair.groups()
            pos = a + verb_end + skip
            return [(pos, pos + len(x), verb + x), (b - len(y), b, verb + y)]
        return self._list_parts(obj, pos0, verb)

    def _list_parts(self, obj: str, pos0: int, verb: str) -> list[tuple[int, int, str]] | None:
        """A、B、C等项目 / A、B底线 / A建设、B工作 → one part per item (offset, end, title)."""
        if "、" not in obj:
            return None
        if re.search(r"类(?:建设|重点|重大)?(?:项目|工程|工作|事项|企业|问题|设施)", obj.rsplit("、", 1)[-1]):
            return None  # 实施人居环境改善、基础设施提升类建设项目: kinds of project, one work
        if not _QUOTED.sub("", obj).count("、"):
            return None  # 抓好“外防输入、内防反弹”工作: a quoted slogan is one name
        items = obj.split("、")
        first = items[0][m.end():] if (m := _ACTION.match(items[0]) or _SPLIT_VERB.match(items[0])) else items[0]
        if all(_SCOPE_ITEM.match(x) for x in [first, *items[1:]]):
            return None  # 抓好重点场所、关键环节防控工作: the scopes of one work, not works
        tail = ""
        last = items[-1]
        k = last.rfind("等")
        count = COUNT_TAIL.search(last)
        if count and count.start() >= 2:
            items[-1], tail = last[:count.start()], count.group("head")  # A、B两个项目建设
        elif k > 0:
            etc = re.match(r"^等(?:\d+|[一二三四五六七八九十两]+)?(?:个|项(?!目)|条|座|家|批|类)?(?P<head>.*)$", last[k:])
            if not etc or not _WORKS_HEAD.search(etc.group("head")) or etc.group("head").startswith("的"):
                return None
            items[-1] = last[:k]
            tail = etc.group("head")
        if len(items) < 2 or len(items) > 12 or any(_cjk_len(x) < 2 or "的" in x for x in items):
            return None
        suffix = ""
        if not tail:
            hm = _WORKS_HEAD_END.search(items[-1])
            if all(WORK_NOUN.search(x) and _cjk_len(x) >= 3 for x in items):
                pass
            elif all(_is_work(x) and _cjk_len(x) >= 6 for x in items):
                pass  # 抓好乡镇敬老院建设、残疾人证专项清理整顿工作: each a work with its own head
            elif hm and all(_cjk_len(x) >= 4 for x in items[:-1]) and _cjk_len(items[-1]) - len(hm.group(0)) >= 4 \
                    and not any(_WORKS_HEAD_END.search(x) for x in items[:-1]):
                suffix = hm.group(0)
            elif all(named_work(x) for x in items):
                pass  # 加快城北污水厂、东环路改造、县人民医院新院区建设: works, each named as it is done
            elif all(_COUNTED_WORK.fullmatch(x) for x in items):
                pass  # 新建公共厕所120座、旅游厕所8座: works of several kinds, each counted
            elif shared := shared_work_head(items):
                suffix = shared  # 推进东区、西区污水处理厂建设: one head for both
            else:
                return None
        else:
            suffix = tail
        out = []
        pos = pos0
        for x in items:
            core = x[: -len(suffix)] if suffix and x.endswith(suffix) else x
            # 永明路北段 under 等50条道路 is already a road: the kind is not repeated in its title
            plain_kind = re.fullmatch(r"道路|公路|桥梁|学校|医院|公园|广场|场馆|小区|水厂|厂房", suffix)
            head = "" if re.search(r"(?:工程|项目)$", core) or plain_kind else suffix
            out.append((pos, pos + len(x), verb + core + head))
            pos += len(x) + 1
        return out

    def _link_parents(self) -> None:
        pos = {id(c): i for i, c in enumerate(self.cands)}
        for i, c in enumerate(self.cands):
            ni = c.section
            while ni is not None:
                h = self.heading_cand.get(ni)
                if h is not None and h is not c and id(h) in pos and h.start <= c.start:
                    c.parent = pos[id(h)]
                    break
                ni = self.nodes[ni].parent


_DRAFTED = re.compile(r"(?:拟草|起草|草拟|拟定|提交|制定|报送|上报|提请|编制)")


def _named_body(x: str) -> bool:
    """A body named as written by the ending of its kind (县城投公司, 东城街道办事处), not a work on one
    (成立工作专班, 组建项目指挥部)."""
    return bool(_NAMED_BODY.fullmatch(x)) and not _FUNCTION_WORD.search(x) and not _ACTION.match(x) \
        and not _SET_UP.match(x) and not _STATION_KIND.fullmatch(x)


# 标准化卫生院, 规范化派出所, 基层派出所, 乡镇卫生院: a kind of station, a topic, not one named (城关派出所,
# 凤城镇中心卫生院 are)
_STATION_KIND = re.compile(
    r"(?:[\u4e00-\u9fff]{2,6}[化型式]|[\u4e00-\u9fff]{1,4}级|基层|农村|城市|城区|社区|乡镇|中心|示范|公安|各|全县|全市|全区)"
    r"(?:派出所|供电所|司法所|财政所|卫生院)"
)


_SET_UP = re.compile(r"(?:组建|筹建|组成|成立|设立|建立|抽调|派驻|选派|充实|配强|调整|撤销|依托|用好|发挥|督促|指导|联系|对接)")


def _is_actor(body: str, m: Mention) -> bool:
    """A unit that owns the work, not one merely mentioned (…的工作部署, 向督查局报送, 按照…安排,
    报县委审定, 听取了县自然资源局…汇报, 县发改委汇报了…)."""
    after = body[m.end:m.end + 1]
    lead_to = re.sub(r"(?:全县|全市|全区|全镇|本县|本市|本区)$", "", body[max(0, m.start - 4):m.start])
    before = lead_to[-2:]
    if _DRAFTED.match(body, m.end) and re.search(r"(?:同意|通过|审议|审定)$", body[max(0, m.start - 4):m.start]):
        return True  # 会议同意县财政局拟草的《…》: the drafting unit carries the decision out
    if after == "的" or _OF_UNIT.match(body, m.end):
        return False
    if _OBJECT_OF.search(body[max(0, m.start - 60):m.start]):
        return False
    if _ATTENDING.search(body[max(0, m.start - 40):m.start]):
        return False  # 参加会议的有环保局、住建局等8个单位: those who attend, no owners
    if before[-1:] in ("向", "对", "给", "与", "为", "到", "报") or before in ("按照", "根据", "报请", "提请", "听取", "取了", "取完"):
        return False
    if _REMARK_OPEN.search(body[max(0, m.start - 12):m.start]):
        return False  # 3号便道（即原供电公司路段便道）: a remark on what a place was, no owner
    if before in ("转入", "转至", "拨入", "划入", "汇入", "存入", "拨给", "划拨"):
        return False  # 将补偿款转入X指定账户: where the money goes, not who does the work
    if re.match(r"(?:、[^，。；、]{2,16})*(?:等(?:部门|单位))?(?:分别)?(?:汇报了|作了汇报|汇报|报告了)", body[m.end:m.end + 60]):
        return False
    if re.search(r"听取(?:了|完)?$", body[max(0, m.start - 4):m.start]):
        return False
    # "党工委、管委会将专门听取有关情况汇报": the units that hear the report do not own the work.
    if _HEARS_REPORT_RE.match(body, m.end):
        return False
    return True


# 支持工会、共青团、妇联…, 帮助…: the units a verb acts on (the whole list after it) own nothing.
# 下发各乡镇, 通知各村, 约谈X, 动员各单位: the bodies a work is handed on to, called on or summoned are its
# recipients, not its owners (the one that hands it on is)
_OBJECT_OF = re.compile(r"(?:支持|帮助|协调|引导|鼓励|扶持|压实|压紧|夯实|下发(?:给|至|到)?|印发(?:给|至)?|转发(?:给|至)?|"
                        r"抄送|通知|约谈|提醒|动员|号召|发动)(?:[^，,。；;：:、和及与]{1,16}[、和及与])*$")
# 要求X…, 责成X… opening a sentence: X is the one the sentence addresses
_ASKS_OPENING = re.compile(r"^(?:同时|并|还)?[，,]?(?:要求|责成)(?=各|有关|相关|[县市区镇乡])")
# 要求各单位报送的材料要…, 要求各乡镇上报的数据必须…: the asked body's doing names a thing, and the thing is
# the subject of the modal (not 要求各乡镇对排查出的隐患要…: a preposition after the body, the body acts)
_ASKED_DESCRIBES = re.compile(r"(?:、[^，,。；;：:、]{2,16})*(?![对把将在按于从向为与就])[^，,。；;：:的]{1,8}的"
                              r"[^，,。；;：:]{1,8}?(?:要(?!求)|必须|务必|应)")
# 参加会议的有X、Y, 参会单位有X, 列席会议的有X: the bodies that attend a meeting, named in the list after it
_ATTENDING = re.compile(r"(?:参加会议|参会|列席会议|列席|出席会议|出席)的?(?:单位|部门|人员)?(?:有|是|为|包括)"
                        r"(?:[^，,。；;：:、和及与]{1,16}[、和及与])*$")
# 督促各社区(村)…, 指导…: the units supervised are the owner's means when the owner is named (各乡镇要…，
# 督促各社区落实); a row that only says 督促农业部门发放补贴 is the supervised unit's own work.
# 火电和水泥行业、大型燃煤锅炉…: a 、-list that opens with a sector (…行业, …领域) names whose work it is,
# not distinct works
_SECTOR_LIST = re.compile(r"^[^、，,；;。]{2,12}?(?:行业|领域)、")
_SUPERVISES = re.compile(r"\s*(?:并|同时|要)?(?:督促|指导)")
# …，各相关负责人要深入一线, …，工作人员要真正沉下去, …，小区要发挥物业作用: a clause with a subject of its
# own that is no unit (people in their posts, a residential compound): the owner of the clause before it
# does not carry over to it, and the row names no unit
_NON_UNIT_SUBJECT = re.compile(
    r"^\s*(?:同时|并|还|而)?[^，,。；;、]{0,8}?"
    r"(?:负责人|工作人员|干部|党员|同志|组长|网格员|志愿者|小区|村民|居民|群众|物业)"
    r"(?:们)?(?:都|也|还|一定)?(?:要|必须|务必)"
)
_SUPERVISED = re.compile(r"(?:督促|指导)(?:[^，,。；;：:、和及与]{1,16}[、和及与])*$")
# 管委会制度, 以区委办名义: a unit's name read as the owner of a thing, not as the one who acts
_OF_UNIT = re.compile(r"(?:制度|名义|章程|职能|职责)")
_HEARS_REPORT_RE = re.compile(r"(?:、[^，。；、]{1,12}?)*(?:将|要|会|还将)?(?:专门|定期|适时)?(?:听取|审议)")


_UNIT_END = re.compile(r"(?:[局委办会心站所司团队院馆班组部室镇乡府区县市村校协联社处厂场]|街道|社区)$")


def _unit_like(name: str) -> bool:
    """A name as written that ends like a unit or an area (仙溪镇, 麦积区科协, 巴州区) and says nothing else."""
    return bool(_UNIT_END.search(name)) and not re.search(r"[的是了有在和与及，,、]", name)


def _is_cell(p: Para) -> bool:
    """One cell of a table flattened one cell a line: a text line that ends in a column bar."""
    return p.kind == "text" and bool(re.search(r"[|｜]\s*$", p.text))


def _split_clauses(s: str) -> list[str]:
    """Split at ，/, outside “…” quotes."""
    out, cur, depth = [], [], 0
    for ch in s:
        if ch in "“‘「『《":
            depth += 1
        elif ch in "”’」』》" and depth:
            depth -= 1
        if ch in "，," and depth == 0:
            out.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    out.append("".join(cur))
    return [c.strip() for c in out if c.strip()]


def _coerce_units(units) -> list[UnitName]:
    out = []
    for u in units or ():
        if isinstance(u, UnitName):
            out.append(u)
        elif isinstance(u, str):
            out.append(UnitName(u))
        else:
            raise ParseError(gettext("单位目录格式错误：每一项应为单位名称"))
    return out


_COMMITTED = object()


# what a unit is asked when it only supports the owner of a work: 要主动配合，积极支持
_REMARK_OPEN = re.compile(r"[（(](?:即|原|含|包括|系|指)[^（）()]{0,8}$")
# …与供电公司签订合同: the other party of an agreement or a consultation
_COUNTERPARTY = re.compile(r"与[^，,。；;、]{2,20}?(?:签订|签署|签约|对接|沟通|协商|洽谈)")
_SUPPORT_ROLE = re.compile(r"(?:要|应|须|也要)?(?:主动|积极|全力|密切|大力)?(?:配合|协助|支持|参与)")


def parse(text: str, *, issued: dt.date | None = None, units: Sequence[UnitName] = (),
          model: ActionModel | None | object = _COMMITTED) -> ParseResult:
    """Outline and candidate tasks of a directive. Offsets index ``text`` as given.

    ``model``: the action model (actions.py) to consult; by default the committed one, ``None`` for
    the rules alone (cross-validation passes a model trained without the document at hand)."""
    if not isinstance(text, str):
        raise ParseError(gettext("无法解析：需要文本内容"))
    if len(text) > MAX_CHARS:
        raise ParseError(gettext("文本过长：最多 %(n)s 万字，请拆分后再上传", n=MAX_CHARS // 10000))
    if isinstance(issued, dt.datetime):
        issued = issued.date()
    if issued is not None and not isinstance(issued, dt.date):
        raise ParseError(gettext("发文日期格式错误：请提供日期"))
    unit_list = _coerce_units(units)
    if model is _COMMITTED:
        model = load_action_model()
    try:
        return _parse(text, issued, unit_list, model)
    except ParseError:
        raise
    except RecursionError as exc:  # pragma: no cover - defensive
        raise ParseError(gettext(INTERNAL_ERROR)) from exc
    except Exception as exc:  # never leak another exception type to callers
        raise ParseError(gettext(INTERNAL_ERROR)) from exc


def _parse(text: str, issued: dt.date | None, units: list[UnitName], model: ActionModel | None,
           rules: bool = True) -> ParseResult:
    flat, back = unwrap(text)
    doc = _Doc(flat, issued, units, model)
    doc.run(rules)

    def span(s: int, e: int) -> tuple[int, int]:
        # offsets in the unwrapped text → offsets in the text as given (a removed break inside a
        # span stays inside it)
        if back is None:
            return s, e
        return back[s], (past_gloss(text, back[e - 1] + 1) if e > s else back[s])

    outline: list[OutlineItem] = [n.item for n in doc.nodes]
    for o in outline:
        o.start, o.end = span(o.start, o.end)
        o.text = text[o.start:o.end]
    if back is not None:
        for c in doc.cands:
            c.start, c.end = span(c.start, c.end)
            c.text = text[c.start:c.end]
    found = detect_date(doc.text, issued.year if issued else None)
    detected = None
    if found:
        found["start"], found["end"] = span(found["start"], found["end"])
        found["text"] = text[found["start"]:found["end"]].strip()
        detected = DetectedDate(**found)
    return ParseResult(outline=outline, tasks=doc.cands, issued=issued, detected_date=detected)
