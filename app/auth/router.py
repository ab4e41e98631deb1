from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from app.auth import service
from app.auth.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyFilters, ApiKeyPage, ApiKeyRead
from app.core.access import Admin
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.filters import QueryModel
from app.core.pagination import PageDep

router = APIRouter(prefix="/api-keys", tags=["api keys"])

READ_ERRORS = problem_responses(401, 403, 404, 422, 429, 503)
WRITE_ERRORS = problem_responses(401, 403, 404, 409, 413, 422, 429, 503)

# No example: prefixes are random, and a fixed one names no key on any install.
Prefix = Annotated[
    str,
    Path(max_length=16, description="The key's public prefix, as `POST /api-keys` answered it."),
]


@router.post(
    "",
    response_model=ApiKeyCreated,
    status_code=status.HTTP_201_CREATED,
    summary="Create an API key",
    responses=WRITE_ERRORS,
)
def create_api_key(
    payload: ApiKeyCreate, session: SessionDep, actor: Admin, response: Response
) -> ApiKeyCreated:
    """Issue a key bound to an agency (admin). The answer holds the secret `key`: it is
    shown this once, only its hash is kept. With an `Idempotency-Key`, a retry does not
    issue a second key but answers 409, since the secret is never stored."""
    key, secret = service.create_api_key(
        session,
        agency_code=payload.agency_code,
        scopes=payload.scopes,
        name=payload.name,
        expires_at=payload.expires_at,
        actor=actor,
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["Location"] = f"/api/v1/api-keys/{key.prefix}"
    return ApiKeyCreated(**ApiKeyRead.model_validate(key).model_dump(), key=secret)


@router.get("", response_model=ApiKeyPage, summary="List API keys", responses=READ_ERRORS)
def list_api_keys(
    filters: QueryModel[ApiKeyFilters], session: SessionDep, admin: Admin, page: PageDep
) -> ApiKeyPage:
    """Keys with their agency, scopes, expiry and last use (admin); never their secrets.
    A province administrator sees its province's keys."""
    rows, next_cursor = service.page_api_keys(session, page=page, filters=filters, reach=admin)
    return ApiKeyPage(items=[ApiKeyRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/{prefix}", response_model=ApiKeyRead, summary="Get an API key", responses=READ_ERRORS)
def get_api_key(prefix: Prefix, session: SessionDep, admin: Admin) -> ApiKeyRead:
    """One key by its prefix (admin), e.g. to see when it was last used."""
    return ApiKeyRead.model_validate(service.get_api_key(session, prefix, reach=admin))


@router.post(
    "/{prefix}/revoke",
    response_model=ApiKeyRead,
    summary="Revoke an API key",
    responses=WRITE_ERRORS,
)
def revoke_api_key(prefix: Prefix, session: SessionDep, actor: Admin) -> ApiKeyRead:
    """Stop a key from working, at once and for good (admin). The key is kept, revoked,
    so that the audit trail still names it; revoking it again changes nothing."""
    return ApiKeyRead.model_validate(service.revoke_api_key(session, prefix=prefix, actor=actor))
