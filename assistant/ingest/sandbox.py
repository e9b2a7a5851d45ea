"""Reading files inside limits: each file is read in a worker process with a time limit and a memory limit.

One hostile file (a DOCX of a million empty paragraphs, a PDF whose streams inflate to gigabytes, a parser bug that
loops) must not take a core for minutes, exhaust the machine's memory or hold up another user's upload. So readers
run in a pool of worker processes (``pebble.ProcessPool``): a worker over ``parse_timeout_s`` is killed and
replaced, and each worker's address space is capped at what it had after start-up plus ``parse_memory_mb``
(``RLIMIT_AS``), so an allocation past it fails inside the worker instead of on the server. Workers come from a
``forkserver`` (a clean, single-threaded process that has imported the readers once), never by forking the server
with its threads. Whatever goes wrong, the caller gets a typed ``IngestError`` naming the file and the cause.
Workers are started without importing the caller's main script (what multiprocessing does by default, so that
functions defined there can be sent to them): the task is this module's ``guarded_load``, so a script that uses the
API needs no ``if __name__ == "__main__":`` guard. ``parse_workers=0`` reads in-process (no time or memory limits;
for debugging).
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from multiprocessing import context as mp_context
from multiprocessing import popen_forkserver, spawn
from pathlib import Path

from ..core.documents import Document
from ..core.errors import CorruptDocumentError, IngestError, ParseLimitError
from ..core.settings import Settings
from .loading import Limits, load_document

PRELOAD = ["assistant.ingest.sandbox", "pypdf", "docx", "bs4", "lxml.etree", "charset_normalizer"]
TASKS_PER_WORKER = 25  # a worker is replaced after this many files, so nothing a reader leaks piles up
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PoolKey:
    workers: int
    memory_bytes: int


def read_file(path: Path, name: str | None, limits: Limits, settings: Settings) -> Document:
    """The document in ``path``, read in a worker within the limits (in-process when ``parse_workers`` is 0)."""
    display = name or path.name
    if settings.parse_workers == 0:
        return guarded_load(str(path), display, limits)
    pool = _pool(PoolKey(settings.parse_workers, settings.parse_memory_mb * 1024 * 1024))
    future = pool.schedule(guarded_load, args=(str(path), display, limits), timeout=settings.parse_timeout_s)
    try:
        return future.result()
    except FutureTimeout:
        raise ParseLimitError(display, f"reading it took longer than {settings.parse_timeout_s:g} s (setting parse_timeout_s) and was "
                                       "stopped; the file may be damaged or built to exhaust the reader") from None
    except IngestError:
        raise
    except MemoryError:
        raise _memory_error(display, settings) from None
    except Exception as error:  # ProcessExpired (the worker died: out of memory, a crash in a C library) and the like
        from pebble import ProcessExpired

        if isinstance(error, ProcessExpired):
            raise ParseLimitError(display, f"its reader stopped (exit code {error.exitcode}), most likely over the "
                                           f"{settings.parse_memory_mb} MB memory limit (setting parse_memory_mb)") from None
        raise CorruptDocumentError(display, f"could not be read ({type(error).__name__}: {error})") from None


def guarded_load(path: str, name: str, limits: Limits) -> Document:
    """``load_document`` with every failure turned into a typed error that names the file (and pickles)."""
    try:
        return load_document(path, name=name, limits=limits)
    except IngestError:
        raise
    except MemoryError:
        raise ParseLimitError(name, "reading it needed more memory than the limit allows (setting parse_memory_mb)") from None
    except RecursionError:
        raise CorruptDocumentError(name, "its structure is nested too deeply to read (damaged or hostile file)") from None
    except Exception as error:  # a reader's own bug or an unsupported feature (NotImplementedError, XMLSyntaxError, ...)
        raise CorruptDocumentError(name, f"could not be read ({type(error).__name__}: {str(error)[:300]})") from None


MAIN_KEYS = ("init_main_from_name", "init_main_from_path")
_PREPARATION_LOCK = threading.Lock()


class _WorkerPopen(popen_forkserver.Popen):
    """Starts a worker from the fork server with the preparation data minus the main module, so the worker does not
    run the caller's script (which, without a ``__main__`` guard, would ingest again from inside the worker)."""

    def _launch(self, process_obj) -> None:
        with _PREPARATION_LOCK:
            original = spawn.get_preparation_data

            def without_main(name: str) -> dict:
                return {k: v for k, v in original(name).items() if k not in MAIN_KEYS}

            spawn.get_preparation_data = without_main
            try:
                super()._launch(process_obj)
            finally:
                spawn.get_preparation_data = original


class _WorkerProcess(mp_context.ForkServerProcess):
    @staticmethod
    def _Popen(process_obj):
        return _WorkerPopen(process_obj)


class _WorkerContext(mp_context.ForkServerContext):
    """The fork-server context, with workers that do not import the main script."""

    Process = _WorkerProcess


def _memory_error(name: str, settings: Settings) -> ParseLimitError:
    return ParseLimitError(name, f"reading it needed more than {settings.parse_memory_mb} MB of memory (setting parse_memory_mb)")


_POOLS: dict[PoolKey, object] = {}
_POOLS_LOCK = threading.Lock()


def _pool(key: PoolKey):
    from pebble import ProcessPool

    with _POOLS_LOCK:
        if key not in _POOLS:
            context = _WorkerContext()
            context.set_forkserver_preload(PRELOAD)
            _POOLS[key] = ProcessPool(max_workers=key.workers, max_tasks=TASKS_PER_WORKER, initializer=limit_memory,
                                      initargs=(key.memory_bytes,), context=context)
        return _POOLS[key]


def limit_memory(budget: int) -> None:
    """Cap this worker's address space at its size now plus ``budget`` bytes (Linux; elsewhere only the time limit holds)."""
    try:
        import resource

        with open("/proc/self/statm") as handle:
            current = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = current + budget
        resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
    except (OSError, ValueError, ImportError):
        pass


@atexit.register
def _stop_pools() -> None:
    with _POOLS_LOCK:
        for pool in _POOLS.values():
            pool.stop()  # type: ignore[attr-defined]
            pool.join(timeout=5)  # type: ignore[attr-defined]
        _POOLS.clear()
