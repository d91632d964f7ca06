"""Background work: scheduled retention sweeps run by workers sharing Varna's PostgreSQL state,
through the procrastinate job queue."""

from varna.jobs.queue import build_app, defer_sweep, ensure_schema, run_worker

__all__ = ["build_app", "defer_sweep", "ensure_schema", "run_worker"]
