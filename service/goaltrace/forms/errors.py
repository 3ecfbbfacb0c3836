"""The one error a form reader raises: where (file, line) and what was expected and found."""

import unicodedata


class FormError(Exception):
    """A form that cannot be read. ``str(error)`` is ``FILE:LINE: message``."""

    def __init__(self, path: str, line: int, message: str, place: str | None = None):
        super().__init__(self._shown(path, line, message, place))
        self.path = path
        self.line = line
        self.message = message
        self.place = place  # where a document holds the line: Sheet1!A5, page 2 table 1 row 4

    @staticmethod
    def _shown(path: str, line: int, message: str, place: str | None) -> str:
        return f"{path}:{line}: {message}" + (f" [{place}]" if place else "")

    @property
    def reason(self) -> str:
        """What is wrong, without the file's name."""
        return str(self)[len(f"{self.path}:{self.line}: "):]

    def at(self, path: str) -> "FormError":
        """The same error, naming the file (a document reader knows only the bytes)."""
        return type(self)(path, self.line, self.message, self.place)

    def __reduce__(self):  # crosses from a reading worker to the importing process
        return type(self), (self.path, self.line, self.message, self.place)


class LimitError(FormError):
    """A file past one of the bounds a reader holds to (a size, a count, the memory or time a
    reading may take). ``str(error)`` is ``FILE: place: the limit, what was found``."""

    @staticmethod
    def _shown(path: str, line: int, message: str, place: str | None) -> str:
        return f"{path}: {place or 'whole file'}: {message}"

    @property
    def reason(self) -> str:
        return f"{self.place or 'whole file'}: {self.message}"


def file_bytes(path, what: str) -> bytes:
    """A file's bytes, or a FormError at its first line saying it is not a readable `what`."""
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as error:
        raise FormError(str(path), 1, f"expected a readable {what}, found {error.strerror or error}") from None


def shown(text: str, limit: int = 40) -> str:
    """A cell as quoted in an error message: trimmed, with a visible ellipsis when cut. It is cut
    between whole characters: never inside a pair of surrogates or before a combining mark, and
    a replacement character (U+FFFD) where the source's bytes were cut inside a character is
    shown as the cut it is."""
    text = text.strip()
    cut = len(text) > limit
    if cut:
        end = limit
        while end > 0 and (unicodedata.combining(text[end]) or "\udc00" <= text[end] <= "\udfff"):
            end -= 1  # a mark belongs to the character before it; a low surrogate to the high one
        text = text[:end]
    if text.endswith("\ufffd"):
        text, cut = text.rstrip("\ufffd"), True
    return f"'{text}…'" if cut else f"'{text}'"
