"""proof(): read a PDF back and check it as a printer and an editor would; write a report with page
images of every spread. The PDF may come from booksmith or from any other program."""

from booksmith.proof.rules import GENERIC_PRINT, RULE_SETS, PrinterRules, rules_named
from booksmith.proof.run import ProofOptions, ProofReport, ProofResult, proof

__all__ = [
    "GENERIC_PRINT",
    "RULE_SETS",
    "PrinterRules",
    "ProofOptions",
    "ProofReport",
    "ProofResult",
    "proof",
    "rules_named",
]
