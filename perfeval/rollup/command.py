"""`perfeval rollup` as a function: collect, build the tables, write rollup.xlsx (and rollup.html);
returns the one line the command prints."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from perfeval import catalogue
from perfeval.read.sources import Password
from perfeval.rollup import tables, writers


def run(sources: Iterable[str | Path], out: str | Path, html: str | Path | None = None, year: int | None = None,
        jobs: int = 1, rubric: str | None = None, lang: str = "zh",
        progress: Callable = lambda results, total: results, password: Password | None = None) -> str:
    result = tables.build(tables.collect(sources, year, rubric, jobs, progress=progress, password=password))
    writers.WRITERS["xlsx"](result, out, lang)
    if html:
        writers.WRITERS["html"](result, html, lang)
    c = result.counts
    years = catalogue.say(tuple(map(str, result.years)), lang) or catalogue.label("rollup.no_year", lang)
    return catalogue.label("rollup.line", lang, projects=c["projects"], years=years, unreadable=c["unreadable"],
                           duplicates=c["duplicates"], out=", ".join(str(p) for p in (out, html) if p))
