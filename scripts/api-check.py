#!/usr/bin/env python3
"""Checks the running demo's API against its own OpenAPI document (see scripts/api-check).

1. /api/openapi.json is a valid OpenAPI 3.1 document (openapi-spec-validator).
2. Signed in as demo users, every GET operation of the document is asked for, with real ids
   taken from the demo's earlier answers (a list answers the ids its items' paths need). Each
   200 answer must validate against the operation's declared 200 schema and each error answer
   against the Error schema (jsonschema, Draft 2020-12, references resolved in the document's
   components). Object schemas are checked closed (`unevaluatedProperties: false`), so a field
   the handler writes but the document does not declare fails too.
3. Fails on any mismatch, and when fewer answers than required were checked per area.

Usage: api-check.py BASE_URL
"""

import copy
import http.cookiejar
import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

PASSWORD = "tabane-demo-2026"
# Who asks: the platform administrator, a prefecture, an infra municipality, the housing
# prefecture and its PFI contractor (README lists the demo logins). The first 200 counts.
USERS = ["admin", "pref-admin", "shimoda-staff", "nagasaki-staff", "pfi-staff"]
# At least this many GET operations whose 200 answers were validated, per area (platform,
# /api/infra, /api/housing) and in all.
MINIMUM = {"platform": 12, "infra": 12, "housing": 12}
MINIMUM_TOTAL = 40
# Where a path parameter's value comes from when the path's parent list does not give it:
# (the operation whose answer holds it, the field naming it; an object's `id` when the
# field holds objects).
HINTS = {
    "/api/meetings/{id}": ("/api/meetings/series/{id}", "meetings"),
    "/api/files/{id}": ("/api/deliverables/{id}", "file_id"),
    "/api/housing/estates/{id}/units": ("/api/housing/estates", "estates"),
    "/api/housing/lotteries/{id}": ("/api/housing/campaigns/{id}", "lotteries"),
    "/api/housing/lotteries/{id}/verify": ("/api/housing/campaigns/{id}", "lotteries"),
}
# Query parameters an operation needs to answer 200: a literal, or (operation, field) as above.
ESTATE = ("/api/housing/estates", None)
QUERIES = {
    "/api/calendar/convert": {"date": "R8.12.7", "business_days": "3", "rule": "+40d"},
    "/api/housing/costs": {"estate": ESTATE},
    "/api/housing/reports/business": {"estate": ESTATE},
    "/api/housing/reports/danchi-chosho": {"estate": ESTATE},
    "/api/housing/reports/monthly": {"estate": ESTATE},
    "/api/housing/reports/temporary-moves": {"estate": ESTATE},
}


def area(path):
    rest = path[len("/api/"):]
    return rest.split("/")[0] if rest.split("/")[0] in ("infra", "housing") else "platform"


