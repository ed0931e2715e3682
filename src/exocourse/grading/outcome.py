"""Reading the outcome of a graded notebook: one status, points and reason per question.

A test cell earns its points only when the probes its hidden tests reported match the
solution's (:mod:`.verdicts`) and its visible tests ran clean; nbgrader's own score of a
test cell is not used. The outputs of the cell and of the cells it builds on say why, in
words a student can act on. No reason ever repeats a line of a hidden test or of the code
that runs them (:func:`redact`).

>>> reason_of([{"output_type": "error", "ename": "AssertionError", "evalue": "x is wrong"}])
('AssertionError', 'x is wrong')
"""

from __future__ import annotations

from nbformat import NotebookNode

from .expected import WRAPPER
from .guard import KERNEL_DIED_WHY, NOT_RUN
from .inspection import Inspection
from .lessonspec import LessonSpec, QuestionSpec, is_answer, nbgrader_meta
from .results import Question
from .status import ERROR, FAILED, MANUAL, MISSING, PASSED, TAMPERED, TIMEOUT
from .verdicts import judge, read_record

MAX_REASON = 600
#: How the reason of every test whose answer was not given begins.
NOT_ANSWERED = "not answered"
#: The reason of a test whose answer was left as released.
UNANSWERED = f"{NOT_ANSWERED}: the answer still raises NotImplementedError"


def reason_of(outputs: list) -> tuple[str, str] | None:
    """(ename, evalue) of the error that explains a cell's failure, or None. A timeout
    wins over the KeyboardInterrupt that the interrupt caused.

    >>> reason_of([{"output_type": "error", "ename": "KeyboardInterrupt", "evalue": ""},
    ...            {"output_type": "error", "ename": "CellTimeoutError", "evalue": "late"}])
    ('CellTimeoutError', 'late')
    """
    errors = [
        (str(o.get("ename", "")), str(o.get("evalue", "")))
        for o in outputs
        if o.get("output_type") == "error"
    ]
    for ename in ("CellTimeoutError", "DeadKernelError"):
        for error in errors:
            if error[0] == ename:
                return error
    return errors[0] if errors else None


def redact(text: str, hidden: tuple[str, ...]) -> str:
    """Drop every line of ``text`` that repeats a line of a hidden test; shorten.

    >>> redact("x is wrong\\n_ref = secret(3)", ("_ref = secret(3)",))
    'x is wrong'
    """
    hidden_set = set(hidden)
    kept = [
        line for line in text.splitlines() if line.strip() not in hidden_set and WRAPPER not in line
    ]
    text = "\n".join(kept).strip()
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"


def analyse(
    graded: NotebookNode,
    scores: dict[str, tuple[float | None, bool]],
    found: Inspection,
    spec: LessonSpec,
    timeout: int,
) -> list[Question]:
    """One Question per graded cell: code questions from their probes' verdicts, written
    answers from nbgrader's scores (an unchanged answer cell scores 0)."""
    position = {nbgrader_meta(c).get("grade_id"): i for i, c in enumerate(graded.cells)}
    graded_ids = {q.grade_id for q in spec.questions}
    questions = []
    for q in spec.questions:
        answer = (
            "\n\n".join(found.answers.get(a, "") for a in q.answers)
            if q.kind == "code"
            else found.answers.get(q.grade_id, "")
        )
        if q.grade_id in found.missing or q.grade_id not in position:
            what = "test" if q.kind == "code" else "answer"
            reason = (
                f"this graded {what} cell was deleted from the submission (or its grading "
                "settings removed), so it earns no points; restore it from the released "
                "notebook and grade again, or grade it by hand"
            )
            questions.append(Question(q.grade_id, q.title, q.kind, 0.0, q.points, MISSING, reason))
            continue
        auto, _ = scores.get(q.grade_id, (None, True))
        index = position[q.grade_id]
        if q.kind == "written":
            if auto is not None and auto == 0:
                status, points, reason = FAILED, 0.0, "no answer: the cell is unchanged"
            else:
                status, points = MANUAL, None
                reason = "a written answer: waits for a person to grade it (formgrader)"
        else:
            previous = max(
                (i for g, i in position.items() if g in graded_ids and i < index), default=-1
            )
            before = graded.cells[previous + 1 : index]
            expected = spec.expected.get(q.grade_id)
            status, points, reason = _code_outcome(
                q, graded.cells[index], expected, before, timeout
            )
            if status == ERROR and reason.startswith("NameError"):
                status, reason = _knock_on(reason, graded.cells[:index])
        if q.grade_id in found.tampered:
            was = f"{status}: {reason}" if reason else status
            reason = "; ".join(found.tampered[q.grade_id]) + f". Graded result: {was}"
            status = TAMPERED
        for answer_id in q.answers:
            if answer_id in found.absent_answers and status != PASSED:
                reason += f" (the answer cell {answer_id!r} is not in the submission)"
        questions.append(
            Question(
                q.grade_id,
                q.title,
                q.kind,
                points,
                q.points,
                status,
                redact(reason, q.hidden_lines),
                answer,
            )
        )
    return questions


