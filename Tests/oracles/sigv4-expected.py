#!/usr/bin/env python3
"""Signs S3 GET requests with botocore's own Signature V4 signer (S3SigV4Auth) at a fixed time and
writes the headers it adds to Tests/Fixtures/experiments/sigv4-expected.json,
for S3SignerTests. Run with the venv of .ci/setup: .build/venv/bin/python Tests/oracles/sigv4-expected.py"""
import datetime
import json
import os
from unittest import mock

import botocore.auth
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

NOW = datetime.datetime(2026, 11, 22, 19, 45, 7)
CASES = [
    # endpoint, path (unencoded), query pairs, region, access key, secret key
    ("http://127.0.0.1:9000", "/artifacts", [("list-type", "2"), ("prefix", "mnist/baseline/")], "us-east-1",
     "capstan", "s3cr3t/with+chars"),
    ("http://127.0.0.1:9000", "/artifacts", [("list-type", "2"), ("prefix", "a b/ü&x="),
                                             ("continuation-token", "1/2+3==")], "us-east-1", "AKIDEXAMPLE",
     "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
    ("http://minio.example:9000", "/artifacts/mnist/seed-1/metrics (final).json", [], "eu-west-3", "k", "s"),
    ("http://localhost", "/b/dir/~tilde-_.x", [], "us-east-1", "k", "s"),
]

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "Fixtures", "experiments", "sigv4-expected.json")
results = []
for endpoint, path, query, region, access, secret in CASES:
    from urllib.parse import quote
    q = "&".join(f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in query)
    url = endpoint + quote(path, safe="/-_.~") + ("?" + q if q else "")
    request = AWSRequest(method="GET", url=url, headers={})
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=NOW):
        S3SigV4Auth(Credentials(access, secret), "s3", region).add_auth(request)
    results.append({
        "endpoint": endpoint, "path": path, "query": [list(p) for p in query], "region": region,
        "access_key": access, "secret_key": secret, "date": NOW.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "headers": {k: request.headers[k] for k in ("Authorization", "X-Amz-Date", "X-Amz-Content-SHA256")},
    })
with open(out, "w", encoding="utf-8") as f:
    json.dump(results, f, indent=2, ensure_ascii=False)
    f.write("\n")
print(f"wrote {len(results)} cases to {os.path.relpath(out)}")
