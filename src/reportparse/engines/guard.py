"""Refuse a PDF whose compressed streams inflate past a limit, before an engine reads it.

Neither PDFium nor pdfminer bounds what a FlateDecode stream inflates to: a small file
can hold gigabytes of page content (a decompression bomb), and both engines would hold
it in memory. Each zlib stream of the file is inflated here, piece by piece and counted,
and never kept; the first one past the limit is an error naming its object.
"""

from __future__ import annotations

import zlib

import regex

from ..errors import PdfError

MAX_INFLATED_MB = 256  # a scanned A3 page at 600 dpi in RGB is about 200 MB inflated
PIECE = 1 << 20  # bytes inflated at a time
_STREAM = regex.compile(rb"stream\r?\n")
_OBJECT = regex.compile(rb"(\d+)\s+\d+\s+obj\b", flags=regex.REVERSE)


def _inflated_size(data: bytes, stop: int) -> int:
    """How many bytes the zlib stream at the start of `data` inflates to, counting no
    further than `stop`; 0 when `data` is not a zlib stream."""
    if len(data) < 2 or data[0] & 0x0F != 8 or (data[0] << 8 | data[1]) % 31:
        return 0  # not a zlib header (encrypted, or another filter first)
    inflater = zlib.decompressobj()
    total, pending = 0, data
    try:
        while pending and total <= stop:
            total += len(inflater.decompress(pending, PIECE))
            pending = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error:
        pass  # damaged data: the engines repair or refuse it themselves
    return total


def check_streams(data: bytes, name: str, limit_mb: int = MAX_INFLATED_MB) -> None:
    """Raise PdfError if a stream of the PDF inflates past `limit_mb` megabytes."""
    stop = limit_mb << 20
    for match in _STREAM.finditer(data):
        start = match.end()
        end = data.find(b"endstream", start)
        if _inflated_size(data[start : end if end >= 0 else len(data)], stop) > stop:
            owner = _OBJECT.search(data, 0, match.start())
            where = f"object {int(owner.group(1))}" if owner else f"byte {match.start()}"
            raise PdfError(
                f"{name}: a compressed stream ({where}) inflates past {limit_mb} MB; "
                "refused as a decompression bomb"
            )
