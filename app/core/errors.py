"""One error hierarchy: each error is a kind of RFC 9457 problem (app.core.problem renders
it, app.core.error_handlers answers with it, app.core.problem_docs declares it)."""

from typing import Any, ClassVar

from app.core.problem import PROBLEM_BASE as PROBLEM_BASE
from app.core.problem import PROBLEM_KINDS as PROBLEM_KINDS
from app.core.problem import PROBLEM_MEDIA_TYPE as PROBLEM_MEDIA_TYPE
from app.core.problem import Problem as Problem
from app.core.problem import ValidationIssue as ValidationIssue
from app.core.problem import problem_response as problem_response
from app.core.problem_docs import READ_ERRORS as READ_ERRORS
from app.core.problem_docs import WRITE_ERRORS as WRITE_ERRORS
from app.core.problem_docs import problem_content as problem_content
from app.core.problem_docs import problem_example_components as problem_example_components
from app.core.problem_docs import problem_responses as problem_responses


class AppError(Exception):
    """An error the client can act on. A subclass names its ``status``; its slug and
    title are that status's kind (PROBLEM_KINDS) unless it sets its own."""

    status = 400
    slug = "bad-request"
    title = "Bad request"
    headers: ClassVar[dict[str, str] | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "slug" not in cls.__dict__ and cls.status in PROBLEM_KINDS:
            cls.slug, cls.title = PROBLEM_KINDS[cls.status]

    def __init__(self, detail: str, *, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors


class NotFound(AppError):
    status = 404


class Conflict(AppError):
    status = 409


class Unauthorized(AppError):
    status = 401
    headers: ClassVar[dict[str, str] | None] = {"WWW-Authenticate": "Bearer"}


class Forbidden(AppError):
    status = 403


class PreconditionFailed(AppError):
    status = 412


class PayloadTooLarge(AppError):
    status = 413


class InvalidInput(AppError):
    status = 422


class ServiceUnavailable(AppError):
    status = 503
    headers: ClassVar[dict[str, str] | None] = {"Retry-After": "5"}
