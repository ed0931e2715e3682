"""The capstone's machinery: a protocol, its operating characteristics, and a trial per student.

A :class:`Protocol` is what a student commits to before seeing data: the design, the number
enrolled, the visits, the primary visit, the primary analysis and its level. The course then

* simulates the protocol under several truths (:data:`TRUTHS`: no effect, the claimed
  effect, a fading effect, spill-over onto the placebo side, the product always on the same
  side) with :func:`operating_characteristics`, which returns every simulated trial's
  analysis so the student can count how often each conclusion is reached; and
* draws each student a trial of their own with :func:`your_trial`: its seed and its truth
  come from the student id (:mod:`exocourse.student`), so two students get different data and
  different truths, and the grader, which sets the same id, reproduces them exactly.
  :func:`reveal_truth` says what the truth was, for the end of the lesson.

Everything here is simulated from the teaching model of :mod:`exocourse.trials`, whose
parameters are assumptions [A] (course fact sheet, section 6): the trials are synthetic.

>>> protocol = Protocol(n=24)
>>> trial = your_trial(protocol, student="ada")
>>> sorted(trial["week"].unique().tolist())
[0, 4, 8]
>>> your_trial(protocol, student="ada").equals(trial), your_trial(protocol, "grace").equals(trial)
(True, False)
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .arguments import integer, real
from .student import student_id, student_seed
from .trials import FADING_SHAPE, TrialParams, estimates, simulate_many, simulate_trial

#: Analyses a protocol may name as primary, by design (see :func:`exocourse.trials.estimates`).
ANALYSES = {"split-face": ("paired", "wilcoxon"), "parallel": ("two-sample",)}

#: The truths a protocol is tried under: changes to the trial model's assumptions [A].
TRUTHS: dict[str, dict[str, Any]] = {
    "no effect": {"effect": 0.0},
    "claimed effect": {"effect": -4.0},  # the fact sheet's central scenario [A]
    "fading effect": {"effect": -3.0, "effect_shape": FADING_SHAPE},  # -6 AU wk 4, -3 AU wk 8
    "spill-over": {"effect": -4.0, "spillover": 0.3},  # the top of the 0-30% range [A]
    "fixed treated side": {"effect": -4.0, "treated_side": "left"},
}
#: Truths that need a control side on the same face (split-face trials only).
SPLIT_FACE_ONLY = ("spill-over", "fixed treated side")

#: The choices a registered protocol (the one a student's graded trial follows) may make:
#: the within-person design the lesson argues for, its visits, and whatever the student sized.
REGISTRABLE: dict[str, tuple[Any, ...]] = {
    "design": ("split-face",),
    "weeks": ((0.0, 4.0, 8.0),),
    "primary_week": (4.0, 8.0),
    "analysis": ("paired", "wilcoxon"),
    "alpha": (0.05,),
}
#: Enrolment of a registered protocol: whole blocks of ``BLOCK``, at most ``MAX_ENROLMENT``.
BLOCK, MAX_ENROLMENT = 4, 1000
#: At most this many with a Wilcoxon primary test: its simulation's cost grows with n squared
#: (the Walsh averages of every trial), about 8 s for 2,000 trials per truth at 240.
MAX_WILCOXON_ENROLMENT = 240

#: What a student's own trial may truly hold [A]: one of each list, chosen by the id. The
#: week-8 effects extend the fact sheet's scenarios (0, -2, -4, -8 AU) with -6 AU, and any of
#: them may fade in the fact sheet's fading shape (FADING_SHAPE: twice as large at week 4).
TRUE_EFFECTS = (0.0, -2.0, -4.0, -6.0, -8.0)
TRUE_SPILLOVERS = (0.0, 0.1, 0.2, 0.3)


@dataclass(frozen=True)
class Protocol:
    """A trial protocol, fixed before any data are seen.

    ``n`` is the number **enrolled** (dropouts included); ``weeks`` the visits (week 0
    first); ``primary_week`` the visit whose change from week 0 is the primary endpoint;
    ``analysis`` the primary test (``"paired"`` or ``"wilcoxon"`` for a split-face trial,
    ``"two-sample"`` for a parallel one); ``alpha`` its two-sided level.

    >>> Protocol().design, Protocol().analysis
    ('split-face', 'paired')
    >>> Protocol(design="parallel")
    Traceback (most recent call last):
    ...
    ValueError: analysis for a parallel trial must be one of ('two-sample',), got 'paired'
    """

    design: str = "split-face"
    n: int = 48
    weeks: tuple[float, ...] = (0, 4, 8)
    primary_week: float = 8
    analysis: str = "paired"
    alpha: float = 0.05

    def __post_init__(self) -> None:
        if self.design not in ANALYSES:
            raise ValueError(f"design must be one of {tuple(ANALYSES)}, got {self.design!r}")
        if self.analysis not in ANALYSES[self.design]:
            raise ValueError(
                f"analysis for a {self.design} trial must be one of "
                f"{ANALYSES[self.design]}, got {self.analysis!r}"
            )
        object.__setattr__(self, "n", integer("n", self.n))
        weeks = tuple(real("weeks", w) for w in self.weeks)
        object.__setattr__(self, "weeks", weeks)
        week = real("primary_week", self.primary_week)
        if week not in weeks or week == 0:
            raise ValueError(f"primary_week must be a follow-up visit {weeks[1:]}, got {week}")
        object.__setattr__(self, "primary_week", week)
        alpha = real("alpha", self.alpha)
        if not 0 < alpha < 1:
            raise ValueError(f"alpha must lie strictly between 0 and 1, got {alpha}")
        object.__setattr__(self, "alpha", alpha)
        self.params()  # the trial model checks n and the visits

    def record(self) -> dict[str, Any]:
        """The protocol as plain data (what :meth:`from_record` reads back).

        >>> Protocol(n=24).record()["weeks"]
        [0.0, 4.0, 8.0]
        """
        return {**dataclasses.asdict(self), "weeks": list(self.weeks)}

    @classmethod
    def from_record(cls, record: Any) -> Protocol:
        """The protocol written as ``record`` by :meth:`record`, checked like any other.

        >>> Protocol.from_record(Protocol(n=24).record()) == Protocol(n=24)
        True
        >>> Protocol.from_record({"n": 24})  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: a protocol record needs exactly the fields alpha, analysis, design, n, ...
        """
        names = sorted(field.name for field in dataclasses.fields(cls))
        if not isinstance(record, dict) or sorted(record) != names:
            raise ValueError(f"a protocol record needs exactly the fields {', '.join(names)}")
        weeks = record["weeks"]
        if not isinstance(weeks, (list, tuple)):
            raise ValueError(f"weeks must be a list of visits, got {weeks!r}")
        return cls(**{**record, "weeks": tuple(weeks)})

    def params(self, **truth: Any) -> TrialParams:
        """The trial model for this protocol under ``truth`` (changes to the defaults [A]).

        >>> Protocol(n=30).params(effect=0.0).n
        30
        """
        weeks = tuple(int(w) if float(w).is_integer() else w for w in self.weeks)
        return TrialParams(design=self.design, n=self.n, weeks=weeks, **truth)


def register(protocol: Protocol) -> Protocol:
    """Check that ``protocol`` may be registered for a graded trial (:data:`REGISTRABLE`,
    :data:`BLOCK`, :data:`MAX_ENROLMENT`, :data:`MAX_WILCOXON_ENROLMENT`), and return it;
    otherwise say what to change.

    >>> register(Protocol(n=48)).n
    48
    >>> register(Protocol(n=50))
    Traceback (most recent call last):
    ...
    ValueError: a registered trial enrols whole blocks of 4, between 8 and 1000: got n=50
    """
    if not isinstance(protocol, Protocol):
        raise TypeError(f"register takes a capstone.Protocol, got {type(protocol).__name__}")
    for name, allowed in REGISTRABLE.items():
        if getattr(protocol, name) not in allowed:
            choices = " or ".join(repr(a) for a in allowed)
            raise ValueError(
                f"a registered trial has {name} {choices}: got {getattr(protocol, name)!r}"
            )
    if protocol.n % BLOCK or not 2 * BLOCK <= protocol.n <= MAX_ENROLMENT:
        raise ValueError(
            f"a registered trial enrols whole blocks of {BLOCK}, between {2 * BLOCK} and "
            f"{MAX_ENROLMENT}: got n={protocol.n}"
        )
    if protocol.analysis == "wilcoxon" and protocol.n > MAX_WILCOXON_ENROLMENT:
        raise ValueError(
            f"a registered trial with a Wilcoxon test enrols at most {MAX_WILCOXON_ENROLMENT} "
            f"(its simulation is slow beyond): got n={protocol.n}; choose the paired t-test "
            "for a larger trial"
        )
    return protocol


def truths_for(protocol: Protocol) -> list[str]:
    """The names of the :data:`TRUTHS` that apply to ``protocol``'s design.

    >>> truths_for(Protocol(design="parallel", analysis="two-sample"))
    ['no effect', 'claimed effect', 'fading effect']
    """
    skip = () if protocol.design == "split-face" else SPLIT_FACE_ONLY
    return [name for name in TRUTHS if name not in skip]


def operating_characteristics(
    protocol: Protocol, reps: int = 2000, seed: int | None = None
) -> dict[str, pd.DataFrame]:
    """Simulate ``reps`` trials of ``protocol`` under each truth of :func:`truths_for` and
    analyse each by the protocol's primary analysis at its primary week.

    Returns, per truth, the frame of :func:`exocourse.trials.estimates`: one row per
    simulated trial with ``estimate`` (AU, product minus placebo), ``p_value`` and
    ``reject``. Each truth gets its own random stream spawned from ``seed``, in the order of
    :data:`TRUTHS`, so the same arguments give the same trials.

    >>> frames = operating_characteristics(Protocol(n=24), reps=400, seed=1)
    >>> list(frames)
    ['no effect', 'claimed effect', 'fading effect', 'spill-over', 'fixed treated side']
    >>> bool(0.02 < frames["no effect"]["reject"].mean() < 0.09)
    True
    """
    names = truths_for(protocol)
    streams = np.random.SeedSequence(seed).spawn(len(TRUTHS))
    frames = {}
    for index, name in enumerate(TRUTHS):
        if name not in names:
            continue
        sims = simulate_many(
            protocol.params(**TRUTHS[name]), reps, np.random.default_rng(streams[index])
        )
        frames[name] = estimates(sims, protocol.analysis, protocol.primary_week, protocol.alpha)
    return frames


def _truth(student: str) -> dict[str, Any]:
    rng = np.random.default_rng(student_seed(student, "truth"))
    effect = float(rng.choice(TRUE_EFFECTS))
    fading = bool(rng.random() < 0.5)
    spillover = float(rng.choice(TRUE_SPILLOVERS))
    truth: dict[str, Any] = {"effect": effect, "spillover": spillover}
    if fading:  # the same shape as the fading scenario: twice as large at week 4 as at week 8
        truth["effect_shape"] = FADING_SHAPE
    return truth


def your_trial(protocol: Protocol, student: str | None = None) -> pd.DataFrame:
    """The synthetic trial of ``student`` (default: :func:`exocourse.student.student_id`),
    run by ``protocol``: one row per measured side per attended visit, as
    :func:`exocourse.trials.simulate_trial` gives. The seed and the truth (effect, whether
    it fades, spill-over; see :func:`reveal_truth`) come from the student id; the table's
    ``attrs`` name the design and the protocol only, not the truth.

    >>> t = your_trial(Protocol(n=20), student="ada")
    >>> t.attrs["design"], "effect" in str(t.attrs)
    ('split-face', False)
    """
    who = student_id() if student is None else str(student)
    truth = _truth(who)
    if protocol.design != "split-face":
        truth["spillover"] = 0.0  # a parallel trial has no placebo side to reach
    trial = simulate_trial(protocol.params(**truth), seed=student_seed(who, "trial"))
    trial.attrs = {"design": protocol.design, "protocol": protocol.record()}
    return trial


def reveal_truth(student: str | None = None) -> dict[str, Any]:
    """What ``student``'s own trial truly held: the effect on the treated side at the last
    visit (AU), whether it faded, and the fraction that spilled onto the placebo side.

    >>> sorted(reveal_truth("ada"))
    ['effect at the last visit (AU)', 'fading', 'spill-over (split-face only)']
    """
    truth = _truth(student_id() if student is None else str(student))
    return {
        "effect at the last visit (AU)": truth["effect"],
        "fading": "effect_shape" in truth,
        "spill-over (split-face only)": truth["spillover"],
    }
