"""A folder of varied projects across two years, built as real workbooks, with the numbers a roll-up of
it must show (worked out by hand from the seed's scores below, not by the code under test).

The seed sheet scores 80.86 (决策 17, 过程 19.86, 产出 25, 效益 19); every project changes a few scores:
  2019  A 审计局 金审工程二期 P-001  seed                                            80.86 良 (填 81 良)
        B 教育局 智慧校园     P-002  可持续发展 1                                     77.86 中
  2020  C 审计局 金审工程二期 P-001  完成及时性 2, 其他经济社会效益 5, 系统利用率 3     87.86 良
        D 教育局 智慧校园     P-002  完成及时性 1, 可持续发展 2 (填 良: wrong)          79.86 中
        E 卫健委 全民健康平台 P-003  full but 完成及时性 2, 成本节约率 0, 预算执行率 1.86 96.86 优
        F = E's code, older file, seed scores                         -> duplicate of E
        G = D's unit + name, no code, older file, seed scores         -> duplicate of D
        I 财政局 预算一体化   P-004  seed, 合计/小计 as uncached formulas (openpyxl path)    80.86 良
  and one file that is not a workbook, one Office lock file.
Every 总体评价 quotes no figure, so the changed totals raise no narrative-mismatch. 预算执行率 is
recomputed from the amounts in its 扣分理由 (413.905 / 444.205 × 2 = 1.8636): the statistics carry
that unrounded, so it loses 0.1364 a project.
"""
from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import seedbook
from seedbook import Changes

T2019 = "2018-2019年度电子政务信息化专项资金绩效评价评分意见表"
T2020 = "2019-2020年度电子政务信息化专项资金绩效评价评分意见表"
FULL = {"绩效目标合理性": 4, "绩效指标明确性": 4, "系统利用率": 5, "硬软件、服务器等故障率": 5, "其他经济社会效益": 5,
        "可持续发展": 5}
NARRATIVE = {"总体评价": "项目总体按计划实施，详见各项评分。"}


def _project(unit: str, name: str, code: str) -> dict:
    return {"unit": unit, "name": name, "code": code}


def build(path: Path, changes: Changes, **kw) -> Path:
    return seedbook.build(path, replace(changes, narrative=NARRATIVE), **kw)


def build_folder(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    build(folder / "2019_01_审计局.xlsx", Changes(title=T2019, project=_project("市审计局", "金审工程二期", "P-001")))
    build(folder / "2019_02_教育局.xlsx", Changes(
        title=T2019, project=_project("市教育局", "智慧校园", "P-002"), scores={"可持续发展": 1},
        reasons={"可持续发展": "未考虑后续运维。"}, total=77.86, grade="中"))
    build(folder / "2020_01_审计局.xlsx", Changes(
        title=T2020, project=_project("市审计局", "金审工程二期", "P-001"),
        scores={"完成及时性": 2, "其他经济社会效益": 5, "系统利用率": 3},
        reasons={"完成及时性": "项目延期5个月。", "其他经济社会效益": "", "系统利用率": "系统利用率未达预期。"},
        total=87.86, grade="良"))
    build(folder / "2020_02_教育局.xlsx", Changes(
        title=T2020, project=_project("市教育局", "智慧校园", "P-002"), scores={"完成及时性": 1, "可持续发展": 2},
        reasons={"完成及时性": "项目 延期 8 个月！", "可持续发展": "未考虑后续运维。"}, total=79.86, grade="良"))
    build(folder / "2020_03_卫健委.xlsx", Changes(
        title=T2020, project=_project("市卫健委", "全民健康平台", "P-003"), scores={**FULL, "完成及时性": 2},
        reasons={**{k: "" for k in FULL}, "完成及时性": "项目延期3个月完成。"}, total=96.86, grade="优"))
    old = [build(folder / "2020_04_卫健委_旧.xlsx", Changes(
               title=T2020, project=_project("市卫健委", "全民健康平台", "P-003"))),
           build(folder / "2020_05_教育局_无代码.xlsx", Changes(
               title=T2020, project=_project("市教育局", "智慧校园", "")))]
    build(folder / "2020_06_财政局.xlsx", Changes(title=T2020, project=_project("市财政局", "预算一体化", "P-004")),
          layout="formulas")
    (folder / "2020_07_坏文件.xlsx").write_bytes(b"a,b\n1,2\n")
    (folder / "~$2020_01_审计局.xlsx").write_bytes(b"lock")
    for path in old:                            # the duplicates are the older files
        stamp = path.stat().st_mtime - 3600
        os.utime(path, (stamp, stamp))
    return folder
