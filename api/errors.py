"""The one place where errors become HTTP responses, all in one JSON shape.

    {"error": {"code": "invalid_scenario", "message": "…",
               "details": [{"field": "physicians[3].clinic", "problem": "unknown clinic 'x'"}]}}

The API's own errors:

    ApiError(Exception)
    ├── Unauthorized          401  no, malformed, unknown or revoked API key
    ├── Forbidden             403  a read-only (hospital) key asked to write
    ├── PayloadTooLarge       413  a request body over the configured limit
    ├── UnsupportedMediaType  415  a body in a format the route does not read
    └── InvalidRequest        422  a parameter the schema admits but the settings do not

The oncall package's errors map as InvalidScenario/InvalidRoster/InvalidChange → 422, RuleBroken → 422
(code ``rule_broken``, each detail's ``field`` a rule id), NotFound → 404, Conflict → 409. A database
that cannot write says so: 507 ``disk_full``, 503 ``read_only`` (503 ``storage_unavailable`` when it
cannot be reached). Anything unexpected is a 500 in the same shape (and a bug).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from oncall.errors import (
    Conflict,
    InvalidChange,
    InvalidInput,
    InvalidRoster,
    InvalidScenario,
    NotFound,
    OncallError,
    RuleBroken,
    StorageError,
)
from oncall.i18n import Lang, pick_lang, text
from oncall.io import SOURCE, messages_of
from oncall.storage.database import storage_failure

__all__ = [
    "ERROR_RESPONSES",
    "NON_JSON_ERROR_RESPONSES",
    "ApiError",
    "ErrorBody",
    "Forbidden",
    "InvalidRequest",
    "PayloadTooLarge",
    "Unauthorized",
    "UnsupportedMediaType",
    "error_response",
    "install_error_handlers",
    "request_lang",
]

log = logging.getLogger(__name__)


class ErrorDetail(BaseModel):
    """One problem with the request."""

    field: str = Field(description="Where: a path into the document or the parameter's name.")
    problem: str = Field(description="What is wrong there.")


class ErrorInfo(BaseModel):
    """What went wrong."""

    code: str = Field(description="Stable machine-readable code, e.g. `invalid_scenario`, `not_found`.")
    message: str = Field(description="A sentence for people.")
    details: list[ErrorDetail] = Field(default_factory=list)


class ErrorBody(BaseModel):
    """Every error response has this shape."""

    error: ErrorInfo


class ApiError(Exception):
    """An error the API itself raises, with its status and code."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, details: Sequence[tuple[str, str]] = (), headers: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.details = list(details)
        self.headers = headers


class Unauthorized(ApiError):
    """No valid API key."""

    status = 401
    code = "unauthorized"

    def __init__(self, message: str) -> None:
        super().__init__(message, headers={"WWW-Authenticate": "Bearer"})


class Forbidden(ApiError):
    """The key may not do this."""

    status = 403
    code = "forbidden"


class PayloadTooLarge(ApiError):
    """The body is over the limit."""

    status = 413
    code = "payload_too_large"


class UnsupportedMediaType(ApiError):
    """The body's content type is not one the route reads."""

    status = 415
    code = "unsupported_media_type"


class InvalidRequest(ApiError):
    """A parameter out of the bounds the server is configured with."""

    status = 422
    code = "invalid_request"


_HTTP_CODES = {
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
}


