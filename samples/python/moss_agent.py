#!/usr/bin/env python3
"""A Python agent talking to a MossGrains silo over HTTP, with nothing but the standard library.

It keeps a per-call session (add docs, query), builds a shared index through a mutation job, waits for the job,
loads the index and queries it. Usage:

    python3 samples/python/moss_agent.py --url http://127.0.0.1:8080 --project default [--key KEY]

The key may also come from MOSS_KEY. Exit status 0 when every step answered as expected.
"""
import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request
import uuid


class Moss:
    def __init__(self, url, project, key):
        self.base = f"{url.rstrip('/')}/v1/projects/{project}"
        self.key = key

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if self.key:
            request.add_header("Authorization", f"Bearer {self.key}")
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                text = response.read().decode("utf-8")
                return json.loads(text) if text else None
        except urllib.error.HTTPError as error:
            problem = error.read().decode("utf-8")
            raise SystemExit(f"{method} {path} answered {error.code}: {problem}")

    def wait_for_job(self, job_id, timeout=300):
        deadline = time.monotonic() + timeout
        while True:
            status = self.call("GET", f"/jobs/{job_id}")
            if status["status"] in ("completed", "failed"):
                return status
            if time.monotonic() > deadline:
                raise SystemExit(f"job {job_id} still {status['status']} after {timeout} s")
            time.sleep(0.2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--project", default="default")
    parser.add_argument("--key", default=os.environ.get("MOSS_KEY"))
    args = parser.parse_args()
    moss = Moss(args.url, args.project, args.key)
    suffix = uuid.uuid4().hex[:8]

    session = f"call-{suffix}"
    moss.call("PUT", f"/sessions/{session}", {"durability": "ephemeral"})
    added = moss.call("POST", f"/sessions/{session}/docs", {"docs": [
        {"id": "turn-1", "text": "The caller wants to return a pair of running shoes.", "metadata": {"speaker": "caller"}},
        {"id": "turn-2", "text": "The agent explained refunds take five business days.", "metadata": {"speaker": "agent"}},
    ]})
    hits = moss.call("POST", f"/sessions/{session}/query", {
        "query": "how long do refunds take", "top_k": 1, "alpha": 0.5,
        "filter": {"field": "speaker", "condition": {"$eq": "agent"}}})
    print(f"session {session}: added {added['added']}, best match {hits['docs'][0]['id']}")
    assert hits["docs"][0]["id"] == "turn-2", hits

    index = f"faq-{suffix}"
    job = moss.call("POST", f"/indexes/{index}/jobs/add", {"docs": [
        {"id": f"faq-{i}", "text": text} for i, text in enumerate([
            "Refunds are issued within five business days of receiving the return.",
            "Shipping is free on orders over fifty dollars.",
            "Returns are accepted within thirty days of delivery.",
        ])]})
    status = moss.wait_for_job(job["job_id"])
    print(f"job {job['job_id']}: {status['status']}, {status.get('doc_count')} docs in version {status.get('sequence')}")
    assert status["status"] == "completed", status

    info = moss.call("POST", f"/indexes/{index}/load", {"auto_refresh": True, "polling_interval": 60})
    answer = moss.call("POST", f"/indexes/{index}/query", {"query": "when will I get my money back", "top_k": 1})
    print(f"index {index}: {info['doc_count']} docs, best match {answer['docs'][0]['id']}")
    assert answer["docs"][0]["id"] == "faq-0", answer
    print("python agent: ok")


if __name__ == "__main__":
    sys.exit(main())
