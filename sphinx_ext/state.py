"""What the extension keeps between Sphinx's events, behind typed accessors.

Per document (kept in the environment, so it survives incremental builds and is merged after
parallel reads): how many apps a document has and its app errors. Per build (this
``Sphinx`` object's run): the worker file the site serves and how many self-contained
problems were reported. Nothing else of the extension stores state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from weakref import WeakKeyDictionary

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from stlite_docs.worker_script import WorkerScript

#: The environment's attribute that holds the documents' states (pickled with it).
_ENV_ATTR = "stlite_docs_states"


@dataclass
class DocState:
    """Per-document facts kept in the environment (merged after parallel reads)."""

    apps: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class BuildState:
    """Facts of one build, set once all documents are read (``env-updated``)."""

    #: stlite's worker (with the warm runtime) as the site serves it next to the loader
    worker: WorkerScript | None = None
    #: problems that kept the site from being self-contained (the build fails at its end)
    vendor_failed: int = 0
    #: outputs that cannot run apps: each app's picture (a PNG), or why it has none, by the
    #: picture's key (prerender.py)
    pictures: dict[str, Path | str] = field(default_factory=dict)


_BUILDS: WeakKeyDictionary[Sphinx, BuildState] = WeakKeyDictionary()


def doc_states(env: BuildEnvironment) -> dict[str, DocState]:
    """Every document's state, by docname (made on first use)."""
    states: dict[str, DocState] | None = getattr(env, _ENV_ATTR, None)
    if states is None:
        states = {}
        setattr(env, _ENV_ATTR, states)
    return states


def doc_state(env: BuildEnvironment, docname: str) -> DocState:
    """The state of ``docname`` (made on first use)."""
    return doc_states(env).setdefault(docname, DocState())


def build_state(app: Sphinx) -> BuildState:
    """This build's state (made on first use)."""
    return _BUILDS.setdefault(app, BuildState())
