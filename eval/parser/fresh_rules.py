"""How the action model helps where the rules were never tuned: the basis of its add / split / lead
thresholds (luoshi.directives.parsing.train.THRESHOLDS).

    python eval/parser/fresh_rules.py [--json]

Every dev document has been tuned on, so cross-validation on dev shows the rules at their best and
cannot tell what the model adds on a new document. Batches of dev documents were labelled and
committed before the rules of the day were run on them (eval/parser/README.md): ten at commit
2cb16dd (and the two commits after it), fourteen at commit 7858913, thirteen at commit df92103, the
three rounds of 2026-12-02 (eleven, twelve and eleven documents, whose commits were folded into
d89c231 when they landed: the parser before it, dd62833, is the one they were first run with), ten at
commit 711f360, five at commit 894b255, five at commit 6607161 (whose parser is that of 3793a9e), five
at commit d2b3bbf (whose parser is that of fc3ebde), six at commit 51ae3b2 (whose parser is that of ac1b5cb) and six
at commit a912f14 (whose parser is that of 03b7336).
For each batch this script
takes the parser as it stood then (``git show REV:…``, into a temporary folder), runs it on the batch,
applies the model's operations to its rows with a model trained on the other dev documents only, and
scores the result as ``luoshi parse-eval`` does (distinct recall and precision; units and deadlines
come from the old parser and are not compared). It prints each batch and all of them together. Test
documents are not read.
"""

from __future__ import annotations

import argparse
import bisect
import copy
import functools
import importlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from luoshi.directives.parsing import train as T
from luoshi.directives.parsing.actions import ActionModel
from luoshi.directives.parsing.evaluate import evaluate, find_repo_root, total
from luoshi.directives.parsing.model import Candidate, ParseResult
from luoshi.directives.parsing.parser import _Doc
from luoshi.directives.parsing.segment import segment
from luoshi.directives.parsing.unwrap import unwrap

