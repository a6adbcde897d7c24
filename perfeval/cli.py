"""Command line: parse options, call one function per command, exit with its code. Nothing else."""
from __future__ import annotations

import contextlib
import difflib
import sys
from pathlib import Path
from typing import TypeVar, Iterator

import click

from perfeval import __version__
from perfeval import catalogue
from perfeval import options
from perfeval.batch import commands
from perfeval.model import SheetResult
from perfeval.read.sources import Password
from perfeval.write.selection import Selection
from perfeval.rubric import RubricError, resolve


def _check_rubric(rubric: str | None) -> None:
    if rubric:
        try:
            resolve(rubric)
        except RubricError as exc:
            raise click.UsageError(str(exc)) from None


T = TypeVar("T")


def _progress(results: Iterator[T], total: int, lang: str) -> Iterator[T]:
    """click's progress bar on stderr for batches (one step per file), when stderr is a terminal."""
    if total < 2 or not sys.stderr.isatty():
        yield from results
        return
    with click.progressbar(length=total, label=catalogue.label("progress", lang), file=sys.stderr) as bar:
        for r in results:
            bar.update(1)
            yield r


@contextlib.contextmanager
def _help_in(group: click.Group, lang: str) -> Iterator[None]:
    """Every help text of the command tree in `lang` for one run, then as it was."""
    changed: list[tuple[object, str, str]] = []

    def swap(obj: object, attr: str) -> None:
        text = getattr(obj, attr, None)
        if isinstance(text, str):
            changed.append((obj, attr, text))
            setattr(obj, attr, catalogue.help_text(text, lang))

    def walk(cmd: click.Command) -> None:
        swap(cmd, "help")
        for param in cmd.params:
            swap(param, "help")
            swap(param, "show_default")
        for sub in getattr(cmd, "commands", {}).values():
            walk(sub)
    walk(group)
    try:
        yield
    finally:
        for obj, attr, text in changed:
            setattr(obj, attr, text)


def _english(args: list[str]) -> bool:
    return "--lang=en" in args or any(a == "--lang" and b == "en" for a, b in zip(args, args[1:]))


def _without_lang(args: list[str]) -> list[str]:
    out, skip = [], False
    for a, b in zip(args, args[1:] + [""]):
        if skip or a == "--lang=en":
            skip = False
            continue
        if a == "--lang" and b == "en":
            skip = True
            continue
        out.append(a)
    return out


class _Main(click.Group):
    """An internal error (a bug of ours) ends the command with one line on stderr and exit code 3;
    with `--lang en` anywhere on the command line, --help is in English."""

    def main(self, args=None, *rest, **kw):
        args = list(sys.argv[1:] if args is None else args)
        if not _english(args):
            return super().main(args, *rest, **kw)
        if {"--help", "-h"} & set(args):        # help asked for in English, of any command: --lang served
            args = _without_lang(args)
        with _help_in(self, "en"):
            return super().main(args, *rest, **kw)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt, SystemExit):
            raise
        except Exception as exc:
            detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
            click.echo(f"perfeval: 内部错误（{detail}），请报告给维护人员", err=True)
            sys.exit(commands.INTERNAL)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="perfeval")
def main() -> None:
    """perfeval：复核绩效评价评分表（.xlsx）中的评分、合计与等级。"""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@options.configured(lambda values: values["paths"][0])
@options.stack(options.fmt, options.out_folder, options.jobs, options.force, options.rubric, options.lang,
               options.report, options.password)
def check(paths: tuple[str, ...], fmt: str, out: Path | None, jobs: int, force: bool, rubric: str | None,
          lang: str, selection: Selection, verbosity: int, password: str | None) -> None:
    """复核 PATHS 中的评分表（文件或文件夹）。退出码：0 无错误，1 有错误，2 有文件无法读取，3 内部错误。"""
    _check_rubric(rubric)
    try:
        code = commands.check(paths, out, sys.stdout, fmt, jobs, force, rubric, lang,
                              progress=lambda results, total: _progress(results, total, lang),
                              warn=lambda text: click.echo(text, err=True), verbosity=verbosity,
                              selection=selection, password=Password.given(password))
    except commands.UsageProblem as exc:
        raise click.UsageError(str(exc)) from None
    sys.exit(code)


