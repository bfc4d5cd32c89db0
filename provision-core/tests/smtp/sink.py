"""An SMTP server for the delivery tests: aiosmtpd on loopback, each message it
accepts decoded (headers and the plain-text body, whatever transfer encoding the
client chose, line ends as "\n") and appended as one JSON line to a file.

    python sink.py PORT OUT_FILE [starttls|tls CERT_PEM KEY_PEM]

With `starttls` the server requires STARTTLS before MAIL; with `tls` it speaks TLS
from the first byte. Prints "ready" once it listens; runs until its standard input
closes or it is killed.
"""

import email
import json
import ssl
import sys
from email import policy

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, out):
        self.out = out

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=policy.default)
        body = message.get_body(preferencelist=("plain",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": str(message["From"]),
            "to": str(message["To"]),
            "reply_to": str(message.get("Reply-To", "")),
            "subject": str(message["Subject"]),
            "content_language": str(message.get("Content-Language", "")),
            "charset": body.get_content_charset() if body else None,
            # Lines end in CRLF on the wire (RFC 5322); the tests compare with "\n".
            "body": body.get_content().replace("\r\n", "\n") if body else None,
        }
        with open(self.out, "a", encoding="utf-8") as f:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
        return "250 Message accepted"


def main():
    port, out = int(sys.argv[1]), sys.argv[2]
    options = {}
    if len(sys.argv) == 6:
        mode, cert, key = sys.argv[3:6]
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        if mode == "starttls":
            options = {"tls_context": context, "require_starttls": True}
        elif mode == "tls":
            options = {"ssl_context": context, "server_hostname": "localhost"}
        else:
            sys.exit(f"unknown mode {mode!r}")
    controller = Controller(Sink(out), hostname="127.0.0.1", port=port, **options)
    controller.start()
    print("ready", flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
