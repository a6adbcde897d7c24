"""Command line: parse options, call batch and report, return the exit code. Nothing else."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__, annotate, batch, codes, report, summary
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
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="写出带标注的复核文件（<文件名>.checked.xlsx）与 summary.xlsx 的文件夹")
@_rubric_option
@_lang_option
def check(paths: tuple[str, ...], fmt: str, jobs: int, out: Path | None, rubric: str | None, lang: str) -> None:
    """复核 PATHS 中的评分表（文件或文件夹）。退出码：0 无错误，1 有错误，2 有文件无法读取。"""
    if rubric:
        try:
            resolve(rubric)
        except RubricError as exc:
            raise click.UsageError(str(exc)) from None
    files = batch.expand(paths, skip=out)
    outputs = None
    if out is not None:
        try:
            out.mkdir(parents=True, exist_ok=True)
            outputs = annotate.output_paths(files, out, reserved=(summary.NAME,))
        except (OSError, ValueError) as exc:
            raise click.UsageError(str(exc)) from None
    results = list(batch.run(files, rubric, jobs, outputs, lang))
    report.WRITERS[fmt](results, sys.stdout, lang)
    code = batch.exit_code(results)
    if out is not None:
        try:
            summary.write(results, out / summary.NAME, lang)
        except OSError as exc:
            click.echo(f"{out / summary.NAME}: {exc}", err=True)
            code = 2
    sys.exit(code)


@main.command()
@_lang_option
def rules(lang: str) -> None:
    """列出所有核对代码、严重程度与说明。"""
    for code in codes.CATALOGUE.values():
        click.echo(f"{code.code:22} {code.severity.value:8} {code.title[lang]}")
