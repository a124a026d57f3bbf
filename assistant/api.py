"""The REST API: ``GET /health`` and ``POST /ask`` (the same object as ``ask --json``).

Built by ``create_app(settings)``, never at import time. A bearer token is required whenever
``DISTRICT_ASSISTANT_API_TOKEN`` is set. Errors use one JSON shape: ok, error, status.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from assistant.answer import Answer, Assistant
from assistant.settings import Settings
from assistant.store import open_district_store


class AskRequest(BaseModel):
    """A question, and optionally the date to answer as of."""

    question: str
    as_of: dt.date | None = None


def create_app(settings: Settings) -> FastAPI:
    """The FastAPI app for one district's store."""
    app = FastAPI(title="district-assistant", version="0.1.0")
    assistant = Assistant(open_district_store(settings), settings)

    def check_token(authorization: Annotated[str | None, Header()] = None) -> None:
        if settings.api_token is None:
            return
        expected = f"Bearer {settings.api_token.get_secret_value()}"
        if authorization is None or not secrets.compare_digest(authorization, expected):
            raise HTTPException(status_code=401, detail="a valid bearer token is required")

    @app.exception_handler(HTTPException)
    async def http_error(_request: Request, exc: HTTPException) -> JSONResponse:
        body = {"ok": False, "error": exc.detail, "status": exc.status_code}
        return JSONResponse(body, status_code=exc.status_code)

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/ask", dependencies=[Depends(check_token)])
    def ask(request: AskRequest) -> Answer:
        return assistant.ask(request.question, as_of=request.as_of)

    return app
