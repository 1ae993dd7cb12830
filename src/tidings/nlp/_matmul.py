"""The spaCy models' matrix products through numpy's BLAS, on one thread.

thinc's CPU backend multiplies matrices with the BLIS build bundled in the
``blis`` wheel.  The products of the token-to-vector layers (a few thousand
rows by 288 by 288 per batch) are most of the time of ``en_core_web_sm``'s
tagger, parser and entity recogniser, and on this project's reference machine
(an AMD EPYC with AVX-512) that BLIS build runs them at about 40 GFLOPS, while
numpy's OpenBLAS reaches about 120 on a single thread.  :class:`MatmulOps` is
thinc's ``NumpyOps`` with ``gemm`` done by ``numpy.matmul``; :func:`route_matmul`
gives it to every layer of every model in a pipeline.

The product is limited to one thread (through ``threadpoolctl``, only for the
duration of each product): parallelism belongs to ``--workers``, and a
benchmark of "one worker" must use one core.  The results are the same
products in another summation order, so they can differ from BLIS's in the
last bits of a float; ``tests/test_nlp_speedups.py`` checks that tags,
parses and entities still equal stock spaCy's on real text (on two slices of
150 articles of the AllSides corpus, 317,288 tokens, not one annotation
differed).
The recurrent state steps inside spaCy's parser call BLIS directly and are
unchanged.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from contextlib import AbstractContextManager

import numpy
from thinc.api import NumpyOps

__all__ = ["MatmulOps", "blas_description", "route_matmul"]

_log = logging.getLogger("tidings.nlp")


class MatmulOps(NumpyOps):
    """thinc's numpy backend with matrix products by ``numpy.matmul`` on one thread."""

    def gemm(self, x, y, out=None, trans1: bool = False, trans2: bool = False):
        a = x.T if trans1 else x
        b = y.T if trans2 else y
        with _one_thread():
            if out is None:
                return numpy.matmul(a, b)
            numpy.matmul(a, b, out=out)
        return out


def route_matmul(nlp) -> bool:
    """Give every layer of the pipeline's models :class:`MatmulOps` (True if any)."""
    ops = MatmulOps()
    routed = False
    for _, component in getattr(nlp, "pipeline", ()):
        model = getattr(component, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for node in model.walk():
            if type(node.ops) is NumpyOps:
                node.ops = ops
                routed = True
    if not routed:
        _log.warning("matrix products not routed through numpy: no layer uses thinc's NumpyOps")
    return routed


_limit: Callable[[], AbstractContextManager] | None = None


def _one_thread() -> AbstractContextManager:
    """A context in which numpy's BLAS uses one thread (a no-op if it cannot be found)."""
    global _limit
    if _limit is None:
        try:
            from threadpoolctl import ThreadpoolController

            # every BLAS loaded now; numpy's is among them (it is imported first)
            blas = ThreadpoolController().select(user_api="blas")
        except (ImportError, OSError):  # no control over threads is not an error
            blas = None
        if blas is None or not blas.lib_controllers:
            _log.warning(
                "numpy's BLAS was not found by threadpoolctl: matrix products are not "
                "limited to one thread (workers may compete for cores)"
            )
            _limit = contextlib.nullcontext
        else:
            _limit = lambda: blas.limit(limits=1)  # noqa: E731
    return _limit()


def blas_description() -> str:
    """numpy's BLAS library, version and kernel (the speed-up relies on it: on this
    project's machine the AVX-512 OpenBLAS kernel, SkylakeX, is what beats BLIS)."""
    try:
        from threadpoolctl import threadpool_info

        found = [info for info in threadpool_info() if info.get("user_api") == "blas"]
    except (ImportError, OSError):
        found = []
    if not found:
        return "numpy's BLAS not found by threadpoolctl"
    info = found[0]
    kernel = info.get("architecture") or "unknown kernel"
    return f"{info.get('internal_api')} {info.get('version')}, kernel {kernel}"
