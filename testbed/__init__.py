"""The offline test bed, shared by the test suite (``tests/``) and the benchmarks
(``benchmarks/``); not part of the published package (the wheel holds ``stlite_docs`` only).

- ``offline_dist``: the offline copy of stlite and Pyodide that real apps run from
  (``.cache/offline-dist``, built from the npm registry and PyPI on first use;
  ``python -m testbed.offline_dist`` builds it);
- ``browser``: the local servers (the sites and the distribution on loopback, the proxy that
  refuses every other host) and the Chromium the browser tests and benchmarks drive;
- ``build``: helpers for real Sphinx and MkDocs builds and for reading what they wrote.

It lives here, not in ``tests/``, so the benchmarks import it as a package (``python -m
benchmarks.run`` from the repository's root) rather than through ``sys.path``. The tests' own
helpers (``tests/browser_pages.py``, ``tests/host_sites.py``) stay with the tests.
"""
