"""The HTTP API: ``/health``, ``POST /ask``, ``GET /digest`` and Slack's ``POST /slack/events``.

Built by ``create_app(settings)``, never at import time. ``/ask`` and ``/digest`` return the same
objects as ``ask --json`` and ``digest --json``, and need a bearer token whenever
``DISTRICT_ASSISTANT_API_TOKEN`` is set. Every error has one JSON shape: ``{"ok": false, "error":
..., "status": ...}``, scrubbed of secrets; a locked database is a 503 saying to try again. Every
question is recorded in the audit log as ``<caller>@<client address>`` (``api``, ``api:<name>``);
contract and budget answers follow the finance allowlist per caller (403). Bodies over
``api_max_body_bytes`` are a 413. The Slack endpoint is mounted only when both ``SLACK_SIGNING_SECRET`` and
``SLACK_BOT_TOKEN`` are set. OpenAPI docs are at ``/docs``.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import secrets
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant import faults
from assistant.allowlist import FinanceAllowlist
from assistant.answer import Answer, Assistant
from assistant.audit import AuditLog
from assistant.digest import Digest, build_digest
from assistant.limits import QuestionRefused, check_day
from assistant.redact import protect, redact
from assistant.settings import Settings, SettingsError
from assistant.store import open_district_store
from ingest.errors import DistrictAssistantError

logger = logging.getLogger(__name__)


class AskRequest(BaseModel):
    """A question, and optionally the date to answer as of."""

    question: str
    as_of: dt.date | None = None


class ErrorResponse(BaseModel):
    """The one shape of every error the API returns."""

    ok: Literal[False] = False
    error: str
    status: int


_AUTH_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorResponse, "description": "Missing or wrong bearer token."}
}
_ASK_ERRORS: dict[int | str, dict[str, object]] = {
    **_AUTH_ERRORS,
    403: {"model": ErrorResponse, "description": "A contract or budget answer this caller may "
          "not see (the finance allowlist)."},
    422: {"model": ErrorResponse, "description": "A question too long or not text, a bad date."},
}  # fmt: skip
LOOPBACK_NAMES = ("localhost",)


def create_app(settings: Settings) -> FastAPI:
    """The FastAPI app for one district's store (and its Slack bot, when Slack is configured)."""
    app = FastAPI(
        title="district-assistant",
        version="0.1.0",
        description="Answers a district technology office's questions from its systems' exports.",
    )
    protect(settings)
    assistant = Assistant(open_district_store(settings), settings)
    audit = AuditLog(assistant.store, settings.audit_retention_days)
    app.state.assistant, app.state.audit = assistant, audit
    _add_error_handlers(app)
    app.add_middleware(BodyLimit, limit=settings.api_max_body_bytes)

    callers = settings.api_callers
    allowlist = FinanceAllowlist.from_settings(settings)

    def check_token(http: Request, authorization: Annotated[str | None, Header()] = None) -> None:
        """Name the caller in ``http.state.caller`` (``api``, ``api:<name>``; None: no tokens)."""
        http.state.caller = None
        if not callers:
            return
        given = (authorization or "").encode()
        for name, token in callers.items():  # every token compared: the time says nothing
            if secrets.compare_digest(given, f"Bearer {token.get_secret_value()}".encode()):
                http.state.caller = name
        if http.state.caller is None:
            raise HTTPException(status_code=401, detail="a valid bearer token is required")

    @app.get("/health")
    def health() -> dict[str, str]:
        """Liveness: 200 ``{"status": "ok"}``."""
        return {"status": "ok"}

    @app.post("/ask", dependencies=[Depends(check_token)], responses=_ASK_ERRORS)
    def ask(request: AskRequest, http: Request) -> Answer:
        """Answer one question: the same object as ``district-assistant ask --json``."""
        name = http.state.caller
        who = f"{name or 'api'}@{http.client.host}" if http.client else name or "api"
        with audit.audited("api", request.question, user_id=who) as pending:
            answer = assistant.ask(request.question, as_of=request.as_of)
            pending.answered(answer)
            if not allowlist.allows_answer(answer, None, name):
                pending.outcome = "not_allowed"
        if pending.outcome == "not_allowed":
            raise HTTPException(status_code=403, detail=allowlist.refusal())
        return answer

    @app.get("/digest", dependencies=[Depends(check_token)], responses=_AUTH_ERRORS)
    def digest(
        http: Request,
        as_of: Annotated[dt.date | None, Query(description="Build it as of this day.")] = None,
    ) -> Digest:
        """This week's digest: the same object as ``district-assistant digest --json``."""
        check_day(as_of)
        built = build_digest(assistant.store, settings, as_of)
        return allowlist.digest_for(built, None, http.state.caller)

    if settings.slack_signing_secret is not None and settings.slack_bot_token is not None:
        _mount_slack(app, settings, assistant, audit)
    return app


