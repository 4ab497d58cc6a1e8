"""How to convert every input of one batch."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..defaults import DEFAULT_ENGINE, DEFAULT_GRAMMAR
from ..limits import DEFAULT_MAX_MEMORY, DEFAULT_TIMEOUT, usable_cores

default_jobs = usable_cores  # the default --jobs: the cores this process may run on


@dataclass(frozen=True, slots=True)
class Settings:
    """How to convert every input of one batch."""

    fmt: str = "json"
    grammar: str = DEFAULT_GRAMMAR
    encoding: str | None = None
    password: str | None = None
    engine: str = DEFAULT_ENGINE  # PDF engine; each worker reads in-process (no read-ahead)
    jobs: int = field(default_factory=default_jobs)
    timeout: float | None = DEFAULT_TIMEOUT  # seconds per file; None: no limit
    max_memory: int | None = DEFAULT_MAX_MEMORY  # MB of address space per worker; None: no limit
    force: bool = False
    bom: bool = True  # CSV only
    quiet: bool = False
