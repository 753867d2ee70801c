#!/usr/bin/env python3
"""Writes N distinct, correctly signed Greenhouse webhook deliveries for bench/ats.

Usage: gen_webhooks.py SECRET COUNT OUT_FILE
Each line: <Greenhouse-Event-ID> TAB <Signature header value> TAB <raw body>. Bodies are
candidate_stage_change deliveries in the v1 webhook shape (ats.md section 1.6), serialized the Rails way
(< > & escaped as \\u003c \\u003e \\u0026), so the server verifies exactly the bytes it receives.
"""
import hashlib
import hmac
import json
import sys
import uuid


def rails(text: str) -> str:
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def main() -> None:
    secret, count, out = sys.argv[1].encode(), int(sys.argv[2]), sys.argv[3]
    with open(out, "w", encoding="ascii") as f:
        for i in range(count):
            body = {
                "action": "candidate_stage_change",
                "payload": {
                    "application": {
                        "id": 9_000_000 + i,
                        "status": "active",
                        "last_activity_at": "2026-11-26T12:00:00Z",
                        "current_stage": {"id": 4000 + i % 5, "name": "Take <Home> & Test"},
                        "candidate": {"id": 8_000_000 + i},
                        "jobs": [{"id": 100 + i % 3, "name": "Engineer"}],
                    }
                },
            }
            raw = rails(json.dumps(body, separators=(",", ":")))
            sig = hmac.new(secret, raw.encode(), hashlib.sha256).hexdigest()
            f.write(f"{uuid.uuid4()}\tsha256 {sig}\t{raw}\n")


if __name__ == "__main__":
    main()