class Client:
    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def request(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Accept", "application/json")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with self.opener.open(req, timeout=60) as r:
                return r.status, r.headers.get("Content-Type", ""), r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("Content-Type", ""), e.read()


def closed(schema):
    """The schema with every object that lists its properties closed to others."""
    if isinstance(schema, dict):
        out = {k: closed(v) for k, v in schema.items()}
        if "properties" in out and not any(k in out for k in ("allOf", "anyOf", "oneOf", "$ref")):
            out.setdefault("unevaluatedProperties", False)
        return out
    if isinstance(schema, list):
        return [closed(v) for v in schema]
    return schema


def validator(doc, schema):
    root = dict(closed(schema))
    root["components"] = {"schemas": closed(doc["components"]["schemas"])}
    return Draft202012Validator(root, format_checker=Draft202012Validator.FORMAT_CHECKER)


def first_id(value, field=None):
    """The first id in an answer (breadth first): `field`'s value (or its objects' ids)."""
    queue = [value]
    while queue:
        v = queue.pop(0)
        if isinstance(v, dict):
            if field is None and isinstance(v.get("id"), int):
                return v["id"]
            if field is not None and field in v:
                f = v[field]
                if isinstance(f, int):
                    return f
                found = first_id(f)
                if found is not None:
                    return found
            queue.extend(v.values())
        elif isinstance(v, list):
            queue.extend(v)
    return None


def main(base):
    anon = Client(base)
    status, _, raw = anon.request("GET", "/api/openapi.json")
    assert status == 200, f"/api/openapi.json answered {status}"
    doc = json.loads(raw)
    validate(doc)
    print(f"openapi-spec-validator: the document is valid OpenAPI {doc['openapi']}")

    clients = {}
    for user in USERS:
        c = Client(base)
        status, _, raw = c.request("POST", "/api/session", {"login": user, "password": PASSWORD})
        assert status == 200, f"login {user}: {status} {raw[:200]!r}"
        login_schema = doc["paths"]["/api/session"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
        errors = list(validator(doc, login_schema).iter_errors(json.loads(raw)))
        assert not errors, f"POST /api/session answer does not match its schema: {errors[0].message}"
        clients[user] = c

    error_schema = validator(doc, {"$ref": "#/components/schemas/Error"})
    gets = [
        (path, item["get"])
        for path, item in doc["paths"].items()
        if "get" in item and path != "/api/openapi.json"
    ]
    # Paths without parameters first, then by depth: a list is read before its items (and
    # before what needs its ids in the query).
    needs = lambda path: path.count("{") + any(isinstance(v, tuple) for v in QUERIES.get(path, {}).values())
    gets.sort(key=lambda p: (needs(p[0]), p[0].count("/"), p[0]))
    answers = {}  # template -> every 200 answer, in the order of USERS
    values = {}  # template -> the values its parameters were given
    failures, checked, skipped = [], [], []
    for path, op in gets:
        params = re.findall(r"{(\w+)}", path)
        filled = fill(path, params, answers, values)
        if filled is None:
            skipped.append((path, "no id found in the demo's answers"))
            continue
        concrete, used = filled
        query = {}
        for name, value in QUERIES.get(path, {}).items():
            if isinstance(value, tuple):
                value = next((first_id(a, value[1]) for a in answers.get(value[0], []) if first_id(a, value[1])), None)
            if value is not None:
                query[name] = value
        if query:
            concrete += "?" + urllib.parse.urlencode(query)
        schema = op["responses"]["200"]["content"]["application/json"]["schema"]
        ok_validator = validator(doc, schema)
        ok = []
        for user, c in clients.items():
            status, ctype, raw = c.request("GET", concrete)
            if not ctype.startswith("application/json"):
                failures.append(f"GET {concrete} as {user}: {status} answered {ctype}, not JSON")
                continue
            body = json.loads(raw)
            if status == 200:
                errors = sorted(ok_validator.iter_errors(body), key=lambda e: list(e.absolute_path))
                for e in errors[:5]:
                    where = "/".join(str(p) for p in e.absolute_path)
                    failures.append(f"GET {concrete} as {user}: at /{where}: {e.message[:300]}")
                ok.append((user, body))
                continue
            errors = list(error_schema.iter_errors(body))
            if errors:
                failures.append(f"GET {concrete} as {user}: the {status} answer is not an Error: {errors[0].message[:300]}")
        if not ok:
            skipped.append((path, f"no demo user got 200 for {concrete}"))
            continue
        answers[path] = [body for _, body in ok]
        values[path] = used
        checked.append((path, concrete, [user for user, _ in ok]))

    n = sum(len(users) for _, _, users in checked)
    print(f"\n{n} answers of {len(checked)} GET operations validated against their declared schemas:")
    for path, concrete, users in checked:
        print(f"  {concrete}  (as {', '.join(users)})")
    if skipped:
        print(f"\n{len(skipped)} not checked:")
        for path, why in skipped:
            print(f"  {path}: {why}")
    per_area = {a: sum(1 for p, _, _ in checked if area(p) == a) for a in MINIMUM}
    for a, n in MINIMUM.items():
        if per_area[a] < n:
            failures.append(f"only {per_area[a]} {a} answers validated (at least {n} required)")
    if len(checked) < MINIMUM_TOTAL:
        failures.append(f"only {len(checked)} answers validated (at least {MINIMUM_TOTAL} required)")
    if failures:
        print(f"\n{len(failures)} mismatches:")
        for f in failures:
            print("  " + f)
        sys.exit(1)
    print(f"\nAll answers match ({', '.join(f'{a}: {n}' for a, n in per_area.items())}).")


def fill(path, params, answers, values):
    """The path with real values: from the parent list's answer, or as the hint says."""
    if not params:
        return path, {}
    used = {}
    concrete = path
    for name in params:
        value = None
        hint = HINTS.get(path)
        if hint and name == params[-1]:
            source, field = hint
            value = next((first_id(a, field) for a in answers.get(source, []) if first_id(a, field)), None)
            used.update(values.get(source, {}))
        if value is None:
            # The longest template before `{name}` that was answered: its values, and for
            # `{name}` itself the first id of the list at the segment before it.
            prefix = path[: path.index("{" + name + "}")].rstrip("/")
            if prefix in answers:
                value = next((first_id(a) for a in answers[prefix] if first_id(a) is not None), None)
                used.update(values.get(prefix, {}))
        if value is None and name in used:
            value = used[name]
        if value is None:
            return None
        used[name] = value
        concrete = concrete.replace("{" + name + "}", urllib.parse.quote(str(value)), 1)
    return concrete, used


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"))
