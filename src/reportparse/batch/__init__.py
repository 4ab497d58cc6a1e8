"""`reportparse batch`: many reports to one output each plus a manifest, in killable workers.

The parts: `settings` (what one batch is asked to do), `manifest` (its lines and file),
`worker` (one conversion, in a worker process), `display` (progress and summary on
stderr) and `run` (discovery, skipping, the pool and its signals).
"""

from .run import run_batch
from .settings import Settings, default_jobs

__all__ = ["Settings", "default_jobs", "run_batch"]
