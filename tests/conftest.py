"""Shared fixtures. Every test runs with no network: any socket to a non-loopback address fails."""
from __future__ import annotations

import ipaddress
import socket

import pytest

_real_connect = socket.socket.connect


def _guarded_connect(self, address):
    host = address[0] if isinstance(address, tuple) else None
    if host is not None:
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost"
        if not loopback:
            raise RuntimeError(f"test tried to reach the network: {address!r}")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    yield


@pytest.fixture(scope="session")
def dynamodb_server():
    """dynalite on loopback, for the whole test session."""
    from tests.dynamo_server import DynamoServer

    server = DynamoServer()
    yield server
    server.stop()


@pytest.fixture
def dynamodb_table(dynamodb_server, monkeypatch):
    """A fresh table on the real local server, and AWS settings pointing boto3 at it: (endpoint, table)."""
    from tests.dynamo_server import AWS_ENV

    for name, value in AWS_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    return dynamodb_server.endpoint, dynamodb_server.new_table()
