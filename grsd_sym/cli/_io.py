"""Files and signals for the ``grsd`` commands.

* :func:`check_output_dir` / :func:`check_output_file`: an output path is checked **before** any
  work starts (an existing file where a folder is needed, a path inside a file, an unwritable
  folder are one-line :class:`~grsd_sym.errors.OutputPathError` s, not a traceback after minutes
  of work).  Nothing is created by the check.
* :func:`write_atomic`: a temporary file in the target folder, then ``os.replace``; the file gets
  the permissions of a normal ``open()`` (``0o666`` less the umask, not ``mkstemp``'s ``0o600``);
  the temporary file is removed on any exception, ``KeyboardInterrupt`` included.
* :func:`handle_termination`: SIGTERM (what SLURM, CI runners and ``kill`` send) raises
  ``KeyboardInterrupt`` like Ctrl-C, so ``finally`` blocks run and no temporary file is left;
  :func:`deferred_signals` holds SIGINT/SIGTERM during a block that must complete (a certificate's
  JSON and LaTeX pair) and delivers them after it.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from grsd_sym.errors import OutputPathError
from grsd_sym.parsing import abbreviate

__all__ = [
    "NEGATIVE_NUMBER",
    "check_output_dir",
    "check_output_file",
    "deferred_signals",
    "file_mode",
    "handle_termination",
    "json_document",
    "write_atomic",
    "Terminated",
]


#: argparse treats ``-1/2`` or ``-1e-3`` as an option unless such words are declared numbers
#: (``parser._negative_number_matcher = NEGATIVE_NUMBER``)
NEGATIVE_NUMBER = re.compile(
    r"^-(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?(/[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?)?$"
    r"|^-(inf|oo|infinity|nan)$",
    re.IGNORECASE,
)


def _show(path: object) -> str:
    text = str(path).encode("unicode_escape").decode("ascii")
    return text if len(text) <= 80 else text[:77] + "..."


def _nearest_existing(path: Path, flag: str, shown: Path | None = None) -> Path:
    """The closest existing ancestor of ``path``; it must be a writable folder."""
    p = path
    path = shown or path
    while not p.exists():
        if p.is_symlink():
            raise OutputPathError(f"{flag} {_show(path)}: {_show(p)} is a dangling link")
        parent = p.parent
        if parent == p:
            break
        p = parent
    if not p.is_dir():
        raise OutputPathError(f"{flag} {_show(path)}: {_show(p)} is a file, not a folder")
    return p


def _probe_writable(folder: Path, path: Path, flag: str) -> None:
    try:
        fd, tmp = tempfile.mkstemp(prefix=".grsd-write-test.", dir=folder)
    except OSError as exc:
        raise OutputPathError(
            f"{flag} {_show(path)}: cannot write in {_show(folder)} ({exc.strerror or type(exc).__name__})"
        ) from None
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(tmp)


def _as_path(path: str | os.PathLike, flag: str) -> Path:
    text = os.fspath(path)
    if not isinstance(text, str) or not text.strip() or "\x00" in text:
        raise OutputPathError(f"{flag} must be a path, got {abbreviate(text)}")
    if len(text) > 4096 or any(len(part) > 255 for part in Path(text).parts):
        raise OutputPathError(f"{flag}: the path {abbreviate(text)} is too long")
    return Path(text)


def check_output_dir(path: str | os.PathLike, *, flag: str = "--out") -> Path:
    """Check that ``path`` is (or can become) a writable folder; create nothing.

    Parameters
    ----------
    path : str or os.PathLike
        The path given on the command line.
    flag : str
        The option's name, for the error message.

    Returns
    -------
    pathlib.Path
        ``path`` as a ``Path``.

    Raises
    ------
    OutputPathError
        If it is a file, is not writable, or is not a valid path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> (d / "f").write_text("x")
    1
    >>> check_output_dir(d / "new" / "sub") == d / "new" / "sub"
    True
    >>> check_output_dir(d / "f")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    grsd_sym.errors.OutputPathError: --out .../f is a file, not a folder
    """
    p = _as_path(path, flag)
    if p.exists() and not p.is_dir():
        raise OutputPathError(f"{flag} {_show(p)} is a file, not a folder")
    folder = _nearest_existing(p, flag)
    _probe_writable(folder, p, flag)
    return p


def check_output_file(path: str | os.PathLike, *, flag: str = "--out") -> Path:
    """Check that a file can be written at ``path`` (not a folder, parent writable); create nothing.

    Parameters
    ----------
    path : str or os.PathLike
        Where the file would be written.
    flag : str
        Named in the error.

    Returns
    -------
    pathlib.Path
        The file's path.

    Raises
    ------
    OutputPathError
        For a folder, an unwritable place or a malformed path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> check_output_file(d / "plot.png").name
    'plot.png'
    """
    p = _as_path(path, flag)
    if p.is_dir():
        raise OutputPathError(f"{flag} {_show(p)} is a folder; give a file name")
    if p.name in ("", ".", ".."):
        raise OutputPathError(f"{flag} {_show(p)}: give a file name")
    if p.exists() and not os.access(p, os.W_OK):
        raise OutputPathError(f"{flag} {_show(p)}: the file is not writable")
    folder = _nearest_existing(p.parent if str(p.parent) else Path("."), flag, shown=p)
    _probe_writable(folder, p, flag)
    return p


def file_mode() -> int:
    """``0o666`` less the process umask: the mode ``open(path, 'w')`` would give a new file.

    Returns
    -------
    int
        The permission bits.

    Examples
    --------
    >>> file_mode() & ~0o666
    0
    """
    with _UMASK_LOCK:
        mask = os.umask(0)
        os.umask(mask)
    return 0o666 & ~mask


_UMASK_LOCK = threading.Lock()


def write_atomic(path: str | os.PathLike, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` atomically, with the permissions of a normal new file.

    A temporary file in the same folder is renamed over ``path``; none is left behind on any
    exception, Ctrl-C or SIGTERM included.

    Parameters
    ----------
    path : str or os.PathLike
        Where to write (parent folders are created).
    data : str or bytes
        The content (text is written as UTF-8).

    Returns
    -------
    pathlib.Path
        ``path``.

    Examples
    --------
    >>> import tempfile, pathlib, os
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a" / "x.txt"
    >>> write_atomic(p, "hi").read_text(), oct(os.stat(p).st_mode & 0o777) == oct(file_mode())
    ('hi', True)
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, file_mode())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return path


def json_document(command: str, ok: bool, body: dict, warnings: list[str] | tuple[str, ...] = ()) -> dict:
    """The common head of every ``--json`` document (README: "JSON vocabulary").

    Parameters
    ----------
    command : str
        The command, e.g. ``"solve transport"``.
    ok : bool
        True iff the exit code is 0.
    body : dict
        The command's own keys.
    warnings : sequence of str
        One-line warnings.

    Returns
    -------
    dict
        ``command``, ``ok`` and ``warnings`` first, then ``body``.

    Examples
    --------
    >>> json_document("list", True, {"n": 3})
    {'command': 'list', 'ok': True, 'warnings': [], 'n': 3}
    """
    return {"command": command, "ok": bool(ok), "warnings": list(warnings), **body}


class Terminated(KeyboardInterrupt):
    """SIGTERM, delivered as a ``KeyboardInterrupt`` so that cleanup code runs.

    Examples
    --------
    >>> issubclass(Terminated, KeyboardInterrupt)
    True
    """


def _on_term(signum: int, frame: object) -> None:
    raise Terminated()


def handle_termination() -> None:
    """Make SIGTERM raise :class:`Terminated` (a ``KeyboardInterrupt``) in the main thread.

    Examples
    --------
    >>> import signal
    >>> old = signal.getsignal(signal.SIGTERM)
    >>> handle_termination()
    >>> signal.getsignal(signal.SIGTERM) is _on_term
    True
    >>> _ = signal.signal(signal.SIGTERM, old)
    """
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, _on_term)


@contextlib.contextmanager
def deferred_signals() -> Iterator[None]:
    """Hold SIGINT and SIGTERM for the duration of the block, then deliver the first one received.

    Use it around writes that must complete together (a certificate's ``.json`` and ``.tex``).

    Yields
    ------
    None
        While inside the block, SIGINT and SIGTERM are held.

    Examples
    --------
    >>> import os, signal
    >>> try:
    ...     with deferred_signals():
    ...         os.kill(os.getpid(), signal.SIGINT)
    ...         print("the write completes")
    ... except KeyboardInterrupt:
    ...     print("then the interrupt")
    the write completes
    then the interrupt
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    sigs = [s for s in (signal.SIGINT, getattr(signal, "SIGTERM", None)) if s is not None]
    old = {s: signal.signal(s, lambda n, f: received.append(n)) for s in sigs}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)
        if received:
            if received[0] == getattr(signal, "SIGTERM", None):
                raise Terminated()
            raise KeyboardInterrupt()
