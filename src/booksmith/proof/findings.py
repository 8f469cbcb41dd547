"""Collecting findings: each check reports through here, and the printer's rules decide its severity
(or that it does not apply)."""

from __future__ import annotations

from booksmith.errors import Severity

from .model import Box, Finding
from .rules import PrinterRules

SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTE: 2}


class Findings:
    def __init__(self, rules: PrinterRules, labels: list[str]) -> None:
        self.rules = rules
        self.labels = labels
        self.items: list[Finding] = []

    def applies(self, check_id: str) -> bool:
        return self.rules.severity(check_id) is not None

    def add(
        self,
        check_id: str,
        message: str,
        page: int | None = None,
        box: Box | None = None,
        severity: Severity | None = None,
    ) -> None:
        """Report a finding. `severity` overrides the check's own where one check has degrees (an image
        at 72 ppi is an error, one at 250 ppi a warning); a severity the printer's rules set for the
        check, or switching it off, wins."""
        ruled = self.rules.severity(check_id)
        if ruled is None:
            return
        if check_id in self.rules.severities:  # the printer's word is final
            severity = ruled
        folio = self.labels[page] if page is not None and page < len(self.labels) else None
        box = tuple(round(v, 2) for v in box) if box else None  # type: ignore[assignment]
        self.items.append(Finding(check_id, severity or ruled, message, page, folio, box))

    def sorted(self) -> tuple[Finding, ...]:
        return tuple(
            sorted(
                self.items,
                key=lambda f: (SEVERITY_ORDER[f.severity], f.check, -1 if f.page is None else f.page),
            )
        )
