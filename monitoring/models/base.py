from datetime import date

__all__ = ["DEADLINE"]

# Every region has its future plan decided and in execution by the end of 2026.
DEADLINE = date(2026, 12, 31)
