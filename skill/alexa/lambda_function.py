"""AWS Lambda entry point: the same skill, stored in DynamoDB (BACKCOACH_STORE=dynamodb) or in
SQLite under /tmp (a single warm container only; fine for trying it out).

Handler: skill.alexa.lambda_function.handler. The Lambda trigger's skill-ID check replaces the web
service's request verification (Alexa invokes Lambda directly, no HTTPS to verify)."""
from __future__ import annotations

import os
from pathlib import Path

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter

from skill.alexa.skill import skill_builder
from skill.alexa.store import SQLiteStore
from skill.coach.catalog import load_catalog
from skill.coach.machine import Coach
from skill.config import ConfigError, Settings
from skill.voice.ssml import SsmlBudget


def _store(settings: Settings) -> AbstractPersistenceAdapter:
    if settings.store != "dynamodb":
        return SQLiteStore(settings.data_dir)
    # Imported only when selected: the official adapter builds a boto3 resource at import, which
    # raises NoRegionError when no AWS region is configured; that must not break the SQLite default.
    from skill.alexa.dynamo import JsonDynamoDbAdapter

    return JsonDynamoDbAdapter(settings.dynamodb_table)


def _handler():
    # /tmp is Lambda's only writable place
    settings = Settings.from_env(**({} if "BACKCOACH_DATA_DIR" in os.environ else {"data_dir": Path("/tmp/backcoach")}))
    if len(settings.skill_ids) != 1:
        raise ConfigError("BACKCOACH_SKILL_IDS: a Lambda function serves exactly one skill; give its ID")
    builder = skill_builder(Coach(load_catalog(), SsmlBudget()), _store(settings))
    builder.skill_id = next(iter(settings.skill_ids))  # the SDK refuses other skills' requests
    return builder.lambda_handler()


handler = _handler()
