"""The course author's tools: where the course lives, nbgrader's settings, the release.

* :mod:`.course`: the repository root, its lessons, the grading workspace;
* :mod:`.nbgrader_course`: the one nbgrader configuration, and registering a lesson;
* :mod:`.release`: ``solutions/`` to ``lessons/``;
* :mod:`.execute`: re-run a source notebook so its saved outputs are fresh.
"""
