"""Script in any label, formula, name or quote is inert in the rendered report (DOM parsed, and in headless Chromium).

The fixture is the report fixture of test_report.py with every free-text field of cohort.json, a
model's formula and cluster name, a categorical level in a model term and a quote replaced by
markup that would run script (or change the page) if it were rendered as HTML.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from tests.browser import SKIP_REASON, chromium
from tests.unit.report.test_report import COHORT_ID, NOTEBOOK, build_results, count
from workforce_eval import register
from workforce_eval.register.rows import Row
from workforce_eval.report import render

#: Breaks out of a Markdown code span, of Markdown emphasis and of HTML; sets the title if it ever runs.
PAYLOAD = "`<img src=x onerror=\"document.title='PWNED'\">`<script>document.title='PWNED'</script>**bold**"


def hostile_results(root: Path) -> Path:
    build_results(root)
    cohort = root / COHORT_ID
    meta_path = cohort / "clean" / "cohort.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["programme"] = "Prog " + PAYLOAD
    meta["cohort"] = "2021 " + PAYLOAD
    for group in meta["groups"]:
        group["label"] = group["label"] + " " + PAYLOAD
    for item in meta["items"]:
        item["text"] = item["text"] + " " + PAYLOAD
    for theme in meta["codebook"]:
        theme["label"] = theme["label"] + " " + PAYLOAD
        for sub in theme["subthemes"]:
            sub["label"] = sub["label"] + " " + PAYLOAD
    meta["models"] = [{"id": "m", "formula": "recommend ~ " + PAYLOAD, "family": "ols", "cluster": "org" + PAYLOAD}]
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    stats = register.read(cohort / "statistics.csv")
    term = "C(org)[T." + PAYLOAD + "]"
    extra = [
        Row(
            "model",
            "coefficient",
            0.5,
            item=f"m:{term}",
            n=20,
            ci_low=0.1,
            ci_high=0.9,
            p_value=0.01,
            method="ols-cluster",
            group="all",
            source="survey",
        ),
        Row("model", "std_error", 0.2, item=f"m:{term}", n=20, method="ols-cluster", group="all", source="survey"),
        Row("model", "observations", 20, item="m", n=20, denominator=26, method="count", group="all", source="survey"),
        Row("model", "dropped", 6, item="m", n=6, denominator=26, method="count", group="all", source="survey"),
        Row(
            "model",
            "dropped_missing",
            6,
            item="m:" + PAYLOAD,
            n=6,
            denominator=26,
            method="count",
            group="all",
            source="survey",
        ),
        count("model", "clusters", 12, item="m", group="all", source="survey"),
    ]
    register.write(pd.concat([stats, register.to_frame(extra)], ignore_index=True), cohort / "statistics.csv")
    quotes = pd.read_csv(cohort / "quotes.csv", dtype=str, keep_default_na=False)
    quotes.loc[0, "text"] = PAYLOAD
    quotes.to_csv(cohort / "quotes.csv", index=False)
    return root


@pytest.fixture(scope="module")
def hostile_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    results = hostile_results(base / "results")
    out = base / "out" / "report.html"
    render.render_report(results, COHORT_ID, NOTEBOOK, base / "out" / "report.ipynb", out)
    return out


def test_no_markup_from_the_cohort_reaches_the_dom(hostile_html: Path) -> None:
    soup = BeautifulSoup(hostile_html.read_text(encoding="utf-8"), "html.parser")
    assert soup.find_all("script") == []  # no script at all: neither ours, nor nbconvert's CDN loaders
    for img in soup.find_all("img"):
        assert str(img["src"]).startswith("data:image/png;base64,")
    for tag in soup.find_all(True):
        assert not [a for a in tag.attrs if a.lower().startswith("on")], tag.name
    assert not soup.find_all("strong", string="bold")  # the payload's **bold** stays literal
    text = soup.get_text()
    # the payload is shown as text wherever it was put: title, labels, formula, cluster, level, quote
    assert text.count("<script>document.title='PWNED'</script>") >= 8
    assert "recommend ~ `<img src=x" in text
    code = [c.get_text() for c in soup.find_all("code")]
    assert "recommend ~ " + PAYLOAD in code and "org" + PAYLOAD in code
    assert soup.title is not None and "PWNED" not in soup.title.get_text().replace("document.title='PWNED'", "")


def test_report_loads_nothing_from_the_network(hostile_html: Path) -> None:
    html_text = hostile_html.read_text(encoding="utf-8")
    soup = BeautifulSoup(html_text, "html.parser")
    for tag in soup.find_all(["script", "link", "iframe", "object", "embed"]):
        pytest.fail(f"external resource tag {tag.name}: {tag}")
    assert "require.js" not in html_text and "mathjax" not in html_text.lower() and "cdnjs" not in html_text
    csp = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert csp is not None and csp["content"] == render.CONTENT_SECURITY_POLICY


def test_payload_does_not_run_in_headless_chromium(hostile_html: Path) -> None:
    browser = chromium()
    if browser is None:
        pytest.skip(SKIP_REASON)
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--host-resolver-rules=MAP * ~NOTFOUND",  # no network: any fetch fails
                f"--user-data-dir={profile}",
                "--virtual-time-budget=3000",
                "--dump-dom",
                hostile_html.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
    assert done.returncode == 0, done.stderr[-2000:]
    dom = BeautifulSoup(done.stdout, "html.parser")
    # the DOM after load: the title is ours (a script that ran would have set it to PWNED)
    assert dom.title is not None and dom.title.get_text().startswith("Prog ")
    assert dom.title.get_text() != "PWNED"
    assert "<script>document.title='PWNED'</script>" in dom.get_text()
    assert dom.find_all("script") == []


def test_programme_intro_shows_cohort_labels_as_text() -> None:
    """The programme report's `cohort:` labels (free text of cohort.yaml) as rendered by nbconvert's Markdown."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    from workforce_eval.report import programme as pr
    from workforce_eval.report.results import ProgrammeResults

    meta = {"cohorts": [{"cohort_id": "a-1", "cohort": "2021 " + PAYLOAD}, {"cohort_id": "b-2", "cohort": "2022"}]}
    res = ProgrammeResults(pd.DataFrame(), meta, Path("figures"))
    soup = BeautifulSoup(markdown2html_mistune(pr.intro(res)), "html.parser")
    assert soup.find_all(["img", "script", "strong"]) == []
    assert "2021 " + PAYLOAD + " (a-1)" in soup.get_text()
    assert [c.get_text() for c in soup.find_all("code")][:2] == ["a-1", "b-2"]
