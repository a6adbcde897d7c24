"""Rebuild the sample workbooks: python sample_workbooks/make_samples.py

Every file is the seed sheet (中山市金审工程二期项目) built by perfeval.seedbook, some with planted
errors, so a new user sees every kind of finding at once.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "support"))
from seedbook import SEED_FIGURES, Changes, build, consistent_overall, variant

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


if __name__ == "__main__":
    main()
