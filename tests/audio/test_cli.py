"""`backcoach audio build` as a person runs it: a summary on success, one clear line on failure."""
from __future__ import annotations

import requests
import responses
from click.testing import CliRunner

from skill.audio import cli
from skill.audio.manifest import AudioSet
from skill.coach.speech import Count, CountIn, Countdown

RECIPES = (Count(3, 2.0), Countdown(12, "rest"), CountIn())


def _run(monkeypatch, *args: str):
    monkeypatch.setattr(cli, "load_recipes", lambda: RECIPES)
    return CliRunner().invoke(cli.audio, ["build", *args])


def test_espeak_build_then_an_unchanged_rebuild(monkeypatch, tmp_path):
    out = tmp_path / "audio"
    first = _run(monkeypatch, "--engine", "espeak", "--out", str(out))
    assert first.exit_code == 0, first.output
    assert f"3 tracks in {out}/" in first.stdout and "3 built, 0 unchanged, 0 removed" in first.stdout
    assert AudioSet.load(out).filename_for(Count(3, 2.0))
    again = _run(monkeypatch, "--engine", "espeak", "--out", str(out))
    assert "0 built, 3 unchanged, 0 removed" in again.stdout
    forced = _run(monkeypatch, "--engine", "espeak", "--out", str(out), "--force")
    assert "3 built, 0 unchanged, 0 removed" in forced.stdout


def test_unknown_engine_is_a_usage_error(monkeypatch, tmp_path):
    result = _run(monkeypatch, "--engine", "festival", "--out", str(tmp_path))
    assert result.exit_code == 2
    assert "Invalid value for '--engine': 'festival' is not one of 'gtts', 'espeak'" in result.output
    assert list(tmp_path.iterdir()) == []


def test_unwritable_output_is_named(monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = _run(monkeypatch, "--engine", "espeak", "--out", str(blocker / "audio"))
    assert result.exit_code == 1
    assert f"Error: cannot write to {blocker / 'audio'}/" in result.output
    assert "Traceback" not in result.output


@responses.activate
def test_offline_gtts_build_names_the_phrase_and_changes_nothing(monkeypatch, tmp_path):
    responses.post("https://translate.google.com/_/TranslateWebserverUi/data/batchexecute",
                   body=requests.ConnectionError("no route to host"))
    result = _run(monkeypatch, "--out", str(tmp_path))  # gtts is the default engine
    assert result.exit_code == 1
    assert 'Error: gtts could not render "one": cannot reach translate.google.com' in result.output
    assert "try --engine espeak" in result.output and "Nothing was changed" in result.output
    assert list(tmp_path.iterdir()) == []


def test_missing_espeak_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # nowhere to find espeak-ng
    result = _run(monkeypatch, "--engine", "espeak", "--out", str(tmp_path / "audio"))
    assert result.exit_code == 1
    assert "Error: espeak-ng is not installed; install it with apt-get install espeak-ng" in result.output
