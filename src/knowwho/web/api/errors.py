"""The API's errors: validation problems worded for people, and the one error shape documented on every route."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import ValidationError

from knowwho.web.schemas import ErrorOut

WRITES = ("post", "put", "patch", "delete")
_PATTERN_CHOICES = re.compile(r"^\^\(([\w|-]+)\)\$$")
# Pydantic names the member of a union it tried ("literal['a','b']", "function-after[...]", "str"): not a field.
_TAG = re.compile(r"^[a-z_-]+\[.*\]$|^(str|int|float|bool|list|dict|none|is-instance)$")


def _field(loc: Sequence[int | str]) -> str:
    """'tier', 'emails item 2' or 'the body' from pydantic's location (its first part says where: body/query/path)."""
    parts: list[str] = []
    for part in loc[1:]:
        if isinstance(part, int):
            parts.append(f"item {part + 1}")
        elif not _TAG.match(part):
            parts.append(part)
    return " ".join(parts)


def _choices(error: dict[str, Any]) -> list[str]:
    """The allowed values of a literal or an `^(a|b)$` pattern, without the empty string."""
    ctx = error.get("ctx") or {}
    if error["type"] == "literal_error":
        return [c.strip(" '\"") for c in re.split(r",| or ", str(ctx.get("expected", ""))) if c.strip(" '\"")]
    found = _PATTERN_CHOICES.match(str(ctx.get("pattern", "")))
    return found.group(1).split("|") if found else []


def _problem(error: dict[str, Any]) -> str:
    """What is wrong with one value, in words a person uses."""
    kind, ctx = error["type"], error.get("ctx") or {}
    words = {
        "missing": "required",
        "extra_forbidden": "not a field here",
        "int_parsing": "use a whole number",
        "int_type": "use a whole number",
        "int_from_float": "use a whole number",
        "float_parsing": "use a number",
        "float_type": "use a number",
        "bool_parsing": "use true or false",
        "bool_type": "use true or false",
        "string_type": "use text",
        "list_type": "use a list",
        "dict_type": "use an object",
        "model_attributes_type": "use an object",
        "string_too_short": "must not be empty" if ctx.get("min_length") == 1 else "too short",
        "string_too_long": f"at most {ctx.get('max_length')} characters",
        "too_long": f"at most {ctx.get('max_length')} items",
        "greater_than_equal": f"at least {ctx.get('ge')}",
        "less_than_equal": f"at most {ctx.get('le')}",
        "greater_than": f"more than {ctx.get('gt')}",
        "less_than": f"less than {ctx.get('lt')}",
        "string_pattern_mismatch": "not in the expected form",
    }
    if kind in words:
        return words[kind]
    message = str(error.get("msg", "not readable")).removeprefix("Value error, ")  # a validator's own words
    if "UploadFile" in message:  # a form's file field sent as text: the framework names its Python class
        return "choose a file to upload"
    if "<class " in message:  # Python's words, never a person's
        return "not readable"
    return message[:1].lower() + message[1:]


def describe(errors: Sequence[Any]) -> str:
    """One line naming each field and what to send: 'tier: use one of strong, moderate, weak, dormant'."""
    if any(e["type"] == "json_invalid" for e in errors):
        return "the body is not valid JSON"
    choices: dict[str, list[str]] = {}
    problems: dict[str, str] = {}
    for error in errors:
        field = _field(error["loc"])
        if not field:  # the whole body
            problems["the body"] = "required: a JSON object" if error["type"] == "missing" else "send a JSON object"
            continue
        allowed = _choices(error)
        if allowed:
            choices.setdefault(field, []).extend(c for c in allowed if c not in choices.get(field, []))
        elif field not in problems:
            problems[field] = _problem(error)
    for field, allowed in choices.items():
        problems[field] = "use one of " + ", ".join(allowed)
    return "; ".join(f"{field}: {problem}" for field, problem in problems.items())


def describe_model_errors(error: ValidationError, labels: Mapping[str, str] | None = None) -> str:
    """`describe` for an input model a page built itself (its locations lack the "body" that requests have);
    `labels` names a model field as its form does ('add_emails' is the form's 'emails')."""
    names = labels or {}
    return describe([{**e, "loc": ("body", *_labelled(e["loc"], names))} for e in error.errors()])


def _labelled(loc: Sequence[int | str], labels: Mapping[str, str]) -> tuple[int | str, ...]:
    first = loc[0] if loc else ""
    return (labels.get(first, first), *loc[1:]) if isinstance(first, str) else tuple(loc)


# -- the documented error shape --------------------------------------------------------------------------------
_WHY = {
    401: "Not signed in (when the server has a password): send the session cookie or `Authorization: Bearer`",
    403: "Refused: send `Content-Type: application/json` (or the bearer token); requests from other sites are refused",
    404: "Nothing with that id or key",
    409: "A conflict: an ambiguous name (`candidates`), a known email (`person_id`), or nothing to undo",
    422: "What was sent cannot be used: `error` names each field and what to send",
    503: "The database is busy: try again after `Retry-After` seconds",
}


def _codes(method: str, operation: dict[str, Any]) -> list[int]:
    """The errors an operation can answer with: validation, sign-in and a busy database always; the rest by kind."""
    codes = [401, 422, 503]
    params = operation.get("parameters", [])
    writes = method in WRITES
    by_name = any(p["name"] in ("org", "person") for p in params)  # a name may match nobody, or several
    by_id = any(p["in"] == "path" or p["name"].endswith("_id") for p in params)
    if writes or by_id or by_name or "404" in operation.get("responses", {}):
        codes.append(404)
    if writes or by_name:
        codes.append(409)
    if writes:
        codes.append(403)
    return sorted(codes)


def document_errors(app: FastAPI) -> None:
    """Make /openapi.json describe the errors the server really sends, on every API operation."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        components["Error"] = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        body = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                if not path.startswith("/api"):
                    continue
                responses = operation.setdefault("responses", {})
                for code in _codes(method, operation):
                    given = responses.get(str(code), {}).get("description", "")
                    description = given if given and given != "Validation Error" else _WHY[code]
                    responses[str(code)] = {"description": description, "content": body}
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
