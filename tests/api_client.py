"""Helpers for the API tests: a real personal token, sent as a Bearer header."""

from api.tokens import issue_token


def bearer(user) -> dict[str, str]:
    """Headers that authenticate as `user` with a new real token."""
    _token, plaintext = issue_token(user=user, name="tests")
    return {"Authorization": f"Bearer {plaintext}"}
