"""Lambda for real: deploy/backcoach.yaml passes cfn-lint (and a broken copy does not), grants only what
the skill uses, lets only our skill invoke it; dist/lambda.zip holds what the handler imports and
nothing of the web server or the audio builder, and runs on its own."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from cfnlint.decode import cfn_yaml

from skill.package import lambda_zip
from tests.dynamo_server import TABLE_SCHEMA

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "deploy" / "backcoach.yaml"


def cfn_lint(path: Path) -> subprocess.CompletedProcess:
    tool = shutil.which("cfn-lint", path=str(Path(sys.executable).parent))
    assert tool, "cfn-lint is not installed: it is in the test extra (make test installs it)"
    return subprocess.run([tool, str(path)], capture_output=True, text=True, timeout=180)


@pytest.fixture(scope="module")
def template() -> dict:
    return cfn_yaml.load(str(TEMPLATE))


def test_the_template_passes_cfn_lint():
    result = cfn_lint(TEMPLATE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_cfn_lint_catches_a_broken_template(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(TEMPLATE.read_text().replace("BillingMode: PAY_PER_REQUEST", "BillingMode: PAY_PER_USE")
                      .replace("Runtime: python3.11", "Runtime: python2.7"))
    result = cfn_lint(broken)
    assert result.returncode != 0 and "PAY_PER_USE" in result.stdout and "python2.7" in result.stdout


def test_the_table_is_on_demand_with_the_owner_index_the_store_queries(template):
    table = template["Resources"]["Table"]["Properties"]
    for key in ("BillingMode", "KeySchema", "AttributeDefinitions", "GlobalSecondaryIndexes"):
        assert table[key] == TABLE_SCHEMA[key], key  # the tests' dynalite table is the same table


def test_the_role_allows_exactly_what_the_skill_does_on_its_own_table_and_log_group(template):
    statements = template["Resources"]["Role"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    granted = {(action, json.dumps(s["Resource"], sort_keys=True)) for s in statements
               for action in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])}
    table = json.dumps({"Fn::GetAtt": ["Table", "Arn"]})
    assert granted == {
        ("dynamodb:GetItem", table), ("dynamodb:PutItem", table), ("dynamodb:DeleteItem", table),
        ("dynamodb:Query", json.dumps({"Fn::Sub": "${Table.Arn}/index/owner"})),
        ("logs:CreateLogStream", json.dumps({"Fn::GetAtt": ["LogGroup", "Arn"]})),
        ("logs:PutLogEvents", json.dumps({"Fn::GetAtt": ["LogGroup", "Arn"]})),
    }
    assert all(s["Effect"] == "Allow" and "*" not in json.dumps(s["Resource"]) for s in statements)


def test_only_our_skill_may_invoke_the_function(template):
    permission = template["Resources"]["AlexaInvokePermission"]["Properties"]
    assert permission == {"Action": "lambda:InvokeFunction", "FunctionName": {"Fn::GetAtt": ["Function", "Arn"]},
                          "Principal": "alexa-appkit.amazon.com", "EventSourceToken": {"Ref": "SkillId"}}


def test_the_function_runs_the_handler_on_dynamodb_with_the_optional_audio_url(template):
    function = template["Resources"]["Function"]["Properties"]
    assert function["Handler"] == "skill.alexa.lambda_function.handler"
    assert function["Runtime"] == lambda_zip.PYTHON  # the bytecode in the zip is for this Python
    variables = function["Environment"]["Variables"]
    assert variables["BACKCOACH_STORE"] == "dynamodb" and variables["BACKCOACH_SKILL_IDS"] == {"Ref": "SkillId"}
    assert variables["BACKCOACH_DYNAMODB_TABLE"] == {"Ref": "Table"}
    assert variables["BACKCOACH_AUDIO_BASE_URL"] == {"Fn::If": ["HasAudio", {"Ref": "AudioBaseUrl"},
                                                                {"Ref": "AWS::NoValue"}]}


@pytest.fixture(scope="module")
def contents() -> dict[str, Path]:
    return lambda_zip.contents()  # runs the handler in a fresh interpreter to see what it imports


@pytest.fixture(scope="module")
def built(tmp_path_factory, contents) -> Path:
    target = tmp_path_factory.mktemp("dist") / "lambda.zip"
    lambda_zip.build(target, contents)
    return target


def test_the_zip_holds_the_handlers_imports_and_nothing_of_the_web_or_audio_builder(built):
    with zipfile.ZipFile(built) as zf:
        names = zf.namelist()
    tops = {name.split("/")[0] for name in names}
    assert not tops & {"flask", "werkzeug", "gunicorn", "gtts", "lameenc", "miniaudio", "cryptography", "boto3",
                       "botocore"}
    assert {"ask_sdk_core", "ask_sdk_model", "ask_sdk_runtime", "skill", "audio"} <= tops
    assert {"skill/alexa/lambda_function.py", "skill/alexa/dynamo.py", "skill/coach/moves.json",
            "skill/coach/phrases/en.json", "audio/manifest.json",
            f"skill/alexa/__pycache__/lambda_function.{sys.implementation.cache_tag}.pyc"} <= set(names)
    assert not [n for n in names if n.startswith(("skill/web/", "skill/console/")) or n.endswith(".mp3")]


def test_the_zip_answers_alexa_on_its_own(built, tmp_path):
    """No site-packages, no repository: only the zip's contents and the standard library, as on Lambda."""
    task = tmp_path / "task"
    with zipfile.ZipFile(built) as zf:
        zf.extractall(task)
    launch = {"version": "1.0", "context": {"System": {"application": {"applicationId": "amzn1.ask.skill.z"},
                                                       "user": {"userId": "amzn1.ask.account.Z"}}},
              "request": {"type": "LaunchRequest", "requestId": "r", "timestamp": "2026-03-02T07:30:00Z",
                          "locale": "en-US"}}
    code = ("import json, sys, skill.alexa.lambda_function as f; "
            f"print(f.handler({launch!r}, None)['response']['outputSpeech']['ssml']); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'boto3', 'gtts')))")
    run = subprocess.run([sys.executable, "-S", "-c", code], cwd=task, capture_output=True, text=True, timeout=60,
                         env={"BACKCOACH_SKILL_IDS": "amzn1.ask.skill.z", "BACKCOACH_DATA_DIR": str(tmp_path / "d"),
                              "PYTHONDONTWRITEBYTECODE": "1"})
    assert run.returncode == 0, run.stderr
    said, imported = run.stdout.splitlines()
    assert "Welcome to Back Coach" in said and imported == "[]"


def test_the_zip_is_reproducible(built, contents, tmp_path):
    again = tmp_path / "again.zip"
    lambda_zip.build(again, contents)
    assert again.read_bytes() == built.read_bytes()
