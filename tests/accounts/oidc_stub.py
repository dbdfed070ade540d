"""A local OpenID Connect provider standing in for ID-porten in tests: real HTTP on
127.0.0.1, a generated RSA key, PKCE checked at the token endpoint. No network."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


class OidcStub:
    def __init__(self, client_id: str) -> None:
        self.client_id = client_id
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "stub-key-1"
        self.codes: dict[str, dict[str, Any]] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> OidcStub:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def jwks(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": self.kid, "use": "sig", "alg": "RS256"}]}

    def authorize(
        self,
        query: dict[str, str],
        *,
        pid: str,
        acr: str = "idporten-loa-high",
        nonce: str | None = None,
        expires_in: int = 120,
    ) -> str:
        """What the user's sign-in at ID-porten produces: a code bound to the request."""
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "challenge": query["code_challenge"],
            "redirect_uri": query["redirect_uri"],
            "claims": {
                "iss": self.issuer,
                "aud": self.client_id,
                "sub": f"sub-{pid}",
                "pid": pid,
                "acr": acr,
                "nonce": nonce or query["nonce"],
                "iat": int(time.time()),
                "exp": int(time.time()) + expires_in,
            },
        }
        return code

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _json(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.path == "/.well-known/openid-configuration":
                    self._json(
                        200,
                        {
                            "issuer": stub.issuer,
                            "authorization_endpoint": f"{stub.issuer}/authorize",
                            "token_endpoint": f"{stub.issuer}/token",
                            "jwks_uri": f"{stub.issuer}/jwks",
                        },
                    )
                elif self.path == "/jwks":
                    self._json(200, stub.jwks())
                else:
                    self._json(404, {})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                grant = stub.codes.pop(form.get("code", ""), None)
                verifier = form.get("code_verifier", "")
                challenge = (
                    base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
                    .rstrip(b"=")
                    .decode()
                )
                if (
                    grant is None
                    or challenge != grant["challenge"]
                    or form.get("redirect_uri") != grant["redirect_uri"]
                    or form.get("client_id") != stub.client_id
                ):
                    self._json(400, {"error": "invalid_grant"})
                    return
                token = jwt.encode(
                    grant["claims"], stub.key, algorithm="RS256", headers={"kid": stub.kid}
                )
                self._json(200, {"id_token": token, "access_token": "x", "token_type": "Bearer"})

        return Handler
