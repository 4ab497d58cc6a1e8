"""The pdfplumber engine (pdfminer.six): words, rectangles and ruled tables of each page."""

from __future__ import annotations

import io
import logging
import struct
from typing import Any

from ..deadline import deadline
from ..document import BBox
from ..errors import EncryptedPdfError, PdfError, ReportparseError
from ..geometry import PageGeometry, RuledTable, Word, apply, display_matrix, visible_box

# pdfminer can loop forever on a crafted file (a /Length that refers to itself through
# another object); these bound opening the file and reading one page.
OPEN_SECONDS = 60.0
PAGE_SECONDS = 60.0

# pdfminer logs every object at DEBUG level, which slows parsing badly.
logging.getLogger("pdfminer").setLevel(logging.WARNING)

# What malformed files make pdfminer and pdfplumber raise besides their own exceptions.
_BROKEN = (
    TypeError,
    ValueError,
    LookupError,
    AttributeError,
    ArithmeticError,
    AssertionError,
    RecursionError,
    EOFError,
    struct.error,
)


def _malformed() -> tuple[type[BaseException], ...]:
    """Every exception pdfplumber or pdfminer raise for a malformed file."""
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

    return (PdfminerException, MalformedPDFException, PSException, *_BROKEN)


def describe(exc: BaseException | object) -> str:
    """`Type: first line of the message`, at most 160 characters."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}"[:160] if text else type(exc).__name__


def _corrupt(name: str, exc: BaseException, page: int | None = None) -> ReportparseError:
    from pdfplumber.utils.exceptions import PdfminerException

    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(cause, ReportparseError):  # our own deadline, raised inside pdfminer
        return cause
    where = f"page {page}: " if page is not None else ""
    if isinstance(cause, RecursionError):
        return PdfError(f"{name}: corrupt PDF: {where}its structure is nested too deep")
    return PdfError(f"{name}: corrupt or truncated PDF ({where}{describe(cause)})")


# pdfminer warnings that are no damage: a font descriptor without a FontBBox (Chromium
# writes its Type 3 fonts so), for which pdfminer takes the font's other metrics.
_NOT_DAMAGE = ("Could not get FontBBox from font descriptor",)


class _PdfminerLog(logging.Handler):
    """Collects pdfminer's warnings (repairs of damaged files) so they become structured
    warnings of the output instead of lines on stderr."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = " ".join(record.getMessage().split())
        if not message.startswith(_NOT_DAMAGE):
            self.messages.append(message[:160])

    def take(self) -> list[str]:
        taken, self.messages = self.messages, []
        return taken


class PlumberEngine:
    """A PDF opened with pdfplumber; pdfminer's log is captured while it is open."""

    def __init__(self, data: bytes, name: str, password: str | None) -> None:
        import pdfplumber
        from pdfminer.pdfdocument import PDFPasswordIncorrect
        from pdfplumber.utils.exceptions import PdfminerException

        self.name = name
        self._log = _PdfminerLog()
        self._logger = logging.getLogger("pdfminer")
        self._propagate = self._logger.propagate
        self._logger.addHandler(self._log)
        self._logger.propagate = False
        try:
            late = f"{name}: corrupt PDF: opening it took over {OPEN_SECONDS:g} s (a loop?)"
            with deadline(OPEN_SECONDS, lambda: PdfError(late)):
                self._pdf = pdfplumber.open(io.BytesIO(data), password=password or "")
                self.page_count: int = len(self._pdf.pages)
        except PdfminerException as exc:
            self._unhook()
            cause = exc.args[0] if exc.args else exc
            if isinstance(cause, PDFPasswordIncorrect):
                hint = (
                    "wrong password for encrypted PDF"
                    if password
                    else "PDF is encrypted; pass --password"
                )
                raise EncryptedPdfError(f"{name}: {hint}") from None
            raise _corrupt(name, exc) from None
        except _malformed() as exc:
            self._unhook()
            raise _corrupt(name, exc) from None
        except BaseException:
            self._unhook()
            raise
        self.opening_damage = self._log.take()

    def read_page(self, index: int) -> PageGeometry:
        """Words from `extract_words`, rectangles and `find_tables`, the page closed after."""
        page: Any = self._pdf.pages[index]
        late = (
            f"{self.name}: corrupt PDF: page {index + 1} took over {PAGE_SECONDS:g} s "
            "to read (a loop?)"
        )
        try:
            with deadline(PAGE_SECONDS, lambda: PdfError(late)):
                dx, dy = _shift(page)

                def moved(box: Any) -> BBox:
                    return (box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy)

                words = [
                    Word(w["text"], *moved((w["x0"], w["top"], w["x1"], w["bottom"])))
                    for w in page.extract_words()
                ]
                rects = [moved((r["x0"], r["top"], r["x1"], r["bottom"])) for r in page.rects]
                tables = [
                    RuledTable(
                        bbox=moved(t.bbox),
                        rows=[[c and moved(c) for c in row.cells] for row in t.rows],
                    )
                    for t in page.find_tables()
                ]
        except _malformed() as exc:
            raise _corrupt(self.name, exc, index + 1) from None
        finally:
            page.close()
        text = "".join(w.text for w in words)
        cids = text.count("(cid:")
        return PageGeometry(
            words=words,
            rects=rects,
            tables=tables,
            chars=len(text) - 6 * cids,  # a (cid:N) is one glyph
            unmapped=cids,
            damage=self._log.take(),
        )

    def _unhook(self) -> None:
        self._logger.removeHandler(self._log)
        self._logger.propagate = self._propagate

    def close(self) -> None:
        try:
            self._pdf.close()
        except Exception:  # malformed files can raise even from close()
            pass
        finally:
            self._unhook()


def _shift(page: Any) -> tuple[float, float]:
    """What moves pdfplumber's coordinates to the page as shown (`display_matrix`).

    pdfminer turns a page by its /Rotate and puts the origin at the MediaBox's corner;
    pdfplumber then adds the corner of its own MediaBox, which for a turned page with a
    MediaBox away from (0, 0) is not where pdfminer put it, and knows nothing of the
    CropBox. Less pdfplumber's MediaBox corner, the coordinates are pdfminer's; less
    the CropBox's place in those, they are the page as a viewer shows it.
    """
    obj = page.page_obj
    media = visible_box(tuple(obj.mediabox), None)
    shown = visible_box(media, tuple(obj.cropbox) if obj.cropbox else None)
    from_media = apply(display_matrix(page.rotation, media), 0.0, 0.0)
    from_shown = apply(display_matrix(page.rotation, shown), 0.0, 0.0)
    return (
        -(page.mediabox[0] + from_media[0] - from_shown[0]),
        -(page.mediabox[1] + from_media[1] - from_shown[1]),
    )
