"""A JupyterHub for one class on one machine: ``python -m deploy.hub`` (see deploy/README.md).

- :mod:`deploy.hub.settings` — the hub's settings, read from ``COURSE_HUB_*`` environment
  variables, and :func:`~deploy.hub.settings.configure`, which turns them into JupyterHub
  configuration (used by ``jupyterhub_config.py``).
- :mod:`deploy.hub.course` — gives each student their own copy of the course.
- :mod:`deploy.hub.__main__` — the one command a trainer runs.
"""
