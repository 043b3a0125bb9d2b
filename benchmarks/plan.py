"""Which pages a run of the runtime benchmark loads, and in what order.

A page is a ``PageSpec`` (strategy, app count, layout; its ``key`` names it in the results);
a ``Selection`` is the pages of a run (``--only``, ``--counts``, ``--smoke``); ``plan``
interleaves them, every page once per round, so drift in machine load falls on all alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from benchmarks import bench_pages

STRATEGIES = ("ours", "trivial", "per-app", "iframe")
#: Page kinds besides the N-app pages every strategy gets (see ``plan``).
KINDS = ("bare", "warm", "long", "unreached", "policies")
#: HTTP caches the start policies are measured with (``--smoke``: cold only).
POLICY_CACHES = ("cold", "warm")
SMOKE_POLICY_CACHES = ("cold",)
DEFAULT_COUNTS = (1, 3, 6)
SMOKE_COUNTS = (1,)
LONG_COUNT = 20
#: Strategies measured on the long page and the unreached page (per-app and iframe on a
#: 20-app page would start 20 runtimes; on the unreached page they start one, as ``trivial``).
LONG_STRATEGIES = ("ours", "trivial")
UNREACHED_STRATEGIES = ("ours", "trivial", "per-app", "iframe")
SMOKE_LONG_STRATEGIES = ("ours",)
SMOKE_UNREACHED_STRATEGIES = ("ours",)
WARM_KEY = "ours 1, second page"
VIEWPORT = {"width": 1280, "height": 900}
#: Height per app of a ``visible`` page (heading and 400px box, in both our Sphinx theme and
#: the hand-written pages), so the viewport holds every app at load.
VISIBLE_TOP_PX, VISIBLE_PER_APP_PX = 260, 500


@dataclass(frozen=True)
class PageSpec:
    """One page to load. ``layout``: ``visible`` (every app in the viewport), ``scroll``
    (scrolled to each app in turn), ``long`` (the 20-app page, first app awaited),
    ``unreached`` (one app far below the fold, never scrolled to), ``policy`` (the unreached
    page with the app's ``start`` option, scrolled to after the dwell); ``warm``: loaded after
    the long page in the same browser."""

    strategy: str
    apps: int
    layout: str = "visible"
    warm: bool = False
    start: str = ""

    @property
    def key(self) -> str:
        if self.strategy == "bare":
            return "bare"
        if self.layout == "policy":
            return f"{self.strategy} 1 below the fold, {self.start}, " + (
                "warm cache" if self.warm else "cold cache"
            )
        if self.warm:
            return WARM_KEY
        return {
            "visible": f"{self.strategy} {self.apps}",
            "scroll": f"{self.strategy} {self.apps}, scrolled",
            "long": f"{self.strategy} {self.apps}, first app",
            "unreached": f"{self.strategy} 1 below the fold",
        }[self.layout]

    @property
    def file_layout(self) -> str:
        if self.layout == "policy":
            return f"unreached-{self.start}"
        return "scroll" if self.layout == "long" else self.layout

    def path(self, docs: str = "/docs") -> str:
        if self.strategy == "bare":
            return "/site/bare.html"
        folder = docs if self.strategy == "ours" else "/site"
        return f"{folder}/{bench_pages.page_name(self.strategy, self.file_layout, self.apps)}"

    def viewport(self) -> dict[str, int]:
        if self.layout != "visible":
            return dict(VIEWPORT)
        tall = VISIBLE_TOP_PX + self.apps * VISIBLE_PER_APP_PX
        return {"width": VIEWPORT["width"], "height": max(VIEWPORT["height"], tall)}


def long_page(strategy: str = "ours") -> PageSpec:
    return PageSpec(strategy, LONG_COUNT, "long")


@dataclass(frozen=True)
class Selection:
    """Which pages a run loads (see ``--only``)."""

    strategies: tuple[str, ...] = STRATEGIES
    kinds: tuple[str, ...] = KINDS
    counts: tuple[int, ...] = DEFAULT_COUNTS
    scroll_counts: tuple[int, ...] = ()
    long_strategies: tuple[str, ...] = LONG_STRATEGIES
    unreached_strategies: tuple[str, ...] = UNREACHED_STRATEGIES
    policy_caches: tuple[str, ...] = POLICY_CACHES

    def pages(self) -> list[PageSpec]:
        """Every page once, in the order of a round."""
        pages: list[PageSpec] = []
        if "bare" in self.kinds:
            pages.append(PageSpec("bare", 1))
        if "long" in self.kinds:
            pages += [long_page(s) for s in self.long_strategies if s in self.strategies]
        if "warm" in self.kinds and "ours" in self.strategies:
            pages.append(PageSpec("ours", 1, warm=True))
        for n in self.counts:
            pages += [PageSpec(s, n) for s in self.strategies]
        for n in self.scroll_counts:
            pages += [PageSpec(s, n, "scroll") for s in self.strategies]
        if "unreached" in self.kinds:
            pages += [
                PageSpec(s, 1, "unreached")
                for s in self.unreached_strategies
                if s in self.strategies
            ]
        if "policies" in self.kinds and "ours" in self.strategies:
            pages += [
                PageSpec("ours", 1, "policy", warm=cache == "warm", start=start)
                for cache in self.policy_caches
                for start in bench_pages.STARTS
            ]
        return pages

    def site_pages(self) -> list[tuple[str, str, int]]:
        """(strategy, layout, count) of the hand-written pages these need."""
        return sorted(
            {
                (p.strategy, p.file_layout, p.apps)
                for p in self.pages()
                if p.strategy not in ("ours", "bare")
            }
        )

    def ours_pages(self) -> list[tuple[str, int]]:
        """(layout, count) of the Sphinx pages these need (the warm page's long page too)."""
        wanted = {(p.file_layout, p.apps) for p in self.pages() if p.strategy == "ours"}
        if any(p.warm for p in self.pages()):
            wanted.add(("scroll", LONG_COUNT))
        return sorted(wanted)


def plan(selection: Selection, runs: int) -> list[tuple[PageSpec, int]]:
    """Interleaved runs: every page once per round."""
    return [(page, r) for r in range(runs) for page in selection.pages()]
