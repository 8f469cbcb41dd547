"""Work split over the machine's cores, where the system can fork: a child process inherits
everything the parent has built (fonts, caches, the document) and sends back only its results."""

from __future__ import annotations

import mmap
import multiprocessing
import os
import pickle
import signal
import struct
import tempfile
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import TypeVar

from booksmith.errors import BooksmithError, Diagnostic, Severity

T = TypeVar("T")
U = TypeVar("U")


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and not os.environ.get("BOOKSMITH_SERIAL") and (
        os.cpu_count() or 1) > 1


def in_two(first: Callable[[], T], second: Callable[[], T]) -> tuple[T, T]:
    """first() here and second() in a forked child, at the same time; errors from the child are
    raised here as they would have been raised had it run here."""
    if not can_fork():
        return first(), second()
    return _beside_child(lambda _: first(), second)


def _beside_child(here: Callable[[Connection], T], there: Callable[[], U]) -> tuple[T, U]:
    """here() in this process while there() runs in a forked child; here() is given the connection
    the child's outcome will come on, to see whether it has finished."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_run_and_report, args=(there, sender), daemon=True)
    child.start()
    sender.close()
    try:
        mine = here(receiver)
    except BaseException:
        # this build has failed or been stopped (its time limit, Ctrl-C): the child's work is not
        # wanted, and waiting for it would keep the build running on
        child.terminate()
        child.join()
        raise
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


class _Stopped(BaseException):
    """The parent stopped this child (its build failed or ran out of time)."""


def _stop(signum: int, frame: object) -> None:
    raise _Stopped


def _run_and_report(task: Callable[[], T], sender: Connection) -> None:
    # stopped, the child unwinds as an error would (a temporary PDF it was writing is removed)
    signal.signal(signal.SIGTERM, _stop)
    try:
        outcome: tuple = ("ok", task())
    except _Stopped:
        sender.close()
        return
    except BooksmithError as error:
        outcome = ("error", error.diagnostic)
    except BaseException as error:  # the parent reports it; a child never prints a traceback
        outcome = ("error", Diagnostic(Severity.ERROR, f"a worker process failed: {error!r}"))
    sender.send_bytes(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))
    sender.close()


def in_two_streaming(first: Callable[[Callable[[], None]], T],
                     second: Callable[[Callable[[object], None]], U],
                     take: Callable[[object], None]) -> tuple[T, U]:
    """Like in_two(), with second() given a send(): each object it sends is handed to take() here,
    in the order sent, while the child goes on: those sent so far whenever first() calls the
    function it is given, and the rest once first() has returned. The child never waits for this
    process to read (what it sends goes to a file, not a pipe that can fill), so the two overlap:
    take()'s work here, the rest of second() there."""
    if not can_fork():
        return _one_after_the_other(first, second, take)
    try:
        descriptor, name = tempfile.mkstemp(prefix="booksmith-")
        os.close(descriptor)
        stream = os.open(name, os.O_RDWR | os.O_APPEND)
        os.unlink(name)
    except OSError:  # no temporary folder to write: both tasks here, one after the other
        return _one_after_the_other(first, second, take)
    try:
        return _stream_in_two(first, second, take, stream)
    finally:
        os.close(stream)


def _one_after_the_other(first: Callable[[Callable[[], None]], T],
                         second: Callable[[Callable[[object], None]], U],
                         take: Callable[[object], None]) -> tuple[T, U]:
    sent: list[object] = []
    mine = first(lambda: None)
    theirs = second(sent.append)
    for message in sent:
        take(message)
    return mine, theirs


class Claims:
    """Numbered tasks shared out between this process and a child forked after this is made: each
    goes to whichever claims it first, so each is done once and neither process is left idle while
    the other still has some to do."""

    def __init__(self, count: int) -> None:
        self._taken = mmap.mmap(-1, max(count, 1))  # anonymous and shared: a forked child sees the same
        self._lock = multiprocessing.get_context("fork").Lock()

    def claim(self, number: int) -> bool:
        """Whether task `number` is this process's to do (it was not claimed before)."""
        with self._lock:
            if self._taken[number]:
                return False
            self._taken[number] = 1
            return True


_HEADER = struct.Struct("<Q")


def _stream_in_two(first: Callable[[Callable[[], None]], T], second: Callable[[Callable[[object], None]], U],
                   take: Callable[[object], None], stream: int) -> tuple[T, U]:
    def send(message: object) -> None:
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        os.write(stream, _HEADER.pack(len(data)) + data)  # appended whole, at the file's end

    def first_then_take(child_done: Connection) -> T:
        offset = 0

        def take_sent_so_far() -> None:
            nonlocal offset
            offset = _take_sent(stream, offset, take)

        mine = first(take_sent_so_far)
        while True:
            done = child_done.poll(0 if offset < os.fstat(stream).st_size else 0.002)
            offset = _take_sent(stream, offset, take)
            if done:
                _take_sent(stream, offset, take)
                return mine

    return _beside_child(first_then_take, lambda: second(send))


def _take_sent(stream: int, offset: int, take: Callable[[object], None]) -> int:
    """Hands take() each whole message written after `offset`; the offset after the last."""
    size = os.fstat(stream).st_size
    while offset + _HEADER.size <= size:
        (length,) = _HEADER.unpack(os.pread(stream, _HEADER.size, offset))
        if offset + _HEADER.size + length > size:
            break  # still being written
        take(pickle.loads(os.pread(stream, length, offset + _HEADER.size)))
        offset += _HEADER.size + length
    return offset