def error_response(
    status: int,
    code: str,
    message: str,
    details: Sequence[tuple[str, str]] = (),
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """A response in the one error shape."""
    body = ErrorBody(
        error=ErrorInfo(code=code, message=message, details=[ErrorDetail(field=f, problem=p) for f, p in details])
    )
    return JSONResponse(body.model_dump(), status_code=status, headers=dict(headers or {}))


def request_lang(request: Request) -> Lang:
    """The language of the texts of a response: the request's ``Accept-Language`` (Japanese by default)."""
    return pick_lang(request.headers.get("accept-language"))


def _details(exc: InvalidScenario | InvalidRoster | InvalidChange, lang: Lang) -> list[tuple[str, str]]:
    """The error's problems as (field, problem), each from its own place: nothing is parsed back out of
    a text. The body is the document: its name (``scenario``) adds nothing to the field path."""
    return [p.detail(lang, document=SOURCE) for p in exc.structured]


def _request_problems(errors: Sequence[Any], lang: Lang) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for err in errors:
        loc = tuple(err.get("loc", ()))
        if err.get("type") == "json_invalid":
            reason = (err.get("ctx") or {}).get("error", "")
            out.append(("(body)", text("api.not_json", lang, reason=f": {reason}" if reason else "")))
            continue
        # FastAPI starts each path with where the value came from; the client knows the field alone.
        if loc and loc[0] in ("body", "query", "path", "header", "cookie"):
            loc = loc[1:]
        out += [p.detail(lang) for p in messages_of([{**err, "loc": loc}])]
    return out


_DOMAIN: list[tuple[type[OncallError], int, str]] = [
    (InvalidScenario, 422, "invalid_scenario"),
    (InvalidRoster, 422, "invalid_roster"),
    (InvalidChange, 422, "invalid_change"),
    (InvalidInput, 422, "invalid_request"),
    (RuleBroken, 422, "rule_broken"),
    (NotFound, 404, "not_found"),
    (Conflict, 409, "conflict"),
]


_COUNTED: list[tuple[type[OncallError], str]] = [
    (InvalidScenario, "api.invalid_scenario"),
    (InvalidChange, "api.invalid_change"),
    (InvalidRoster, "api.invalid_roster"),
]

# A database that cannot write: the server's state, not the request's fault, said plainly.
_STORAGE = {"disk_full": (507, "disk_full"), "read_only": (503, "read_only")}


def _storage_response(exc: StorageError) -> JSONResponse:
    status, code = _STORAGE.get(exc.reason or "", (503, "storage_unavailable"))
    log.error("storage failure: %s", exc)
    return error_response(status, code, str(exc))


def _database_response(exc: DBAPIError) -> JSONResponse:
    """An error the database driver raised: a clear one where it says why (full, read-only, a NUL in a
    text PostgreSQL cannot store), else the 500 it is."""
    failure = storage_failure(exc)
    if failure is not None:
        return _storage_response(failure)
    if "NUL" in str(exc.orig):  # input that escaped validation; refused, never stored
        return error_response(422, "invalid_request", "a text contains a NUL character", [("(body)", "NUL")])
    log.error("database error", exc_info=exc)
    return error_response(500, "internal_error", "the server failed; the error was logged")


def _domain_response(exc: OncallError, lang: Lang) -> JSONResponse:
    if isinstance(exc, StorageError):
        return _storage_response(exc)
    mapped = next(((status, code) for kind, status, code in _DOMAIN if isinstance(exc, kind)), None)
    if mapped is None:
        log.error("unmapped oncall error", exc_info=exc)
        return error_response(500, "internal_error", "the server failed; the error was logged")
    status, code = mapped
    if isinstance(exc, InvalidScenario | InvalidChange | InvalidRoster):
        details = _details(exc, lang)
        what = next(counted for kind, counted in _COUNTED if isinstance(exc, kind))
        return error_response(status, code, _count(what, len(details), lang), details)
    if isinstance(exc, RuleBroken):
        return error_response(status, code, str(exc), exc.broken)
    if isinstance(exc, InvalidInput):
        return error_response(status, code, str(exc), [(exc.field, exc.problem)])
    field = getattr(exc, "field", None)
    message = str(exc)
    return error_response(status, code, message, [(field, message)] if field else [])


def _allowed_methods(request: Request) -> str:
    """The documented methods of the path (Starlette names those of its first matching route only)."""
    for template, item in request.app.openapi()["paths"].items():
        if re.fullmatch(re.sub(r"\{[^}/]+\}", "[^/]+", template), request.url.path):
            return ", ".join(sorted(method.upper() for method in item))
    return ""


def _count(code: str, n: int, lang: Lang) -> str:
    """``the scenario is invalid (3 problems)`` in ``lang``."""
    return text(code, lang, n=n, s="s" if n != 1 else "")


def install_error_handlers(app: FastAPI) -> None:
    """Route every error the app can raise to a response in the one shape."""

    async def on_api_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiError)
        return error_response(exc.status, exc.code, exc.message, exc.details, exc.headers)

    async def on_domain_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, OncallError)
        return _domain_response(exc, request_lang(request))

    async def on_validation_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        lang = request_lang(request)
        details = _request_problems(exc.errors(), lang)
        return error_response(422, "invalid_request", text("api.invalid_request", lang), details)

    async def on_http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 400:
            # FastAPI's word for a body it cannot decode; to the client that is invalid input like any other.
            message = text("api.unreadable_body", request_lang(request))
            return error_response(422, "invalid_request", message, [("(body)", str(exc.detail))])
        code = _HTTP_CODES.get(exc.status_code, "error" if exc.status_code < 500 else "internal_error")
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = _allowed_methods(request)
        return error_response(exc.status_code, code, str(exc.detail), headers=headers)

    async def on_database_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, DBAPIError)
        return _database_response(exc)

    async def on_unexpected(_: Request, exc: Exception) -> JSONResponse:
        failure = storage_failure(exc) if isinstance(exc, OSError) else None
        if failure is not None:  # a file the server writes (a data directory that turned read-only)
            return _storage_response(failure)
        log.error("unexpected error", exc_info=exc)
        return error_response(500, "internal_error", "the server failed; the error was logged")

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(OncallError, on_domain_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(DBAPIError, on_database_error)
    app.add_exception_handler(Exception, on_unexpected)


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description}
    for status, description in [
        (401, "No valid API key."),
        (403, "The key may only read."),
        (404, "No object has that id."),
        (409, "A stale version or base, or a state that forbids the change."),
        (413, "The body is over the size limit."),
        (415, "The body's content type is not accepted."),
        (422, "The input is invalid; `details` name the fields."),
        (503, "The database is read-only or cannot be reached."),
        (507, "The database's disk is full."),
    ]
}

# For a route whose own answer is not JSON (the print view's HTML, an XLSX): its errors are still JSON.
NON_JSON_ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {
        "description": response["description"],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}},
    }
    for status, response in ERROR_RESPONSES.items()
}
