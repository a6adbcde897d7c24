"""Rebuild the sample workbooks: python sample_workbooks/make_samples.py

Files 01-05 are the seed sheet (中山市金审工程二期项目) built by tests/support/seedbook.py, some with
planted errors, so a new user sees every kind of finding at once. Files 06-09 are 项目支出绩效自评表 built
by tests/support/selfevalbook.py: the national layout (财预〔2020〕10号 附1) and a provincial one, each
once with the errors published county forms show and once scored correctly. File 10 holds three
projects, one scoring sheet each, after a cover sheet. File 11 is file 01 saved as an Excel 97-2003
.xls by LibreOffice (soffice headless), as government offices and WPS still save them.
"""
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "support"))
from seedbook import SEED_FIGURES, Changes, build, build_projects, consistent_overall, variant
import selfevalbook as se

HERE = Path(__file__).parent

def main() -> None:
    # 1. the seed as it was filed: 绩效指标明确性 2/4 with no reason, 合计 81 over a sum of 80.86,
    #    总体评价 dating 包组一's completion 2015年6月15日 where 完成及时性 says 2016年9月
    build(HERE / "01_金审工程二期_原表.xlsx")
    overall = {"总体评价": consistent_overall()}     # the other samples show only what is planted in them
    # 2. scores typed wrong: above the weight, not an allowed level, text, blank; total and grade off
    build(HERE / "02_评分错误示例.xlsx", Changes(
        scores={"立项依据充分性": 4, "绩效目标合理性": 2.5, "实施规 范性": "满分", "系统上线完成率": None},
        total=83, grade="优", narrative=overall), layout="fullwidth")
    # 3. structure wrong: a weight changed, an indicator dropped, a foreign one added, subtotals off
    build(HERE / "03_结构错误示例.xlsx", Changes(
        weights={"预算编制科学性": 4}, drop=("预算超支",), subtotals={"过程": 20},
        extra=[{"name": "数据共享开放度", "weight": "2", "score": "2"}], total=81.86, grade="中", narrative=overall),
        layout=variant("formulas", total_formula=False))
    # 4. a 基础数据 sheet: 预算执行率 entered 1.95 where 413.905/444.205 × 2 = 1.86, the rest agrees
    build(HERE / "04_基础数据核算示例.xlsx", Changes(
        scores={"预算执行率": 1.95}, reasons={"可持续发展": "项目寿命、环境可持续性不足。"},
        basic_data=SEED_FIGURES, total=81, narrative=overall), layout="repeated")
    # 5. figures in the text: a stated rate that its amounts do not give, and a 总体评价 still quoting
    #    81分/良 after 成本节约率 was marked down to a table of 79/中
    build(HERE / "05_文字数据核算示例.xlsx", Changes(
        reasons={"预算执行率": "项目中标合同金额444.205万元, 实际已支付413.905万元, 资金执行率支付率95.18%。"},
        scores={"成本节约率": 0, "其他经济社会效益": 1}, total=79, grade="中", narrative=overall))

    several()
    selfeval()
    legacy()


def legacy() -> None:
    # 11. sample 01 as a .xls (BIFF8): read through a converted .xlsx, same findings as 01
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", "xls",
                        "--outdir", tmp, str(HERE / "01_金审工程二期_原表.xlsx")], check=True, capture_output=True,
                       timeout=300)
        shutil.copy(Path(tmp) / "01_金审工程二期_原表.xls", HERE / "11_金审工程二期_旧版格式.xls")


def several() -> None:
    # 10. one workbook, one tab per project (as consultants deliver them) after a cover sheet: 项目2 scores
    #     立项依据充分性 4 of its 3 points, 项目3's 合计 is 70 where its scores add up to 80.86
    overall = {"总体评价": consistent_overall()}
    build_projects(HERE / "10_多项目工作簿_三个项目.xlsx", [
        ("项目1", Changes(project={"code": "2019-ZS-001", "name": "中山市金审工程二期项目"}, narrative=overall)),
        ("项目2", Changes(project={"unit": "中山市政务服务数据管理局", "code": "2019-ZS-002",
                                 "name": "中山市政务云平台扩容项目"}, scores={"立项依据充分性": 4},
                        narrative=overall)),
        ("项目3", Changes(project={"unit": "中山市教育局", "code": "2019-ZS-003", "name": "中山市智慧校园一期项目"},
                        total=70, narrative=overall))], before=("封面",))


def selfeval() -> None:
    # 6. national layout as published county forms fill it: 年度资金总额 left 0 / 0 / 0 under real
    #    sources (so 执行率 and its 10 points entered as 0), 45/50 公里 scored full, a ≤90万元 cost of
    #    80万元 scored as if 正向 (80/90 × 10), no 偏差原因 where 基本建立 lost points, and a 实际完成情况
    #    whose parts (140 + 40) miss its total (190)
    form = se.national()
    form = se.change_budget(form, "年度资金总额", (0, 0, 0))
    form = se.change_row(form, "维修改造供水管网", score=10)
    form = se.change_row(form, "单位工程造价", actual="80万元", score=8.89)
    form = se.change_row(form, "工程长效运行机制", reason="")
    form = se.replace(form, budget_entered=(10, 0, 0), total=None,
                      done="全年共执行资金190万元。其中：本年财政拨款140万元；上年结转资金40万元。新建集中供水工程8处，"
                           "维修改造供水管网45公里，受益人口2.1万人。")
    se.build(HERE / "06_自评表_全国格式_错误示例.xlsx", se.replace(form, total=se.total_of(form)))
    # 7. the same project scored correctly
    se.build(HERE / "07_自评表_全国格式_正确示例.xlsx", se.national())
    # 8. provincial layout with the same kinds of error: zero 年度资金总额, 1800/2000 户 scored full,
    #    人均培训成本 ≤1200元 at 1000元 scored 1000/1200 × 10, 基本健全 with no 未完成原因分析, and
    #    调整后预算 320万元 said to be 300 + 30
    form = se.province()
    form = se.change_budget(form, "年度资金总额", (0, 0, 0))
    form = se.change_row(form, "带动农户应用新技术", score=10)
    form = se.change_row(form, "人均培训成本", actual=1000, score=8.33)
    form = se.change_row(form, "技术推广长效机制", actual="基本健全", score=9, reason="")
    form = se.replace(form, budget_entered=(10, 0, 0), grade="良",
                      done="项目调整后预算320万元，包括财政拨款300万元、其他资金30万元；全年培训基层农技人员520人次，"
                           "建设示范基地8个。")
    se.build(HERE / "08_自评表_省级格式_错误示例.xlsx", se.replace(form, total=se.total_of(form)))
    # 9. the provincial form scored correctly
    se.build(HERE / "09_自评表_省级格式_正确示例.xlsx", se.province())


if __name__ == "__main__":
    main()
