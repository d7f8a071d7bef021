import json
from pathlib import Path

from typer.testing import CliRunner

from app.cli import (
    cli,
    commands,  # noqa: F401  (registers the sub-commands)
)
from matching import write_participants_csv
from matching.generate import generate_participants


def test_plan_command_writes_the_documented_json(tmp_path: Path) -> None:
    source = tmp_path / "people.csv"
    source.write_text(write_participants_csv(generate_participants(12, seed=2)), encoding="utf-8")
    out = tmp_path / "plan.json"
    result = CliRunner().invoke(
        cli, ["plan", str(source), "--rounds", "3", "--time-limit", "2", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    plan = json.loads(out.read_text(encoding="utf-8"))
    assert [r["number"] for r in plan["rounds"]] == [1, 2, 3]
    assert set(plan["score"]) == {
        "total",
        "pair",
        "diversity",
        "min_participant",
        "violations",
        "sit_outs",
    }
    assert plan["score"]["violations"] == 0
    assert plan["upper_bound"] >= plan["score"]["total"]
    first = plan["rounds"][0]["rooms"][0]
    assert first["number"] == 1
    assert len(first["participants"]) == 2


def test_plan_command_rejects_a_bad_csv_with_exit_code_2(tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text(
        "id,name,email,school,country,sector,languages,interests,programmes,requests,avoid\n"
        "a,Ann,a@x.nl,S1,NL,primary,en,,,,\n"
        "b,Bo,b@x.be,S2,XY,college,en,,,ghost,\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["plan", str(source)])
    assert result.exit_code == 2
    assert "row 3, field country" in result.output
    assert "row 3, field sector" in result.output
    assert "row 3, field requests" in result.output


def test_plan_command_names_who_cannot_be_placed_and_why_when_no_plan_is_possible(
    tmp_path: Path,
) -> None:
    source = tmp_path / "one-country.csv"
    source.write_text(
        "id,name,email,school,country,sector,languages,interests,programmes,requests,avoid\n"
        "a,Ann,a@x.nl,S1,NL,primary,en,,,,\n"
        "b,Bo,b@x.nl,S2,NL,primary,en,,,,\n"
        "c,Cas,c@x.nl,S3,NL,primary,en,,,,\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["plan", str(source), "--time-limit", "1"])
    assert result.exit_code == 1
    assert "no plan is possible" in result.output
    for pid in ("a", "b", "c"):
        assert f"{pid}: " in result.output
    assert "Netherlands" in result.output or "NL" in result.output
