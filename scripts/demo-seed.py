#!/usr/bin/env python3
"""Fills the demo thread through the public API: a site and a film review's nested comments, with votes.

    ASPNETCORE_ENVIRONMENT=Development scripts/run-local.sh      # serves /demo in Development only
    COMMENTS_ADMIN_KEY=... python3 scripts/demo-seed.py          # then open http://127.0.0.1:5080/demo

Creates the site with the operator key (allowed origins: the service itself, https://films.example and
any --origin), then posts the comments as readers would. Does nothing to a thread that already has
comments, so it is safe to run twice. The browser tests seed their host page with it too.
"""
import argparse
import json
import os
import secrets
import sys
import urllib.error
import urllib.parse
import urllib.request

# (key, parent key, author, author URL, body, upvotes)
THREAD = [
    ("maya", None, "Maya", "https://maya.example", "The scene where Theodore walks through the crowd and everyone is talking to a device "
     "felt less like science fiction every year since. Quietly devastating.", 4),
    ("jonas", "maya", "Jonas", None, "What got me is that nobody in that crowd looks unhappy. That's the unsettling part.", 2),
    ("maya2", "jonas", "Maya", "https://maya.example", "Right, and the film never tells you what to think about it. It lets you sit with it.", 1),
    ("simone", "maya", "S1mone", None, "Saw it again last week. The *letter-writing* scenes hold up even better than I remembered.", 1),
    ("priya", None, "Priya", None, "Honestly I found the premise a bit silly at first, but Phoenix sells every second of it.", 2),
    ("tom", "priya", "Tom", None, "It's a stupid premise on paper and a great film on screen. Both can be true.", 3),
    ("dan", None, "Dan", None, "Wow!!! That score by Arcade Fire and Owen Pallett. Still on repeat.", 1),
]


def request(method, url, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode()
    headers = {**({} if body is None else {"Content-Type": "application/json"}), **(headers or {})}
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            text = response.read()
            return response.status, json.loads(text) if text else None
    except urllib.error.HTTPError as error:
        text = error.read()
        return error.code, json.loads(text) if text else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default=os.environ.get("COMMENTS_API", "http://127.0.0.1:5080"))
    parser.add_argument("--admin-key", default=os.environ.get("COMMENTS_ADMIN_KEY"))
    parser.add_argument("--site", default="film-blog")
    parser.add_argument("--article", default="https://films.example/her")
    parser.add_argument("--origin", action="append", default=[], help="another origin allowed to embed the thread")
    args = parser.parse_args()
    if not args.admin_key:
        sys.exit("Set COMMENTS_ADMIN_KEY (or pass --admin-key): creating a site needs the operator key.")
    base = args.base.rstrip("/")
    own = urllib.parse.urlsplit(base)
    origins = [f"{own.scheme}://{own.netloc}", "https://films.example", *args.origin]

    status, body = request("POST", f"{base}/v1/sites", {"id": args.site, "name": "The Film Blog", "allowedOrigins": origins},
                           {"Authorization": f"Bearer {args.admin_key}"})
    if status not in (201, 409):
        sys.exit(f"creating the site failed: {status} {body}")

    thread = f"{base}/v1/sites/{args.site}/articles/{urllib.parse.quote(args.article, safe='')}/comments"
    status, page = request("GET", thread)
    if status != 200:
        sys.exit(f"reading the thread failed: {status} {page}")
    if page["totalCount"] > 0:
        print(f"{args.site}: the thread already has {page['totalCount']} comments; left as it is")
        return

    ids = {}
    for key, parent, author, url, text, upvotes in THREAD:
        comment = {"authorName": author, "body": text, "parentId": ids.get(parent), "authorUrl": url}
        status, created = request("POST", thread, {k: v for k, v in comment.items() if v is not None})
        if status != 201:
            sys.exit(f"posting {key} failed: {status} {created}")
        ids[key] = created["id"]
        for _ in range(upvotes):
            vote = f"{base}/v1/sites/{args.site}/comments/{created['id']}/vote"
            status, result = request("PUT", vote, {"value": 1}, {"X-Reader-Token": secrets.token_urlsafe(24)})
            if status != 200:
                sys.exit(f"voting on {key} failed: {status} {result}")
    print(json.dumps({"site": args.site, "article": args.article, "comments": ids}))


if __name__ == "__main__":
    main()
