"""The kernel a report runs in: private sockets, stderr in a log, fresh or forked.

Every batch kernel talks to its job runner over Unix sockets (on POSIX) instead of loopback
TCP: no ports, so parallel kernels cannot race for one, and nothing listens on the network.
Its sockets and its connection file (which holds the kernel's HMAC key) are in the batch's
private temporary folder (:func:`~assessment.batch.lifetime.private_folder`), never loose in
``/tmp``.
The kernel's own stderr (start-up warnings, shutdown chatter, crash messages) goes to
``kernel.log`` next to the report instead of the user's terminal.

A kernel is either started as a new process (the fresh engine) or forked by the fork server
(the fork engine): :func:`kernel_manager_class` gives papermill a manager that does one or the
other, and everything else about the kernel is the same.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager

from assessment.batch.fork_client import PidProcess, fork_kernel
from assessment.batch.jobs import ForkedKernels
from assessment.batch.lifetime import private_folder

__all__ = ["kernel_environment", "kernel_manager_class"]


def kernel_environment() -> None:
    """Set what batch kernels inherit from this process's environment.

    No GUI backend, no stray warnings about frozen modules (pydevd), and the same interpreter
    as the batch (the ``python3`` kernel resolves to ``sys.executable``).
    """
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")


class _BatchKernelManager(AsyncKernelManager):
    """Private sockets and a log file; set :attr:`log_path` and :attr:`forked` on a subclass."""

    log_path: Path
    forked: ForkedKernels | None = None

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # jupyter_client's default connection file is a mkstemp() file in /tmp, left behind
        # with its key when the batch is killed (issue 18): the private folder instead.
        name = f"k-{uuid.uuid4().hex[:16]}"
        folder = private_folder()
        self.connection_file = str(folder / f"{name}.json")
        if os.name == "posix":
            self.transport = "ipc"
            # A unique socket prefix per kernel: the default ("kernel-ipc" in the working
            # directory) is shared by parallel kernels, which then read each other's messages.
            self.ip = str(folder / name)

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        if self.forked is not None:
            await self._fork_kernel(self.forked, **kw)
        elif "stderr" in kw:
            await super()._async_launch_kernel(kernel_cmd, **kw)
        else:
            # The started kernel has its own copy of the descriptor: ours is closed at once
            # (a pool worker renders many reports and would leak one per kernel).
            with open(self.log_path, "ab") as log:
                await super()._async_launch_kernel(kernel_cmd, stderr=log, **kw)

    async def _fork_kernel(self, forked: ForkedKernels, **kw: Any) -> None:
        """The warm fork server forks a child that becomes this kernel, on the connection
        file jupyter_client has just written; the provisioner then watches that pid."""
        request = {
            "connection_file": self.connection_file,
            "cwd": str(kw.get("cwd") or Path.cwd()),
            "env": dict(kw.get("env") or os.environ),
            "log": str(self.log_path),
        }
        pid = await asyncio.to_thread(fork_kernel, forked.address, forked.authkey, request)
        prov = self.provisioner
        prov.process = PidProcess(pid)  # type: ignore[union-attr]
        prov.pid = pid  # type: ignore[union-attr]
        prov.pgid = pid  # type: ignore[union-attr] - the child called setsid()
        prov.cwd = request["cwd"]  # type: ignore[union-attr]
        self._reconcile_connection_info(prov.connection_info)  # type: ignore[union-attr]


def kernel_manager_class(log_path: Path, forked: ForkedKernels | None = None) -> type:
    """A kernel manager class for one report's kernel, as papermill's
    ``kernel_manager_class`` takes it.

    Parameters
    ----------
    log_path
        Where the kernel's stderr goes.
    forked
        The fork server to ask for the kernel; ``None`` starts a new kernel process.
    """
    return type(
        "BatchKernelManager", (_BatchKernelManager,), {"log_path": log_path, "forked": forked}
    )
