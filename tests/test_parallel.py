"""parallel.in_two_streaming(): a child's messages reach the parent whole and in order, while the
child goes on, and its errors are raised in the parent."""

from __future__ import annotations

import os

import pytest

from booksmith.errors import BooksmithError
from booksmith.parallel import Claims, can_fork, in_two, in_two_streaming

needs_fork = pytest.mark.skipif(not can_fork(), reason="this system cannot fork")


def chatty_child(count: int, size: int):
    def second(send) -> tuple[int, int]:
        for number in range(count):
            # messages larger than a pipe holds (64 KiB): the child must not wait for the reader
            send((number, os.getpid(), "x" * size))
        return count, os.getpid()
    return second


@needs_fork
def test_every_message_arrives_whole_in_order_from_the_child_process() -> None:
    taken: list[tuple[int, int, str]] = []
    mine, (sent, child), _ = in_two_streaming(lambda _: os.getpid(), chatty_child(40, 200_000), taken.append)
    assert mine == os.getpid() and child != os.getpid(), "the second task ran in another process"
    assert sent == 40 and [number for number, _, _ in taken] == list(range(40))
    assert all(pid == child and len(text) == 200_000 for _, pid, text in taken)


@needs_fork
def test_the_child_goes_on_while_the_parent_is_still_busy() -> None:
    """The parent sleeps through the child's whole run: had sending waited for a reader, the child
    could not have finished first, and its messages would have been lost or blocked."""
    import time

    def slow_first(_take_sent) -> float:
        time.sleep(0.5)
        return time.monotonic()

    def second(send) -> float:
        for _ in range(20):
            send("y" * 100_000)
        return time.monotonic()

    taken: list[str] = []
    parent_done, child_done, _ = in_two_streaming(slow_first, second, taken.append)
    assert child_done < parent_done and len(taken) == 20


@needs_fork
def test_an_error_in_the_child_is_raised_in_the_parent() -> None:
    def failing(send) -> None:
        send("first")
        raise BooksmithError("the child could not set chapter 9")

    with pytest.raises(BooksmithError, match="chapter 9"):
        in_two_streaming(lambda _: None, failing, lambda message: None)


def test_without_forking_the_messages_are_taken_after_both_tasks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOOKSMITH_SERIAL", "1")
    taken: list[int] = []
    mine, theirs, kept = in_two_streaming(lambda _: "here", chatty_child(3, 10), taken.append)
    assert mine == "here" and theirs == (3, os.getpid()) and [number for number, *_ in taken] == [0, 1, 2]
    assert kept is None, "no child kept on without serve"


@needs_fork
def test_a_failure_here_stops_the_child_which_unwinds_as_an_error_would(tmp_path) -> None:
    """A build stopped by its time limit while the child still works: the child is stopped rather
    than waited for, and its `finally` clauses run (a temporary file it was writing is removed)."""
    import time

    from booksmith.parallel import in_two

    started, finished, partial = tmp_path / "started", tmp_path / "finished", tmp_path / "partial.tmp"

    def first() -> None:
        while not started.exists():
            time.sleep(0.01)
        raise BooksmithError("the build took longer than the time limit")

    def second() -> None:
        partial.write_text("half a PDF", encoding="utf-8")
        started.write_text("", encoding="utf-8")
        try:
            time.sleep(30)
            finished.write_text("", encoding="utf-8")
        finally:
            partial.unlink()

    with pytest.raises(BooksmithError, match="time limit"):
        in_two(first, second)
    assert not finished.exists(), "the child was stopped, not waited for"
    assert not partial.exists(), "and it removed what it was writing"


@needs_fork
def test_the_parent_takes_what_the_child_has_sent_whenever_it_asks() -> None:
    """Messages are read in while the parent works, not only once it has finished."""
    import time

    taken: list[int] = []

    def first(take_sent) -> list[int]:
        deadline = time.monotonic() + 10
        while len(taken) < 5 and time.monotonic() < deadline:
            take_sent()
            time.sleep(0.01)
        return list(taken)

    def second(send) -> None:
        for number in range(5):
            send(number)
        time.sleep(0.5)  # still running when the parent has read all five

    seen, _, _ = in_two_streaming(first, second, taken.append)
    assert seen == [0, 1, 2, 3, 4] and taken == [0, 1, 2, 3, 4]


@needs_fork
def test_each_claim_goes_to_one_process_whichever_gets_there_first() -> None:
    claims = Claims(400)

    def claim_all() -> list[int]:
        return [number for number in range(400) if claims.claim(number)]

    mine, theirs = in_two(claim_all, claim_all)
    assert sorted(mine + theirs) == list(range(400)), "every task claimed exactly once"
    assert not set(mine) & set(theirs)


@needs_fork
def test_a_kept_child_answers_from_what_its_task_made_and_leaves_when_let_go() -> None:
    made: list[int] = []

    def second(send) -> str:
        made.append(os.getpid())  # in the child's memory only
        return "set"

    def serve(request: object) -> object:
        if request == "fail":
            raise BooksmithError("the child could not draw row 7")
        return request * 2, made[0]  # type: ignore[operator]

    mine, theirs, partner = in_two_streaming(lambda _: "here", second, lambda message: None, serve)
    assert partner is not None
    assert (mine, theirs) == ("here", "set") and made == []
    partner.send(21)
    answer, child = partner.receive()  # type: ignore[misc]
    assert answer == 42 and child != os.getpid()
    partner.send("fail")
    with pytest.raises(BooksmithError, match="row 7"):
        partner.receive()
    partner.send(1)
    assert partner.receive()[0] == 2, "the child answers on after a failed request"  # type: ignore[index]
    partner.close()
    assert not partner._child.is_alive()  # type: ignore[attr-defined]


def test_without_forking_a_kept_task_answers_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOOKSMITH_SERIAL", "1")
    made: list[int] = []
    _, _, partner = in_two_streaming(lambda _: None, lambda send: made.append(os.getpid()),
                                     lambda message: None, lambda request: (request, made[0]))
    assert partner is not None
    partner.send("row")
    assert partner.receive() == ("row", os.getpid())
    partner.close()