@main.command()
@click.argument("inbox", type=click.Path(exists=True, file_okay=False, path_type=Path))
@options.configured(lambda values: values["inbox"])
@click.option("--out", "outbox", cls=options.Needed, type=click.Path(file_okay=False, path_type=Path),
              help="写出复核文件、summary.xlsx 与 perfeval.db 的文件夹")
@options.stack(options.once, options.poll, options.settle, options.jobs, options.force, options.rubric,
               options.lang, options.select, options.ignore, options.severity, options.password)
def watch(inbox: Path, outbox: Path, once: bool, poll: float | None, settle: float, jobs: int, force: bool,
          rubric: str | None, lang: str, selection: Selection, password: str | None) -> None:
    """监视 INBOX 文件夹：新放入或修改的评分表自动复核，结果写入 --out 文件夹。INBOX 不会被写入。"""
    _check_rubric(rubric)
    try:
        commands.watch(inbox, outbox, click.echo, once, poll, settle, jobs, force, rubric, lang, selection,
                       Password.given(password))
    except commands.UsageProblem as exc:
        raise click.UsageError(str(exc)) from None


@main.command("rollup")
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True))
@options.configured(lambda values: values["sources"][0])
@click.option("--out", cls=options.Needed, type=click.Path(dir_okay=False), help="写出的汇总工作簿（.xlsx）")
@click.option("--html", type=click.Path(dir_okay=False), help="同时写出的离线 HTML 报告")
@click.option("--year", type=click.IntRange(1900, 2999), help="标题中未注明年度的评分表按此年度计")
@options.stack(options.jobs, options.rubric, options.lang, options.password)
def rollup_command(sources: tuple[str, ...], out: str, html: str | None, year: int | None, jobs: int,
                   rubric: str | None, lang: str, password: str | None) -> None:
    """年度汇总：SOURCES 为评分表文件夹（不写复核副本）或台账 perfeval.db。"""
    _check_rubric(rubric)
    from perfeval.rollup import command       # pandas: imported only by the command that needs it
    click.echo(command.run(sources, out, html, year, jobs, rubric, lang,
                           progress=lambda results, total: _progress(results, total, lang),
                           password=Password.given(password)))


@main.command()
@options.lang
def rules(lang: str) -> None:
    """列出所有核对代码、严重程度与说明。"""
    for code in catalogue.CATALOGUE.values():
        click.echo(f"{code.code:22} {code.severity.value:8} {code.title[lang]}")


@main.command()
@click.argument("code")
@options.lang
def explain(code: str, lang: str) -> None:
    """说明核对代码 CODE：含义、示例与处理办法（perfeval rules 列出所有代码）。"""
    if code not in catalogue.CATALOGUE:
        close = difflib.get_close_matches(code, catalogue.CATALOGUE, n=3, cutoff=0.5)
        hint = f"，是否是：{'、'.join(close)}" if close else ""
        raise click.UsageError(f"没有核对代码 {code}{hint}（perfeval rules 列出所有代码）")
    click.echo(catalogue.explain(code, lang))


@main.command()
@click.argument("rubric_choice", metavar="RUBRIC")
@click.option("-o", "--out", "target", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="写出的空白评分表（.xlsx）")
def template(rubric_choice: str, target: Path) -> None:
    """写出评分规则 RUBRIC（ID 如 egov-2019，或 .toml 文件）的空白评分表：评分单元格带数据验证，
    小计与合计为公式，另有列出公式指标所需数据的“基础数据”工作表，表头与指标不可改动。"""
    from perfeval.write import template as blank
    try:
        rubric = resolve(rubric_choice)
    except RubricError as exc:
        raise click.UsageError(str(exc)) from None
    try:
        click.echo(blank.write(rubric, target))
    except OSError as exc:
        raise click.UsageError(f"{target}: {exc}") from None


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
