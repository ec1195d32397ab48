"""Clients that hold connections without finishing a request, for fault tests and bench/serving.py.

    with SlowClients(port, header_tricklers=8, body_tricklers=8, idle=100) as attack:
        ...  # meanwhile, real clients talk to the server
    attack.cut   # connections the server closed (each slot reconnects, at most once per interval)

Header tricklers send a request line, then one header line per interval, never ending the headers.
Body tricklers send complete headers announcing a 4,000-byte body, then one byte per interval.
Idle connections connect and say nothing. Loopback only; everything stops when the block ends.
"""
from __future__ import annotations

import selectors
import socket
import threading
import time
from dataclasses import dataclass


@dataclass
class _Slot:
    kind: str  # "header", "body" or "idle"
    sock: socket.socket | None = None
    opened: float = 0.0
    sent: int = 0


class SlowClients:
    def __init__(self, port: int, *, header_tricklers: int = 8, body_tricklers: int = 8, idle: int = 100,
                 interval_s: float = 1.0, host: str = "127.0.0.1") -> None:
        self.address, self.interval_s = (host, port), interval_s
        self.slots = ([_Slot("header") for _ in range(header_tricklers)] + [_Slot("body") for _ in range(body_tricklers)]
                      + [_Slot("idle") for _ in range(idle)])
        self.opened = self.cut = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="slow-clients", daemon=True)

    def __enter__(self) -> SlowClients:
        for slot in self.slots:
            self._open(slot)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        for slot in self.slots:
            if slot.sock is not None:
                slot.sock.close()

    @property
    def connected(self) -> int:
        return sum(slot.sock is not None for slot in self.slots)

    def _open(self, slot: _Slot) -> None:
        try:
            slot.sock = socket.create_connection(self.address, timeout=2)
        except OSError:
            slot.sock = None  # the server is not accepting: try again next interval
            return
        slot.sock.setblocking(False)
        slot.opened, slot.sent = time.monotonic(), 0
        self.opened += 1
        if slot.kind == "body":
            self._send(slot, b"POST /alexa HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                             b"Content-Length: 4000\r\n\r\n")
        elif slot.kind == "header":
            self._send(slot, b"POST /alexa HTTP/1.1\r\n")

    def _send(self, slot: _Slot, data: bytes) -> None:
        try:
            slot.sock.send(data)
            slot.sent += 1
        except OSError:
            self._drop(slot)

    def _drop(self, slot: _Slot) -> None:
        slot.sock.close()
        slot.sock = None
        self.cut += 1

    def _run(self) -> None:
        with selectors.DefaultSelector() as watch:
            while not self._stop.wait(self.interval_s):
                for slot in self.slots:
                    if slot.sock is not None:
                        watch.register(slot.sock, selectors.EVENT_READ, slot)
                # Readable means the server answered or closed: either way this slot starts over.
                for key, _ in watch.select(timeout=0):
                    slot = key.data
                    watch.unregister(slot.sock)
                    self._drop(slot)
                for key in list(watch.get_map().values()):
                    watch.unregister(key.fileobj)
                for slot in self.slots:
                    if slot.sock is None:
                        self._open(slot)
                    elif slot.kind == "header":
                        self._send(slot, b"X-Slow-%d: 1\r\n" % slot.sent)
                    elif slot.kind == "body" and slot.sent < 4000:
                        self._send(slot, b" ")
