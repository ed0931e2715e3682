"""The instructor's grading toolchain: a class's submissions to grades and feedback.

A submission flows one way through these modules:

* :mod:`.submissions` finds who submitted what; :mod:`.lessonspec` reads what a lesson
  grades; :mod:`.workspace` keeps a lesson's state and its template gradebook;
* :mod:`.batch` hands each submission (a :class:`~.task.Task`) to a child process;
* :mod:`.worker` grades it there: :mod:`.inspection` before nbgrader runs,
  :mod:`.guard` while it runs, :mod:`.outcome` after;
* :mod:`.results` stores what was found (statuses from :mod:`.status`);
* :mod:`.gradebook` records it for nbgrader's formgrader; :mod:`.gradesheet` and
  :mod:`.feedback` turn it into a grade sheet and feedback pages; :mod:`.progress`
  draws the progress bar.
"""
