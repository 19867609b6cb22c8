#!/usr/bin/env python3
"""Test support for `capstan experiments results`: waits for a moto S3 server at ENDPOINT, creates an
IAM user with an access key allowed s3:*, a bucket and the objects named in OBJECTS.json
({"key": "text", ...}), then turns moto's authentication on (every later request must carry a valid
Signature V4 for that key) and prints {"access_key": ..., "secret_key": ...}.
Usage: s3-seed.py ENDPOINT BUCKET OBJECTS.json"""
import json
import sys
import time
import urllib.request

import boto3

endpoint, bucket, objects_file = sys.argv[1:4]
for _ in range(200):
    try:
        urllib.request.urlopen(endpoint + "/moto-api/", timeout=1)
        break
    except Exception:
        time.sleep(0.1)
else:
    sys.exit(f"moto server at {endpoint} did not come up")

common = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="seed", aws_secret_access_key="seed")
iam = boto3.client("iam", **common)
iam.create_user(UserName="capstan")
policy = iam.create_policy(PolicyName="s3-all", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
iam.attach_user_policy(UserName="capstan", PolicyArn=policy["Policy"]["Arn"])
key = iam.create_access_key(UserName="capstan")["AccessKey"]
s3 = boto3.client("s3", **common)
s3.create_bucket(Bucket=bucket)
with open(objects_file, encoding="utf-8") as f:
    for name, text in json.load(f).items():
        s3.put_object(Bucket=bucket, Key=name, Body=text.encode("utf-8"))
# As text/plain: a form body would be parsed away before moto reads it.
urllib.request.urlopen(urllib.request.Request(
    endpoint + "/moto-api/reset-auth", data=b"0", method="POST", headers={"Content-Type": "text/plain"}))
print(json.dumps({"access_key": key["AccessKeyId"], "secret_key": key["SecretAccessKey"]}))