# (commit of the parser they were first run with, documents labelled before it was run on them)
BATCHES = (
    ("2cb16dd", (
        "anhui-jinzhai-2025-ducha", "anhui-shucheng-2022-0509-lingdaozu", "henan-shenqiu-zhouli",
        "liaoning-heishan-2022-0620-changwu", "shaanxi-xunyi-2022-1205-bangong", "henan-banlazi-2018-0827-zhouli",
        "liaoning-tieling-2022-1031-changwu", "tianjin-heping-xietiao-jiyao", "zhejiang-jindong-2016-0321-changwu",
        "shaanxi-xianyang-2022-yaodian",
    )),
    ("7858913", (
        "chongqing-jiulongpo-2022-1206-changwu", "gansu-zhangye-0322-shizhang-jiyao",
        "guangdong-jiedong-2024-0419-cun-jiyao", "guangxi-guigang-0629-gengdi-tuijin",
        "heilongjiang-huanan-2017-1212-changwu", "hubei-xiangyang-longzhong-0901-xianchang-jiyao",
        "hunan-pingjiang-0613-xiangmu-diaodu", "jilin-yongji-2023-0222-zhenggai-qingdan",
        "qinghai-chengzhong-2023-03-tongbao", "shandong-jining-2019-0917-huangpai-tongbao",
        "tianjin-jingwu-2024-baogao-jiedu", "yunnan-mouding-2026-0228-zhuaoluoshi", "zhejiang-kaihua-2023-qingdan",
        "zhejiang-yongkang-2011-1010-bangong-jiyao",
    )),
    ("df92103", (
        "guangdong-doumen-2024-0913-changwu-jiyao", "henan-xichuan-2014-1111-pengtou",
        "hunan-jingwuzhou-2024-0118-gongzuo-jihua", "hunan-xinhuang-2022-0222-changwu",
        "jinyuan-2017-0805-hedao-ducha", "liaoning-panjin-2021-0125-fengong",
        "shaanxi-mizhi-2020-0330-zhuanti", "shanghai-hongkou-2018-0517-quanti",
        "sichuan-dazhu-2016-0226-minsheng-qingdan", "sichuan-guangyuan-2024-0307-anquan-tongzhi",
        "xinjiang-2023-baogao-jinnian", "yunnan-yuanmou-2025-0206-quanti",
        "zhejiang-qujiang-2022-0909-changwu",
    )),
    ("dd62833", (
        "beijing-chaoyang-2024-0429-changwu", "beijing-mentougou-2015-0209-quanti",
        "fujian-shishi-2025-0124-fenjie-tongzhi", "fujian-zherong-2025-baogao", "guizhou-kaili-2022-05-changwu",
        "hubei-caidian-2023-0103-zeren-fenjie", "jilin-fuyu-renju-ducha-tongzhi", "neimenggu-ewenke-2025-0610-changwu",
        "ningxia-xingqing-2018-0816-fenjie-tongzhi", "xizang-2021-1029-changwu", "zhejiang-wencheng-2017-1113-bangong",
        "hainan-qionghai-2021-0609-changwu", "hainan-sanya-2020-0222-changwu", "heilongjiang-dangzu-2021-0802-kuoda",
        "heilongjiang-yilan-2022-0610-changwu", "henan-puyangxian-2019-0429-daolu-dudao",
        "henan-xinyang-2017-0818-weicheng-ducha", "hubei-tuanfeng-2019-0319-guodao-dudao",
        "hunan-yueyanglou-2012-0912-guishan-jiyao", "jiangsu-gangzha-2017-0921-shishi-tongzhi",
        "jiangsu-suining-2018-1130-nonglu-diaodu", "neimenggu-erlianhaote-2024-0402-fengong-jiedu",
        "neimenggu-hainanqu-2025-0508-changwu",
        "gansu-qingcheng-1209-jiaotong-xinfang", "gansu-zhenyuan-2020-0218-zhujian-tuijin", "gansu-zhouqu-2020-0410-ducha",
        "henan-anyang-2017-shijian-shishi", "hubei-baokang-0422-zengjian-zhuanti", "hubei-nanzhang-daojiufang-bushu",
        "hunan-lixian-0421-jiaotong-diaodu", "hunan-shaoyang-0909-jiaotong-bushu",
        "liaoning-qinghe-2023-0510-huitoukan-tongbao", "shaanxi-ziyang-2024-0618-ducha",
        "shandong-linyi-2021-0813-zhujian-jiyao",
    )),
    ("711f360", (
        "anhui-sheng-1104-haihang-xietiao-jiyao", "guangdong-wuhua-2019-0812-shuizhai-ducha", "guangxi-laibin-2021-0906-changwu",
        "jiangsu-wujin-2017-0208-changwu-jiyao", "shanxi-yingxian-2026-0128-changwu", "jilin-2015-baogao-shehui",
        "jilin-changchun-2020-0512-yiqing-jinji", "liaoning-ganjingzi-2011-0212-minsheng-qingdan",
        "ningxia-2014-0305-daolu-lvhua", "tianjin-hexi-2016-baogao-jianguan",
    )),
    ("894b255", (
        "shanghai-changning-2023-1212-changwu", "xinjiang-qitai-0316-changwei-kuoda", "xizang-2025-baogao-jiuge-fangmian",
        "xinjiang-yining-2025-0218-changwu-jiyao", "liaoning-beipiao-2023-0627-chuangcheng-ducha",
    )),
    ("6607161", (
        "hebei-wuan-2014-1020-huanjing-tongbao", "hubei-xishui-2021-0406-laji-tongbao", "anhui-daguan-2023-0213-changwu",
        "gansu-chongxin-2018-0105-jiaotong-lianxi", "henan-runan-2019-0321-jidongche-diaodu",
    )),
    ("d2b3bbf", (
        "ningxia-longde-2020-0331-changwu", "guizhou-2024-baogao-xianyu", "henan-jianan-2023-0814-quzhang-bangong",
        "hunan-huarong-2021-0323-renwu-fenjie-tongzhi", "zhen-2011-1213-houpo-zhili-jiyao",
    )),
    ("51ae3b2", (
        "hubei-xialu-2020-0628-zhongdian-fenjie", "hubei-badong-liucheng-tongchuang-jianghua",
        "anhui-jingxian-2023-0130-fenjie-tongzhi", "hubei-wuhan-2023-zeren-fenjie-tongzhi",
        "zhejiang-ningbo-2014-0722-minsheng-gongshi", "xian-jiaoban-2017-0801-ducha",
    )),
    ("a912f14", (
        "anhui-zhouwang-2025-baogao", "hunan-hengdong-2024-0117-changwu", "shaanxi-yangxian-2023-1019-changwu",
        "fujian-lianjiang-2014-0515-chuangjian-ducha", "shaanxi-liuba-2019-0604-chuangsen-ducha",
        "hebei-kuancheng-2025-0214-gonglu-diaodu",
    )),
)
TRIALS = [
    ("rules alone", None),
    *((f"model alone p>={v}", {"fallback": v, "rules": False}) for v in (0.2, 0.3, 0.5)),
    *((f"rules + add={v}", {"add": v}) for v in (0.3, 0.4, 0.5, 0.7)),
    *((f"rules + split={v}", {"split": v}) for v in (0.3, 0.5, 0.7)),
    *((f"rules + split={v} add=0.5", {"split": v, "add": 0.5}) for v in (0.3, 0.5, 0.7)),
    *((f"rules + drop={v}", {"drop": v}) for v in (0.05, 0.1)),
    *((f"rules + lead={v}", {"lead": v}) for v in (0.2, 0.3)),
    *((f"rules + fallback+add+split={v}", {"fallback": 0.2, "add": 0.5, "split": v}) for v in (0.3, 0.5, 0.7)),
    ("rules + model as committed", dict(T.THRESHOLDS)),
]


