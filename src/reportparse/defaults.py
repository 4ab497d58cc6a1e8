"""Defaults shared by the command line, the API and the grammar loader; imports nothing,
so the command line can show them without loading the grammar machinery."""

DEFAULT_GRAMMAR = "renkei-vision"
ENGINES = ("pdfium", "pdfplumber")  # PDF engines, the default first
DEFAULT_ENGINE = ENGINES[0]
