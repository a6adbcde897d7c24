"""Names of the annotated copies in an output folder: stable from run to run, never an input's name."""
from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path

from perfeval.model import Phrase


def output_paths(paths: list[Path], out_dir: Path, reserved: tuple[str, ...] = ()) -> list[Path]:
    """`out_dir/<stem>.checked<ext>` for every input (.xlsm stays .xlsm; a .xls, .xlsb, .ods, .et is
    read through a converted workbook, and its copy is .xlsx).

    Inputs whose copies would share a name (same stem and extension in any case, other folders) are
    told apart by as many of their parent folders as it takes: `<stem> (<folder>).checked.xlsx`. The
    names depend only on the inputs, so the same batch gets the same names on every run. Raises
    ValueError when an output would overwrite an input.
    """
    resolved = [p.resolve() for p in paths]
    groups: dict[str, list[Path]] = defaultdict(list)
    for p in dict.fromkeys(resolved):
        groups[_name(p).casefold()].append(p)
    names = {}
    for group in groups.values():
        tags = _tags(group) if len(group) > 1 else {group[0]: ""}
        names.update({p: _name(p, tags[p]) for p in group})
    seen: dict[str, int] = defaultdict(int)
    for name in names.values():
        seen[name.casefold()] += 1
    for p, name in names.items():        # a tagged name met an input's own name: the full path decides
        if seen[name.casefold()] > 1:
            names[p] = _name(p, hashlib.sha1(str(p).encode()).hexdigest()[:8])
    outputs = [out_dir / names[p] for p in resolved]
    taken = set(resolved)
    for out in outputs + [out_dir / r for r in reserved]:
        if out.resolve() in taken:
            raise ValueError(Phrase("reason.overwrite", {"path": str(out)}))
    return outputs


def mirrored_path(path: Path, inbox: Path, out_dir: Path) -> Path:
    """For a drop folder: the copy sits at the same place under out_dir as the input under inbox, so
    names never collide and never change as files come and go."""
    return out_dir / path.resolve().parent.relative_to(inbox.resolve()) / _name(path)


def _name(path: Path, tag: str = "") -> str:
    return f"{path.stem}{f' ({tag})' if tag else ''}.checked{_suffix(path)}"


def _suffix(path: Path) -> str:
    return ".xlsm" if path.suffix.lower() == ".xlsm" else ".xlsx"


def _tags(group: list[Path]) -> dict[Path, str]:
    """The fewest trailing parent folders that tell the paths apart, joined by '-'."""
    if len({p.suffix.lower() for p in group}) == len(group):       # seed.xls and seed.ods: by their kind
        return {p: p.suffix.lower().lstrip(".") for p in group}
    longest = max(len(p.parent.parts) for p in group)
    for k in range(1, longest):
        tags = {p: "-".join(p.parent.parts[1:][-k:]) for p in group}
        if len({t.casefold() for t in tags.values()}) == len(group):
            return tags
    return {p: hashlib.sha1(str(p).encode()).hexdigest()[:8] for p in group}
