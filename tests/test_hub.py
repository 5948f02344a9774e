"""The class hub (``python -m deploy.hub``) serves two students at once, each in their own folder.

One hub on 127.0.0.1 (free ports, a temporary state folder) for the whole module. Two
students log in through the login form, start their servers, open chapter 02, run it in a
kernel over the websocket as JupyterLab does, and save a product by typing its name and
clicking the product scorer's *Save* button (ipywidgets messages, as a browser sends them).
Each student's ``my_products.csv`` must land in their own home and be out of the other's
reach. The hub must also carry the course's Jupyter configuration, serve Voila dashboards,
pull the course with nbgitpuller, and stop every process it started.

Needs configurable-http-proxy 5 from npm (``npm install -g configurable-http-proxy@5``;
.ci/run installs it): without it these tests fail with that message.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import shutil
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.hub_driver import ADMIN, REPO, ClassHub, HubError, Student, process_start

pytestmark = [pytest.mark.hub, pytest.mark.timeout(600)]

CHAPTER = "social-selling-lab/chapters/02_which_products.ipynb"
SAVED = "social-selling-lab/chapters/my_products.csv"
STUDENTS = ("alice", "bob")


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClassHub]:
    state = tmp_path_factory.mktemp("class-hub") / "state"
    with ClassHub(state, idle_timeout=3600) as running:  # the culler runs, as in a class
        yield running


@pytest.fixture(scope="module")
def students(hub: ClassHub) -> dict[str, Student]:
    logged_in = {name: Student(hub, name) for name in STUDENTS}

    def arrive(student: Student) -> float:
        student.login()
        return student.start_server()

    with ThreadPoolExecutor(len(logged_in)) as pool:  # both arrive at once, as in class
        list(pool.map(arrive, logged_in.values()))
    return logged_in


async def _run_chapter_and_save(student: Student) -> str:
    """Run chapter 02, then name a product and click *Save* in the chapter's product scorer."""
    notebook, _, kernel_id = student.open_notebook(CHAPTER)
    async with student.kernel(kernel_id) as kernel:
        replies = await kernel.run_notebook(notebook)
        scorer_cells = [r["execution_count"] for r, cell in
                        zip(replies, [c for c in notebook["cells"] if c["cell_type"] == "code"],
                            strict=True)
                        if "build_product_scorer(" in "".join(cell["source"])]
        ids = (await kernel.text(f"app = Out[{scorer_cells[0]}]\n"
                                 "print(app.name.model_id, app.add_button.model_id)")).split()
        product = f"{student.name}'s tea"
        await kernel.widget_message(ids[0], {"method": "update", "state": {"value": product},
                                             "buffer_paths": []})
        await kernel.widget_message(ids[1], {"method": "custom", "content": {"event": "click"}})
        return await kernel.text("print(app.save_status.value)")


def test_each_student_saves_into_their_own_folder(hub: ClassHub,
                                                  students: dict[str, Student]) -> None:
    repo_saved = REPO / "chapters" / "my_products.csv"
    existed = repo_saved.exists()

    async def both() -> list[str]:
        return await asyncio.gather(*(_run_chapter_and_save(s) for s in students.values()))

    # in a thread of its own: the browser tests' Playwright loop may be running in this one
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        statuses = pool.submit(asyncio.run, both()).result()
    for name, status in zip(STUDENTS, statuses, strict=True):
        assert "Saved" in status and name in status, f"{name}'s save failed: {status}"

    for name, student in students.items():
        other = next(s for s in students.values() if s is not student)
        mine = student.api("GET", f"/api/contents/{SAVED}?content=1&type=file&format=text")
        assert mine.status_code == 200, f"{name} cannot read their own {SAVED}"
        assert f"{name}'s tea" in mine.json()["content"]
        assert f"{other.name}'s tea" not in mine.json()["content"], \
            f"{other.name}'s product shows up in {name}'s file"
        on_disk = hub.state / "homes" / name / SAVED
        assert on_disk.is_file() and f"{name}'s tea" in on_disk.read_text(encoding="utf-8")
        # The other student's token opens nothing on this student's server.
        foreign = student.api("GET", f"/api/contents/{SAVED}", token=other.token)
        assert foreign.status_code == 403, \
            f"{other.name} reached {name}'s files: HTTP {foreign.status_code}"
    assert repo_saved.exists() == existed, "a student's save landed in the repository"


