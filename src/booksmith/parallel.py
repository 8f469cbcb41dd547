"""Work split over the machine's cores, where the system can fork: a child process inherits
everything the parent has built (fonts, caches, the document) and sends back only its results; it
may be kept on to answer requests from what it made (a Partner), and two processes may share out
numbered tasks as they go (Claims)."""

from __future__ import annotations

import contextlib
import mmap
import multiprocessing
import os
import pickle
import signal
import struct
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
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
    mine, theirs, _ = _beside_child(lambda _: first(), second)
    return mine, theirs


def _beside_child(here: Callable[[Connection], T], there: Callable[[], U],
                  serve: _Serving | None = None) -> tuple[T, U, Partner | None]:
    """here() in this process while there() runs in a forked child; here() is given the connection
    the child's outcome will come on, to see whether it has finished. With `serve`, the child stays
    once there() is done, to answer requests (the Partner returned) with serve()."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    asked, asking = context.Pipe(duplex=False) if serve is not None else (None, None)
    child = context.Process(target=_run_and_report, args=(there, sender, serve, asked, asking), daemon=True)
    child.start()
    sender.close()
    if asked is not None:
        asked.close()
    try:
        mine = here(receiver)
    except BaseException:
        # this build has failed or been stopped (its time limit, Ctrl-C): the child's work is not
        # wanted, and waiting for it would keep the build running on
        child.terminate()
        child.join()
        raise
    outcome = _receive(receiver)
    partner = _Partner(child, asking, receiver) if asking is not None and outcome[0] == "ok" else None
    if partner is None:
        child.join()
        if asking is not None:
            asking.close()
    if outcome[0] == "error":
        raise _raised(outcome[1])
    return mine, outcome[1], partner


def _raised(diagnostic: Diagnostic) -> BooksmithError:
    return BooksmithError(diagnostic.message, diagnostic.location, diagnostic.hint)


class Partner:
    """A task's process kept on to answer requests: send() one, do other work, then receive() its
    answer. close() lets it go (it goes by itself when this process ends)."""

    def send(self, request: object) -> None:
        raise NotImplementedError

    def receive(self) -> object:
        raise NotImplementedError

    def close(self) -> None:
        pass


class _Partner(Partner):
    """A forked child answering over a pipe."""

    def __init__(self, child: multiprocessing.process.BaseProcess, requests: Connection,
                 answers: Connection) -> None:
        self._child, self._requests, self._answers = child, requests, answers

    def send(self, request: object) -> None:
        self._requests.send_bytes(pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL))

    def receive(self) -> object:
        outcome = _receive(self._answers)
        if outcome[0] == "error":
            raise _raised(outcome[1])
        return outcome[1]

    def close(self) -> None:
        if self._requests.closed:
            return
        with contextlib.suppress(OSError):
            self._requests.send_bytes(pickle.dumps(None))  # the child's cue to leave
        self._requests.close()
        self._child.join(timeout=5)
        if self._child.is_alive():
            self._child.terminate()
            self._child.join()
        self._answers.close()


class _Here(Partner):
    """serve() in this process, where no child could be forked."""

    def __init__(self, serve: Callable[[object], object]) -> None:
        self._serve = serve
        self._answers: list[object] = []

    def send(self, request: object) -> None:
        self._answers.append(self._serve(request))

    def receive(self) -> object:
        return self._answers.pop(0)


def _receive(receiver: Connection) -> tuple:
    try:
        return pickle.loads(receiver.recv_bytes())
    except (EOFError, OSError):
        return ("error", Diagnostic(Severity.ERROR, "a worker process stopped unexpectedly"))


class _Stopped(BaseException):
    """The parent stopped this child (its build failed or ran out of time)."""


def _stop(signum: int, frame: object) -> None:
    raise _Stopped


def _run_and_report(task: Callable[[], T], sender: Connection, serve: _Serving | None,
                    requests: Connection | None, parents_end: Connection | None) -> None:
    # stopped, the child unwinds as an error would (a temporary PDF it was writing is removed)
    signal.signal(signal.SIGTERM, _stop)
    if parents_end is not None:
        parents_end.close()  # so that the requests end when the parent's end is closed, or it ends
    try:
        outcome = _outcome(task)
        sender.send_bytes(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))
        if serve is not None and requests is not None and outcome[0] == "ok":
            serve.prepare()
            while True:
                try:
                    request = pickle.loads(requests.recv_bytes())
                except (EOFError, OSError):  # the parent has gone
                    break
                if request is None:  # the parent wants no more
                    break
                answer = _outcome(lambda: serve.answer(request))  # noqa: B023 (called at once)
                sender.send_bytes(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
    except _Stopped:
        pass
    sender.close()


def _outcome(task: Callable[[], T]) -> tuple:
    """("ok", what task() returns), or ("error", a diagnostic) for the parent to raise."""
    try:
        return ("ok", task())
    except _Stopped:
        raise
    except BooksmithError as error:
        return ("error", error.diagnostic)
    except BaseException as error:  # the parent reports it; a child never prints a traceback
        return ("error", Diagnostic(Severity.ERROR, f"a worker process failed: {error!r}"))


def in_two_streaming(first: Callable[[Callable[[], None]], T],
                     second: Callable[[Callable[[object], None]], U],
                     take: Callable[[object], None],
                     serve: Callable[[object], object] | None = None,
                     prepare: Callable[[], None] = lambda: None) -> tuple[T, U, Partner | None]:
    """Like in_two(), with second() given a send(): each object it sends is handed to take() here,
    in the order sent, while the child goes on: those sent so far whenever first() calls the
    function it is given, and the rest once first() has returned. The child never waits for this
    process to read (what it sends goes to a file, not a pipe that can fill), so the two overlap:
    take()'s work here, the rest of second() there.

    With `serve`, the child is kept once second() is done, to answer requests with serve(), which
    can use what second() made in the child's memory; prepare() is run there before the first
    request is awaited. The Partner returned (None without `serve`) is to be closed when done."""
    serving = _Serving(serve, prepare) if serve is not None else None
    if not can_fork():
        return _one_after_the_other(first, second, take, serving)
    try:
        descriptor, name = tempfile.mkstemp(prefix="booksmith-")
        os.close(descriptor)
        stream = os.open(name, os.O_RDWR | os.O_APPEND)
        os.unlink(name)
    except OSError:  # no temporary folder to write: both tasks here, one after the other
        return _one_after_the_other(first, second, take, serving)
    try:
        return _stream_in_two(first, second, take, stream, serving)
    finally:
        os.close(stream)


@dataclass(frozen=True)
class _Serving:
    answer: Callable[[object], object]
    prepare: Callable[[], None]


def _one_after_the_other(first: Callable[[Callable[[], None]], T],
                         second: Callable[[Callable[[object], None]], U],
                         take: Callable[[object], None],
                         serve: _Serving | None) -> tuple[T, U, Partner | None]:
    sent: list[object] = []
    mine = first(lambda: None)
    theirs = second(sent.append)
    for message in sent:
        take(message)
    return mine, theirs, _Here(serve.answer) if serve is not None else None


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
                   take: Callable[[object], None], stream: int,
                   serve: _Serving | None) -> tuple[T, U, Partner | None]:
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

    return _beside_child(first_then_take, lambda: second(send), serve)


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
