"""Command line: parse options, call batch and report, return the exit code. Nothing else."""
from __future__ import annotations

import os
import sys

import click

from . import __version__, batch, codes, report, rollup, rollup_report
from .rubric import RubricError, resolve


def _rubric_option(f):
    return click.option("--rubric", metavar="ID|FILE", help="强制使用的评分规则（ID 或 .toml 文件）")(f)


def _lang_option(f):
    return click.option("--lang", type=click.Choice(codes.LANGS), default="zh", show_default=True,
                        help="输出语言")(f)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="perfeval")
def main() -> None:
    """perfeval：复核绩效评价评分表（.xlsx）中的评分、合计与等级。"""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--format", "fmt", type=click.Choice(sorted(report.WRITERS)), default="text", show_default=True,
              help="报告格式")
@click.option("--jobs", type=click.IntRange(1), default=1, show_default=True, help="并行进程数")
@_rubric_option
@_lang_option
def check(paths: tuple[str, ...], fmt: str, jobs: int, rubric: str | None, lang: str) -> None:
    """复核 PATHS 中的评分表（文件或文件夹）。退出码：0 无错误，1 有错误，2 有文件无法读取。"""
    if rubric:
        try:
            resolve(rubric)
        except RubricError as exc:
            raise click.UsageError(str(exc)) from None
    files = batch.expand(paths)
    results = list(batch.run(files, rubric, jobs))
    report.WRITERS[fmt](results, sys.stdout, lang)
    sys.exit(batch.exit_code(results))


@main.command("rollup")
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="写出的汇总工作簿（.xlsx）")
@click.option("--html", type=click.Path(dir_okay=False), help="同时写出的离线 HTML 报告")
@click.option("--year", type=click.IntRange(1900, 2999), help="标题中未注明年度的评分表按此年度计")
@click.option("--jobs", type=click.IntRange(1), default=os.cpu_count() or 1, show_default=True, help="并行进程数")
@_rubric_option
def rollup_command(sources: tuple[str, ...], out: str, html: str | None, year: int | None, jobs: int,
                   rubric: str | None) -> None:
    """年度汇总：SOURCES 为评分表文件夹（不写复核副本）或台账 perfeval.db。"""
    if rubric:
        try:
            resolve(rubric)
        except RubricError as exc:
            raise click.UsageError(str(exc)) from None
    result = rollup.build(rollup.collect(sources, year, rubric, jobs))
    rollup_report.WRITERS["xlsx"](result, out)
    if html:
        rollup_report.WRITERS["html"](result, html)
    c = result.counts
    click.echo(f"汇总 {c['projects']} 个项目（年度：{'、'.join(map(str, result.years)) or '未注明'}），"
               f"无法读取 {c['unreadable']} 个文件，重复 {c['duplicates']} 个未计入 → {', '.join(filter(None, [out, html]))}")


@main.command()
@_lang_option
def rules(lang: str) -> None:
    """列出所有核对代码、严重程度与说明。"""
    for code in codes.CATALOGUE.values():
        click.echo(f"{code.code:22} {code.severity.value:8} {code.title[lang]}")
