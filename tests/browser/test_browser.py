"""Students meet the course in JupyterLab: these tests meet it there too, in a real browser.

A JupyterLab server runs on loopback with a token, on a temporary copy of ``lessons/`` and
``solutions/`` (so nothing a browser does can change the repository), and Playwright drives
Debian's Chromium through it as a student would: open a notebook, run every cell from the
Run menu, read what the page shows, press nbgrader's Validate button. Each notebook leaves a
screenshot in ``test-artifacts/screenshots/``.

Outside CI these tests skip, saying why, when Chromium is missing; in CI (``CI=true``) they
fail instead: ``.ci/run`` installs Chromium there.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import nbformat
import pytest
from conftest import LESSONS, ROOT

CHROMIUM = Path("/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() == "true"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
# Flags that work as root on a machine with no network but loopback (--headless comes from
# Playwright's headless=True; the profile is a fresh user-data-dir per test run).
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
OPEN_TIMEOUT_MS = 90_000  # JupyterLab page, notebook and kernel ready
RUN_TIMEOUT_MS = 300_000  # a whole lesson (each is meant to run in under a minute)
VALIDATE_TIMEOUT_MS = 300_000  # nbgrader re-runs the notebook on the server
RUN_ALL = "li[data-command='runmenu:run-all']"
CLEAR_ALL = "li[data-command='editmenu:clear-all']"

# What the page shows for every cell of the open notebook, in order. Error and stderr
# outputs both render as application/vnd.jupyter.stderr; an <img> counts once it has loaded.
READ_CELLS_JS = """() => [...document.querySelectorAll('.jp-NotebookPanel .jp-Notebook .jp-Cell')]
  .map(cell => ({
    code: cell.classList.contains('jp-CodeCell'),
    prompt: (cell.querySelector('.jp-InputArea-prompt') || {textContent: ''}).textContent.trim(),
    outputs: [...cell.querySelectorAll('.jp-OutputArea-output')].map(o => ({
      mime: o.dataset.mimeType || '',
      text: o.textContent.slice(0, 3000),  // innerText is empty off-screen
      // A live widget's figures (an explorer) are not saved in the notebook: not counted here.
      images: [...o.querySelectorAll('img')]
        .filter(i => i.complete && i.naturalWidth > 0 && !i.closest('.jupyter-widgets')).length,
    })),
  }))"""
# Finished: nothing queued ([*]), the kernel idle, and at least one cell numbered by this
# run (outputs and numbers were cleared before it started).
RUN_FINISHED_JS = """() => {
  const indicator = document.querySelector('.jp-Notebook-ExecutionIndicator');
  const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')]
    .map(p => p.textContent.trim());
  return indicator && indicator.dataset.status === 'idle'
    && !prompts.some(p => p.includes('*')) && prompts.some(p => /\\[\\d+\\]/.test(p));
}"""
# A kernel is attached (the toolbar names it) and idle.
KERNEL_READY_JS = """() => {
  const indicator = document.querySelector('.jp-Notebook-ExecutionIndicator');
  const name = document.querySelector('.jp-NotebookPanel-toolbar .jp-Toolbar-kernelName');
  return indicator && indicator.dataset.status === 'idle'
    && name && !['', 'No Kernel'].includes(name.textContent.trim());
}"""
STDERR = "application/vnd.jupyter.stderr"


def require_chromium() -> None:
    """Skip (outside CI) or fail (in CI) when the browser or its driver is missing."""
    problem = None
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        problem = (
            f"Chromium is not installed at {CHROMIUM}: install it with "
            "`apt-get update && apt-get install -y chromium` (as root) to run the browser tests"
        )
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = (
                'Playwright is missing: install the test tools with `pip install -e ".[test]"`'
            )
    if problem:
        if IN_CI:
            pytest.fail(f"CI=true, so the browser tests must run, but {problem}")
        pytest.skip(problem)


def notebook(folder: str, lesson: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / folder / lesson / f"{lesson}.ipynb", as_version=4)


def nbgrader(cell: nbformat.NotebookNode) -> dict:
    return cell.metadata.get("nbgrader", {})


def saved_figures(nb: nbformat.NotebookNode) -> list[int]:
    """Number of figures (PNG outputs) each cell of ``nb`` saved."""
    return [
        sum("image/png" in o.get("data", {}) for o in c.outputs) if c.cell_type == "code" else 0
        for c in nb.cells
    ]


def digest(folders: list[str]) -> dict[str, str]:
    return {
        str(p.relative_to(ROOT)): hashlib.sha256(p.read_bytes()).hexdigest()
        for folder in folders
        for p in sorted((ROOT / folder).rglob("*"))
        if p.is_file()
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def repository_before() -> dict[str, str]:
    return digest(["lessons", "solutions"])


@pytest.fixture(scope="module")
def lab(tmp_path_factory, repository_before) -> Iterator[dict]:
    """A JupyterLab server, as a student starts it, on a throw-away copy of the course."""
    require_chromium()
    tmp = tmp_path_factory.mktemp("jupyterlab")
    course = tmp / "course"
    for folder in ["lessons", "solutions"]:
        shutil.copytree(ROOT / folder, course / folder, ignore=shutil.ignore_patterns(".ipynb_*"))
    # Validate reads nbgrader's settings from the folder the server starts in, as on Binder.
    shutil.copy2(ROOT / "nbgrader_config.py", course / "nbgrader_config.py")
    # Settings of our own: no "Jupyter news?" pop-up over the screenshots, and nothing from
    # the user's own Jupyter or IPython configuration.
    settings = tmp / "lab-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    bin_dir = Path(sys.executable).parent
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # figures must be inline
    env.update(
        PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        JUPYTER_CONFIG_DIR=str(tmp / "jupyter-config"),
        JUPYTER_RUNTIME_DIR=str(tmp / "jupyter-runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(tmp / "lab-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp / "lab-workspaces"),
        IPYTHONDIR=str(tmp / "ipython"),
        EXOCOURSE_WORKSPACE=str(tmp / "grading"),
    )
    port, token = free_port(), secrets.token_hex(16)
    log_path = tmp / "jupyterlab.log"
    command = [
        str(bin_dir / "jupyter"),
        "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--ServerApp.token={token}",
        f"--ServerApp.root_dir={course}",
        "--allow-root",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            command, cwd=course, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                pytest.fail(f"JupyterLab exited ({server.returncode}):\n{log_path.read_text()}")
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab not ready after 60 s:\n{log_path.read_text()[-3000:]}")
                time.sleep(0.2)
        yield {"base": base, "token": token, "course": course}
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="module")
def screenshots(request) -> Iterator[list[Path]]:
    """Paths of the screenshots taken; listed at the end of the module's run."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    taken: list[Path] = []
    yield taken
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
        print(f"\nbrowser screenshots ({len(taken)}):")
        for path in taken:
            print(f"  {path.relative_to(ROOT)}")


