__all__ = ["int_or_none"]


def int_or_none(value) -> int | None:
    """A query-string number, or None for anything missing or garbled."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
