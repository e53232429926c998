"""A tiny OpenID Connect provider on 127.0.0.1 for the SSO tests: discovery, JWKS, token and
userinfo, signing ID tokens with an RSA key made when it starts. No outside network."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

CLIENT_ID = "um-portal"
CLIENT_SECRET = "client-secret-for-tests"
KID = "test-key-1"


class TinyOidcProvider:
    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.signing_key = self.key  # a test may sign with a key the JWKS does not publish
        self.codes: dict[str, dict] = {}  # code -> {"claims": ..., "nonce": ...}
        self.token_requests: list[dict] = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, body, status=200):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path == "/.well-known/openid-configuration":
                    return self._json(provider.discovery())
                if self.path == "/jwks":
                    jwk = json.loads(RSAAlgorithm.to_jwk(provider.key.public_key()))
                    return self._json({"keys": [{**jwk, "kid": KID, "alg": "RS256", "use": "sig"}]})
                if self.path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    for grant in provider.codes.values():
                        if grant.get("access_token") == token:
                            return self._json(grant["userinfo"])
                    return self._json({"error": "invalid_token"}, 401)
                return self._json({"error": "not_found"}, 404)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                provider.token_requests.append(form)
                grant = provider.codes.get(form.get("code", ""))
                if (
                    self.path != "/token"
                    or grant is None
                    or form.get("client_secret") != CLIENT_SECRET
                    or not form.get("code_verifier")
                ):
                    return self._json({"error": "invalid_grant"}, 400)
                now = int(time.time())
                id_token = jwt.encode(
                    {
                        "iss": provider.url,
                        "aud": CLIENT_ID,
                        "sub": grant["claims"]["sub"],
                        "nonce": grant["nonce"],
                        "iat": now,
                        "exp": now + 300,
                    },
                    provider.signing_key,
                    algorithm="RS256",
                    headers={"kid": KID},
                )
                grant["access_token"] = f"access-{form['code']}"
                return self._json(
                    {
                        "access_token": grant["access_token"],
                        "token_type": "Bearer",
                        "id_token": id_token,
                        "expires_in": 300,
                    }
                )

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def discovery(self) -> dict:
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "jwks_uri": f"{self.url}/jwks",
        }

    def grant(self, code: str, *, nonce: str, userinfo: dict) -> None:
        """What the IdP remembers after the user signed in at its authorize page."""
        self.codes[code] = {
            "claims": {"sub": userinfo["sub"]},
            "nonce": nonce,
            "userinfo": userinfo,
        }

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
