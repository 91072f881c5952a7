"""The job-status fragment: a side job's phase, real progress and elapsed time, polled off the run folder."""

from __future__ import annotations

import streamlit as st

from ui.safe_text import md


def describe_job(job: dict) -> tuple[str, float | None]:
    """``("layout · 12 s", 0.4)``: what a side job is doing now, and its share done if known."""
    phase = job.get("phase") or job.get("state", "")
    elapsed = job.get("elapsed_s")
    text = phase + (f" · {elapsed:.0f} s" if elapsed is not None else "")
    fraction = job.get("progress")
    return text, (float(fraction) if isinstance(fraction, (int, float)) else None)


def watch(run, name: str, title: str, every: float = 1.0) -> None:
    """Poll side job ``name`` of ``run`` once a second; redraw the page when it ends."""
    from core.workers import side_job

    @st.fragment(run_every=every)
    def poll() -> None:
        job = side_job(run, name) or {"state": "starting", "phase": "starting a worker"}
        if job.get("state") not in ("starting", "running"):
            st.rerun()  # done or failed: the page draws the result
        text, fraction = describe_job(job)
        st.caption(f"{title}: {md(text)}")  # the phase may quote a file or a label
        st.progress(min(1.0, max(0.0, fraction or 0.0)), text=None if fraction is not None else "working…")

    poll()
