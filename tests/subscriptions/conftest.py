"""A real HTTP endpoint for rest-hook tests (a local server in a thread), and PAS fixtures."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from tests.fhir.conftest import (  # noqa: F401 - fixtures shared with the PAS tests
    bundle_for,
    example_member,
    org_provider,
    outsider_pas_client,
    pas_client,
)


class Endpoint:
    def __init__(self):
        self.received: list[dict] = []
        self.headers: list[dict] = []
        self.status = 200
        self.server = HTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}/notify"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def _handler(self):
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server API
                length = int(self.headers.get("Content-Length", 0))
                endpoint.received.append(json.loads(self.rfile.read(length)))
                endpoint.headers.append(dict(self.headers))
                self.send_response(endpoint.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        return Handler

    def kinds(self) -> list[str]:
        return [notification_type(body) for body in self.received]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def notification_type(bundle: dict) -> str:
    parameters = bundle["entry"][0]["resource"]["parameter"]
    return next(p["valueCode"] for p in parameters if p["name"] == "type")


@pytest.fixture
def endpoint(settings):
    settings.SUBSCRIPTION_ALLOW_HTTP = True  # the test server is plain http on loopback
    server = Endpoint()
    yield server
    server.close()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
