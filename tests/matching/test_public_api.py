import matching


def test_public_names_are_exactly_the_documented_api() -> None:
    assert sorted(matching.__all__) == [
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
    for name in matching.__all__:
        assert getattr(matching, name) is not None
