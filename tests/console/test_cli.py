"""`backcoach try`'s options: what a script may hold, and a clear answer for every bad input."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from skill.cli import main
from skill.console.cli import user_id
from tests.console.conftest import turns


def _try(*args: str):
    return CliRunner().invoke(main, ["try", *args])


def test_try_is_a_backcoach_command():
    result = CliRunner().invoke(main, ["--help"])
    assert "try" in result.output and "Talk to Back Coach in the terminal" in result.output


def test_a_script_skips_comments_and_blank_lines(converse):
    result = converse("# a first session", "", "start my back routine", "   ", "# the set", "ready")
    assert [said for said, _ in turns(result.output)] == ["start my back routine", "ready"]


def test_each_name_is_its_own_alexa_account():
    assert user_id("anna") == "amzn1.ask.account.console-anna" != user_id("ben")


@pytest.mark.parametrize("args, message", [
    (["--bogus"], "No such option: --bogus"),
    (["--script", "no-such-file.txt"], "'no-such-file.txt': No such file or directory"),
    (["--user", "a b"], "Invalid value for '--user': 'a b': use 1-40 letters"),
    (["--url", "ftp://example.com/alexa"], "is not an http(s) URL; e.g. http://127.0.0.1:8000/alexa"),
    (["--url", "http://127.0.0.1:port/alexa"], "has an invalid port"),
    (["--locale", "fr-FR"], "Invalid value for '--locale'"),
    (["--engine", "say"], "Invalid value for '--engine'"),
    (["--save", "session.wav"], "should end in .mp3"),
    (["--save", "no/such/folder/session.mp3"], "folder no/such/folder does not exist"),
    (["--realtime", "--speak"], "--realtime and --speak don't combine"),
    (["--url", "http://127.0.0.1:8000/alexa", "--data-dir", "data"], "--data-dir is for the in-process skill"),
])
def test_bad_options_are_usage_errors(args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = _try(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "data").exists(), "nothing was stored"


def test_a_script_that_is_a_folder_is_refused(tmp_path):
    result = _try("--script", str(tmp_path), "--data-dir", str(tmp_path / "data"))
    assert result.exit_code == 2 and "Is a directory" in result.output


def test_a_script_that_is_not_text_is_refused_before_anything_is_sent(tmp_path):
    script = tmp_path / "conversation.txt"
    script.write_bytes(b"start my back routine\n\xff\xfe\x00ready\n")
    result = _try("--script", str(script), "--data-dir", str(tmp_path / "data"))
    assert result.exit_code == 1
    assert f"Could not open file '{script}': it is not UTF-8 text" in result.output
    assert "You:" not in result.output and not (tmp_path / "data").exists()


def test_a_store_that_cannot_be_made_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    script = tmp_path / "conversation.txt"
    script.write_text("start my back routine\n")
    result = _try("--script", str(script), "--data-dir", str(blocker / "data"))
    assert result.exit_code == 1
    assert f"cannot keep progress in {blocker / 'data'}/" in result.output
    assert "Traceback" not in result.output


def test_a_damaged_store_is_a_clear_error(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "backcoach.sqlite3").write_bytes(b"this is not a database" * 100)
    script = tmp_path / "conversation.txt"
    script.write_text("start my back routine\n")
    result = _try("--script", str(script), "--data-dir", str(tmp_path / "data"))
    assert result.exit_code == 1
    assert "cannot use the store in" in result.output and "not a database" in result.output


def test_the_data_dir_defaults_to_the_servers_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("BACKCOACH_DATA_DIR", str(tmp_path / "shared"))
    script = tmp_path / "conversation.txt"
    script.write_text("start my back routine\n")
    result = _try("--script", str(script))
    assert result.exit_code == 0, result.output
    assert f"progress in {tmp_path / 'shared'}/" in result.output
    assert (tmp_path / "shared" / "backcoach.sqlite3").is_file()
