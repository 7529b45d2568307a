"""The rulebook's one error: bad input or bad data, naming the field and the rule."""

from __future__ import annotations


class RulebookError(ValueError):
    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message

    def as_dict(self) -> dict[str, dict[str, str | None]]:
        return {"error": {"field": self.field, "message": self.message}}