@pytest.fixture(scope="module")
def browser(lab, tmp_path_factory) -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1280, "height": 900},
        )
        try:
            yield context
        finally:
            context.close()


class Student:
    """One browser tab in JupyterLab, doing what a student does."""

    def __init__(self, page, lab: dict, screenshots: list[Path]):
        self.page, self.lab, self.screenshots = page, lab, screenshots

    def open(self, path: str, cells: int) -> None:
        """Open the notebook at ``path`` (relative to the server root) and wait until its
        ``cells`` cells are on the page and its kernel has started and is idle."""
        url = f"{self.lab['base']}/lab/tree/{path}?reset&token={self.lab['token']}"
        self.page.goto(url, timeout=OPEN_TIMEOUT_MS)
        self.page.wait_for_function(
            f"() => document.querySelectorAll('.jp-Notebook .jp-Cell').length === {cells}",
            timeout=OPEN_TIMEOUT_MS,
        )
        # The execution indicator also says "idle" before any kernel is attached ("No Kernel"),
        # and Run All then asks which kernel to start: wait for the server to report the
        # notebook's kernel idle, and for the page to show it.
        deadline = time.monotonic() + OPEN_TIMEOUT_MS / 1000
        while not any(
            s["path"] == path and s["kernel"]["execution_state"] == "idle"
            for s in api(self.lab, "sessions")
        ):
            assert time.monotonic() < deadline, f"no idle kernel for {path} after opening it"
            time.sleep(0.2)
        self.page.wait_for_function(KERNEL_READY_JS, timeout=OPEN_TIMEOUT_MS)

    def menu(self, name: str, command_selector: str) -> None:
        self.page.locator(".lm-MenuBar-item", has_text=name).first.click()
        self.page.click(command_selector)

    def run_all(self) -> None:
        """Edit > Clear Outputs of All Cells, then Run > Run All Cells, and wait until done.
        Any dialog (say, one asking for a kernel) fails at once, with its text."""
        self.menu("Edit", CLEAR_ALL)
        self.page.wait_for_function(
            "() => ![...document.querySelectorAll('.jp-Notebook .jp-InputArea-prompt')]"
            ".some(p => /\\[\\d+\\]/.test(p.textContent))",
            timeout=OPEN_TIMEOUT_MS,
        )
        self.menu("Run", RUN_ALL)
        deadline = time.monotonic() + RUN_TIMEOUT_MS / 1000
        while not self.page.evaluate(RUN_FINISHED_JS):
            dialog = self.page.locator(".jp-Dialog")
            if dialog.count():
                raise AssertionError(f"a dialog interrupted Run All: {dialog.first.inner_text()}")
            assert time.monotonic() < deadline, (
                f"Run All did not finish within {RUN_TIMEOUT_MS / 1000:.0f} s"
            )
            self.page.wait_for_timeout(250)

    def cells(self) -> list[dict]:
        return self.page.evaluate(READ_CELLS_JS)

    def show_cell(self, index: int) -> None:
        """Scroll cell ``index`` to the top of the notebook. Off-screen cells have estimated
        heights until drawn, so scroll a few times until the position settles."""
        for _ in range(4):
            self.page.evaluate(
                "i => document.querySelectorAll('.jp-Notebook .jp-Cell')[i]"
                ".scrollIntoView({block: 'start'})",
                index,
            )
            self.page.wait_for_timeout(250)

    def redraws(self, index: int, change: Callable[[], None], what: str) -> None:
        """Wait for the explorer figure in cell ``index``, ``change`` a control, then wait for
        another figure there and check that the cell shows no error."""
        self.page.wait_for_function(EXPLORER_FIGURE_JS, arg=index, timeout=OPEN_TIMEOUT_MS)
        before = self.page.evaluate(EXPLORER_FIGURE_JS, index)
        change()
        self.page.wait_for_function(
            f"i => ({EXPLORER_FIGURE_JS})(i) !== {json.dumps(before)}",
            arg=index,
            timeout=OPEN_TIMEOUT_MS,
        )
        shown = [o for o in self.cells()[index]["outputs"] if o["mime"] == STDERR]
        assert not shown, f"the {what} shows an error: {describe(shown)}"

    def screenshot(self, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        self.screenshots.append(path)
        return path

    @contextlib.contextmanager
    def screenshot_on_failure(self, name: str) -> Iterator[None]:
        try:
            yield
        except BaseException:
            with contextlib.suppress(Exception):
                self.screenshot(f"{name}-FAILED")
            raise


@pytest.fixture
def student(browser, lab, screenshots) -> Iterator[Student]:
    page = browser.new_page()
    page.set_default_timeout(30_000)
    try:
        yield Student(page, lab, screenshots)
    finally:
        page.close()
        shut_down_kernels(lab)


def api(lab: dict, endpoint: str, method: str = "GET") -> list | dict | None:
    """Call the Jupyter server's REST API with the token."""
    request = urllib.request.Request(
        f"{lab['base']}/api/{endpoint}",
        headers={"Authorization": f"token {lab['token']}"},
        method=method,
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read()
    return json.loads(body) if body else None


def shut_down_kernels(lab: dict) -> None:
    """Stop the kernels a test left running, so they do not compete with the next test."""
    for kernel in api(lab, "kernels"):
        with contextlib.suppress(OSError):
            api(lab, f"kernels/{kernel['id']}", method="DELETE")


def squeeze(text: str) -> str:
    """Text with runs of white space made single spaces (the page reflows line breaks)."""
    return " ".join(text.split())


def errors_in(cell: dict) -> list[dict]:
    """Outputs a student sees in red: errors and anything written to stderr."""
    return [o for o in cell["outputs"] if o["mime"] == STDERR]


def describe(outputs: list[dict]) -> str:
    return " | ".join(
        o["text"].strip().splitlines()[-1] if o["text"].strip() else o["mime"] for o in outputs
    )


@pytest.mark.parametrize("lesson", LESSONS)
def test_student_notebook_runs_clean_up_to_the_first_exercise(lesson, student):
    """Run all on the untouched student notebook: every cell runs without an error, drawing
    the figures the source draws there, until the first exercise stops the run with
    NotImplementedError (in its answer cell, or in its test cell when the answer is a function
    that is only called there), and nothing runs after that."""
    nb = notebook("lessons", lesson)
    answers = [
        i for i, c in enumerate(nb.cells) if nbgrader(c).get("solution") and c.cell_type == "code"
    ]
    first, second = answers[0], (answers[1:] or [len(nb.cells)])[0]
    saved = saved_figures(notebook("solutions", lesson))
    assert len(saved) == len(nb.cells), f"{lesson}: the release has other cells than the source"
    student.open(f"lessons/{lesson}/{lesson}.ipynb", len(nb.cells))
    with student.screenshot_on_failure(f"{lesson}-student"):
        student.run_all()
        cells = student.cells()
        assert len(cells) == len(nb.cells), "the page shows a different number of cells"
        stopped = next((i for i, c in enumerate(cells) if errors_in(c)), None)
        assert stopped is not None, f"{lesson}: Run All went through; the exercises raise nothing"
        assert first <= stopped < second, (
            f"{lesson}: the first error, in cell {stopped}, should come from the first exercise "
            f"(cells {first} to {second - 1}): {describe(errors_in(cells[stopped]))}"
        )
        shown = errors_in(cells[stopped])
        assert len(shown) == 1 and "NotImplementedError" in shown[0]["text"], (
            f"{lesson}: the first exercise should stop with NotImplementedError, "
            f"cell {stopped} shows: {describe(shown)}"
        )
        for i, cell in enumerate(cells[:stopped]):
            if cell["code"]:
                assert re.fullmatch(r"\[\d+\]:", cell["prompt"]), (
                    f"{lesson}: cell {i}, before the first exercise's error, did not run "
                    f"({cell['prompt']})"
                )
        drawn = [sum(o["images"] for o in c["outputs"]) for c in cells[:stopped]]
        assert drawn == saved[:stopped], (
            f"{lesson}: figures drawn per cell before the first error: {drawn}, "
            f"but the source notebook saved {saved[:stopped]}"
        )
        ran_after = [
            i
            for i, c in enumerate(cells)
            if i > stopped and (c["outputs"] or re.fullmatch(r"\[\d+\]:", c["prompt"]))
        ]
        assert not ran_after, f"{lesson}: cells {ran_after} ran after the first error"
        student.show_cell(max(stopped - 1, 0))  # the cell before, and the error
    student.screenshot(f"{lesson}-student")


@pytest.mark.parametrize("lesson", LESSONS)
def test_solution_notebook_runs_without_errors_and_draws_every_figure(lesson, student):
    """Run all on the source notebook: no error output anywhere, and as many rendered
    figures, in the same cells, as the committed notebook saved."""
    nb = notebook("solutions", lesson)
    saved = saved_figures(nb)
    student.open(f"solutions/{lesson}/{lesson}.ipynb", len(nb.cells))
    with student.screenshot_on_failure(f"{lesson}-solution"):
        student.run_all()
        cells = student.cells()
        assert len(cells) == len(nb.cells), "the page shows a different number of cells"
        for i, cell in enumerate(cells):
            if not cell["code"]:
                continue
            assert re.fullmatch(r"\[\d+\]:", cell["prompt"]), f"{lesson}: cell {i} did not run"
            shown = errors_in(cell)
            assert not shown, f"{lesson}: cell {i} shows an error or warning: {describe(shown)}"
        drawn = [sum(o["images"] for o in c["outputs"]) for c in cells]
        assert drawn == saved, (
            f"{lesson}: figures rendered per cell {drawn} differ from those saved {saved}"
        )
        student.show_cell(next((i for i, n in enumerate(saved) if n), 0))  # the first figure
    student.screenshot(f"{lesson}-solution")


@pytest.mark.parametrize("lesson", LESSONS)
def test_validate_button_reports_every_unanswered_exercise(lesson, student):
    """Press Validate on the untouched student notebook: nbgrader's dialog lists every graded
    cell as failed, each for the reason an unanswered exercise fails: a test cell with
    NameError or NotImplementedError, a written answer with "You did not provide a response"."""
    nb = notebook("lessons", lesson)
    graded = [c for c in nb.cells if nbgrader(c).get("grade")]
    copy = student.lab["course"] / "lessons" / lesson / f"{lesson}.ipynb"
    before = copy.stat().st_mtime_ns
    student.open(f"lessons/{lesson}/{lesson}.ipynb", len(nb.cells))
    page = student.page
    with student.screenshot_on_failure(f"{lesson}-validate"):
        page.locator(".jp-Toolbar .validate-button").click()
        message = page.wait_for_selector(
            ".jp-Dialog #validation-message", timeout=VALIDATE_TIMEOUT_MS
        )
        assert "Validation Results" in page.locator(".jp-Dialog").inner_text()
        text = message.text_content() or ""
        assert "validation-failed" in (message.get_attribute("class") or ""), (
            f"{lesson}: Validate did not report failures on an untouched notebook: {text[:1500]}"
        )
        assert text.count("The following cell failed:") == len(graded), text[:3000]
        # For each failed cell the dialog shows its source, then its error.
        shown = page.evaluate(
            """() => [...document.querySelectorAll('#validation-message > .jp-RenderedText')]
                 .map(e => e.innerText)"""
        )
        sources, errors = shown[0::2], shown[1::2]
        assert [squeeze(s) for s in sources] == [squeeze(c.source) for c in graded], (
            f"{lesson}: Validate reported other cells than the graded ones"
        )
        for cell, error in zip(graded, errors, strict=True):
            first_line = cell.source.strip().splitlines()[0]
            if cell.cell_type == "markdown":
                assert "You did not provide a response" in error, (first_line, error)
                continue
            names = re.findall(r"^(\w+(?:Error|Exception))\b", error, re.MULTILINE)
            assert names and names[-1] in {"NameError", "NotImplementedError"}, (
                f"{lesson}: test cell {first_line!r} failed with {names or error[-300:]}, "
                "not because its exercise is unanswered"
            )
        assert copy.stat().st_mtime_ns > before, "Validate should save the notebook first"
    student.screenshot(f"{lesson}-validate")


EXPLORER_FIGURE_JS = """i => {
  const img = document.querySelectorAll('.jp-Notebook .jp-Cell')[i]
    .querySelector('.widget-output img');
  return img && img.complete && img.naturalWidth > 0 ? img.src : null;
}"""


def test_lesson_2_explorers_redraw_when_a_slider_moves(student):
    """Run Lesson 2's source notebook, then move the power explorer's correlation slider with
    the keyboard, and pick another design in the dance explorer: each time its figure is
    drawn again (another image), with no error."""
    lesson = "02-split-face-vs-parallel"
    nb = notebook("solutions", lesson)
    where = {
        name: next(i for i, c in enumerate(nb.cells) if f"explore.{name}(" in c.source)
        for name in ("power_explorer", "dance_explorer")
    }
    student.open(f"solutions/{lesson}/{lesson}.ipynb", len(nb.cells))
    page = student.page
    with student.screenshot_on_failure(f"{lesson}-explorer"):
        student.run_all()
        index = where["power_explorer"]
        student.show_cell(index)
        cell = page.locator(".jp-Notebook .jp-Cell").nth(index)

        def move_the_correlation_slider() -> None:
            rho = cell.locator(".widget-slider", has_text="sides' changes")
            readout = rho.locator(".widget-readout")
            value = readout.inner_text()
            handle = rho.locator(".noUi-handle")
            handle.focus()
            for _ in range(4):
                handle.press("ArrowRight")
            page.wait_for_function(
                "([el, v]) => el.textContent.trim() !== v",
                arg=[readout.element_handle(), value],
            )

        student.redraws(index, move_the_correlation_slider, f"{lesson} power explorer")
        index = where["dance_explorer"]
        student.show_cell(index)
        dance = page.locator(".jp-Notebook .jp-Cell").nth(index).locator(".widget-dropdown select")
        student.redraws(
            index,
            lambda: dance.select_option("parallel, both cheeks"),
            f"{lesson} dance explorer",
        )
        student.show_cell(where["power_explorer"])
    student.screenshot(f"{lesson}-explorer")


def test_lesson_5_protocol_explorer_redraws_when_a_menu_changes(student):
    """Run Lesson 5's source notebook, then pick the parallel design and then the week-4 visit
    in the protocol explorer: each time its figure is drawn again, with no error."""
    lesson = "05-design-your-trial"
    nb = notebook("solutions", lesson)
    index = next(i for i, c in enumerate(nb.cells) if "explore.protocol_explorer(" in c.source)
    student.open(f"solutions/{lesson}/{lesson}.ipynb", len(nb.cells))
    page = student.page
    with student.screenshot_on_failure(f"{lesson}-explorer"):
        student.run_all()
        student.show_cell(index)
        cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
        for menu, choice in [
            ("design and test", "parallel, two-sample t-test"),
            ("primary visit", "week 4"),
        ]:
            dropdown = cell.locator(".widget-dropdown", has_text=menu).locator("select")
            student.redraws(
                index,
                lambda select=dropdown, label=choice: select.select_option(label=label),
                f"{lesson} protocol explorer",
            )
    student.screenshot(f"{lesson}-explorer")


def test_without_chromium_the_browser_tests_fail_in_ci_and_skip_elsewhere(monkeypatch, tmp_path):
    monkeypatch.setattr(sys.modules[__name__], "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setattr(sys.modules[__name__], "IN_CI", True)
    with pytest.raises(pytest.fail.Exception, match="CI=true, so the browser tests must run"):
        require_chromium()
    monkeypatch.setattr(sys.modules[__name__], "IN_CI", False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y chromium"):
        require_chromium()


def test_browser_never_touched_the_repository(lab, repository_before):
    """Everything above ran on the copy: the repository's notebooks are byte-identical."""
    assert digest(["lessons", "solutions"]) == repository_before, (
        "running notebooks in the browser changed files in lessons/ or solutions/"
    )
