"""The course datasets, installed as ``exocourse.datasets``: see README.md in this folder."""
