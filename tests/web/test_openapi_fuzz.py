"""Schemathesis against /openapi.json: generated requests to every API operation find no server error.

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
from schemathesis.checks import not_a_server_error  # noqa: E402

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


schema = schemathesis.openapi.from_asgi("/openapi.json", _app(), headers={"host": "127.0.0.1"})


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_never_answers_with_a_server_error(case: Any) -> None:
    response = case.call(headers={"host": "127.0.0.1"})
    case.validate_response(response, checks=[not_a_server_error])
