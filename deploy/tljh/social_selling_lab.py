"""The Littlest JupyterHub: run every student server from the course's Python 3.11 environment.

Copy to /opt/tljh/config/jupyterhub_config.d/ and run ``sudo tljh-config reload hub``
(deploy/README.md gives every step). TLJH's own user environment runs a newer Python than
the course supports, so the course gets its own environment at COURSE_ENV; servers started
from it carry the course's Jupyter configuration (news off, the offline Voila template) and
the Voila and nbgitpuller server extensions. Each student lands on the nbgitpuller link
that clones the course into ~/social-selling-lab on the first visit.
"""

from urllib.parse import urlencode

COURSE_ENV = "/opt/social-selling-lab-env"
COURSE_REPO = "https://github.com/social-selling-lab/social-selling-lab"

c = get_config()  # noqa: F821  (provided by JupyterHub when it loads this file)
c.Spawner.cmd = [f"{COURSE_ENV}/bin/jupyterhub-singleuser"]
# TLJH puts its own user environment first on PATH; put the course's there instead.
c.SystemdSpawner.extra_paths = [f"{COURSE_ENV}/bin"]
c.Spawner.default_url = "/git-pull?" + urlencode({
    "repo": COURSE_REPO, "branch": "main",
    "urlpath": "lab/tree/social-selling-lab/chapters/00_start_here.ipynb"})
