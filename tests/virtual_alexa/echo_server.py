"""A stand-in skill endpoint for check.js: answers every Alexa request with a canned response that
names the request it got, and logs each request's intent. It proves the model loads in virtual-alexa
and that utterances reach a web endpoint as the right intents, without the real skill running.

    python tests/virtual_alexa/echo_server.py [PORT]    # default 8765, loopback only
"""
from __future__ import annotations

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class EchoSkill(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        request = body.get("request", {})
        name = request.get("intent", {}).get("name", request.get("type", "unknown"))
        print(f"received {name}", flush=True)
        answer = {"version": "1.0", "response": {
            "outputSpeech": {"type": "PlainText", "text": f"received {name}"},
            "shouldEndSession": False}}
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:  # the intent line above is enough
        pass


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8765
    ThreadingHTTPServer(("127.0.0.1", port), EchoSkill).serve_forever()
