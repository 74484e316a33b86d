"""What the API tests share: the operations of the live OpenAPI schema, bearer tokens for the personas,
a schema-valid minimal body for each operation, and the path objects of enterprise A (Yulin) and B
(Baoji), built through the services by the persona matrix's builders."""

import datetime as dt
import functools
import json
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from youse.api import api

PREFIX = "/api/v1"
SAFE = ("GET", "HEAD", "OPTIONS")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@functools.cache
def _openapi_text() -> str:
    return json.dumps(api.get_openapi_schema())


def openapi() -> dict:
    """The live OpenAPI schema (a fresh copy: callers may change it)."""
    return json.loads(_openapi_text())


@functools.cache
def _validator(method: str, path: str, status: int):
    import jsonschema_rs

    spec = openapi()
    documented = spec["paths"][PREFIX + path][method.lower()]["responses"].get(str(status))
    if documented is None:
        return None
    schema = documented.get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        return True
    return jsonschema_rs.Draft202012Validator({**schema, "components": spec["components"]})


def undocumented(method: str, path: str, response) -> str | None:
    """What in the answer the OpenAPI schema does not document (its status or its body), or None."""
    validator = _validator(method, path, response.status_code)
    if validator is None:
        return f"status {response.status_code} is not documented"
    if validator is True or not response.get("Content-Type", "").startswith("application/json"):
        return None
    errors = [
        f"{'/'.join(map(str, e.instance_path))}: {e.message}"
        for e in validator.iter_errors(json.loads(response.content))
    ]
    return "; ".join(errors[:3]) or None


def operations() -> set[tuple[str, str]]:
    """(METHOD, path template without /api/v1) of every operation the API serves."""
    return {(method.upper(), path.removeprefix(PREFIX)) for path, ops in openapi()["paths"].items() for method in ops}


def tokens(personas) -> dict[str, str | None]:
    """A bearer token for each signed-in persona (None for the anonymous visitor)."""
    from youse.core.services import issue_token

    return {
        name: (issue_token(personas.department, user, name="api tests")[1] if user is not None else None)
        for name, user in personas.users.items()
    }


def headers(token: str | None) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}


# --- Minimal bodies: the required fields of the request schema, each with the simplest valid value ----


def _resolve(node: dict, spec: dict) -> dict:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = spec["components"]["schemas"][name]
    return node


def example(node: dict, spec: dict) -> Any:
    node = _resolve(node, spec)
    if "default" in node:
        return node["default"]
    if "enum" in node:
        return node["enum"][0]
    if "const" in node:
        return node["const"]
    for key in ("anyOf", "oneOf"):
        if key in node:
            options = [o for o in node[key] if _resolve(o, spec).get("type") != "null"]
            return example(options[0], spec)
    if "allOf" in node:
        return example(node["allOf"][0], spec)
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        props = node.get("properties", {})
        return {name: example(props[name], spec) for name in node.get("required", []) if name in props}
    if kind == "array":
        return [example(node.get("items", {}), spec) for _ in range(node.get("minItems", 0))]
    if kind == "integer":
        return max(int(node.get("minimum", 1)), int(node.get("exclusiveMinimum", 0)) + 1)
    if kind == "number":
        return max(float(node.get("minimum", 1)), 1.0)
    if kind == "boolean":
        return False
    fmt = node.get("format")
    if fmt == "date":
        return "2026-01-15"
    if fmt == "date-time":
        return "2026-01-15T08:00:00+08:00"
    return "x" * max(1, int(node.get("minLength", 1)))


def request_body(method: str, path: str) -> tuple[str | None, Any]:
    """(content type, minimal body) for the operation; (None, None) without a request body."""
    spec = openapi()
    op = spec["paths"][PREFIX + path][method.lower()]
    content = op.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        return "application/json", example(content["application/json"]["schema"], spec)
    if "multipart/form-data" in content:
        form = example(content["multipart/form-data"]["schema"], spec)
        return "multipart/form-data", {
            key: ([SimpleUploadedFile("photo.png", PNG, "image/png")] if isinstance(value, list) else value)
            for key, value in form.items()
        }
    return None, None


def call(client, method: str, url: str, token: str | None, body: tuple[str | None, Any] = (None, None)):
    content_type, data = body
    kwargs = headers(token)
    if method in SAFE:
        return client.generic(method, url, **kwargs)
    if content_type == "multipart/form-data":
        return (
            client.generic(method, url, **kwargs)
            if data is None
            else getattr(client, method.lower())(url, data, **kwargs)
        )
    if content_type is None:
        return client.generic(method, url, **kwargs)
    return client.generic(method, url, json.dumps(data), content_type=content_type, **kwargs)


# --- Path objects ---------------------------------------------------------------------------------


class Objects:
    """Path objects built on first use, once per test: kind x target ("a": enterprise A's, "b": B's)."""

    def __init__(self, personas) -> None:
        self.personas = personas
        self.built: dict[tuple[str, str], Any] = {}

    def get(self, kind: str, target: str) -> Any:
        if (kind, target) not in self.built:
            self.built[kind, target] = self._build(kind, target)
        return self.built[kind, target]

    def _build(self, kind: str, target: str) -> Any:
        from tests.core.test_persona_matrix import _credit_object, _stats_object

        p = self.personas
        if kind in ("enterprise", "plant", "unit"):
            return getattr(p, f"{kind}_{target}")
        if kind == "dataset":
            return "indicators"
        if kind == "credit_entry":
            edition = self.get("credit_edition", "a")
            return edition.entries.get(enterprise={"a": p.enterprise_a, "b": p.enterprise_b}[target])
        if kind == "credit_edition":
            return _credit_object(p, kind, target)
        if kind in ("campaign", "case", "order", "closure"):
            # Each builder starts its own campaign of the same name: rename the one built before.
            from youse.enforcement.models import Campaign

            for campaign in Campaign.objects.filter(name="专项检查"):
                Campaign.objects.filter(pk=campaign.pk).update(name=f"专项检查（{campaign.pk}）")
        return _stats_object(p, kind, target)


def object_path(path: str, obj: Any) -> str:
    """The path template with its one parameter filled with the object's id (or key)."""
    import re

    value = obj if isinstance(obj, str) else obj.pk
    return PREFIX + re.sub(r"\{[^}]+\}", str(value), path)


def ids_of(payload: Any) -> set[int]:
    """The ids of the rows of a list answer: a page ({"results": [...]}) or a bare list."""
    rows = payload.get("results", payload.get("items", [])) if isinstance(payload, dict) else payload
    return {row["id"] for row in rows if isinstance(row, dict) and "id" in row}


TODAY = dt.date(2026, 1, 15)
