"""Language rules for cutting one requirement into the actions a clerk registers.

A meeting requirement often strings several actions after one subject and modal
(各乡镇要严防秸秆焚烧，狠抓河道保洁，织密森林防火网); each clause that opens with an action
verb is a row. The verb lists in parser.py name the verbs directives use most; the rules here cover
the productive ways officials coin the rest, so that a verb never seen in the labelled documents
still opens a row:

* a one-character verb with a resultative complement: 抓实, 做细, 压紧, 织密, 筑牢, 扛起, 用足,
  摸清, 守住 (not 把好, which is mostly the preposition 把: 把好事办实);
* 严 + a verb of control: 严防, 严查, 严管, 严控, 严打, 严惩, 严把;
* two-character verbs of supervision, public works and services that are not in the parser's lists.

And for 、-lists inside an object, which items are distinct works (one row each: 城北污水厂、
东环路改造、县人民医院新院区建设) as opposed to fields or attributes of one work (安全生产、
信访稳定; 便捷性、规范性).
"""

from __future__ import annotations

import re

# one-character verbs that take a resultative complement in directives (抓 + 实 = 抓实)
_MONO = "抓做管用守扛落压筑织夯稳兜办跑建护种备摸查算排盯"
# the complements: result, degree, direction
_COMPLEMENT = "好实细牢紧住足清准优强起稳深透密严全快"
# 严 + a verb of control
_STRICT = "防查管控打惩把抓守审禁"

_EXTRA_VERB = re.compile(
    rf"^(?:[{_MONO}][{_COMPLEMENT}](?![的地得])"
    rf"|严[{_STRICT}](?!格)"
    r"|狠抓|打击|核查|清查|巡查|复核|核实|摸底|登记|公示|清运|保洁|清淤|疏浚|铺设|维修|养护|"
    r"配备|配强|选派|签订|投产|竣工|交付|投用|帮扶|防控|管控|打通|扩建|升级|取缔|查处|检修|抢修|巡检|消杀|清扫|清洗|清洁|"
    # repairing façades and taking on a pilot: 整修6条道路沿线建筑立面, 承接…改革试点任务
    r"整修|承接|"
    # raising models: 培树12个示范县, 选树一批先进典型
    r"培树|选树|"
    # preparing for an event: 备战好省运会, 备战全国冬运会
    r"备战(?!期间|阶段|状态|中)|"
    r"收购|兑付|发放|储备|倒排|开通|回应|答复|答疑|释疑|攻坚|跟进|盘点|统计|值守|"
    r"转移|预警|研判|会商|演练|加密|增设|用活|"
    r"催办|销号|清欠|追缴|补办|审批|审核|审查|评估|论证|招标|采购|征地|腾退|复垦|"
    r"落户|签约|洽谈|对账|立项|报批|"
    # public duties of a government: 倡导节约用电, 发动社会力量, 接受人大监督
    r"倡导|发动|接受|分解|壮大|拓宽|"
    # staffing and equipping: 充实和完善项目跟进人员, 充实基层力量
    r"充实|变更|"
    # adding works and services: 新增公交车50台, 新增城市书房6家
    r"新增|"
    # calling to account and checking, named by 进行 (依法依规进行责任追究); not 进行安排部署
    r"进行(?=(?:责任)?追究|问责|通报|督查|督办|核查|检查|整治|清理|排查|查处)|"
    # going down to where the work is: 深入工作一线, 深入基层 (not 深入推进, where 深入 is manner)
    r"深入(?=(?:到)?(?:工作|生产|施工|项目)?(?:一线|基层|现场|村组|企业|群众))|"
    # 配合推动地铁5号线项目建设: a government's part in another's work, said with no subject; the verb
    # after 配合 is the action (X配合做好… after its unit is a co-unit's role, read where units are)
    r"配合(?=推动|推进|做好|抓好|实施|开展|完成|落实)|"
    # …，工作人员要真正沉下去: going down to the work, said without where
    r"(?:真正)?沉(?=(?:到|入)(?:一线|基层|现场)|下去|下身子))"
)


# What a clause aims at rather than does: 营造…的浓厚氛围, 激发…内生动力, 增强…意识. Such a
# clause says why or in what spirit the action before it is done, so it is no row of its own.
_OUTCOME = re.compile(
    r"(?:氛围|动力|活力|信心|意识|观念|思维|站位|理念|合力|导向|底气|干劲|热情|积极性|主动性|创造性|获得感|幸福感|安全感|"
    r"紧迫感|责任感|使命感|荣誉感|精气神|满意度)[。！!；;]?$"
)


# 对存在隐患的要及时…: what is done with the cases the action before it finds, not a new action
_CONDITION = re.compile(r"^(?:对|对于)[^，,；;。]{1,20}的(?:要|必须|务必|须|应|一律)")


