"""The one error a form reader raises: where (file, line) and what was expected and found."""


class FormError(Exception):
    """A form that cannot be read. ``str(error)`` is ``FILE:LINE: message``."""

    def __init__(self, path: str, line: int, message: str, place: str | None = None):
        super().__init__(f"{path}:{line}: {message}" + (f" [{place}]" if place else ""))
        self.path = path
        self.line = line
        self.message = message
        self.place = place  # where a document holds the line: Sheet1!A5, page 2 table 1 row 4


def shown(text: str, limit: int = 40) -> str:
    """A cell as quoted in an error message: trimmed, with a visible ellipsis when cut."""
    text = text.strip()
    return f"'{text[:limit]}…'" if len(text) > limit else f"'{text}'"
