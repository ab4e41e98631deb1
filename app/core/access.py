"""The checks routes depend on: who is calling (a principal, or nobody) and what the key
may do (read, write, administer).

How a bearer token becomes a principal is the auth domain's (app.auth.security.authenticate):
``create_app()`` puts it in ``app.state.authenticate``, so that core, where every router
finds these dependencies, knows no table of keys or agencies.
"""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.core.auth_failures import attempt_for
from app.core.config import get_settings
from app.core.db import SessionDep
from app.core.errors import Forbidden, Unauthorized
from app.core.principal import Principal
from app.core.ratelimit import enforce_rate_limit

# (session, token, attempt) -> the principal; raises Unauthorized.
Authenticate = Callable[..., Principal]

bearer_scheme = HTTPBearer(
    auto_error=False,
    description="An API key: `Authorization: Bearer nq57_…`. Create one with "
    "`nq57 keys create` or POST /api/v1/api-keys.",
)


def get_principal(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> Principal | None:
    if credentials is None:
        return None
    token = credentials.credentials.strip()
    authenticate: Authenticate = request.app.state.authenticate
    principal = authenticate(session, token, attempt=attempt_for(request))
    request.state.api_client = principal.client  # for the access log
    enforce_rate_limit(request.app, principal.client, is_admin=principal.is_admin)
    return principal


MaybePrincipal = Annotated[Principal | None, Depends(get_principal)]


def require_catalogue_reader(principal: MaybePrincipal) -> Principal | None:
    """Catalogue and status: open to anonymous clients unless NQ57_PUBLIC_READ=false."""
    if principal is None and not get_settings().public_read:
        raise Unauthorized("An API key is required to read this service.")
    return principal


def require_reader(principal: MaybePrincipal) -> Principal:
    if principal is None:
        raise Unauthorized("Records need an API key (Authorization: Bearer …).")
    return principal


def require_writer(principal: MaybePrincipal) -> Principal:
    principal = require_reader(principal)
    if not principal.can_write:
        raise Forbidden("This key is read-only; writing needs the 'write' scope.")
    return principal


def require_admin(principal: MaybePrincipal) -> Principal:
    principal = require_reader(principal)
    if not principal.is_admin:
        raise Forbidden("Only an admin key may do this.")
    return principal


CatalogueReader = Annotated[Principal | None, Depends(require_catalogue_reader)]
Reader = Annotated[Principal, Depends(require_reader)]
Writer = Annotated[Principal, Depends(require_writer)]
Admin = Annotated[Principal, Depends(require_admin)]
