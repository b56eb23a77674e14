"""Schemathesis against /openapi.json: generated requests to every API operation find no server error,
and every answer (errors included) has a documented status, content type and shape.

Bounded to stay fast: a few dozen examples per operation on a small filled database.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

schemathesis = pytest.importorskip("schemathesis")
from fastapi.routing import APIRoute  # noqa: E402
from schemathesis.checks import (  # noqa: E402
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)
from schemathesis.config import SchemathesisConfig  # noqa: E402

from knowwho.web.app import create_app  # noqa: E402
from tests.web.conftest import factory, fill  # noqa: E402

EXAMPLES = int(os.environ.get("KNOWWHO_FUZZ_EXAMPLES", "25"))


def _app() -> Any:
    """One server over a filled database, made when the module loads (schemathesis needs the schema then)."""
    os.environ["TZ"] = "UTC"
    time.tzset()
    import atexit
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="knowwho-fuzz-"))
    atexit.register(shutil.rmtree, folder, True)
    make = factory(folder / "fuzz.db")
    kw = make()
    fill(kw)
    kw.close()
    return create_app(make)


APP = _app()
# A schema-valid body may still be refused with 422 when the service reads a field's words ("when": "soon",
# "kind": "telepathy"): a rule a JSON schema cannot express, and the 422 the document declares for it.
CONFIG = SchemathesisConfig.from_dict({"checks": {"positive_data_acceptance": {"expected-statuses": [
    "2xx", "3xx", "401", "403", "404", "409", "422"]}}})  # fmt: skip
schema = schemathesis.openapi.from_asgi("/openapi.json", APP, config=CONFIG, headers={"host": "127.0.0.1"})
# The API reads each field as its own JSON type only (no 0 for false, no 0 for a date): schema-violating
# bodies are refused, valid ones accepted (or refused as the document says: an unknown id, a name matching
# several people), and a method a path does not take gets 405 with Allow.
CHECKS = [
    not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
    negative_data_rejection, positive_data_acceptance, unsupported_method,
]  # fmt: skip


def test_every_api_route_is_in_the_document_the_fuzzing_reads() -> None:
    import importlib
    import pkgutil

    import knowwho.web.api

    routers = [getattr(importlib.import_module(f"knowwho.web.api.{m.name}"), "router", None)
               for m in pkgutil.iter_modules(knowwho.web.api.__path__)]  # fmt: skip
    served = {(m.lower(), "/api" + r.path) for router in routers if router for r in router.routes
              if isinstance(r, APIRoute) for m in r.methods}  # fmt: skip
    documented = {(op.method.lower(), op.path) for op in (result.ok() for result in schema.get_all_operations())}
    assert served and served == documented


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_never_answers_with_a_server_error(case: Any) -> None:
    response = case.call(headers={"host": "127.0.0.1"})
    case.validate_response(response, checks=CHECKS)