def _knock_on(reason: str, earlier: list[NotebookNode]) -> tuple[str, str]:
    """A test that fails on a missing name after earlier exercises were left unanswered is
    "not answered" rather than in error: which of them the name needed cannot be told, so
    the reason names the first and says "may"."""
    for cell in earlier:
        found = reason_of(cell.get("outputs", [])) if is_answer(cell) else None
        if found is not None and found[0] == "NotImplementedError" and not found[1]:
            first = _label(cell)
            why = f"earlier exercises, which later cells may need, are not answered yet ({first})"
            return FAILED, f"{NOT_ANSWERED}: {reason}; {why}"
    return ERROR, reason


def _label(cell: NotebookNode) -> str:
    grade_id = nbgrader_meta(cell).get("grade_id")
    if grade_id:
        return f"the answer cell {grade_id!r}" if is_answer(cell) else f"the cell {grade_id!r}"
    first = next((ln.strip() for ln in cell.source.splitlines() if ln.strip()), "")
    return f"the cell starting `{first[:60]}`"


def _code_outcome(
    q: QuestionSpec, cell: NotebookNode, expected: dict | None, before: list, timeout: int
) -> tuple[str, float, str]:
    """Status, points and reason of one test cell; ``before`` are the cells between the
    previous graded cell and this one (the answer and the code it builds on). Points come
    only from the verdict on the cell's probes against the solution's (``expected``)."""
    outputs = cell.get("outputs", [])
    error = reason_of(outputs)
    ran = cell.get("execution_count") is not None or bool(outputs)
    record, problem = read_record(outputs, q.grade_id)
    verdict = judge(expected, record) if record is not None and expected is not None else None
    if error is None and ran and verdict is not None and verdict.passed:
        return PASSED, q.points, ""
    status, reason = ERROR, "the test cell was not run"
    if error is not None:
        ename, evalue = error
        if ename == "CellTimeoutError":
            status = TIMEOUT
            reason = evalue or f"the test did not finish within {timeout} s (an endless loop?)"
        elif ename in (NOT_RUN, "DeadKernelError"):
            reason = evalue
        elif ename == "NotImplementedError" and not evalue:
            status, reason = FAILED, UNANSWERED
        elif ename == "AssertionError":
            status = FAILED
            hidden = verdict.reason if verdict is not None and not verdict.passed else ""
            reason = evalue or hidden or "a visible check failed (it has no message)"
        else:
            reason = f"{ename}: {evalue}" if evalue else ename
    elif ran and expected is None:
        reason = "the solution gave this test no hidden checks to compare with"
    elif ran and verdict is not None:
        status, reason = FAILED, verdict.reason
    # the hidden checks always report, even when the answer raises; a test cell that ran to
    # its end without their report, or in a kernel that rewrites cells, was tampered with
    stopped = error is not None and error[0] in ("CellTimeoutError", NOT_RUN, "DeadKernelError")
    if ran and expected is not None and not stopped:
        if record is None:
            status = TAMPERED
            reason = f"{problem}: the test cell was skipped, blanked or rewritten"
            reason += ", so it earns nothing"
        elif verdict is not None and verdict.tampered:
            status, reason = TAMPERED, f"{verdict.tampered}, so this test earns nothing"
    # say what went wrong in the cells this test builds on
    for earlier in before:
        problem = reason_of(earlier.get("outputs", [])) if earlier.cell_type == "code" else None
        if problem is None:
            continue
        ename, evalue = problem
        if not is_answer(earlier) and ename in ("NameError", "NotImplementedError", NOT_RUN):
            continue  # a knock-on effect of an unanswered exercise, not a cause
        where, evalue = _label(earlier), evalue if len(evalue) < 200 else evalue[:199] + "…"
        if ename == "NotImplementedError" and not evalue:
            if status == ERROR or reason == UNANSWERED:  # e.g. a NameError only because
                # nothing was answered, or the test saw the same: name the cell once
                status = FAILED
                reason = f"{NOT_ANSWERED}: {where} still raises NotImplementedError"
            else:
                reason += f" ({where} still raises NotImplementedError)"
        elif ename == "CellTimeoutError":
            status = TIMEOUT
            reason += f" ({where} did not finish within {timeout} s: an endless loop?)"
        elif ename == "DeadKernelError":
            reason = f"not run: the Python kernel died in {where} ({KERNEL_DIED_WHY})"
        elif ename != NOT_RUN:
            detail = f"{ename}: {evalue}" if evalue else ename
            reason += f" ({where} raised {detail})"
    return status, 0.0, reason
