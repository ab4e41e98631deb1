"""Who a request acts for, as the rest of the service sees it: an actor, its agency and scopes.

How a bearer key becomes a principal is app.auth.security; which agencies it may act for,
app.agencies.access; the checks routes depend on, app.core.access.
"""

from dataclasses import dataclass, field

from app.core.vocab import Scope


@dataclass(frozen=True)
class Principal:
    actor: str
    agency_code: str | None
    scopes: frozenset[str] = field(default_factory=frozenset)
    key_id: int | None = None
    # An admin key's reach: its agency's province (a province administrator), or None (a
    # national administrator: a key of a national body, or the bootstrap key).
    province_code: str | None = None

    @property
    def is_admin(self) -> bool:
        return Scope.admin in self.scopes

    @property
    def is_national_admin(self) -> bool:
        return self.is_admin and self.province_code is None

    def administers(self, province: str | None) -> bool:
        """Whether an admin key reaches what belongs to ``province`` (None: national)."""
        return self.is_national_admin or (self.is_admin and province == self.province_code)

    @property
    def can_write(self) -> bool:
        return self.is_admin or Scope.write in self.scopes

    @property
    def client(self) -> str:
        """Who to count requests and idempotency keys against: the key's prefix,
        or ``bootstrap-admin``."""
        return self.actor.removeprefix("key:")


SYSTEM = Principal(actor="system", agency_code=None, scopes=frozenset({Scope.admin}))
