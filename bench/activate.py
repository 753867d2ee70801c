#!/usr/bin/env python3
"""GET /api/v1/orgs/<id> once for every id in a file, over N keep-alive connections, so that every
organization has an active actor. Exact (each id once), unlike a duration-driven load tool.
usage: activate.py PORT TOKEN IDS_FILE [CONNECTIONS]"""
import http.client
import sys
import threading

port, token, path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
conns = int(sys.argv[4]) if len(sys.argv) > 4 else 8
ids = [line.strip() for line in open(path) if line.strip()]
failures = []


def run(part):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for i in part:
        c.request("GET", "/api/v1/orgs/" + i, headers={"Authorization": "Bearer " + token})
        r = c.getresponse()
        r.read()
        if r.status != 200:
            failures.append((i, r.status))


threads = [threading.Thread(target=run, args=(ids[k::conns],)) for k in range(conns)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(f"requested {len(ids)} organizations, {len(failures)} failed")
sys.exit(1 if failures else 0)
