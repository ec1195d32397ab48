"""DynamoDB adapter of the store port (the `dynamodb` extra; Lambda's Python runtime includes boto3).

Written on boto3 directly rather than on ask-sdk-dynamodb-persistence-adapter: that adapter does plain
puts (two devices of one person: both acknowledged, one set lost) and deletes by key only (disabling the
skill left other voice profiles' records). Here a save is a put conditional on the revision loaded, and
the account's records are found through the `owner` index. Importing this module imports boto3.

Item: id (the person, partition key), owner (the account: the `owner` index), attributes (JSON, as
the official adapter named it, so its records still load), rev, updated. One more item, id
`health-check` (no owner, so never in the index), is rewritten by each health check.
"""
from __future__ import annotations

import time
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from botocore.exceptions import ConnectionError as BotoConnectionError

from skill.alexa.deadline import Deadline, DeadlineExceeded, or_default
from skill.alexa.identity import Owner
from skill.alexa.store import Record, StaleStateError, StoreFailed, decode, encode

OWNER_INDEX = "owner"
HEALTH_ID = "health-check"  # people's ids start "person:" or "user:"
# A call is bounded by the client's timeouts (connecting, then each read) and started only while that
# much of the turn's budget is left, so none outlasts the deadline. botocore's own retries are off
# (they cannot see a deadline): a transient failure is tried again here, while there is time.
CALL_LIMIT_S = 1.5
_CONFIG = Config(connect_timeout=0.5, read_timeout=1.0, retries={"total_max_attempts": 1})
RETRY_PAUSE_S = 0.05
_THROTTLED = {"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"}


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

    def _call(self, operation: str, deadline: Deadline | None, doing: str, **params: Any) -> dict[str, Any]:
        """One request, tried again after a timeout, a lost connection or throttling while a whole call
        still fits before the deadline. A put that landed before its answer was lost fails its condition
        when tried again: the turn is replayed, finds itself applied, and answers as it did."""
        deadline, failure = or_default(deadline), None
        while True:
            if deadline.remaining() < CALL_LIMIT_S:
                raise DeadlineExceeded(f"the time budget ran out before DynamoDB could {doing}"
                                       + (f" (last try: {failure})" if failure else ""))
            try:
                return getattr(self.client, operation)(TableName=self.table, **params)
            except ClientError as exc:
                if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                    raise
                if not _transient(exc):
                    raise StoreFailed(f"DynamoDB table {self.table!r}: could not {doing}: {exc}") from None
                failure = exc
            except BotoConnectionError as exc:  # connect and read timeouts, an endpoint not answering
                failure = exc
            except BotoCoreError as exc:
                raise StoreFailed(f"DynamoDB table {self.table!r}: could not {doing}: {exc}") from None
            time.sleep(RETRY_PAUSE_S)

    def load(self, owner: Owner, deadline: Deadline | None = None) -> Record:
        # Strongly consistent: a replayed turn must see the save that beat it, on any server.
        item = self._call("get_item", deadline, "load progress", Key={"id": {"S": owner.key}},
                          ConsistentRead=True).get("Item")
        if item is None:
            return Record(None, 0)
        state, applied = decode(item["attributes"]["S"])
        return Record(state, int(item["rev"]["N"]) if "rev" in item else 0, applied)

    def save(self, owner: Owner, state: dict[str, Any], revision: int, applied: dict[str, Any] | None = None,
             deadline: Deadline | None = None) -> int:
        item = {"id": {"S": owner.key}, "owner": {"S": owner.user}, "attributes": {"S": encode(state, applied)},
                "rev": {"N": str(revision + 1)}, "updated": {"N": repr(time.time())}}
        if revision == 0:  # nothing loaded: no record yet, or one the official adapter wrote (no rev)
            condition, values = "attribute_not_exists(rev)", {}
        else:  # a record deleted meanwhile (skill disabled) stays deleted
            condition, values = "rev = :loaded", {":loaded": {"N": str(revision)}}
        try:
            self._call("put_item", deadline, "save progress", Item=item, ConditionExpression=condition,
                       **({"ExpressionAttributeValues": values} if values else {}))
        except ClientError:  # only a failed condition comes through
            raise StaleStateError(owner.key) from None
        return revision + 1

    def delete_account(self, owner: Owner, deadline: Deadline | None = None) -> None:
        deadline = or_default(deadline)
        keys = {owner.user}  # the account's own record, even if the index has not caught up yet
        page: dict[str, Any] = {}
        while True:
            page = self._call("query", deadline, "find the account's records", IndexName=OWNER_INDEX,
                              KeyConditionExpression="#o = :user",
                              ExpressionAttributeNames={"#o": "owner"},  # OWNER is a DynamoDB reserved word
                              ExpressionAttributeValues={":user": {"S": owner.user}},
                              **({"ExclusiveStartKey": page["LastEvaluatedKey"]} if "LastEvaluatedKey" in page else {}))
            keys.update(item["id"]["S"] for item in page["Items"])
            if "LastEvaluatedKey" not in page:
                break
        for key in sorted(keys):
            self._call("delete_item", deadline, "delete a record", Key={"id": {"S": key}})

    def ping(self, deadline: Deadline | None = None) -> None:
        """A conditional write of the health-check item, as a save is made (the same permission and
        path); the condition keeps it off any person's record."""
        try:
            self._call("put_item", deadline, "write the health-check item",
                       Item={"id": {"S": HEALTH_ID}, "checked": {"N": repr(time.time())}},
                       ConditionExpression="attribute_not_exists(#o)", ExpressionAttributeNames={"#o": "owner"})
        except ClientError as exc:
            raise StoreFailed(f"DynamoDB table {self.table!r}: {exc}") from None


def _transient(exc: ClientError) -> bool:
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    return status >= 500 or exc.response["Error"]["Code"] in _THROTTLED
