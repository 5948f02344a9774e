"""JupyterHub configuration for a Social Selling Lab class (start it with ``python -m deploy.hub``).

The recipe is in ``deploy/hub/settings.py``; this file only reads the ``COURSE_HUB_*``
environment variables and applies it, so ``jupyterhub -f deploy/hub/jupyterhub_config.py``
works too once those variables are set.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from deploy.hub.settings import HubSettings, configure

configure(get_config(), HubSettings.from_env())  # noqa: F821  (get_config comes from JupyterHub)
