"""Helpers for page routes: answer a form post with a redirect, or with JSON when a script sent it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ValidationError

from knowwho.core import Knowwho
from knowwho.errors import InvalidInput
from knowwho.web import flash
from knowwho.web.api.errors import describe_model_errors
from knowwho.web.state import get_kw

Kw = Annotated[Knowwho, Depends(get_kw)]
# A form's text field as typed: the input model it fills checks its length, so a field too long comes back in
# the form with one line on what to fix instead of an error page (the body's size limit still bounds it).
FormText = Annotated[str, Form()]
Model = TypeVar("Model", bound=BaseModel)


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def done(request: Request, location: str, message: str = "", **extra: Any) -> Response:
    """After a form post: JSON for scripts, else a redirect (303, so a reload never posts twice)."""
    if wants_json(request):
        return JSONResponse({"message": message, "location": location, **extra})
    response = RedirectResponse(location, status_code=303)
    flash.remember(request, response, message)
    return response


def form_text(form: Any, name: str, default: str = "") -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else default


def split_list(text: str) -> list[str]:
    """'a, b; c' -> ['a', 'b', 'c'] for fields that take several values."""
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def form_model(model: type[Model], **values: Any) -> Model:
    """The input model a form's fields make; a value that does not fit is an InvalidInput naming the field."""
    return labelled_form_model(model, {}, **values)


def labelled_form_model(model: type[Model], labels: Mapping[str, str], **values: Any) -> Model:
    """`form_model` for a form that names some fields otherwise than the model: `labels` maps model to form."""
    try:
        return model(**values)
    except ValidationError as error:
        raise InvalidInput(describe_model_errors(error, labels)) from None


def field_line(error: InvalidInput) -> str:
    """A refusal as a form shows it: a setting is named by its field, never by its command-line option."""
    return error.plain
