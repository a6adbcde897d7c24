"""Defaults of every command-line option from a config file, as ruff and sqlfluff read theirs.

The file is `perfeval.toml` in the folder checked or the nearest of its parents, or the nearest
`pyproject.toml` holding a `[tool.perfeval]` table (in each folder `perfeval.toml` is looked for
first), or the file named by `--config`. Its keys are the long option names (`ignore =
["reason-missing"]`, `jobs = 2`, `lang = "en"`); a key no command knows is an error that names it.
An option given on the command line wins over the file; a key only some commands have (`settle`) is
left to them. Relative paths in the file are relative to the file's folder.
"""
from __future__ import annotations

import tomllib
from pathlib import Path

import click
from click.core import ParameterSource

NAME = "perfeval.toml"
PYPROJECT = "pyproject.toml"


class ConfigError(click.UsageError):
    """A config file that cannot be read or holds keys or values no option takes."""


def read(path: Path) -> dict:
    """The settings a config file holds ({} for a pyproject.toml without [tool.perfeval])."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from None
    if path.name == PYPROJECT:
        data = data.get("tool", {}).get("perfeval", {})
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: [tool.perfeval] 应为一个表")
    return data


def find(start: Path | None) -> Path | None:
    """The config file that governs `start` (a file or folder): the nearest one up the tree."""
    if start is None:
        return None
    folder = Path(start).resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        if (candidate / NAME).is_file():
            return candidate / NAME
        pyproject = candidate / PYPROJECT
        if pyproject.is_file() and "perfeval" in read_tool_tables(pyproject):
            return pyproject
    return None


def read_tool_tables(pyproject: Path) -> set[str]:
    try:
        return set(tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return set()


def long_name(param: click.Parameter) -> str | None:
    longs = [o for o in param.opts if o.startswith("--")]
    return longs[0][2:] if isinstance(param, click.Option) and longs else None


def known_keys(root: click.Command) -> set[str]:
    """Every long option name of every command (the keys a config file may hold)."""
    commands = root.commands.values() if isinstance(root, click.Group) else [root]
    return {long_name(p) for c in commands for p in c.params if long_name(p)} - {"config", "help"}


def _value(param: click.Parameter, value: object, folder: Path) -> object:
    if isinstance(value, dict):                                     # severity = {code = "warning"}
        value = [f"{k}={v}" for k, v in value.items()]
    if param.multiple and not isinstance(value, list):
        value = [value]
    relative = isinstance(param.type, click.Path) or long_name(param) == "rubric"
    if relative and isinstance(value, str) and (isinstance(param.type, click.Path) or value.endswith(".toml")):
        value = str(folder / Path(value).expanduser())          # an absolute path stays as it is
    return value


def fill(ctx: click.Context, values: dict, start: Path | None, explicit: Path | None = None) -> dict:
    """`values` (the command's parsed options) with those left at their default taken from the
    config file governing `start`, or from `explicit`."""
    path = explicit or find(start)
    if path is None:
        return values
    data = read(Path(path))
    unknown = sorted(set(data) - known_keys(ctx.find_root().command))
    if unknown:
        raise ConfigError(f"{path}: 未知的设置项 {', '.join(unknown)}"
                          f"（可用的设置项即各命令的长选项名：{', '.join(sorted(known_keys(ctx.find_root().command)))}）")
    values = dict(values)
    for param in ctx.command.params:
        key = long_name(param)
        if key not in data or ctx.get_parameter_source(param.name) not in (ParameterSource.DEFAULT, None):
            continue
        try:
            values[param.name] = param.type_cast_value(ctx, _value(param, data[key], Path(path).parent))
        except click.BadParameter as exc:
            raise ConfigError(f"{path}: {key}: {exc.message}") from None
    return values
