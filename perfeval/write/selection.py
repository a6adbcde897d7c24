"""Which findings a report shows, and at what severity: --select, --ignore and --severity (ruff-like).

A selector is a finding code or a prefix of codes (`score` or `score-` matches every `score-…` code).
Where a --select and an --ignore selector both match a code, the longer (more specific) one decides;
at equal length --ignore wins. Nothing here touches what was found: the ledger, the annotated copy
and summary.xlsx keep every finding; the text and JSON reports, the exit code and the watch log show
the selection, and count what it left out.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from perfeval import catalogue
from perfeval.model import SheetResult, Finding, Severity, Status


class SelectionError(ValueError):
    """A selector that matches no finding code, or a --severity that is not CODE=LEVEL."""


def _matches(selector: str, code: str) -> bool:
    return code == selector or code.startswith(selector.rstrip("-") + "-")


def check_selector(selector: str) -> str:
    selector = selector.strip()
    if not selector or not any(_matches(selector, code) for code in catalogue.CATALOGUE):
        raise SelectionError(selector)
    return selector


def split(values: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Selectors as given on the command line or in the config: repeated and/or comma-separated."""
    return tuple(check_selector(part) for v in values for part in str(v).split(",") if part.strip())


def parse_severity(values: tuple[str, ...] | list[str] | dict) -> dict[str, Severity]:
    """`CODE=LEVEL` items (or a {code: level} table from the config) -> {selector: Severity}."""
    items = values.items() if isinstance(values, dict) else (
        tuple(part.partition("=")[::2]) for v in values for part in str(v).split(",") if part.strip())
    out: dict[str, Severity] = {}
    for selector, level in items:
        try:
            out[check_selector(selector)] = Severity(level.strip().lower())
        except ValueError:
            raise SelectionError(f"{selector}={level}") from None
    return out


@dataclass(frozen=True)
class Selection:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return bool(self.select or self.ignore or self.severity)

    def shown(self, code: str) -> bool:
        chosen = max((len(s) for s in self.select if _matches(s, code)), default=0 if not self.select else -1)
        dropped = max((len(s) for s in self.ignore if _matches(s, code)), default=-1)
        return chosen >= 0 and chosen > dropped

    def severity_of(self, finding: Finding) -> Severity:
        matching = [s for s in self.severity if _matches(s, finding.code)]
        return self.severity[max(matching, key=len)] if matching else finding.severity

    def apply(self, r: SheetResult) -> tuple[SheetResult, Counter]:
        """The result as the report shows it (its status following the findings shown) and the
        number of findings left out, per code."""
        if not self.active or not r.findings:
            return r, Counter()
        left_out = Counter(f.code for f in r.findings if not self.shown(f.code))
        kept = tuple(replace(f, severity=self.severity_of(f)) for f in r.findings if self.shown(f.code))
        kept = tuple(sorted(kept, key=lambda f: f.severity.rank))     # stable: positions stay in order
        status = r.status
        if status in (Status.OK, Status.FLAGGED):
            status = Status.FLAGGED if any(f.severity != Severity.INFO for f in kept) else Status.OK
        return replace(r, findings=kept, status=status), left_out


EVERYTHING = Selection()
