"""What the document libraries say on their own, kept from the user's terminal.

pdfminer logs (``Cannot set gray non-stroke color…``), openpyxl warns (``Data Validation
extension is not supported…``), xlrd prints (``WARNING *** file size … not 512 + multiple of
sector size``): none of it is addressed to the person importing, and much of it comes before a
message of goaltrace's own about the same file, which is the one that says what to do. Their
loggers get no handler that prints and pass nothing up; their warnings are ignored; xlrd is
given `DISCARD` to print to. This holds in every process that reads documents (the PDF page
workers too): importing the documents package calls `silence`.
"""

import logging
import warnings

LIBRARIES = ("pdfminer", "pdfplumber", "pypdfium2", "openpyxl", "xlrd", "docx", "PIL")


class _Discard:
    """A file that keeps nothing written to it."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self):
        pass


DISCARD = _Discard()
_silenced = False


def silence():
    global _silenced
    if _silenced:
        return
    _silenced = True
    for name in LIBRARIES:
        logger = logging.getLogger(name)
        logger.addHandler(logging.NullHandler())
        logger.propagate = False
    warnings.filterwarnings("ignore", module=rf"({'|'.join(LIBRARIES)})(\.|$)")
