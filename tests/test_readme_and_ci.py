"""The README's two commands, its Binder links and .ci/run stay true to each other."""

from __future__ import annotations

import re
from pathlib import Path

from widgets.data.chapters import chapter_files, chapter_numbers

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def _block(marker: str) -> list[str]:
    match = re.search(rf"<!-- {marker} -->\s*```bash\n(.*?)```\s*<!-- /{marker} -->", README,
                      re.DOTALL)
    assert match, f"README lacks the {marker} block"
    return [line for line in match.group(1).splitlines() if line.strip()]


def test_readme_has_exactly_two_one_line_commands() -> None:
    start, test = _block("start-command"), _block("test-command")
    assert len(start) == 1 and len(test) == 1
    assert "pip install -e ." in start[0] and "jupyter lab" in start[0]
    assert 'pip install -e ".[test]"' in test[0] and "pytest" in test[0]
    assert README.count("```bash") == 2, "only the two commands are fenced as bash blocks"


def test_test_command_does_not_deselect_anything() -> None:
    (command,) = _block("test-command")
    for escape in ("not browser", "--deselect", " -k ", "--ignore", "skip"):
        assert escape not in command


def test_ci_runs_the_readme_command_without_a_skipping_path() -> None:
    assert "test-command" in CI and 'bash -euo pipefail -c "$command"' in CI
    assert "set -euo pipefail" in CI and "python3.11 -m venv" in CI
    for escape in ("not browser", "--deselect", "SKIP", "|| true", "--ignore"):
        assert escape not in CI, f".ci/run contains {escape!r}"


def test_every_chapter_has_a_binder_deep_link_and_every_link_a_chapter() -> None:
    links = set(re.findall(r"urlpath=lab/tree/chapters/([0-9]{2}_\w+\.ipynb)", README))
    chapters = {p.name for p in (ROOT / "chapters").glob("[0-9][0-9]_*.ipynb")}
    assert chapters <= links, f"chapters without a Binder link: {sorted(chapters - links)}"
    assert {name[:2] for name in links} == {f"{n:02d}" for n in chapter_numbers()}, \
        "the README's links differ from the chapter registry datasets/course_map.csv"
    assert links == set(chapter_files())


def test_readme_local_links_resolve() -> None:
    targets = re.findall(r"\]\(((?!https?:)[^)#]+)\)", README)
    assert "docs/TRAINER_GUIDE.md" in targets
    missing = [t for t in targets if not (ROOT / t).exists()]
    assert not missing, f"README links to missing files: {missing}"


README_ZH = (ROOT / "README.zh-CN.md").read_text(encoding="utf-8")


def _block_in(text: str, marker: str) -> list[str]:
    match = re.search(rf"<!-- {marker} -->\s*```bash\n(.*?)```\s*<!-- /{marker} -->", text,
                      re.DOTALL)
    assert match, f"README.zh-CN.md lacks the {marker} block"
    return [line for line in match.group(1).splitlines() if line.strip()]


def test_chinese_readme_has_the_same_two_commands() -> None:
    assert _block_in(README_ZH, "test-command") == _block("test-command")
    (start,) = _block_in(README_ZH, "start-command")
    (english,) = _block("start-command")
    opened = re.search(r"chapters/(\S+\.ipynb)", english).group(1)
    assert start == english.replace(f"chapters/{opened}", f"chapters/zh/{opened}"), \
        "the Chinese start command should be the English one opening the Chinese chapter"
    assert (ROOT / "chapters" / "zh" / opened).is_file()
    assert README_ZH.count("```bash") == 2


def test_chinese_readme_links_every_chinese_chapter_on_binder() -> None:
    links = re.findall(r"\((https://mybinder\.org/v2/gh/[^)]+)\)", README_ZH)
    chapters = {p.name for p in (ROOT / "chapters" / "zh").glob("[0-9][0-9]_*.ipynb")}
    linked = {re.search(r"urlpath=lab/tree/chapters/zh/(\w+\.ipynb)", u).group(1) for u in links}
    assert linked == chapters
    english_prefix = re.search(r"(https://mybinder\.org/v2/gh/[^?]+\?urlpath=lab/tree/)", README)
    assert all(u.startswith(english_prefix.group(1)) for u in links), \
        "Chinese Binder links should use the same repository and branch as README.md"


def test_chinese_readme_local_links_resolve() -> None:
    targets = re.findall(r"\]\(((?!https?:)[^)#]+)\)", README_ZH)
    assert "docs/zh/TRAINER_GUIDE.md" in targets and "README.md" in targets
    missing = [t for t in targets if not (ROOT / t).exists()]
    assert not missing, f"README.zh-CN.md links to missing files: {missing}"
