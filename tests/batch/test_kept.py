"""The kept engine: batches use it without stopping it (issue 19, the workshop's warm engine)."""

from __future__ import annotations

from typing import Any

from assessment.batch.engines import Engine, KeptEngine


class Recording(Engine):
    """An engine that records what is done to it; ``fallback`` makes prepare hand one back."""

    name = "recording"

    def __init__(self, log: list[str], fallback: Engine | None = None) -> None:
        super().__init__(explicit=False)
        self.log, self.fallback = log, fallback

    def start(self) -> None:
        self.log.append("start")

    def prepare(self, batch: Any) -> Engine:
        self.log.append("prepare")
        return self.fallback or self

    def pool(self, workers: int) -> Any:
        self.log.append(f"pool {workers}")
        return object()

    def stop(self) -> None:
        self.log.append("stop")


def test_a_batch_cannot_stop_a_kept_engine() -> None:
    log: list[str] = []
    kept = KeptEngine(lambda: Recording(log))
    kept.start()
    for _ in range(2):  # what run_batch does with the engine it is given
        with kept:
            ready = kept.prepare(batch=None)  # type: ignore[arg-type]
            assert ready is kept
            ready.pool(1)
            ready.stop()
    assert log == ["start", "prepare", "pool 1", "prepare", "pool 1"]  # started once, never stopped
    kept.close()
    assert log[-1] == "stop"
    assert kept.engine is None


def test_a_kept_engine_that_falls_back_is_made_again_for_the_next_batch() -> None:
    log: list[str] = []
    fallback = Recording([])
    fallback.warnings.append("fork engine unavailable")
    made = [Recording(log, fallback=fallback), Recording(log)]
    kept = KeptEngine(lambda: made.pop(0))
    assert kept.prepare(batch=None) is fallback  # type: ignore[arg-type]
    assert kept.warnings == ["fork engine unavailable"]
    assert kept.prepare(batch=None) is kept  # type: ignore[arg-type]
    assert made == []  # the broken one was replaced
