"""Rules between the fields of a request body, beyond what each field's type says."""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class CrossFieldRule:
    """A rule between fields that the service checks (a 422 when broken).

    The contract states ``text`` in the schema's description: a top-level ``anyOf`` or
    ``oneOf`` would say it to validators, but client generators cannot type it (they emit
    one class per branch, or ``Any``). ``schema`` is the same rule in JSON Schema, kept
    out of the contract: tests/contract/test_schemathesis.py adds it to the schema the
    fuzzer loads, so that it generates what the service accepts.
    """

    text: str
    schema: dict[str, Any]


# As app.core.push.check_pair says: null counts as absent.
PUSH_PAIR_RULE = CrossFieldRule(
    text="`source` and `external_id` go together: give both (the record's push key) or "
    "neither (null counts as absent). One without the other is refused (422, "
    "`missing_pair`).",
    schema={
        "anyOf": [
            {
                "required": ["source", "external_id"],
                "properties": {"source": {"type": "string"}, "external_id": {"type": "string"}},
            },
            {"properties": {"source": {"type": "null"}, "external_id": {"type": "null"}}},
        ]
    },
)


def exactly_one_of(text: str, first: tuple[str, str], second: tuple[str, str]) -> CrossFieldRule:
    """Two fields of which a body gives exactly one: not both, not neither.

    ``first`` and ``second`` are each a field's name and its JSON type; the rule's schema
    requires one of them and makes the other null, as the models' validators check.
    """
    (first_name, first_type), (second_name, second_type) = first, second

    def branch(given: str, given_type: str, other: str) -> dict[str, Any]:
        return {
            "required": [given],
            "properties": {given: {"type": given_type}, other: {"type": "null"}},
        }

    return CrossFieldRule(
        text=text,
        schema={
            "oneOf": [
                branch(first_name, first_type, second_name),
                branch(second_name, second_type, first_name),
            ]
        },
    )


@dataclass(frozen=True, slots=True)
class FieldOrder:
    """Two fields of a body in order: ``lower`` must not exceed ``upper`` (a first day
    after a last day, more passed than took part); broken, 422 ``range`` with ``message``.
    A side left out (None) is not compared."""

    lower: str
    upper: str
    message: str
