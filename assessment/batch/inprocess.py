"""A papermill engine that executes a notebook's cells in this process's own IPython shell.

A report's notebook is still executed cell by cell, with papermill's parameters, metadata,
error banner and output notebook, exactly as with a kernel; only the kernel is not a second
process.  The fork engine's job runners use it (issue 19): each runner is already a process
forked for one report from the warm fork server, so it gives the report the same isolation a
forked kernel did, without a second fork, a kernel start-up, ZeroMQ sockets and a message
round trip per output, and a shutdown.  The runner *is* the report's kernel: a cell that kills
its process kills the runner, which the engine treats like a dead kernel (retried once).

What a cell sends is captured as nbformat outputs the way ipykernel sends them: ``stream``
(stdout and stderr, consecutive writes merged), ``display_data`` (``display()``, including
``clear_output``), ``execute_result`` (the value of the last expression, with its execution
count) and ``error`` (name, value, traceback).  ``get_ipython()`` works, magics work, and the
cells run in ``__main__``-like namespace in the notebook's folder.

Limits: the report's time limit is enforced with ``SIGALRM`` in the runner's main thread, so a
cell stuck inside C code that never returns to Python is stopped by the batch's own backstop
(:class:`~assessment.batch.engines.fork.ForkedPool` kills a runner past its time); widgets and
comms have no frontend here (as with any kernel papermill drives).

Register with papermill as ``assessment-inprocess`` (:func:`register`); used by
:mod:`assessment.batch.job` when a job runs in a forked job runner.
"""

from __future__ import annotations

import io
import math
import os
import signal
import sys
from collections.abc import Callable
from typing import Any

import nbformat
from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from nbclient.exceptions import CellTimeoutError
from papermill.engines import Engine, papermill_engines
from traitlets.config import Config

__all__ = ["ENGINE_NAME", "InProcessEngine", "register"]

#: The name papermill knows this engine by.
ENGINE_NAME = "assessment-inprocess"


def _output(output_type: str, **fields: Any) -> Any:
    """An output as ``nbformat.v4.new_output`` makes it, without validating it on its own.

    ``new_output`` runs the JSON schema on every output (about 0.8 ms each, a tenth of a
    report's machinery, issue 19).  The outputs here have fixed shapes (a test compares
    them with ``new_output``'s), and the executed notebook is still validated as a whole
    when papermill writes it (nbformat logs what is wrong).
    """
    return nbformat.from_dict({"output_type": output_type, **fields})


class _Outputs:
    """The outputs of the cell that is running (one collector per shell)."""

    def __init__(self) -> None:
        self.items: list[Any] = []
        self.wait_clear = False  # clear_output(wait=True): clear when the next output comes

    def add(self, output: Any) -> None:
        if self.wait_clear:
            self.items.clear()
            self.wait_clear = False
        self.items.append(output)

    def stream(self, name: str, text: str) -> None:
        """Append text to the stream ``name``, merged with a directly preceding one."""
        if not text:
            return
        last = self.items[-1] if self.items and not self.wait_clear else None
        if last is not None and last.output_type == "stream" and last.name == name:
            last.text += text
        else:
            self.add(_output("stream", name=name, text=text))


class _StreamWriter(io.TextIOBase):
    """``sys.stdout`` / ``sys.stderr`` while a cell runs: text becomes a stream output."""

    def __init__(self, outputs: _Outputs, name: str) -> None:
        super().__init__()
        self._outputs = outputs
        self._name = name

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:
        self._outputs.stream(self._name, str(text))
        return len(text)


class _Publisher(DisplayPublisher):
    """``display()`` and ``clear_output()`` into the running cell's outputs."""

    def publish(  # type: ignore[override]
        self,
        data: dict[str, Any],
        metadata: dict[str, Any] | None = None,
        source: Any = None,
        *,
        transient: dict[str, Any] | None = None,
        update: bool = False,
        **kwargs: Any,
    ) -> None:
        outputs: _Outputs = self.shell._cell_outputs  # type: ignore[attr-defined]
        outputs.add(_output("display_data", metadata=dict(metadata or {}), data=data))

    def clear_output(self, wait: bool = False) -> None:
        outputs: _Outputs = self.shell._cell_outputs  # type: ignore[attr-defined]
        if wait:
            outputs.wait_clear = True
        else:
            outputs.items.clear()