# …的监督检查和防控，以及校园疫情防控: one more object of the verb before it, a row of its own
JOINED_OBJECT = re.compile(r"^(?:以及|还有)")
# …重要指示精神，以及中央经济工作会议精神: what is studied or followed is no work of its own
GUIDANCE = re.compile(r"(?:精神|思想|指示|要求|部署|讲话|决策|理念|方针)[。！!；;]?$")


def follows_up(clause: str) -> bool:
    """Whether a clause only says what to do with what the action before it turns up."""
    return bool(_CONDITION.match(clause))


def aims_only(clause: str) -> bool:
    """Whether a clause only names the spirit or effect sought (…的浓厚氛围, …内生动力)."""
    return bool(_OUTCOME.search(clause))


def opens_action(clause: str) -> re.Match | None:
    """The verb a clause opens with (after its adverbs have been taken off), when it is one of the
    coined forms above; None otherwise.

    Every verb the segmenter's dictionary tags as one was tried as well and split far too much
    (学习借鉴先进经验，统筹推进… and 增进民生福祉 became rows): verbs are listed, not guessed."""
    return _EXTRA_VERB.match(clause)


# 要求县财政局…, 责成县住建局…: a request that names the owner it goes to, before that owner's name
REQUEST_OWNER = re.compile(
    r"^(?:并|同时|还)?(?:要求|责成)(?=[\u4e00-\u9fff]{2,20}?(?:局|委|办|中心|部门|单位|镇|乡|街道|公司))"
    # 希望各村对所曝光问题及时进行整改: a 通报's softer request to the units it names (村 and 社区 too)
    r"|^(?:并|同时|还)?希望(?=(?:各|有关|相关|上述)?[\u4e00-\u9fff]{0,16}?(?:局|委|办|中心|部门|单位|镇|乡|街道|公司|村|社区)"
    r"(?:（[^（）]{1,6}）)?[^，,。；;]{0,4}?(?:继续|进一步|切实|认真|及时|尽快|抓紧|积极|对|加大|加强|立即|迅速|要))"
)


# a work by what it is: a place or facility (…厂, …路, …中心) or a named undertaking (…工程)
WORK_NOUN = re.compile(
    r"(?:厂|路|桥|工程|项目|学校|中学|小学|幼儿园|医院|园区|产业园|公园|馆|站|小区|大道|基地|水库|片区|"
    r"线|河|广场|中心|村|街|市场|码头|港|管网|隧道|电站|水厂|综合体|合作区|示范区|开发区|新区)$"
)
# further endings of a named work, read only where a 、-list's items are judged one by one
# (县人民医院新院区, 东干渠, 门诊楼): alone they are too common to decide the older list rules
_MORE_WORK_NOUN = re.compile(r"(?:院区|校区|渠|堤|闸|楼|院|园|城|库|塘|坝)$")


def _work_noun(x: str) -> bool:
    return bool(WORK_NOUN.search(x) or _MORE_WORK_NOUN.search(x))


# what is done to a work: the head an item may end with (东环路改造, 新院区建设)
_WORK_HEAD = re.compile(r"(?:升级改造|提升改造|改扩建|扩建|新建|建设|改造|提升|治理|整治|修缮|续建|工程|项目)+$")
# a count after a list of works: 东环路两个项目建设, A、B三项工程
COUNT_TAIL = re.compile(
    r"(?<!等)(?:\d+|[一二三四五六七八九十两]+)(?:个|项|座|条|大)(?P<head>(?:重点|重大)?(?:项目|工程)(?:建设)?)$"
)


def named_work(item: str) -> bool:
    """An item of a 、-list that is a distinct work a clerk can register: 城北污水厂, 东环路改造,
    县人民医院新院区建设. Not a field of work or a quality (安全生产, 信访稳定, 规范性), whose
    head, if any, is the list's shared one."""
    if "的" in item:
        return False
    rest = _WORK_HEAD.sub("", item)
    if rest != item:
        n = len(re.findall(r"[\u4e00-\u9fff]", rest))
        return bool(_work_noun(rest) and n >= 2 or n >= 4 and re.search(r"[A-Za-z\d]", rest)) \
            or n >= 5
    return _work_noun(item) and len(re.findall(r"[\u4e00-\u9fff\w]", item)) >= 3


def shared_work_head(items: list[str]) -> str | None:
    """东区、西区污水处理厂建设 → 污水处理厂建设: parallel short names (all but the last of equal
    length) and a works head written once after the last of them; None when the list is not so."""
    n = len(items[0])
    if not 2 <= n <= 4 or any(len(x) != n or _work_noun(x) for x in items[:-1]):
        return None
    head = items[-1][n:]
    core = _WORK_HEAD.sub("", head)
    if len(core) >= 3 and _work_noun(core) and not re.search(r"[的、和与及]", head):
        return head
    return None
