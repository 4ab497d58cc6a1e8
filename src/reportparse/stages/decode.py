"""Decode input bytes to text: BOMs, UTF-8, CP932 and EUC-JP by strict decoding and plausibility."""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass

from ..errors import InputError

# Tried in this order when there is no BOM; the most plausible strict decoding wins.
CANDIDATES = ("utf-8", "cp932", "euc_jp")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


MIN_PLAUSIBILITY = 0.6  # below this share of typical characters, a decoding is wrong

# ASCII, kana, CJK unified ideographs, CJK punctuation, full-width forms.
_TYPICAL = ((0x20, 0x7E), (0x3040, 0x30FF), (0x4E00, 0x9FFF), (0x3000, 0x303F), (0xFF01, 0xFF5E))


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    encoding: str


class _Scores(dict[str, int]):
    """Twice the plausibility of each character met so far (2 typical, 1 other, 0 suspect)."""

    def __missing__(self, ch: str) -> int:
        code = ord(ch)
        if ch in "\n\r\t\f" or any(lo <= code <= hi for lo, hi in _TYPICAL):
            score = 2
        elif (
            unicodedata.category(ch)[0] in "CZ"
            or 0xFF61 <= code <= 0xFF9F
            or 0xE000 <= code <= 0xF8FF
        ):
            score = 0  # controls, half-width katakana, private use: typical of a wrong guess
        else:
            score = 1  # other symbols (■, 【】, ①, ⇔ …): plausible but not telling
        self[ch] = score
        return score


_SCORES = _Scores()
SAMPLE_CHARS = 1 << 16  # a longer text is scored on this many characters
_SLICES = 16  # ... taken in this many slices spread over the text


def sample(text: str) -> str:
    """The text, or for a long one `_SLICES` slices spread evenly over it."""
    if len(text) <= SAMPLE_CHARS:
        return text
    size = SAMPLE_CHARS // _SLICES
    step = (len(text) - size) // (_SLICES - 1)
    return "".join(text[k * step : k * step + size] for k in range(_SLICES))


def plausibility(text: str) -> float:
    """Share of characters typical of Japanese report text (kana, kanji, ASCII, punctuation),
    on a sample of a long text (see `sample`)."""
    if not text:
        return 1.0
    text = sample(text)
    return sum(map(_SCORES.__getitem__, text)) / 2 / len(text)


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_bytes(data: bytes, encoding: str | None = None, name: str = "<input>") -> DecodedText:
    """Decode `data`; `encoding` overrides detection. Binary input is an InputError."""
    if encoding:
        try:
            text = data.decode(encoding)
        except LookupError:
            raise InputError(f"{name}: unknown encoding '{encoding}'") from None
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{name}: cannot be decoded as {encoding} (byte {exc.start}); "
                "omit --encoding to detect it"
            ) from None
        if plausibility(text) < MIN_PLAUSIBILITY:
            raise InputError(
                f"{name}: decoded as {encoding}, it is not plausible Japanese text; "
                "check --encoding, or omit it to detect the encoding"
            )
        return DecodedText(_normalise_newlines(text), encoding)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return DecodedText(_normalise_newlines(data.decode(codec)), codec)
            except UnicodeDecodeError:
                raise InputError(f"{name}: starts with a {codec} BOM but does not decode") from None
    if b"\x00" in data:
        raise InputError(f"{name}: looks like a binary file, not report text")
    best: DecodedText | None = None
    best_score = -1.0
    for codec in CANDIDATES:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        score = plausibility(text)
        if codec == "utf-8":
            score += 0.05  # strict UTF-8 success is strong evidence on its own
        if score > best_score:
            best, best_score = DecodedText(_normalise_newlines(text), codec), score
    if best is None or best_score < MIN_PLAUSIBILITY:
        raise InputError(
            f"{name}: not decodable as UTF-8, CP932 or EUC-JP text; pass --encoding if you know it"
        )
    return best
