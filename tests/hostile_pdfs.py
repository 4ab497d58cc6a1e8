"""Small generators of hostile PDFs: each is a few hundred bytes to a few MB, built here so
that no big file is committed. Used by tests/test_hostile_pdfs.py."""

from __future__ import annotations

import zlib


def pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF of these objects (1 0 obj first) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\n" % (len(objects) + 1, trailer)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def one_page(content: bytes, stream_dict: bytes = b"") -> bytes:
    """One A4 page whose content stream is `content`."""
    length = b"%d" % len(content)
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %s %s>>\nstream\n%s\nendstream" % (length, stream_dict, content),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def flate_bomb(megabytes: int) -> bytes:
    """A content stream of spaces that inflates to `megabytes` MB (about 1 KB a MB)."""
    deflate = zlib.compressobj(9)
    piece = b" " * (1 << 20)
    data = b"".join(deflate.compress(piece) for _ in range(megabytes)) + deflate.flush()
    return one_page(data, b"/Filter /FlateDecode ")


def length_loop() -> bytes:
    """A stream whose /Length refers to an object that refers back to another one."""
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length 5 0 R >>\nstream\nBT ET\nendstream",
            b"6 0 R",
            b"5 0 R",
        ]
    )


def nested_arrays(depth: int) -> bytes:
    """A content stream of `depth` nested arrays."""
    return one_page(b"[" * depth + b"]" * depth)


def tiny_text_objects(count: int) -> bytes:
    """One page of `count` one-letter text objects."""
    return one_page(
        b"".join(b"BT /F1 1 Tf %d %d Td (a) Tj ET\n" % (i % 500, i // 500) for i in range(count))
    )


def deep_page_tree(depth: int) -> bytes:
    """A page tree `depth` levels deep above its only page."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    objects += [b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % (d + 3) for d in range(depth)]
    objects.append(b"<< /Type /Page /MediaBox [0 0 595 842] >>")
    return pdf(objects)


def xref_prev_loop() -> bytes:
    """A cross-reference section whose /Prev points at itself."""
    base = one_page(b"BT ET")
    at = int(base[base.rindex(b"startxref") + 10 :].split()[0])
    return base.replace(b"/Root 1 0 R ", b"/Root 1 0 R /Prev %d " % at)
