"""Chromium's processes of this benchmark: their memory (sampled in a thread, and once every
process has collected its garbage) and CPU time."""

from __future__ import annotations

import os
import re
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psutil

if TYPE_CHECKING:
    from playwright.sync_api import Page

SAMPLE_SECONDS = 0.2


def our_chromium() -> list[psutil.Process]:
    """Chromium processes started by this benchmark (children of Playwright's driver),
    not those of anyone else's browser on the machine."""
    found = []
    for proc in psutil.Process().children(recursive=True):
        try:
            if "chrom" in proc.name().lower():
                found.append(proc)
        except psutil.Error:
            continue
    return found


def other_chromium_count() -> int:
    ours = {p.pid for p in our_chromium()}
    count = 0
    for proc in psutil.process_iter(["name"]):
        name = (proc.info.get("name") or "").lower()
        if "chrom" in name and proc.pid not in ours:
            count += 1
    return count


_THREAD_DIGITS = re.compile(r"[0-9]+$")


def cpu_by_thread() -> dict[str, float]:
    """CPU seconds our Chromium processes have used so far, by process type and thread
    name (``renderer/CrRendererMain``, ``renderer/DedicatedWorker thread``, ...): where
    the time of a run went. Threads that already exited are not counted."""
    totals: dict[str, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for proc in our_chromium():
        try:
            args = proc.cmdline()
            kind = next((a[7:] for a in args if a.startswith("--type=")), "browser")
            sub = next((a.rsplit(".", 1)[-1] for a in args if a.startswith("--utility-sub")), "")
            kind = f"{kind}:{sub}" if sub else kind
            for task in Path(f"/proc/{proc.pid}/task").iterdir():
                name = (task / "comm").read_text().strip()
                fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
                seconds = (int(fields[11]) + int(fields[12])) / tick
                key = f"{kind}/{_THREAD_DIGITS.sub('', name)}"
                totals[key] = totals.get(key, 0.0) + seconds
        except (OSError, psutil.Error, IndexError, ValueError):
            continue
    ranked = sorted(totals.items(), key=lambda kv: -kv[1])
    return {k: round(v, 2) for k, v in ranked if v >= 0.05}


class MemorySampler:
    """Samples the summed RSS and PSS of our Chromium processes in a thread."""

    def __init__(self, interval: float = SAMPLE_SECONDS) -> None:
        self.interval = interval
        self.peak_rss = 0.0
        self.peak_pss = 0.0
        self.peak_processes = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> tuple[float, float]:
        rss = pss = 0.0
        procs = our_chromium()
        for proc in procs:
            try:
                info = proc.memory_full_info()
            except psutil.Error:
                continue
            rss += info.rss
            pss += info.pss
        self.peak_rss = max(self.peak_rss, rss)
        self.peak_pss = max(self.peak_pss, pss)
        self.peak_processes = max(self.peak_processes, len(procs))
        self.samples += 1
        return rss, pss

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()


def collect_garbage(context: Any, page: Page, timeout_s: float = 30.0) -> None:
    """Have every Chromium process collect its garbage, as DevTools' memory-infra does before a
    deterministic memory dump (every V8 isolate: the pages' and the workers'; Blink's heap;
    the allocators' free pages given back). What stays is what the browser holds; V8 lets the
    garbage of the pages a reader left pile up for a while before collecting it, so without
    this the renderer's PSS grows with pages that nothing refers to any more."""
    cdp = context.new_cdp_session(page)
    done: list[bool] = []
    cdp.on("Tracing.tracingComplete", lambda _event: done.append(True))
    cdp.send(
        "Tracing.start",
        {
            "traceConfig": {
                "includedCategories": ["disabled-by-default-memory-infra"],
                "memoryDumpConfig": {"triggers": []},
            },
            "transferMode": "ReportEvents",
        },
    )
    try:
        cdp.send("Tracing.requestMemoryDump", {"deterministic": True, "levelOfDetail": "light"})
    finally:
        cdp.send("Tracing.end")
        end = time.monotonic() + timeout_s
        while not done and time.monotonic() < end:
            page.wait_for_timeout(50)  # the sync API delivers CDP events while it waits
        cdp.detach()
