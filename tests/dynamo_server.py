"""A real DynamoDB-compatible server for the tests: dynalite (npm, installed by `make test`), run as
its own process on loopback. Never skipped: without it the tests fail and say how to install it."""
from __future__ import annotations

import socket
import subprocess
import time
import uuid
from pathlib import Path

import boto3

REPO = Path(__file__).resolve().parents[1]
DYNALITE = REPO / "tests" / "dynalite" / "node_modules" / "dynalite" / "cli.js"
REGION = "eu-west-1"
AWS_ENV = {"AWS_DEFAULT_REGION": REGION, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}

# The table as deploy/backcoach.yaml declares it (a test checks the two agree).
TABLE_SCHEMA = {
    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"},
                             {"AttributeName": "owner", "AttributeType": "S"}],
    "GlobalSecondaryIndexes": [{"IndexName": "owner", "KeySchema": [{"AttributeName": "owner", "KeyType": "HASH"}],
                                "Projection": {"ProjectionType": "KEYS_ONLY"}}],
    "BillingMode": "PAY_PER_REQUEST",
}


class DynamoServer:
    def __init__(self) -> None:
        if not DYNALITE.is_file():
            raise RuntimeError(f"{DYNALITE} is missing: run `make test` (it runs npm ci in tests/dynalite)")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            ["node", str(DYNALITE), "--host", "127.0.0.1", "--port", str(self.port),
             "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"dynalite exited: {self.proc.stderr.read().decode()[-500:]}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("dynalite did not start listening within 20 s")
                time.sleep(0.05)

    def client(self):
        return boto3.session.Session(region_name=REGION, aws_access_key_id="testing",
                                     aws_secret_access_key="testing").client("dynamodb", endpoint_url=self.endpoint)

    def new_table(self) -> str:
        name = f"backcoach-{uuid.uuid4().hex[:12]}"
        self.client().create_table(TableName=name, **TABLE_SCHEMA)
        return name

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
