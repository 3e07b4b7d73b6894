#!/usr/bin/env python3
"""A real SMTP server for the mail tests (aiosmtpd, from PyPI; scripts/install.sh --test).

    server.py FOLDER [--port N] [--refuse N] [--drop N]

Listens on 127.0.0.1 (port 0 or none: a free one), requires AUTH PLAIN or LOGIN with
SMTP_USER / SMTP_PASSWORD from the environment, and stores each accepted message as
FOLDER/<n>.eml (the bytes as received) with FOLDER/<n>.json beside it (the envelope: sender,
recipients, the login that sent it). Prints "ready <port>" once it accepts connections.

--refuse N answers the first N messages' DATA with "451 4.3.0 try again later";
--drop N closes the connection abruptly, without an answer, at the first N messages' DATA.
Both count delivery attempts, so the outbox's retry is what gets a message through.

AUTH is allowed without TLS (auth_require_tls=False): the server listens on loopback only, and
lettre sends credentials over a plain connection when the URL asks for none (smtp://, no tls=).
"""

import argparse
import json
import os
import socket
import sys
import threading
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Authenticator:
    def __init__(self, user, password):
        self.user = user.encode()
        self.password = password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = (
            mechanism in ("PLAIN", "LOGIN")
            and isinstance(auth_data, LoginPassword)
            and auth_data.login == self.user
            and auth_data.password == self.password
        )
        login = auth_data.login if isinstance(auth_data, LoginPassword) else None
        return AuthResult(success=ok, handled=False, auth_data=login)


class Store:
    def __init__(self, folder, refuse, drop):
        self.folder = folder
        self.refuse = refuse
        self.drop = drop
        self.attempts = 0
        self.stored = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.attempts += 1
            attempt = self.attempts
        if attempt <= self.drop:
            # Gone mid-transaction, as a crashed or cut-off server is: no reply at all.
            server.transport.abort()
            return "421 4.3.0 closing"
        if attempt <= self.drop + self.refuse:
            return "451 4.3.0 try again later"
        with self.lock:
            self.stored += 1
            n = self.stored
        auth = session.auth_data
        sidecar = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "login": auth.decode() if isinstance(auth, bytes) else None,
            "authenticated": session.authenticated,
        }
        # Written under a temporary name and renamed, so a reader never sees half a message.
        for ext, data in (
            ("json", json.dumps(sidecar).encode()),
            ("eml", envelope.original_content),
        ):
            temp = os.path.join(self.folder, f".{n}.{ext}.tmp")
            with open(temp, "wb") as f:
                f.write(data)
            os.replace(temp, os.path.join(self.folder, f"{n}.{ext}"))
        return "250 2.0.0 stored"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--port", type=int, default=int(os.environ.get("SMTP_PORT", "0")))
    parser.add_argument("--refuse", type=int, default=0)
    parser.add_argument("--drop", type=int, default=0)
    args = parser.parse_args()
    user = os.environ.get("SMTP_USER", "hub")
    password = os.environ.get("SMTP_PASSWORD", "")
    if not password:
        sys.exit("SMTP_PASSWORD must be set")
    os.makedirs(args.folder, exist_ok=True)
    # The warning about AUTH without TLS is the documented choice above, not news.
    warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
    port = args.port or free_port()
    controller = Controller(
        Store(args.folder, args.refuse, args.drop),
        hostname="127.0.0.1",
        port=port,
        server_hostname="smtp.test",
        authenticator=Authenticator(user, password),
        auth_required=True,
        auth_require_tls=False,
    )
    controller.start()
    print(f"ready {port}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