class _Hook(DisplayHook):
    """The value of a cell's last expression, as an ``execute_result``."""

    def write_output_prompt(self) -> None:
        pass  # no "Out[n]:" text: the count is the output's execution_count

    def write_format_data(self, format_dict: dict, md_dict: dict | None = None) -> None:
        outputs: _Outputs = self.shell._cell_outputs  # type: ignore[attr-defined]
        outputs.add(
            _output(
                "execute_result",
                metadata=dict(md_dict or {}),
                data=format_dict,
                execution_count=self.prompt_count,
            )
        )

    def finish_displayhook(self) -> None:
        self._is_active = False


class _Shell(InteractiveShell):
    """An InteractiveShell whose outputs are notebook outputs; errors become ``error``."""

    displayhook_class = _Hook  # type: ignore[assignment]
    display_pub_class = _Publisher  # type: ignore[assignment]

    def __init__(self, **kwargs: Any) -> None:
        self._cell_outputs = _Outputs()
        super().__init__(**kwargs)

    def _showtraceback(self, etype: type, evalue: BaseException, stb: list[str]) -> None:
        self._cell_outputs.add(
            _output("error", ename=etype.__name__, evalue=str(evalue), traceback=list(stb))
        )


class _ReportTimeout(BaseException):
    """Raised in a cell by ``SIGALRM`` when the report's time is up (not an ``Exception``,
    so that a cell's ``except Exception`` does not swallow it)."""


def _alarm(signum: int, frame: Any) -> None:
    raise _ReportTimeout


def _shell() -> _Shell:
    """The process's shell, made on first use (one report per process)."""
    if _Shell.initialized():
        return _Shell.instance()
    config = Config()
    # As nbclient asks of the kernels it starts: no history database on disk.
    config.HistoryManager.hist_file = ":memory:"
    return _Shell.instance(config=config, colors="nocolor")


def _run_cell(shell: _Shell, cell: Any, seconds: float | None) -> None:
    """Execute one code cell into ``cell.outputs``; raises on error or timeout."""
    outputs = shell._cell_outputs
    outputs.items, outputs.wait_clear = [], False
    cell.outputs = []
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _StreamWriter(outputs, "stdout"), _StreamWriter(outputs, "stderr")
    timer = seconds is not None and seconds > 0
    previous = signal.signal(signal.SIGALRM, _alarm) if timer else None
    try:
        if timer:
            signal.setitimer(signal.ITIMER_REAL, float(seconds))  # type: ignore[arg-type]
        cell.execution_count = shell.execution_count
        result = shell.run_cell(cell.source, store_history=True)
    finally:
        if timer:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        sys.stdout, sys.stderr = saved
        cell.outputs = list(outputs.items)
    error = result.error_before_exec or result.error_in_exec
    if isinstance(error, _ReportTimeout):
        cell.outputs = [o for o in cell.outputs if o.get("ename") != "_ReportTimeout"]
        raise CellTimeoutError.error_from_timeout_and_cell(
            "Cell execution timed out", int(seconds or 0), cell
        )
    if isinstance(error, KeyboardInterrupt):
        raise error  # the batch is stopping this runner (SIGTERM): not the report's error
    if error is not None:
        raise _CellFailedError(error)


class _CellFailedError(Exception):
    """A cell raised: papermill finds its ``error`` output and writes the banner."""


class InProcessEngine(Engine):
    """papermill engine: the notebook's cells run in this process (see the module docstring)."""

    @classmethod
    def execute_managed_notebook(  # type: ignore[override]
        cls,
        nb_man: Any,
        kernel_name: str,
        *,
        execution_timeout: float | None = None,
        timeout_func: Callable[[Any], float] | None = None,
        cwd: str | None = None,
        **kwargs: Any,
    ) -> Any:
        """Run every code cell in order; stop at the first error, as papermill's client does.

        ``timeout_func(cell)`` (nbclient's hook) gives each cell's time limit when set, else
        ``execution_timeout``.  ``cwd`` is the folder the cells run in.
        """
        if cwd:
            os.chdir(cwd)
        shell = _shell()
        for index, cell in enumerate(nb_man.nb.cells):
            nb_man.cell_start(cell, index)
            try:
                if cell.cell_type == "code" and cell.source.strip():
                    seconds = timeout_func(cell) if timeout_func else execution_timeout
                    _run_cell(shell, cell, None if seconds is None else math.ceil(seconds))
            except _CellFailedError as exc:
                nb_man.cell_exception(cell, cell_index=index, exception=exc)
                break
            finally:
                nb_man.cell_complete(cell, cell_index=index)
        return nb_man.nb


def register() -> None:
    """Make the engine known to papermill as :data:`ENGINE_NAME` (idempotent)."""
    papermill_engines.register(ENGINE_NAME, InProcessEngine)
