"""AWS Lambda entry point: the same skill (build_skill), stored in DynamoDB (BACKCOACH_STORE=dynamodb)
or in SQLite under /tmp (a single warm container only; fine for trying it out).

Handler: skill.alexa.lambda_function.handler. The function's Alexa trigger (the skill ID as event
source token) and the skill-ID check below replace the web service's request verification: Alexa
invokes Lambda directly, with no HTTPS request to verify. Counts and rests play the hosted tracks
when BACKCOACH_AUDIO_BASE_URL names where they are (any HTTPS origin, e.g. S3 behind CloudFront)."""
from __future__ import annotations

import os
from pathlib import Path

from skill.alexa.skill import build_skill
from skill.config import ConfigError, Settings


def _skill():
    # /tmp is Lambda's only writable place
    settings = Settings.from_env(**({} if "BACKCOACH_DATA_DIR" in os.environ else {"data_dir": Path("/tmp/backcoach")}))
    if len(settings.skill_ids) != 1:
        raise ConfigError("BACKCOACH_SKILL_IDS: a Lambda function serves exactly one skill; give its ID")
    return build_skill(settings, skill_id=next(iter(settings.skill_ids)))  # refuses other skills' requests


_SKILL = _skill()


def handler(event: dict, context) -> dict:
    return _SKILL.invoke_json(event, platform=context)
