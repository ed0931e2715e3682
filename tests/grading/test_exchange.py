"""A class on more than one machine: nbgrader's exchange (the JupyterHub path) end to end.

The instructor releases Lesson 1 to a temporary exchange folder, a student fetches it,
answers it and submits, the instructor collects, and ``exocourse autograde`` grades the
collected folder (nbgrader's layout) and records the result in the course gradebook."""

from __future__ import annotations

import nbformat
from conftest import ROOT
from golden.build import LESSON, fill
from nbgrader.api import Gradebook
from nbgrader.apps import NbGraderAPI
from nbgrader.auth import Authenticator
from nbgrader.coursedir import CourseDirectory
from nbgrader.exchange import ExchangeFactory
from traitlets.config import Config

from exocourse.authoring.nbgrader_course import nbgrader_api, register
from exocourse.cli import main
from exocourse.grading.status import MANUAL, PASSED
from exocourse.grading.workspace import LessonWorkspace

COURSE = "exocourse-test"


def _exchange_config(config: Config, exchange, cache) -> Config:
    config.CourseDirectory.course_id = COURSE
    config.Exchange.root = str(exchange)
    config.Exchange.cache = str(cache)
    return config


def test_release_fetch_submit_collect_autograde(tmp_path, capsys):
    exchange, ws, home = tmp_path / "exchange", tmp_path / "workspace", tmp_path / "ada-home"
    exchange.mkdir()
    home.mkdir()

    # instructor: register and release (nbgrader_api() puts nbgrader's tools on PATH)
    instructor = NbGraderAPI(
        config=_exchange_config(
            nbgrader_api(ROOT, ws, ws / "release").config, exchange, tmp_path / "cache"
        )
    )
    register(instructor, LESSON)
    released = instructor.release_assignment(LESSON)
    assert released["success"], released.get("error")

    # student "ada" on her own machine: fetch, answer, submit
    config = _exchange_config(Config(), exchange, tmp_path / "ada-cache")
    config.Exchange.assignment_dir = str(home)
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id, coursedir.student_id = LESSON, "ada"
    factory, auth = ExchangeFactory(config=config), Authenticator(config=config)
    factory.FetchAssignment(coursedir=coursedir, authenticator=auth, config=config).start()
    fetched = home / LESSON / f"{LESSON}.ipynb"
    nbformat.write(fill(nbformat.read(fetched, as_version=4)), fetched)
    factory.Submit(coursedir=coursedir, authenticator=auth, config=config).start()

    # instructor: collect into the workspace, then grade what was collected
    collected = instructor.collect(LESSON)
    assert collected["success"], collected.get("error")
    submitted = ws / "submitted" / "ada" / LESSON / f"{LESSON}.ipynb"
    assert submitted.is_file() and (submitted.parent / "timestamp.txt").is_file()
    before = submitted.read_bytes()

    code = main(
        ["--root", str(ROOT), "autograde", str(ws / "submitted"), "--lesson", LESSON]
        + ["--workspace", str(ws), "--jobs", "1", "--timeout", "30"]
    )
    assert code == 0, capsys.readouterr().err
    result = LessonWorkspace(ws, LESSON).load_results()["ada"]
    assert {q.status for q in result.questions if q.kind == "code"} == {PASSED}
    assert {q.status for q in result.questions if q.kind == "written"} == {MANUAL}
    assert submitted.read_bytes() == before, "grading changed the collected file"

    with Gradebook(instructor.coursedir.db_url) as gb:
        submission = gb.find_submission(LESSON, "ada")
        assert submission.timestamp is not None  # from the exchange's timestamp.txt
        assert submission.code_score == sum(q.points for q in result.questions if q.points)
        assert submission.needs_manual_grade
