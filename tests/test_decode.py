"""Decoding input bytes: BOMs, UTF-8 / CP932 / EUC-JP detection, newlines, form feeds."""

from __future__ import annotations

import codecs

import pytest

import reportparse
from reportparse.errors import InputError
from reportparse.grammar import load_grammar
from reportparse.stages.decode import decode_bytes
from reportparse.stages.read_text import text_to_document

from .conftest import FIXTURES

SEED = FIXTURES / "text" / "seed_fy2020.txt"

SHORT_TEXTS = [
    "事業概要",
    "令和2年度の実績",
    "■ビジョンに記載している取組",
    "7企業誘致関係機関連携事業\n【事業概要】\n・圏域の企業立地を促進。",
    "指標\n2020年度実績値\n(2020年度目標値)\n",
    "合同研修開催回数 4回（1回以上）Ａ 1回以上/年度",
    "カタカナとひらがな",
]


@pytest.mark.parametrize("encoding", ["utf-8", "cp932", "euc_jp"])
@pytest.mark.parametrize("text", SHORT_TEXTS, ids=range(len(SHORT_TEXTS)))
def test_short_japanese_text_is_detected(text: str, encoding: str) -> None:
    decoded = decode_bytes(text.encode(encoding))
    assert decoded.text == text
    assert codecs.lookup(decoded.encoding).name == codecs.lookup(encoding).name


def test_utf8_with_bom() -> None:
    decoded = decode_bytes(codecs.BOM_UTF8 + "令和2年度の実績\n".encode())
    assert decoded.text == "令和2年度の実績\n"  # the BOM is not part of the text
    assert decoded.encoding == "utf-8-sig"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    decoded = decode_bytes(bom + "事業概要\r\n指標".encode(codec))
    assert decoded.text == "事業概要\n指標"


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"], ids=["crlf", "cr", "lf"])
@pytest.mark.parametrize("encoding", ["utf-8", "cp932", "euc_jp"])
def test_newlines_become_lf(newline: str, encoding: str) -> None:
    text = "【事業概要】\n・圏域の企業立地を促進。\n\n指標\n"
    decoded = decode_bytes(text.replace("\n", newline).encode(encoding))
    assert decoded.text == text


def test_encoding_override() -> None:
    data = "事業概要".encode("cp932")
    assert decode_bytes(data, "cp932").text == "事業概要"
    assert decode_bytes(data, "shift_jis").encoding == "shift_jis"


def test_wrong_encoding_override_is_input_error() -> None:
    with pytest.raises(InputError, match="cannot be decoded as utf-8") as info:
        decode_bytes("事業概要".encode("cp932"), "utf-8", "report.txt")
    assert "report.txt" in str(info.value)
    assert "\n" not in str(info.value)


def test_unknown_encoding_is_input_error() -> None:
    with pytest.raises(InputError, match="unknown encoding 'klingon'"):
        decode_bytes(b"abc", "klingon")


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\x01\x02\x03" * 16,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        bytes(range(256)),
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
        bytes(range(0x80, 0x100)) * 3,
        codecs.BOM_UTF8 + b"\xff\xfe\xfd",
    ],
    ids=["nul", "png", "all-bytes", "zip", "high-bytes", "broken-after-bom"],
)
def test_binary_is_input_error(data: bytes) -> None:
    with pytest.raises(InputError) as info:
        decode_bytes(data, name="junk.bin")
    assert str(info.value).startswith("junk.bin: ")
    with pytest.raises(InputError):
        reportparse.extract_bytes(data, name="junk.bin")


def test_empty_input_is_input_error() -> None:
    with pytest.raises(InputError, match="empty"):
        reportparse.extract_bytes(b"")


# ---------------------------------------------------------------------------------------
# Form feeds are pages


def pages_of(text: str) -> tuple[int | None, list[int]]:
    document = text_to_document(decode_bytes(text.encode()), load_grammar())
    lines = [ln for page in document.pages for region in page.regions for ln in region.lines]
    return document.page_count, sorted({ln.page for ln in lines if ln.page is not None})


def test_form_feeds_start_pages() -> None:
    assert pages_of("1ページ目\n\f2ページ目\n\f3ページ目\n") == (3, [1, 2, 3])


def test_trailing_form_feed_is_not_a_page() -> None:
    assert pages_of("1ページ目\n\f2ページ目\n\f") == (2, [1, 2])


def test_form_feed_inside_a_line() -> None:
    count, pages = pages_of("1ページ目の終わり\f2ページ目の始まり\n続き\n")
    assert (count, pages) == (2, [1, 2])


def test_no_form_feed_has_no_page_count() -> None:
    assert pages_of("1ページ目\n続き\n")[0] is None


# ---------------------------------------------------------------------------------------
# The whole report does not depend on how the text was encoded


@pytest.mark.parametrize(
    ("encoding", "newline", "bom"),
    [
        ("utf-8", "\r\n", b""),
        ("utf-8", "\r", b""),
        ("utf-8", "\n", codecs.BOM_UTF8),
        ("cp932", "\r\n", b""),
        ("euc_jp", "\n", b""),
    ],
    ids=["utf8-crlf", "utf8-cr", "utf8-bom", "cp932-crlf", "eucjp-lf"],
)
def test_report_is_the_same_in_every_encoding(encoding: str, newline: str, bom: bytes) -> None:
    text = SEED.read_text(encoding="utf-8")
    expected = reportparse.extract_bytes(text.encode("utf-8")).model_dump(mode="json")
    if encoding == "euc_jp":  # EUC-JP has no ～ and －: it has what normalises to them
        text = text.replace("\uff5e", "\u301c").replace("\uff0d", "\u2212")
    data = bom + text.replace("\n", newline).encode(encoding)
    actual = reportparse.extract_bytes(data).model_dump(mode="json")
    assert actual["source"]["encoding"] == ("utf-8-sig" if bom else encoding)
    for report in (expected, actual):
        del report["source"]
    assert actual == expected


def test_seed_with_form_feeds_has_pages() -> None:
    text = SEED.read_text(encoding="utf-8")
    lines = text.split("\n")
    lines[116] = "\f" + lines[116]  # page 2 starts at line 117 (see fixtures/text/README.md)
    report = reportparse.extract_bytes("\n".join(lines).encode())
    assert report.source.pages == 2
    pages = {i.number: i.page for i in report.initiatives}
    assert pages[7] == 1 and pages[37] == 2 and pages[48] == 2
