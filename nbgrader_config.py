"""nbgrader settings for this course (used by `nbgrader ...` commands and the formgrader).

Source notebooks live in solutions/, the student release in lessons/; the gradebook,
submissions and feedback live in a workspace outside the repository (see
exocourse.authoring.course.default_workspace; set EXOCOURSE_WORKSPACE to choose another).
"""

from pathlib import Path

from exocourse.authoring.course import default_workspace
from exocourse.authoring.nbgrader_course import configure

c = get_config()  # noqa: F821 -- provided by nbgrader when it reads this file
configure(c, Path(__file__).resolve().parent, default_workspace())
