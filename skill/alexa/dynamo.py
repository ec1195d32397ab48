"""DynamoDB persistence for the Lambda entry point (the `dynamodb` extra).

The official adapter stores attributes as a DynamoDB map, and boto3 refuses Python floats there (the
state holds epoch seconds) and returns numbers as Decimal. The state is plain JSON, so it is stored as
one JSON string instead. Importing this module imports boto3: import it only when DynamoDB is chosen.
"""
from __future__ import annotations

import json

import boto3
from ask_sdk_dynamodb.adapter import DynamoDbAdapter
from ask_sdk_model import RequestEnvelope

from skill.alexa.identity import owner_of


class JsonDynamoDbAdapter(DynamoDbAdapter):
    """Keyed like the SQLite store (the voice profile if recognised, else the account).

    Disabling the skill deletes the account's own record; records of voice profiles in that household
    stay until deleted by hand (the official adapter deletes by partition key only)."""

    def __init__(self, table_name: str) -> None:
        super().__init__(table_name=table_name, partition_keygen=lambda env: owner_of(env).key,
                         create_table=False, dynamodb_resource=boto3.resource("dynamodb"))

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict:
        stored = super().get_attributes(request_envelope)
        return json.loads(stored) if stored else {}

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: dict) -> None:
        super().save_attributes(request_envelope, json.dumps(attributes, separators=(",", ":")))