def test_every_server_carries_the_course_configuration(students: dict[str, Student]) -> None:
    student = students["alice"]
    news = student.api("GET", "/lab/api/settings/@jupyterlab/apputils-extension:notification")
    assert news.status_code == 200
    # The package's overrides.json becomes the schema's default (the student changed nothing).
    defaults = {k: v.get("default") for k, v in news.json()["schema"]["properties"].items()}
    assert defaults["fetchNews"] == "false", f"the news pop-up is on: {defaults}"
    assert defaults["checkForUpdates"] is False
    assert student.api("GET", "/api/terminals").status_code == 404, "terminals are enabled"

    page = student.api("GET", "/voila/render/social-selling-lab/dashboards/retention.ipynb",
                       timeout=180)
    assert page.status_code == 200, f"Voila under the hub: HTTP {page.status_code}"
    assert "jupyter-widgets" in page.text or "widget-view" in page.text
    assert "cdn.jsdelivr.net" not in page.text, "the course's offline Voila template is not used"


def test_nbgitpuller_pulls_the_course_into_the_home(tmp_path: Path,
                                                    students: dict[str, Student]) -> None:
    origin = tmp_path / "course-repo"
    for folder in ("chapters", "dashboards"):
        shutil.copytree(REPO / folder, origin / folder,
                        ignore=shutil.ignore_patterns("my_*", ".ipynb_checkpoints"))
    git = ["git", "-c", "user.name=Trainer", "-c", "user.email=trainer@example.invalid"]
    subprocess.run([*git, "init", "-q", "-b", "main", str(origin)], check=True)
    subprocess.run([*git, "-C", str(origin), "add", "."], check=True)
    subprocess.run([*git, "-C", str(origin), "commit", "-q", "-m", "course"], check=True)

    student = students["bob"]
    stream = student.api("GET", "/git-pull/api", params={
        "repo": str(origin), "branch": "main", "targetpath": "pulled-course"}, timeout=120)
    events = [json.loads(line[len("data:"):]) for line in stream.text.splitlines()
              if line.startswith("data:")]
    assert events and events[-1].get("phase") == "finished", events[-3:]
    listing = student.api("GET", "/api/contents/pulled-course/chapters")
    assert "03_four_stages.ipynb" in {item["name"] for item in listing.json()["content"]}


def test_logins(hub: ClassHub, students: dict[str, Student]) -> None:
    impostor = Student(hub, "alice", password="not-alices-password")
    with pytest.raises(HubError, match="login of alice failed"):
        impostor.login()
    trainer = Student(hub, ADMIN, password=hub.admin_password)
    trainer.login()
    assert trainer.hub_api("GET", "/user").json()["admin"] is True
    assert students["alice"].hub_api("GET", "/user").json()["admin"] is False
    squatter = Student(hub, "carol", password="short")
    with pytest.raises(HubError, match="login of carol failed"):
        squatter.login()


def test_stopping_the_hub_stops_everything(hub: ClassHub, students: dict[str, Student]) -> None:
    started = hub.processes()
    assert len(started) >= 5, f"expected hub, proxy and two servers with kernels: {started}"
    hub.terminate()  # what Ctrl+C does; the hub must clean up by itself
    time.sleep(1.0)
    alive = [pid for pid, start in started if process_start(pid) == start]
    hub.stop()  # whatever happens, leave nothing behind
    assert not alive, f"processes left running after the hub stopped: {alive}"
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{hub.url}/hub/api", timeout=5)
