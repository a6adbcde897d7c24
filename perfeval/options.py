"""Every command-line option, defined once and stacked onto the commands that take it (pip-tools'
options.py). `configured` fills options left at their default from the config file (config.py)."""
from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Callable

import click

from perfeval import catalogue, config
from perfeval.write import formats
from perfeval.write.selection import Selection, SelectionError, parse_severity, split


class Needed(click.Option):
    """A required option that the config file may give: checked once the config file is read."""

    def __init__(self, *decls, **attrs):
        attrs["help"] = attrs.get("help", "") + "（必填，可写在设置文件中）"
        super().__init__(*decls, **attrs)


def _option(*decls, **attrs) -> Callable:
    return lambda f: click.option(*decls, **attrs)(f)


rubric = _option("--rubric", metavar="ID|FILE", help="强制使用的评分规则（ID 或 .toml 文件）")
lang = _option("--lang", type=click.Choice(catalogue.LANGS), default="zh", show_default=True, help="输出语言")
jobs = _option("--jobs", type=click.IntRange(1), default=os.cpu_count() or 1, show_default="CPU 数",
               help="并行进程数")
force = _option("--force", is_flag=True, help="内容未变的文件也重新复核（忽略 perfeval.db 中的记录）")
fmt = _option("--format", "fmt", type=click.Choice(sorted(formats.WRITERS)), default="text", show_default=True,
              help="报告格式")
out_folder = _option("--out", type=click.Path(file_okay=False, path_type=Path),
                     help="写出带标注的复核文件（<文件名>.checked.xlsx）、summary.xlsx 与 perfeval.db 的文件夹")
verbose = _option("-v", "--verbose", is_flag=True, help="逐条列出提示（info）级结果")
quiet = _option("-q", "--quiet", is_flag=True, help="只输出最后一行汇总")
select = _option("--select", multiple=True, metavar="CODES",
                 help="只报告这些代码（或代码前缀，如 score）的结果；可重复，可用逗号分隔")
ignore = _option("--ignore", multiple=True, metavar="CODES",
                 help="不报告这些代码（或代码前缀）的结果，只在汇总行计数；可重复，可用逗号分隔")
severity = _option("--severity", multiple=True, metavar="CODE=LEVEL",
                   help="改变代码的严重程度（error|warning|info），如 reason-missing=info；可重复")
config_file = _option("--config", "config_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                      help=f"设置文件（默认：所查文件夹或其上级中的 {config.NAME}，或 pyproject.toml 的 [tool.perfeval]）")
once = _option("--once", is_flag=True, help="只处理当前已有的文件（刚放入的等其复制完成），然后退出（供计划任务使用）")
poll = _option("--poll", type=click.FloatRange(min=0.1), metavar="SECONDS", help="每隔 SECONDS 秒轮询一次（网络共享文件夹用）")
password = _option("--password", metavar="TEXT", envvar="PERFEVAL_PASSWORD", show_envvar=True,
                   help="打开设有打开密码的工作簿（.xlsx/.xls）所用的密码；也可用环境变量给出。不回显、不写入任何输出")
settle = _option("--settle", type=click.FloatRange(min=0), default=2.0, show_default=True, metavar="SECONDS",
                 help="文件大小与修改时间保持不变多久才视为复制完成")


def stack(*options: Callable) -> Callable:
    """Apply options in the order listed (as they show in --help)."""
    def apply(f):
        for option in reversed(options):
            f = option(f)
        return f
    return apply


report = stack(verbose, quiet, select, ignore, severity)


def configured(start: Callable[[dict], object]) -> Callable:
    """Fill the command's options left at their default from the config file that governs
    `start(options)` (a path; --config names one outright); the command gets `selection` and
    `verbosity` in place of select/ignore/severity and verbose/quiet when it has them."""
    def decorate(f):
        @functools.wraps(f)
        def run(**values):
            ctx = click.get_current_context()
            explicit = values.pop("config_file", None)
            first = start(values)
            values = config.fill(ctx, values, Path(first) if first else None, explicit)
            for param in ctx.command.params:
                if isinstance(param, Needed) and values.get(param.name) is None:
                    raise click.MissingParameter(ctx=ctx, param=param)
            if "select" in values:
                values["selection"] = selection(values.pop("select"), values.pop("ignore"), values.pop("severity"))
            if "verbose" in values:
                values["verbosity"] = verbosity(values.pop("verbose"), values.pop("quiet"))
            return f(**values)
        return config_file(run)
    return decorate


def selection(select: tuple[str, ...], ignore: tuple[str, ...], severity: tuple[str, ...]) -> Selection:
    try:
        return Selection(split(select), split(ignore), parse_severity(severity))
    except SelectionError as exc:
        raise click.UsageError(f"没有这个核对代码或代码前缀，或格式不是 CODE=LEVEL：{exc}"
                               f"（perfeval rules 列出所有代码）") from None


def verbosity(verbose: bool, quiet: bool) -> int:
    if verbose and quiet:
        raise click.UsageError("-v/--verbose 与 -q/--quiet 不能同时使用")
    return 1 if verbose else -1 if quiet else 0
