"""Work split over the machine's cores, where the system can fork: a child process inherits
everything the parent has built (fonts, caches, the document) and sends back only its results."""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import TypeVar

from booksmith.errors import BooksmithError, Diagnostic, Severity

T = TypeVar("T")


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and not os.environ.get("BOOKSMITH_SERIAL") and (
        os.cpu_count() or 1) > 1


def in_two(first: Callable[[], T], second: Callable[[], T]) -> tuple[T, T]:
    """first() here and second() in a forked child, at the same time; errors from the child are
    raised here as they would have been raised had it run here."""
    if not can_fork():
        return first(), second()
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_run_and_report, args=(second, sender), daemon=True)
    child.start()
    sender.close()
    try:
        mine = first()
    finally:
        outcome = _receive(receiver)
        child.join()
    if outcome[0] == "error":
        diagnostic = outcome[1]
        raise BooksmithError(diagnostic.message, diagnostic.location, diagnostic.hint)
    return mine, outcome[1]


def _receive(receiver: Connection) -> tuple:
    try:
        return pickle.loads(receiver.recv_bytes())
    except (EOFError, OSError):
        return ("error", Diagnostic(Severity.ERROR, "a worker process stopped unexpectedly"))


def _run_and_report(task: Callable[[], T], sender: Connection) -> None:
    try:
        outcome: tuple = ("ok", task())
    except BooksmithError as error:
        outcome = ("error", error.diagnostic)
    except BaseException as error:  # the parent reports it; a child never prints a traceback
        outcome = ("error", Diagnostic(Severity.ERROR, f"a worker process failed: {error!r}"))
    sender.send_bytes(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))
    sender.close()
