"""Exosomes on Trial: helpers for the course notebooks.

Modules are named for what they do: ``data`` loads the datasets, ``checks`` gives
exercise tests helpful messages, ``release`` and ``grading`` drive nbgrader.
"""

__version__ = "0.1.0"
