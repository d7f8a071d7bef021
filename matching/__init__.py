"""speedmatch's optimiser: plans every round of a partner-finding event. No web, no database."""

from matching.explain import explain
from matching.feasibility import FeasibilityReport, InfeasibleError, check_feasibility
from matching.findings import Finding, FindingKind
from matching.io import CsvError, RowError, read_participants_csv, write_participants_csv
from matching.pin_rules import impossible_pins
from matching.score import score_plan, validate_plan
from matching.sit_out_reasons import SitOut, SitOutReason, sit_out_reasons
from matching.solve import plan_event, replan
from matching.types import (
    EventSettings,
    Participant,
    Pin,
    Plan,
    ProgressInfo,
    Room,
    RoundPlan,
    Score,
    Sector,
    Unplaceable,
    Weights,
)
from matching.violations import Violation, ViolationKind, plan_violations, round_violations

__all__ = [
    "CsvError",
    "EventSettings",
    "FeasibilityReport",
    "Finding",
    "FindingKind",
    "InfeasibleError",
    "Participant",
    "Pin",
    "Plan",
    "ProgressInfo",
    "Room",
    "RoundPlan",
    "RowError",
    "Score",
    "Sector",
    "SitOut",
    "SitOutReason",
    "Unplaceable",
    "Violation",
    "ViolationKind",
    "Weights",
    "check_feasibility",
    "explain",
    "impossible_pins",
    "plan_event",
    "plan_violations",
    "read_participants_csv",
    "replan",
    "round_violations",
    "score_plan",
    "sit_out_reasons",
    "validate_plan",
    "write_participants_csv",
]
