"""The benchmarks: what the loader and its runtime cost a reader, measured in a real Chromium on
the offline test bed (``testbed/``). Not part of the published package.

Run them as modules from the repository's root, in the project's venv
(``pip install -r benchmarks/requirements.txt`` first)::

    python -m benchmarks.run          # one page: ours against other loaders, the bare boot
    python -m benchmarks.walk         # a reader's walk through a site's pages
    python -m benchmarks.editor       # the code editor: size, key-to-paint, completion
    python -m benchmarks.levers       # what-if variants of the loader
    python -m benchmarks.build_cost   # build time: apps against code blocks
    python -m benchmarks.report benchmarks/results/results.json   # the tables again

``run`` is the command line of the runtime benchmark; its parts are modules of their own:
``servers`` (the page server, the CDN-like host), ``memory`` (Chromium's processes: memory and
CPU), ``plan`` (which pages a run loads), ``measure`` (one page load in a fresh browser),
``targets`` (statistics and the targets; the loader's budgets from ``loader/budgets.json``),
``weight`` (the loader's bytes on built pages). ``bench_pages`` writes the pages, ``cdn`` is
the CDN-like TLS host's certificate and mounts, ``report`` renders the published tables.
"""