def check_exposure(settings: Settings, host: str) -> str | None:
    """Refuse to serve an open API beyond this machine; a warning when it is open on loopback.

    Raises:
        SettingsError: ``host`` is reachable from other machines and no API token is set.
    """
    if settings.api_callers:
        return None
    if not is_loopback(host):
        raise SettingsError(
            f"--host {host} is reachable from other machines and DISTRICT_ASSISTANT_API_TOKEN is "
            "not set; set it (python -c 'import secrets; print(secrets.token_urlsafe(32))' makes "
            "one) or serve on 127.0.0.1"
        )
    return "DISTRICT_ASSISTANT_API_TOKEN is not set: the REST API answers anyone on this machine"


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine only (127.0.0.0/8, ::1, localhost)."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def server_config(app: FastAPI, settings: Settings, host: str, port: int, **options: Any) -> Any:
    """The uvicorn config ``serve`` runs: X-Forwarded-For is read only from trusted proxies.

    uvicorn trusts ``X-Forwarded-For`` from 127.0.0.1 by default, so any local caller could
    name itself in the audit log; here the header is read only when ``api_trusted_proxies``
    lists the proxy's address, and ignored otherwise.
    """
    import uvicorn

    trusted = settings.api_trusted_proxies
    return uvicorn.Config(
        app, host=host, port=port, proxy_headers=bool(trusted),
        forwarded_allow_ips=",".join(trusted) or None, **options,
    )  # fmt: skip


def _mount_slack(app: FastAPI, settings: Settings, assistant: Assistant, audit: AuditLog) -> None:
    """``POST /slack/events``: Bolt verifies the signature, acks, and answers in the thread.

    The adapter runs Bolt's ``dispatch`` on the event loop; that is only the signature check, the
    middleware and the ack (``process_before_response=True``), a few milliseconds. The answers run
    afterwards on the Bolt app's worker threads.
    """
    from slack_bolt.adapter.fastapi import SlackRequestHandler

    from assistant.slack import create_slack_app

    handler = SlackRequestHandler(create_slack_app(settings, assistant, audit=audit))

    @app.post("/slack/events", include_in_schema=False)
    async def slack_events(request: Request) -> Response:
        return await handler.handle(request)


class BodyLimit:
    """Refuses a request body over ``limit`` bytes with a 413, before anything parses it.

    A declared ``Content-Length`` over the limit is refused at once; a body sent without one
    (chunked) is counted as it arrives and refused when it passes the limit.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        """Wrap ``app``; bodies over ``limit`` bytes are refused."""
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the declared length, then count what arrives."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > self.limit:
            await _error(413, self._message())(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise StarletteHTTPException(status_code=413, detail=self._message())
            return message

        await self.app(scope, counted, send)

    def _message(self) -> str:
        return f"the request body is larger than {self.limit:,} bytes"


def _error(status: int, message: str) -> JSONResponse:
    body = ErrorResponse(error=message, status=status).model_dump()
    return JSONResponse(body, status_code=status)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
            for error in exc.errors()
        ]
        return _error(422, "; ".join(problems))

    @app.exception_handler(QuestionRefused)
    async def refused(_request: Request, exc: QuestionRefused) -> JSONResponse:
        return _error(422, str(exc))

    @app.exception_handler(DistrictAssistantError)
    async def our_error(_request: Request, exc: DistrictAssistantError) -> JSONResponse:
        logger.exception("request failed")
        return _error(500, redact(str(exc)))

    @app.exception_handler(OperationalError)
    async def database_error(_request: Request, exc: OperationalError) -> JSONResponse:
        logger.error("request failed: %s: %s", exc.__class__.__name__, exc.orig)
        return _error(faults.status_for(exc), faults.message_for(exc))

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, exc: Exception) -> JSONResponse:
        logger.exception("request failed")
        return _error(500, "internal error; the server log has the details")
