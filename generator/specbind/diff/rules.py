"""The rule table: every kind of change ``specbind diff`` reports.

Each rule has a stable id (``<category>.<side>.<what>``), a category saying who meets
the change (``wire``: an old client talking to the new server; ``python``: code
written against the old generated package; ``docs``: readers), a severity, the
sentence a caller reads, and the rule reported when the same two specs are compared
the other way round (``reverse``; ``None`` when that direction reports nothing).

``evidence`` says how a breaking wire change is proven: ``request`` (a payload the
old converter accepts and the new one rejects: what an old client sends), ``response``
(a payload the new converter accepts and the old one rejects: what the new server
sends), ``route`` (the request the old generated client sends, which no operation of
the new spec serves), or ``none`` with ``unproven`` saying why no payload can show it
(such a change is reported as a warning).
"""

from __future__ import annotations

from typing import Literal

import attrs

Category = Literal["wire", "python", "docs"]
Severity = Literal["breaking", "warning", "info"]
EvidenceKind = Literal["request", "response", "route", "none"]
SEVERITIES: tuple[Severity, ...] = ("breaking", "warning", "info")
CATEGORIES: tuple[Category, ...] = ("wire", "python", "docs")

_OUTSIDE_BODY = (
    "parameters travel outside the JSON body, which the generated converters "
    "do not read"
)


@attrs.frozen
class Rule:
    id: str
    category: Category
    severity: Severity
    meaning: str  # the docs table's "what it means"
    sentence: str  # str.format template over the change's facts
    reverse: str | None = None
    evidence: EvidenceKind = "none"
    unproven: str = ""


# (constraint key in the IR, its spec spelling, "tighter" direction for docs)
CONSTRAINTS: tuple[tuple[str, str], ...] = (
    ("minimum", "minimum"),
    ("maximum", "maximum"),
    ("exclusive_minimum", "exclusive minimum"),
    ("exclusive_maximum", "exclusive maximum"),
    ("multiple_of", "multiple of"),
    ("min_length", "minimum length"),
    ("max_length", "maximum length"),
    ("pattern", "pattern"),
    ("min_items", "minimum item count"),
    ("max_items", "maximum item count"),
    ("const", "constant value"),
)


def _slug(key: str) -> str:
    return key.replace("_", "-")


def _constraint_rules() -> list[Rule]:
    rules = []
    for key, words in CONSTRAINTS:
        slug = _slug(key)
        rules.append(
            Rule(
                f"wire.request.{slug}-tightened",
                "wire",
                "breaking",
                f"a request field's {words} got stricter: values old clients send may be refused",
                f"{{place}}: the {words} changed from {{old}} to {{new}}; "
                "a value an old client sends may now be refused",
                "wire.request.constraint-loosened",
                "request",
            )
        )
        rules.append(
            Rule(
                f"wire.response.{slug}-loosened",
                "wire",
                "breaking",
                f"a response field's {words} got looser: old clients refuse values the server may now send",
                f"{{place}}: the {words} changed from {{old}} to {{new}}; "
                "the server may now send a value an old client refuses",
                "wire.response.constraint-tightened",
                "response",
            )
        )
    return rules


