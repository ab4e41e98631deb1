"""Swagger UI at ``/docs`` and ReDoc at ``/redoc``, with everything they load served here.

FastAPI's own pages load Swagger UI, ReDoc, Google fonts and a favicon from CDNs: on a
closed network they stay blank. Here the pages load:

* Swagger UI's ``swagger-ui-bundle.js`` and ``swagger-ui.css`` from
  ``/docs-assets/swagger/`` and ReDoc's ``redoc.standalone.js`` from
  ``/docs-assets/redoc/``: the files the PyPI package ``fastapi-standalone-docs`` ships (its
  ``static`` folder; we use its files, not its ``StandaloneDocs``, which patches FastAPI);
* the Redocly logo of ReDoc's sidebar from ``/redoc/logo-mini.svg``: that package's ReDoc
  asks for it there, beside the page, instead of from Redocly's CDN;
* the favicon from ``/favicon.ico``: the project's own (``app/static``, drawn in
  ``favicon.svg``, also served);
* no font: ReDoc falls back to the system's.

None of these routes is in the OpenAPI contract.
"""

from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.staticfiles import StaticFiles

DOCS_PATH = "/docs"
REDOC_PATH = "/redoc"
# FastAPI's default (``swagger_ui_oauth2_redirect_url``), served by it only with its /docs.
OAUTH2_REDIRECT_PATH = "/docs/oauth2-redirect"
ASSETS_PATH = "/docs-assets"
FAVICON_PATH = "/favicon.ico"
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
# fastapi-standalone-docs' folders of Swagger UI and ReDoc files (with their licences).
ASSETS_PACKAGE = "fastapi_standalone_docs"

SWAGGER_UI_PARAMETERS: dict[str, Any] = {
    # The key typed into "Authorize" survives a reload of the page (browser storage).
    "persistAuthorization": True,
    "displayRequestDuration": True,
    # No "valid" badge fetched from validator.swagger.io.
    "validatorUrl": None,
}

_ICON_CACHE = {"Cache-Control": "public, max-age=86400"}

router = APIRouter(include_in_schema=False)
# Routes rather than mounts, so that the access log and the metrics name them by their
# template (a mount inside an included router is logged as "unmatched").
_assets = {
    ui: StaticFiles(packages=[(ASSETS_PACKAGE, f"static/{ui}")]) for ui in ("swagger", "redoc")
}


def _root_path(request: Request) -> str:
    """The prefix a proxy serves the app under (``--root-path``), or ``""``."""
    return str(request.scope.get("root_path", "")).rstrip("/")


def _openapi_url(request: Request) -> str:
    return _root_path(request) + (request.app.openapi_url or "/openapi.json")


@router.get(DOCS_PATH)
def swagger_ui(request: Request) -> HTMLResponse:
    root = _root_path(request)
    return get_swagger_ui_html(
        openapi_url=_openapi_url(request),
        title=f"{request.app.title} - Swagger UI",
        swagger_js_url=f"{root}{ASSETS_PATH}/swagger/swagger-ui-bundle.js",
        swagger_css_url=f"{root}{ASSETS_PATH}/swagger/swagger-ui.css",
        swagger_favicon_url=f"{root}{FAVICON_PATH}",
        oauth2_redirect_url=f"{root}{OAUTH2_REDIRECT_PATH}",
        swagger_ui_parameters=SWAGGER_UI_PARAMETERS,
    )


@router.get(OAUTH2_REDIRECT_PATH)
def swagger_ui_oauth2_redirect() -> HTMLResponse:
    return get_swagger_ui_oauth2_redirect_html()


@router.get(REDOC_PATH)
def redoc(request: Request) -> HTMLResponse:
    root = _root_path(request)
    return get_redoc_html(
        openapi_url=_openapi_url(request),
        title=f"{request.app.title} - ReDoc",
        redoc_js_url=f"{root}{ASSETS_PATH}/redoc/redoc.standalone.js",
        redoc_favicon_url=f"{root}{FAVICON_PATH}",
        with_google_fonts=False,
    )


@router.get(ASSETS_PATH + "/{ui}/{name}")
async def docs_asset(ui: str, name: str, request: Request) -> Response:
    """A file of Swagger UI or ReDoc (ETag and Last-Modified set, 404 if none)."""
    files = _assets.get(ui)
    if files is None:
        raise HTTPException(status_code=404)
    return await files.get_response(name, request.scope)


@router.get(REDOC_PATH + "/logo-mini.svg")
async def redoc_logo(request: Request) -> Response:
    return await _assets["redoc"].get_response("logo-mini.svg", request.scope)


@router.get(FAVICON_PATH)
def favicon_ico() -> FileResponse:
    return FileResponse(STATIC_DIR / "favicon.ico", media_type="image/x-icon", headers=_ICON_CACHE)


@router.get("/favicon.svg")
def favicon_svg() -> FileResponse:
    return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml", headers=_ICON_CACHE)
