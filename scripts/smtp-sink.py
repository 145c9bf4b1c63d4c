#!/usr/bin/env python3
"""A real SMTP server for Lianban's tests (aiosmtpd): accepts every message and appends it, decoded,
as one JSON line to --out: envelope sender and recipients, Message-ID, subject, plain text, HTML.

    smtp-sink.py --port 2525 --out /tmp/mail.jsonl
    smtp-sink.py --port 2525 --out /tmp/mail.jsonl --tls-cert c.pem --tls-key k.pem --auth user:pass

With --tls-cert/--tls-key it requires STARTTLS (with --implicit-tls, TLS from the first byte);
with --auth it requires that login (over TLS).
Each record says whether the message came over TLS and from an authenticated client.

Prints "ready" once listening; runs until killed.
"""
import argparse
import email
import json
import signal
import ssl
import threading
from email import policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        record = {
            "mailFrom": envelope.mail_from,
            "rcptTos": envelope.rcpt_tos,
            "messageId": message["Message-ID"],
            "subject": str(message["Subject"]),
            "text": text.get_content() if text else "",
            "html": html.get_content() if html else "",
            "tls": session.ssl is not None or server.transport.get_extra_info("sslcontext") is not None,
            "authenticated": bool(session.authenticated),
        }
        with self.lock, open(self.path, "a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return "250 OK"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--implicit-tls", action="store_true")
    parser.add_argument("--auth", help="USER:PASSWORD the client must log in with")
    args = parser.parse_args()
    options = {}
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        if args.implicit_tls:
            options.update(ssl_context=context)
        else:
            options.update(tls_context=context, require_starttls=True)
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and (
                auth_data.login.decode() == user and auth_data.password.decode() == password
            )
            return AuthResult(success=ok, handled=False)

        # aiosmtpd only sees STARTTLS as TLS; on an implicit-TLS port every byte is encrypted.
        options.update(
            authenticator=authenticator,
            auth_required=True,
            auth_require_tls=not args.implicit_tls,
        )
    controller = Controller(Sink(args.out), hostname=args.host, port=args.port, **options)
    controller.start()
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
