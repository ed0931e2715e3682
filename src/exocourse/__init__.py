"""Exosomes on Trial: the lesson library the notebooks import, and the instructor's tools.

The lesson library, imported by a student's kernel: ``data`` loads the checked datasets,
``checks`` gives exercise tests helpful messages, ``plots`` the course's figure style,
``power`` and ``trials`` simulate and analyse trial designs (on the shared statistics of
``inference``), ``evidence`` the single-arm pre/post study, ``labels`` reads product labels.

The instructor's tools: ``authoring`` (the course, nbgrader's settings, the release) and
``grading`` (submissions to grades and feedback), both driven by the ``exocourse``
command (``cli``). See ``docs/architecture.md``.
"""

__version__ = "0.1.0"