_RULES: list[Rule] = [
    # --- wire, requests: what an old client sends to the new server
    Rule(
        "wire.request.field-became-required",
        "wire",
        "breaking",
        "an optional request field became required",
        "{place} is now required; an old client that leaves it out is refused",
        "wire.request.field-became-optional",
        "request",
    ),
    Rule(
        "wire.request.field-added-required",
        "wire",
        "breaking",
        "a request gained a required field",
        "{place} is a new required field; an old client never sends it and is refused",
        "wire.request.field-removed-ignored",
        "request",
    ),
    Rule(
        "wire.request.field-removed-forbidden",
        "wire",
        "breaking",
        "a request field was removed and the request now refuses unknown fields",
        "{place} was removed and {model} forbids unknown fields; "
        "an old client that sends it is refused",
        "wire.request.field-added-optional",
        "request",
    ),
    Rule(
        "wire.request.field-removed-ignored",
        "wire",
        "warning",
        "a request field was removed; the server ignores it when old clients send it",
        "{place} was removed; an old client may still send it and the server ignores it",
        "wire.request.field-added-optional",
    ),
    Rule(
        "wire.request.unknown-fields-forbidden",
        "wire",
        "breaking",
        "a request model now refuses unknown fields",
        "{place} now forbids unknown fields; an old client sending an extra key is refused",
        "wire.request.unknown-fields-ignored",
        "request",
    ),
    Rule(
        "wire.request.unknown-fields-ignored",
        "wire",
        "info",
        "a request model now ignores unknown fields",
        "{place} now ignores unknown fields",
        "wire.request.unknown-fields-forbidden",
    ),
    Rule(
        "wire.request.lost-nullability",
        "wire",
        "breaking",
        "a request field no longer accepts null",
        "{place} no longer accepts null; an old client sending null is refused",
        "wire.request.gained-nullability",
        "request",
    ),
    Rule(
        "wire.request.gained-nullability",
        "wire",
        "info",
        "a request field now accepts null",
        "{place} now accepts null",
        "wire.request.lost-nullability",
    ),
    Rule(
        "wire.request.type-narrowed",
        "wire",
        "breaking",
        "a request field's type accepts fewer values",
        "{place} changed type from {old} to {new}; some values an old client sends are refused",
        "wire.request.type-widened",
        "request",
    ),
    Rule(
        "wire.request.type-widened",
        "wire",
        "info",
        "a request field's type accepts more values",
        "{place} changed type from {old} to {new}, which accepts more",
        "wire.request.type-narrowed",
    ),
    Rule(
        "wire.request.type-changed",
        "wire",
        "breaking",
        "a request field's type changed to one that shares no values with the old one",
        "{place} changed type from {old} to {new}; what an old client sends is refused",
        "wire.request.type-changed",
        "request",
    ),
    Rule(
        "wire.request.field-became-optional",
        "wire",
        "info",
        "a required request field became optional",
        "{place} is now optional",
        "wire.request.field-became-required",
    ),
    Rule(
        "wire.request.field-added-optional",
        "wire",
        "info",
        "a request gained an optional field",
        "{place} is a new optional field",
        "wire.request.field-removed-ignored",
    ),
    Rule(
        "wire.request.enum-value-removed",
        "wire",
        "breaking",
        "an enum used in requests lost a value",
        "{place} lost the value {value}; an old client sending it is refused",
        "wire.request.enum-value-added",
        "request",
    ),
    Rule(
        "wire.request.enum-value-added",
        "wire",
        "info",
        "an enum used in requests gained a value",
        "{place} gained the value {value}",
        "wire.request.enum-value-removed",
    ),
    Rule(
        "wire.request.enum-closed",
        "wire",
        "breaking",
        "an open enum used in requests became closed",
        "{place} is now closed; an old client sending a value it does not list is refused",
        "wire.request.enum-opened",
        "request",
    ),
    Rule(
        "wire.request.enum-opened",
        "wire",
        "info",
        "a closed enum used in requests became open",
        "{place} now accepts values it does not list",
        "wire.request.enum-closed",
    ),
    Rule(
        "wire.request.variant-removed",
        "wire",
        "breaking",
        "a union used in requests lost a variant",
        "{place} lost the variant {value}; an old client sending it is refused",
        "wire.request.variant-added",
        "request",
    ),
    Rule(
        "wire.request.variant-added",
        "wire",
        "info",
        "a union used in requests gained a variant",
        "{place} gained the variant {value}",
        "wire.request.variant-removed",
    ),
    Rule(
        "wire.request.discriminator-tag-changed",
        "wire",
        "breaking",
        "a request union's variant is now selected by another tag value",
        "{place}: the variant {variant} is now tagged {new} instead of {old}; "
        "an old client sending {old} is refused",
        "wire.request.discriminator-tag-changed",
        "request",
    ),
    Rule(
        "wire.request.constraint-loosened",
        "wire",
        "info",
        "a request field's constraint got looser",
        "{place}: the {constraint} changed from {old} to {new}, which accepts more",
        None,
    ),
    # --- wire, responses: what the new server sends to an old client
    Rule(
        "wire.response.field-may-be-absent",
        "wire",
        "breaking",
        "a required response field became optional: the server may leave it out",
        "{place} may now be absent; an old client requires it",
        "wire.response.field-became-required",
        "response",
    ),
    Rule(
        "wire.response.field-became-required",
        "wire",
        "info",
        "an optional response field became required",
        "{place} is now always sent",
        "wire.response.field-may-be-absent",
    ),
    Rule(
        "wire.response.required-field-removed",
        "wire",
        "breaking",
        "a required response field was removed",
        "{place} was removed; an old client requires it in every response",
        "wire.response.field-added",
        "response",
    ),
    Rule(
        "wire.response.optional-field-removed",
        "wire",
        "info",
        "an optional response field was removed",
        "{place} was removed; old clients see it as unset",
        "wire.response.field-added",
    ),
    Rule(
        "wire.response.field-added",
        "wire",
        "info",
        "a response gained a field (old clients ignore it)",
        "{place} is a new field; old clients ignore it",
        "wire.response.optional-field-removed",
    ),
    Rule(
        "wire.response.field-added-forbidden",
        "wire",
        "breaking",
        "a response gained a field while old clients refuse unknown fields in it",
        "{place} is a new field and the old {model} forbids unknown fields; "
        "an old client refuses a response carrying it",
        "wire.response.optional-field-removed",
        "response",
    ),
    Rule(
        "wire.response.may-be-null",
        "wire",
        "breaking",
        "a response field may now be null",
        "{place} may now be null; an old client refuses null there",
        "wire.response.lost-nullability",
        "response",
    ),
    Rule(
        "wire.response.lost-nullability",
        "wire",
        "info",
        "a response field is no longer null",
        "{place} is no longer null",
        "wire.response.may-be-null",
    ),
    Rule(
        "wire.response.type-widened",
        "wire",
        "breaking",
        "a response field's type allows more values",
        "{place} changed type from {old} to {new}; the server may send a value an old client refuses",
        "wire.response.type-narrowed",
        "response",
    ),
    Rule(
        "wire.response.type-narrowed",
        "wire",
        "info",
        "a response field's type allows fewer values",
        "{place} changed type from {old} to {new}, which old clients read",
        "wire.response.type-widened",
    ),
    Rule(
        "wire.response.type-changed",
        "wire",
        "breaking",
        "a response field's type changed to one that shares no values with the old one",
        "{place} changed type from {old} to {new}; an old client refuses what the server sends",
        "wire.response.type-changed",
        "response",
    ),
    Rule(
        "wire.response.enum-value-added",
        "wire",
        "breaking",
        "a closed enum used in responses gained a value",
        "{place} gained the value {value} and is closed; an old client refuses it",
        "wire.response.enum-value-removed",
        "response",
    ),
    Rule(
        "wire.response.open-enum-value-added",
        "wire",
        "info",
        "an open enum used in responses gained a value (old clients keep it as a string)",
        "{place} gained the value {value}; old clients keep it as a plain string",
        "wire.response.enum-value-removed",
    ),
    Rule(
        "wire.response.enum-value-removed",
        "wire",
        "info",
        "an enum used in responses lost a value",
        "{place} lost the value {value}",
        None,
    ),
    Rule(
        "wire.response.enum-opened",
        "wire",
        "breaking",
        "a closed enum used in responses became open: the server may send unlisted values",
        "{place} is now open; the server may send a value an old client refuses",
        "wire.response.enum-closed",
        "response",
    ),
    Rule(
        "wire.response.enum-closed",
        "wire",
        "info",
        "an open enum used in responses became closed",
        "{place} is now closed",
        "wire.response.enum-opened",
    ),
    Rule(
        "wire.response.variant-added",
        "wire",
        "breaking",
        "a union used in responses gained a variant",
        "{place} gained the variant {value}; an old client refuses it",
        "wire.response.variant-removed",
        "response",
    ),
    Rule(
        "wire.response.variant-removed",
        "wire",
        "info",
        "a union used in responses lost a variant",
        "{place} lost the variant {value}",
        "wire.response.variant-added",
    ),
    Rule(
        "wire.response.discriminator-tag-changed",
        "wire",
        "breaking",
        "a response union's variant is now sent with another tag value",
        "{place}: the variant {variant} is now tagged {new} instead of {old}; "
        "an old client refuses {new}",
        "wire.response.discriminator-tag-changed",
        "response",
    ),
    Rule(
        "wire.response.unknown-fields-forbidden",
        "wire",
        "info",
        "a response model now forbids unknown fields (only new clients check it)",
        "{place} now forbids unknown fields in responses",
        "wire.response.unknown-fields-ignored",
    ),
    Rule(
        "wire.response.unknown-fields-ignored",
        "wire",
        "info",
        "a response model now ignores unknown fields",
        "{place} now ignores unknown fields in responses",
        "wire.response.unknown-fields-forbidden",
    ),
    Rule(
        "wire.response.constraint-tightened",
        "wire",
        "info",
        "a response field's constraint got stricter (old clients accept the values)",
        "{place}: the {constraint} changed from {old} to {new}",
        None,
    ),
    # --- wire, operations
    Rule(
        "wire.operation-removed",
        "wire",
        "breaking",
        "an operation was removed",
        "{place} ({old}) was removed; old clients calling it get an error",
        "wire.operation-added",
        "route",
    ),
    Rule(
        "wire.operation-added",
        "wire",
        "info",
        "an operation was added",
        "{place} ({new}) is new",
        "wire.operation-removed",
    ),
    Rule(
        "wire.path-changed",
        "wire",
        "breaking",
        "an operation's path changed",
        "{place} moved from {old} to {new}; old clients call the old path",
        "wire.path-changed",
        "route",
    ),
    Rule(
        "wire.http-method-changed",
        "wire",
        "breaking",
        "an operation's HTTP method changed",
        "{place} changed from {old} to {new}; old clients send {old}",
        "wire.http-method-changed",
        "route",
    ),
    Rule(
        "wire.stream-terminator-changed",
        "wire",
        "breaking",
        "a stream's terminator changed",
        "{place}: the stream now ends with {new} instead of {old}; "
        "old clients wait for {old}",
        "wire.stream-terminator-changed",
        unproven="a stream's end is framing, not a JSON payload the converters read",
    ),
    Rule(
        "wire.response-became-stream",
        "wire",
        "breaking",
        "an operation that answered with one JSON body now answers with a stream, or the reverse",
        "{place} now answers with {new} instead of {old}; old clients read {old}",
        "wire.response-became-stream",
        unproven="the answer's framing changed, not a payload the converters read",
    ),
    Rule(
        "wire.response-became-union",
        "wire",
        "breaking",
        "an operation that answered with one model now answers with a union of models; "
        "an old client refuses the other variants",
        "{place} now answers with {new} instead of {old}; an old client refuses "
        "the answers that are not {old}",
        "wire.response-model-changed",
        "response",
    ),
    Rule(
        "wire.response-model-changed",
        "wire",
        "warning",
        "an operation answers with another model (its fields are compared below)",
        "{place} now answers with {new} instead of {old}",
        "wire.response-model-changed",
    ),
    Rule(
        "wire.request-model-changed",
        "wire",
        "warning",
        "an operation takes another request model (its fields are compared below)",
        "{place} now takes {new} instead of {old}",
        "wire.request-model-changed",
    ),
    Rule(
        "wire.body-encoding-changed",
        "wire",
        "breaking",
        "a request body is encoded another way (JSON, multipart, form)",
        "{place}: the body is now sent as {new} instead of {old}; old clients send {old}",
        "wire.body-encoding-changed",
        unproven="a body's encoding is framing, not a payload the converters read",
    ),
    Rule(
        "wire.response-status-added",
        "wire",
        "breaking",
        "an operation may answer with a success status old clients do not know",
        "{place} may now answer {value} ({new}); old clients do not expect it",
        "wire.response-status-removed",
        unproven="which status a server answers is not a payload the converters read",
    ),
    Rule(
        "wire.response-status-removed",
        "wire",
        "warning",
        "an operation no longer answers with a success status (code handling it is dead)",
        "{place} no longer answers {value} ({old})",
        "wire.response-status-added",
    ),
    Rule(
        "wire.response-kind-changed",
        "wire",
        "breaking",
        "an operation's answer changed between a JSON body, a binary body and no content",
        "{place} now answers {new} instead of {old}; old clients read {old}",
        "wire.response-kind-changed",
        unproven="the answer's framing changed, not a payload the converters read",
    ),
    Rule(
        "wire.request-body-removed",
        "wire",
        "breaking",
        "an operation no longer takes a body",
        "{place} no longer takes a body; old clients send {old}",
        "wire.request-body-added",
        unproven="the body is gone, so there is no new converter to refuse it",
    ),
    Rule(
        "wire.request-body-added",
        "wire",
        "warning",
        "an operation now takes a body",
        "{place} now takes a body ({new}); old clients send none",
        "wire.request-body-removed",
    ),
    Rule(
        "wire.error-status-removed",
        "wire",
        "warning",
        "an error status is no longer documented for an operation",
        "{place} no longer documents status {value} ({old})",
        "wire.error-status-added",
    ),
    Rule(
        "wire.error-status-added",
        "wire",
        "info",
        "an error status is now documented for an operation",
        "{place} now documents status {value} ({new})",
        "wire.error-status-removed",
    ),
    Rule(
        "wire.parameter-became-required",
        "wire",
        "breaking",
        "an optional parameter became required",
        "{place} is now required; an old client that leaves it out is refused",
        "wire.parameter-became-optional",
        "route",
    ),
    Rule(
        "wire.parameter-became-optional",
        "wire",
        "info",
        "a required parameter became optional",
        "{place} is now optional",
        "wire.parameter-became-required",
    ),
    Rule(
        "wire.parameter-added-required",
        "wire",
        "breaking",
        "an operation gained a required parameter",
        "{place} is a new required {location} parameter; old clients never send it",
        "wire.parameter-removed",
        "route",
    ),
    Rule(
        "wire.parameter-added-optional",
        "wire",
        "info",
        "an operation gained an optional parameter",
        "{place} is a new optional {location} parameter",
        "wire.parameter-removed",
    ),
    Rule(
        "wire.parameter-removed",
        "wire",
        "warning",
        "a parameter was removed; old clients still send it",
        "{place} was removed; old clients still send it in the {location}",
        "wire.parameter-added-optional",
    ),
    Rule(
        "wire.parameter-moved",
        "wire",
        "breaking",
        "a parameter moved between the path, the query string and the headers",
        "{place} moved from the {old} to the {new}; old clients send it in the {old}",
        "wire.parameter-moved",
        "route",
    ),
    Rule(
        "wire.parameter-type-changed",
        "wire",
        "breaking",
        "a parameter's type changed",
        "{place} changed type from {old} to {new}",
        "wire.parameter-type-changed",
        unproven=_OUTSIDE_BODY,
    ),
    Rule(
        "wire.parameter-style-changed",
        "wire",
        "breaking",
        "a parameter is written another way (as text, form style, or as its JSON text)",
        "{place} is now written {new} instead of {old}; old clients write it {old}",
        "wire.parameter-style-changed",
        unproven=_OUTSIDE_BODY,
    ),
    Rule(
        "wire.server-changed",
        "wire",
        "warning",
        "the default server changed",
        "the default server changed from {old} to {new}; old clients call {old}",
        "wire.server-changed",
    ),
    Rule(
        "wire.auth-changed",
        "wire",
        "breaking",
        "the API key is sent another way (the scheme, bearer or a header of its own, or the header changed) or is now needed where none was",
        "the API key is now sent {new} instead of {old}; old clients send it {old}",
        "wire.auth-changed",
        "route",
    ),
    # --- python: code written against the old generated package
    Rule(
        "python.class-removed",
        "python",
        "breaking",
        "a model, union or enum class was removed",
        "the {kind} {place} was removed; code importing it fails",
        "python.class-added",
    ),
    Rule(
        "python.class-added",
        "python",
        "info",
        "a model, union or enum class was added",
        "the {kind} {place} is new",
        "python.class-removed",
    ),
    Rule(
        "python.class-renamed",
        "python",
        "breaking",
        "a class was renamed (the same fields under a new name)",
        "the {kind} {old} is now named {new}; code importing {old} fails",
        "python.class-renamed",
    ),
    Rule(
        "python.field-removed",
        "python",
        "breaking",
        "a model attribute was removed",
        "{place} was removed; code reading or passing {python} fails",
        "python.field-added",
    ),
    Rule(
        "python.field-added",
        "python",
        "info",
        "a model attribute was added",
        "{place} is a new attribute {python}",
        "python.field-removed",
    ),
    Rule(
        "python.field-added-required",
        "python",
        "breaking",
        "a model gained a required attribute: constructing it needs a new keyword argument",
        "{place}: {python} is a new required keyword argument of {model}",
        "python.field-removed",
    ),
    Rule(
        "python.field-renamed",
        "python",
        "breaking",
        "a field keeps its wire name under a new Python name",
        "{place} keeps its wire name but its attribute is now {new} instead of {old}; "
        "code using {old} fails",
        "python.field-renamed",
    ),
    Rule(
        "python.field-became-required",
        "python",
        "breaking",
        "a model's keyword argument became required",
        "{place}: {python} is now a required keyword argument of {model}",
        "python.field-became-optional",
    ),
    Rule(
        "python.field-became-optional",
        "python",
        "info",
        "a model's required keyword argument became optional",
        "{place}: {python} is now optional in {model}",
        "python.field-became-required",
    ),
    Rule(
        "python.field-type-narrowed",
        "python",
        "breaking",
        "a field's Python type no longer accepts what it did",
        "{place} changed Python type from {old} to {new}; code passing {old} no longer type-checks",
        "python.field-type-widened",
    ),
    Rule(
        "python.field-type-widened",
        "python",
        "warning",
        "a field's Python type accepts more: code reading it may need to handle more",
        "{place} changed Python type from {old} to {new}; code reading it may meet values it did not expect",
        "python.field-type-narrowed",
    ),
    Rule(
        "python.field-type-changed",
        "python",
        "breaking",
        "a field's Python type changed to an unrelated one",
        "{place} changed Python type from {old} to {new}",
        "python.field-type-changed",
    ),
    Rule(
        "python.default-changed",
        "python",
        "warning",
        "a field's default changed: calls that leave it out send another value",
        "{place}: the default changed from {old} to {new}; calls that leave it out now send {new}",
        "python.default-changed",
    ),
    Rule(
        "python.default-added",
        "python",
        "warning",
        "a field gained a default: calls that leave it out now send it",
        "{place} now defaults to {new}; calls that leave it out now send it",
        "python.default-removed",
    ),
    Rule(
        "python.default-removed",
        "python",
        "warning",
        "a field lost its default: calls that leave it out no longer send it",
        "{place} no longer defaults to {old}; calls that leave it out no longer send it",
        "python.default-added",
    ),
    Rule(
        "python.group-removed",
        "python",
        "breaking",
        "an operation group (client attribute) was removed",
        "the group client.{place} was removed",
        "python.group-added",
    ),
    Rule(
        "python.group-moved",
        "python",
        "breaking",
        "an operation group moved to another place in the client (its methods kept)",
        "the group client.{old} is now client.{new}",
        "python.group-moved",
    ),
    Rule(
        "python.group-added",
        "python",
        "info",
        "an operation group was added",
        "the group client.{place} is new",
        "python.group-removed",
    ),
    Rule(
        "python.method-removed",
        "python",
        "breaking",
        "a client method was removed",
        "client.{place}() was removed",
        "python.method-added",
    ),
    Rule(
        "python.method-added",
        "python",
        "info",
        "a client method was added",
        "client.{place}() is new",
        "python.method-removed",
    ),
    Rule(
        "python.method-renamed",
        "python",
        "breaking",
        "a client method was renamed (the same route under a new name)",
        "client.{old}() is now client.{new}()",
        "python.method-renamed",
    ),
    Rule(
        "python.parameter-removed",
        "python",
        "breaking",
        "a method's keyword argument was removed",
        "{place}: the keyword argument {python} was removed",
        "python.parameter-added-optional",
    ),
    Rule(
        "python.parameter-renamed",
        "python",
        "breaking",
        "a parameter keeps its wire name under a new keyword argument",
        "{place} keeps its wire name but its keyword argument is now {new} instead of {old}",
        "python.parameter-renamed",
    ),
    Rule(
        "python.parameter-became-required",
        "python",
        "breaking",
        "a method's keyword argument became required",
        "{place}: the keyword argument {python} is now required",
        "python.parameter-became-optional",
    ),
    Rule(
        "python.parameter-became-optional",
        "python",
        "info",
        "a method's keyword argument became optional",
        "{place}: the keyword argument {python} is now optional",
        "python.parameter-became-required",
    ),
    Rule(
        "python.parameter-added-required",
        "python",
        "breaking",
        "a method gained a required keyword argument",
        "{place}: {python} is a new required keyword argument",
        "python.parameter-removed",
    ),
    Rule(
        "python.parameter-added-optional",
        "python",
        "info",
        "a method gained an optional keyword argument",
        "{place}: {python} is a new optional keyword argument",
        "python.parameter-removed",
    ),
    Rule(
        "python.parameter-default-changed",
        "python",
        "warning",
        "a parameter's default changed",
        "{place}: the default changed from {old} to {new}",
        "python.parameter-default-changed",
    ),
    Rule(
        "python.enum-member-removed",
        "python",
        "breaking",
        "an enum member was removed",
        "{place} was removed",
        "python.enum-member-added",
    ),
    Rule(
        "python.enum-member-added",
        "python",
        "info",
        "an enum member was added",
        "{place} is new",
        "python.enum-member-removed",
    ),
    Rule(
        "python.enum-member-renamed",
        "python",
        "breaking",
        "an enum member keeps its value under a new name",
        "{place}: the value {value} is now {new} instead of {old}",
        "python.enum-member-renamed",
    ),
    Rule(
        "python.package-renamed",
        "python",
        "breaking",
        "the generated package was renamed",
        "the package {old} is now {new}; every import changes",
        "python.package-renamed",
    ),
    Rule(
        "python.auth-env-changed",
        "python",
        "warning",
        "the environment variable holding the API key changed",
        "the API key is now read from {new} instead of {old}",
        "python.auth-env-changed",
    ),
    # --- docs
    Rule(
        "docs.description-changed",
        "docs",
        "info",
        "a description changed",
        "{place}: the description changed",
        "docs.description-changed",
    ),
    Rule(
        "docs.example-changed",
        "docs",
        "info",
        "an example changed",
        "{place}: the example changed from {old} to {new}",
        "docs.example-changed",
    ),
    Rule(
        "docs.summary-changed",
        "docs",
        "info",
        "an operation's summary changed",
        "{place}: the summary changed",
        "docs.summary-changed",
    ),
    Rule(
        "docs.server-default-changed",
        "docs",
        "info",
        "a documented server default changed (documentation only; nothing is sent)",
        "{place}: the server's documented default changed from {old} to {new}",
        "docs.server-default-changed",
    ),
    Rule(
        "docs.title-changed",
        "docs",
        "info",
        "the API's title changed",
        "the title changed from {old} to {new}",
        "docs.title-changed",
    ),
    *_constraint_rules(),
]

RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}
assert len(RULES) == len(_RULES), "duplicate rule id"


def rule(rule_id: str) -> Rule:
    return RULES[rule_id]


def table() -> str:
    """The rules as the Markdown table of docs/diff.md (``specbind diff --rules``)."""
    lines = [
        "| rule | category | severity | what it means | NEW -> OLD reports |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in sorted(RULES.values(), key=lambda r: (CATEGORIES.index(r.category), r.id)):
        severity: str = r.severity
        if r.category == "wire" and r.severity == "breaking":
            severity += (
                " (proven)" if r.evidence != "none" else " (reported as warning)"
            )
        reverse = f"`{r.reverse}`" if r.reverse else "nothing of its kind"
        lines.append(
            f"| `{r.id}` | {r.category} | {severity} | {r.meaning} | {reverse} |"
        )
    return "\n".join(lines) + "\n"
