"""Schemathesis checks for Lianban's GraphQL (SPEC §8–9), loaded with SCHEMATHESIS_HOOKS.

No response is a 5xx. Every GraphQL error carries one of the stable codes, and none is
INTERNAL: bad input gets its code (INVALID_INPUT, NOT_FOUND, …), never a fault of ours. A body
that is not GraphQL JSON fails too, and the message never shows SQL or a stack trace.

(Schemathesis's own `not_a_server_error` counts every GraphQL error as a server error, which
would fail the very answers SPEC §9 asks for — a clear error with its code — so the test runs
these checks instead.)
"""

import json

import schemathesis
import schemathesis.graphql
from hypothesis import strategies as st

CODES = {
    "UNAUTHENTICATED",
    "FORBIDDEN",
    "NOT_FOUND",
    "INVALID_INPUT",
    "INVALID_STATE",
    "CONFLICT",
    "INTERNAL",
}
LEAKS = ("SELECT ", "INSERT ", "sqlx", "sea_orm", "panicked", "stack backtrace")


@schemathesis.check
def every_error_has_a_stable_code_and_none_is_internal(ctx, response, case):
    if response.status_code >= 500:
        raise AssertionError(f"a server error: {response.status_code}")
    try:
        body = json.loads(response.content)
    except ValueError as err:
        raise AssertionError(f"not JSON ({response.status_code}): {response.content[:200]!r}") from err
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        if code not in CODES:
            raise AssertionError(f"an error without a stable code: {error}")
        if code == "INTERNAL":
            raise AssertionError(f"INTERNAL for input the client sent: {error}")
        message = error.get("message", "")
        if any(leak in message for leak in LEAKS):
            raise AssertionError(f"the message shows internals: {message}")


# Lianban's own scalar: a calendar day. Well-formed days and strings that are not days, so both
# the answer and the refusal (INVALID_INPUT) are exercised.
schemathesis.graphql.scalar(
    "NaiveDate",
    st.one_of(st.dates().map(str), st.text(max_size=12)).map(schemathesis.graphql.nodes.String),
)
