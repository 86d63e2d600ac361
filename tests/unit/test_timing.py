"""Per-job timers: each stage keeps its own time, nested stages are not counted twice."""

from __future__ import annotations

import time

from workflow import timing


def test_a_nested_stage_is_subtracted_from_the_one_around_it() -> None:
    with timing.recording() as t:
        with timing.stage("segmentation"):
            time.sleep(0.02)
            with timing.stage("engine"):
                time.sleep(0.05)
        timing.count("sentences", 3)
        timing.note("jobs", [7, 8])
    record = t.record()
    stages = record["stages"]
    assert isinstance(stages, dict)
    assert stages["engine"] >= 0.05
    assert 0.02 <= stages["segmentation"] < 0.05  # its own time only
    assert record["sentences"] == 3 and record["jobs"] == [7, 8]
    assert float(record["wall"]) >= stages["engine"] + stages["segmentation"]  # type: ignore[arg-type]


def test_stages_outside_a_recording_cost_nothing_and_record_nothing() -> None:
    with timing.stage("engine"):
        timing.count("sentences", 1)
    with timing.recording() as t:
        pass
    assert t.record()["stages"] == {}
