"""The deferred ``rfc3987_syntax`` import: no grammar at start-up, same answers when used."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

PROBE = textwrap.dedent("""
    import json, sys
    import widgets.apps
    import plotly.graph_objects as go
    go.FigureWidget()
    before = {"lark": "lark" in sys.modules,
              "stand_in": type(sys.modules["rfc3987_syntax"]).__name__}
    import jsonschema
    checker = jsonschema.FormatChecker()
    answers = [checker.conforms(value, "iri") for value in IRIS]
    print(json.dumps({**before, "answers": answers,
                      "real_after": type(sys.modules["rfc3987_syntax"]).__name__}))
""")
DIRECT = textwrap.dedent("""
    import json
    from rfc3987_syntax import is_valid_syntax
    print(json.dumps([is_valid_syntax("iri", value) for value in IRIS]))
""")
IRIS = ["http://例子.测试/路径?q=1", "https://example.com/a b", "not an iri", "mailto:x@y.cn"]


def run(code: str) -> object:
    program = f"IRIS = {IRIS!r}\n{code}"
    out = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                         check=True, timeout=120)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_first_figure_does_not_compile_the_iri_grammar_and_iri_checks_still_work() -> None:
    probe = run(PROBE)
    assert probe["lark"] is False, "building a FigureWidget still imported lark"
    assert probe["stand_in"] == "_DeferredModule"
    assert probe["real_after"] == "module", "the first IRI check should load the real module"
    assert probe["answers"] == run(DIRECT), "IRI checks differ from the real rfc3987_syntax"
    assert probe["answers"][0] is True and probe["answers"][2] is False


def test_defer_does_nothing_once_the_module_is_imported() -> None:
    code = ("import rfc3987_syntax\nfrom widgets.apps.fast_start import defer_rfc3987_syntax\n"
            "print(json.dumps(defer_rfc3987_syntax()))\n")
    assert run("import json\n" + code) is False
