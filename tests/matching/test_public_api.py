import matching


def test_public_names_are_exactly_the_documented_api() -> None:
    assert sorted(matching.__all__) == [
        "CsvError",
        "EventSettings",
        "FeasibilityReport",
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
        "Unplaceable",
        "Violation",
        "ViolationKind",
        "Weights",
        "check_feasibility",
        "explain",
        "plan_event",
        "plan_violations",
        "read_participants_csv",
        "replan",
        "round_violations",
        "score_plan",
        "validate_plan",
        "write_participants_csv",
    ]
    for name in matching.__all__:
        assert getattr(matching, name) is not None
