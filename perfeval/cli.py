"""Command line: parse options, call one function per command, exit with its code. Nothing else."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Iterator

import click

from perfeval import __version__
from perfeval import catalogue
from perfeval.batch import commands
from perfeval.write import formats
from perfeval.model import FileResult
from perfeval.rubric import RubricError, resolve


def rubric_option(f):
    return click.option("--rubric", metavar="ID|FILE", help="强制使用的评分规则（ID 或 .toml 文件）")(f)


def lang_option(f):
    return click.option("--lang", type=click.Choice(catalogue.LANGS), default="zh", show_default=True,
                        help="输出语言")(f)


def jobs_option(f):
    return click.option("--jobs", type=click.IntRange(1), default=os.cpu_count() or 1, show_default="CPU 数",
                        help="并行进程数")(f)


def force_option(f):
    return click.option("--force", is_flag=True, help="内容未变的文件也重新复核（忽略 perfeval.db 中的记录）")(f)


def _check_rubric(rubric: str | None) -> None:
    if rubric:
        try:
            resolve(rubric)
        except RubricError as exc:
            raise click.UsageError(str(exc)) from None


def _progress(results: Iterator[FileResult], total: int) -> Iterator[FileResult]:
    """click's progress bar on stderr for batches, when stderr is a terminal."""
    if total < 2 or not sys.stderr.isatty():
        yield from results
        return
    with click.progressbar(length=total, label="复核中", file=sys.stderr) as bar:
        for r in results:
            bar.update(1)
            yield r


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="perfeval")
def main() -> None:
    """perfeval：复核绩效评价评分表（.xlsx）中的评分、合计与等级。"""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--format", "fmt", type=click.Choice(sorted(formats.WRITERS)), default="text", show_default=True,
              help="报告格式")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="写出带标注的复核文件（<文件名>.checked.xlsx）、summary.xlsx 与 perfeval.db 的文件夹")
@jobs_option
@force_option
@rubric_option
@lang_option
def check(paths: tuple[str, ...], fmt: str, out: Path | None, jobs: int, force: bool, rubric: str | None,
          lang: str) -> None:
    """复核 PATHS 中的评分表（文件或文件夹）。退出码：0 无错误，1 有错误，2 有文件无法读取。"""
    _check_rubric(rubric)
    try:
        code = commands.check(paths, out, sys.stdout, fmt, jobs, force, rubric, lang, progress=_progress,
                              warn=lambda text: click.echo(text, err=True))
    except commands.UsageProblem as exc:
        raise click.UsageError(str(exc)) from None
    sys.exit(code)


@main.command()
@click.argument("inbox", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", "outbox", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="写出复核文件、summary.xlsx 与 perfeval.db 的文件夹")
@click.option("--once", is_flag=True, help="只处理当前已有的文件，然后退出（供计划任务使用）")
@click.option("--poll", type=click.FloatRange(min=0.1), metavar="SECONDS",
              help="每隔 SECONDS 秒轮询一次（网络共享文件夹用）")
@click.option("--settle", type=click.FloatRange(min=0), default=2.0, show_default=True, metavar="SECONDS",
              help="文件大小与修改时间保持不变多久才视为复制完成")
@jobs_option
@force_option
@rubric_option
@lang_option
def watch(inbox: Path, outbox: Path, once: bool, poll: float | None, settle: float, jobs: int, force: bool,
          rubric: str | None, lang: str) -> None:
    """监视 INBOX 文件夹：新放入或修改的评分表自动复核，结果写入 --out 文件夹。INBOX 不会被写入。"""
    _check_rubric(rubric)
    try:
        commands.watch(inbox, outbox, click.echo, once, poll, settle, jobs, force, rubric, lang)
    except commands.UsageProblem as exc:
        raise click.UsageError(str(exc)) from None


@main.command("rollup")
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="写出的汇总工作簿（.xlsx）")
@click.option("--html", type=click.Path(dir_okay=False), help="同时写出的离线 HTML 报告")
@click.option("--year", type=click.IntRange(1900, 2999), help="标题中未注明年度的评分表按此年度计")
@jobs_option
@rubric_option
def rollup_command(sources: tuple[str, ...], out: str, html: str | None, year: int | None, jobs: int,
                   rubric: str | None) -> None:
    """年度汇总：SOURCES 为评分表文件夹（不写复核副本）或台账 perfeval.db。"""
    _check_rubric(rubric)
    from perfeval.rollup import tables, writers     # pandas: imported only by the command that needs it
    result = tables.build(tables.collect(sources, year, rubric, jobs))
    writers.WRITERS["xlsx"](result, out)
    if html:
        writers.WRITERS["html"](result, html)
    c = result.counts
    click.echo(f"汇总 {c['projects']} 个项目（年度：{'、'.join(map(str, result.years)) or '未注明'}），"
               f"无法读取 {c['unreadable']} 个文件，重复 {c['duplicates']} 个未计入 → {', '.join(filter(None, [out, html]))}")


@main.command()
@lang_option
def rules(lang: str) -> None:
    """列出所有核对代码、严重程度与说明。"""
    for code in catalogue.CATALOGUE.values():
        click.echo(f"{code.code:22} {code.severity.value:8} {code.title[lang]}")


@main.group("rubric")
def rubric_group() -> None:
    """评分规则文件：从评分表起草（draft），或校验（check）。"""


@rubric_group.command("draft")
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--sheet", metavar="NAME", help="工作簿中的评分表名称（默认第一个评分表）")
@click.option("-o", "--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="写出的评分规则 .toml")
def rubric_draft(workbook: Path, sheet: str | None, out: Path) -> None:
    """从 WORKBOOK 的指标表与评分标准起草评分规则（TOML），读不懂的评分标准留作 TODO 注释。"""
    from perfeval.score import draft
    try:
        click.echo(draft.write(workbook, sheet, out))
    except draft.DraftProblem as exc:
        raise click.UsageError(str(exc)) from None


@rubric_group.command("check")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def rubric_check(file: Path) -> None:
    """校验评分规则文件 FILE：每个问题给出文件、行号与指标。退出码 0 无问题，1 有问题。"""
    from perfeval.score import draft
    problems = draft.check(file)
    for line in problems:
        click.echo(line)
    if not problems:
        click.echo(f"{file}: OK")
    sys.exit(1 if problems else 0)
