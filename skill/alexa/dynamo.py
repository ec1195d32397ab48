"""DynamoDB adapter of the store port (the `dynamodb` extra; Lambda's Python runtime includes boto3).

Written on boto3 directly rather than on ask-sdk-dynamodb-persistence-adapter: that adapter does plain
puts (two devices of one person: both acknowledged, one set lost) and deletes by key only (disabling the
skill left other voice profiles' records). Here a save is a put conditional on the revision loaded, and
the account's records are found through the `owner` index. Importing this module imports boto3.

Item: id (the person, partition key), owner (the account: the `owner` index), attributes (JSON, as
the official adapter named it, so its records still load), rev, updated.
"""
from __future__ import annotations

import time
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from skill.alexa.identity import Owner
from skill.alexa.store import StaleStateError, decode, encode

OWNER_INDEX = "owner"
# A turn must answer within Alexa's 8 s: fail fast rather than retry a dead endpoint for long.
_CONFIG = Config(connect_timeout=2, read_timeout=3, retries={"max_attempts": 3, "mode": "standard"})


class StoreUnavailable(RuntimeError):
    """The table cannot be used (wrong region, endpoint, table or credentials); the message says which."""


class DynamoStore:
    def __init__(self, table: str, endpoint_url: str | None = None, client: Any = None) -> None:
        self.table = table
        try:
            # A client, not a resource: clients are thread-safe, so gunicorn's threads share one.
            self.client = client or boto3.session.Session().client("dynamodb", endpoint_url=endpoint_url,
                                                                   config=_CONFIG)
        except BotoCoreError as exc:  # NoRegionError above all
            raise StoreUnavailable(f"DynamoDB: {exc} (set AWS_REGION)") from None

    def load(self, owner: Owner) -> tuple[dict[str, Any] | None, int]:
        # Strongly consistent: a replayed turn must see the save that beat it, on any server.
        item = self.client.get_item(TableName=self.table, Key={"id": {"S": owner.key}},
                                    ConsistentRead=True).get("Item")
        if item is None:
            return None, 0
        return decode(item["attributes"]["S"]), int(item["rev"]["N"]) if "rev" in item else 0

    def save(self, owner: Owner, state: dict[str, Any], revision: int) -> int:
        item = {"id": {"S": owner.key}, "owner": {"S": owner.user}, "attributes": {"S": encode(state)},
                "rev": {"N": str(revision + 1)}, "updated": {"N": repr(time.time())}}
        if revision == 0:  # nothing loaded: no record yet, or one the official adapter wrote (no rev)
            condition, values = "attribute_not_exists(rev)", {}
        else:  # a record deleted meanwhile (skill disabled) stays deleted
            condition, values = "rev = :loaded", {":loaded": {"N": str(revision)}}
        try:
            self.client.put_item(TableName=self.table, Item=item, ConditionExpression=condition,
                                 **({"ExpressionAttributeValues": values} if values else {}))
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise StaleStateError(owner.key) from None
            raise
        return revision + 1

    def delete_account(self, owner: Owner) -> None:
        keys = {owner.user}  # the account's own record, even if the index has not caught up yet
        pages = self.client.get_paginator("query").paginate(
            TableName=self.table, IndexName=OWNER_INDEX, KeyConditionExpression="#o = :user",
            ExpressionAttributeNames={"#o": "owner"},  # OWNER is a DynamoDB reserved word
            ExpressionAttributeValues={":user": {"S": owner.user}})
        for page in pages:
            keys.update(item["id"]["S"] for item in page["Items"])
        for key in sorted(keys):
            self.client.delete_item(TableName=self.table, Key={"id": {"S": key}})

    def ping(self) -> None:
        try:
            self.client.get_item(TableName=self.table, Key={"id": {"S": "-ping-"}})
        except (BotoCoreError, ClientError) as exc:
            raise StoreUnavailable(f"DynamoDB table {self.table!r}: {exc}") from None
