"""A replay scenario being written: its heading, its source and its steps, changed one
step at a time, and checked by writing it and reading it back (so what is saved is what
``load_scenario`` accepts)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from twin.plant.fields import ID_RE
from twin.training.model import ReplaySource, Scenario, ScenarioKind, Step
from twin.training.scenario_file import parse_scenario
from twin.training.scenario_writer import scenario_text


@dataclass
class ScenarioDraft:
    """A replay scenario under edit. ``steps`` are in file order: timed steps by time,
    event steps where they were put."""

    name: str
    source: ReplaySource
    description: str = ""
    pass_score: float = 70.0
    steps: list[Step] = field(default_factory=list)
    path: Path | None = None  # where it was opened from or last saved

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> ScenarioDraft:
        if scenario.replay is None:
            raise ValueError(f"{scenario.source_path}: not a replay scenario")
        return cls(
            name=scenario.name,
            source=scenario.replay,
            description=scenario.description,
            pass_score=scenario.pass_score,
            steps=[replace(s, line=None) for s in scenario.steps],
            path=Path(scenario.source_path),
        )

    @property
    def ids(self) -> set[str]:
        return {s.id for s in self.steps}

    def new_id(self, stem: str = "step") -> str:
        """An id no step has: ``stem``, or ``stem_2``, ``stem_3``..."""
        stem = "".join(c if ID_RE.fullmatch(c) else "_" for c in stem) or "step"
        n, candidate = 1, stem
        while candidate in self.ids:
            n += 1
            candidate = f"{stem}_{n}"
        return candidate

    def add(self, step: Step) -> int:
        """Insert ``step`` (a timed one before the first timed step after it); returns its
        index."""
        if step.id in self.ids:
            raise ValueError(f"a step is already called {step.id!r}")
        index = self._slot(step)
        self.steps.insert(index, step)
        return index

    def replace_step(self, step_id: str, step: Step) -> int:
        """Put ``step`` in place of the step called ``step_id`` (moving it if its time
        changed); returns its index."""
        old = self.index(step_id)
        if step.id != step_id and step.id in self.ids:
            raise ValueError(f"a step is already called {step.id!r}")
        removed = self.steps.pop(old)
        if step.trigger == removed.trigger:
            self.steps.insert(old, step)
            return old
        index = self._slot(step)
        self.steps.insert(index, step)
        return index

    def remove(self, step_id: str) -> Step:
        return self.steps.pop(self.index(step_id))

    def index(self, step_id: str) -> int:
        for i, s in enumerate(self.steps):
            if s.id == step_id:
                return i
        raise KeyError(step_id)

    def _slot(self, step: Step) -> int:
        at = step.trigger.at_s
        if at is None:
            return len(self.steps)
        for i, s in enumerate(self.steps):
            if s.trigger.at_s is not None and s.trigger.at_s > at:
                return i
        return len(self.steps)

    def scenario(self, path: str | os.PathLike[str]) -> Scenario:
        """The draft as a checked scenario at ``path`` (ScenarioError when it is not one a
        file could hold: no step yet, a choice whose answer is not an option...)."""
        return parse_scenario(self.text(path), os.fspath(path))

    def text(self, path: str | os.PathLike[str]) -> str:
        """The scenario file's text for ``path``."""
        draft = Scenario(
            name=self.name,
            kind=ScenarioKind.REPLAY,
            steps=tuple(self.steps),
            source_path=os.fspath(path),
            description=self.description,
            pass_score=self.pass_score,
            replay=self.source,
        )
        return scenario_text(draft, path)
