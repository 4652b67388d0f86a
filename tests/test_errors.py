"""Coded errors cross worker processes intact (the engines pickle them)."""

from __future__ import annotations


def test_coded_errors_survive_pickling() -> None:
    import pickle

    from sitroom.errors import Code, SitroomError

    error = SitroomError(Code.TOO_LARGE, "big.html", size="31.2 MB", limit="20 MB")
    again = pickle.loads(pickle.dumps(error))  # how they cross worker processes
    assert (again.code, again.input, str(again)) == (error.code, error.input, str(error))
