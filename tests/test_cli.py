"""`backcoach serve`: clear errors for settings that cannot work, before anything starts."""
from __future__ import annotations

from click.testing import CliRunner

from skill.cli import main


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env={"BACKCOACH_SKILL_IDS": "", "BACKCOACH_DEV": "", **(env or {})})


def test_dev_mode_refuses_to_listen_beyond_loopback():
    result = run("serve", "--dev", "--host", "0.0.0.0")
    assert result.exit_code == 2 and "loopback only" in result.output


def test_serving_for_real_needs_a_skill_id():
    result = run("serve")
    assert result.exit_code == 2 and "BACKCOACH_SKILL_IDS" in result.output


def test_a_certificate_needs_its_key(tmp_path):
    cert = tmp_path / "cert.pem"
    cert.write_text("x")
    result = run("serve", "--dev", "--certfile", str(cert))
    assert result.exit_code == 2 and "--certfile and --keyfile go together" in result.output


def test_a_bad_environment_value_is_named():
    result = run("serve", "--dev", env={"BACKCOACH_AUDIO_BASE_URL": "http://coach.example/audio"})
    assert result.exit_code == 2 and "BACKCOACH_AUDIO_BASE_URL must start with https://" in result.output
    result = run("serve", "--dev", env={"BACKCOACH_DEV": "maybe"})
    assert result.exit_code == 2 and "BACKCOACH_DEV must be 1 or 0" in result.output


def test_an_unknown_flag_is_a_usage_error():
    result = run("serve", "--verbose")
    assert result.exit_code == 2 and "No such option" in result.output


def test_a_broken_trust_roots_file_is_one_clear_error_before_serving(tmp_path):
    roots = tmp_path / "roots.pem"
    roots.write_text("not a certificate")
    result = run("serve", "--data-dir", str(tmp_path / "data"),
                 env={"BACKCOACH_SKILL_IDS": "amzn1.ask.skill.x", "BACKCOACH_TRUST_ROOTS": str(roots)})
    assert result.exit_code == 1 and "Error:" in result.output and "Traceback" not in result.output
    assert "roots.pem" in result.output


def test_an_audio_folder_without_a_manifest_is_one_clear_error(tmp_path):
    result = run("serve", "--dev", "--data-dir", str(tmp_path / "data"), env={"BACKCOACH_AUDIO_DIR": str(tmp_path)})
    assert result.exit_code == 1 and "backcoach audio build" in result.output


def test_serve_on_a_dynamodb_table_that_does_not_answer_is_one_clear_error(dynamodb_table):
    endpoint, _ = dynamodb_table
    result = run("serve", "--dev", env={"BACKCOACH_STORE": "dynamodb", "BACKCOACH_DYNAMODB_TABLE": "missing",
                                        "BACKCOACH_DYNAMODB_ENDPOINT": endpoint})
    assert result.exit_code == 1 and "DynamoDB table 'missing'" in result.output
    assert "Traceback" not in result.output


def test_serve_on_dynamodb_without_a_region_says_to_set_one(monkeypatch):
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_CONFIG_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    result = run("serve", "--dev", env={"BACKCOACH_STORE": "dynamodb"})
    assert result.exit_code == 1 and "AWS_REGION" in result.output


def test_a_dynamodb_endpoint_must_be_a_url():
    result = run("serve", "--dev", env={"BACKCOACH_STORE": "dynamodb", "BACKCOACH_DYNAMODB_ENDPOINT": "localhost:8001"})
    assert result.exit_code == 2 and "BACKCOACH_DYNAMODB_ENDPOINT must be a URL" in result.output


def test_a_turn_budget_alexa_would_not_wait_for_is_refused():
    for value, said in (("9", "must be from 2 to 7.5 seconds (Alexa waits 8), not 9"), ("1", "must be from 2 to 7.5 seconds (Alexa waits 8), not 1"),
                        ("six", "must be a number of seconds, not 'six'")):
        result = run("serve", "--dev", env={"BACKCOACH_TURN_BUDGET_S": value})
        assert result.exit_code == 2 and f"BACKCOACH_TURN_BUDGET_S {said}" in result.output