def old_parser(repo_root: Path, rev: str, into: Path):
    pkg = into / f"parsing_at_{rev}"
    pkg.mkdir()
    names = subprocess.run(["git", "-C", str(repo_root), "ls-tree", "--name-only", rev,
                            "src/luoshi/directives/parsing/"], check=True, capture_output=True, text=True).stdout.split()
    for name in names:
        if name.endswith(".py"):
            blob = subprocess.run(["git", "-C", str(repo_root), "show", f"{rev}:{name}"], check=True,
                                  capture_output=True).stdout
            (pkg / Path(name).name).write_bytes(blob)
    sys.path.insert(0, str(into))
    return importlib.import_module(f"parsing_at_{rev}.parser").parse


def batch_scores(repo_root: Path, specs, rev: str, names, into: Path) -> dict:
    fresh = [s for s in specs if s[0] in names]
    base = T.fit([T.examples_of(s, repo_root) for n, s, _p in specs if n not in names])
    rules_parse = old_parser(repo_root, rev, into)
    cache: dict[str, list] = {}

    def hybrid(text, *, issued=None, units=(), th=None):
        flat, back = unwrap(text)
        th = dict(th or {})
        use_rules = th.pop("rules", True)
        m = ActionModel(weights=base.weights, bias=base.bias, thresholds=dict(T.OFF, **th)) if th else None
        doc = _Doc(flat, issued, list(units), m)
        if use_rules:
            if text not in cache:
                cache[text] = rules_parse(text, issued=issued, units=list(units)).tasks
            doc.cands = []
            for c in cache[text]:
                c = copy.copy(c)
                if back is not None:  # offsets as given → offsets in the unwrapped text
                    c.start, c.end = bisect.bisect_left(back, c.start), bisect.bisect_left(back, c.end)
                doc.cands.append(c)
        if m is not None:
            doc._model_pass()
        out = []
        for c in doc.cands:
            s, e = c.start, c.end
            if back is not None:
                s, e = back[s], (back[e - 1] + 1 if e > s else back[s])
            out.append(Candidate(title="", text=text[s:e], measures="", start=s, end=e, kind=c.kind))
        return ParseResult(tasks=out)

    return {name: total([evaluate(p, repo_root, parser=functools.partial(hybrid, th=th)) for _n, _s, p in fresh])
            for name, th in TRIALS}, len(fresh), len(specs) - len(fresh)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    repo_root = find_repo_root()
    segment("预热")
    specs = T.dev_specs(repo_root)
    report: dict = {}
    pooled: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        for rev, names in BATCHES:
            scores, n_fresh, n_train = batch_scores(repo_root, specs, rev, set(names), Path(tmp))
            report[rev] = {"documents": n_fresh, "trained_on": n_train, "results": {k: _brief(t) for k, t in scores.items()}}
            for k, t in scores.items():
                pooled[k] = total([pooled[k], t]) if k in pooled else t
    report["all"] = {"documents": sum(r["documents"] for r in report.values()),
                      "results": {k: _brief(t) for k, t in pooled.items()}}
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    for rev, r in report.items():
        head = f"parser at {rev}; {r['documents']} documents it was not tuned on" if rev != "all" else \
            f"all batches; {r['documents']} documents"
        if "trained_on" in r:
            head += f"; model trained on the other {r['trained_on']} dev documents"
        print(head)
        for name, x in r["results"].items():
            print(f"  {name:32s} rows {x['rows']:3d} cands {x['candidates']:3d} recall {100 * x['recall']:5.1f} "
                  f"precision {100 * x['precision']:5.1f}")
    return 0


def _brief(t) -> dict:
    return {"rows": t.labels, "candidates": t.candidates, "recall": t.recall or 0.0, "precision": t.precision or 0.0}


if __name__ == "__main__":
    sys.exit(main())
