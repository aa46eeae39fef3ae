"""Rendering a report: papermill executes the parameterised notebook, nbconvert exports code-free,
deterministic HTML."""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from workforce_eval import atomic, layout

#: nbconvert's lab template, with figures given the alt text set on `IPython.display.Image`
#: (the stock template drops it and writes a generic placeholder), and self-contained: the stock
#: template loads require.js, MathJax and mermaid from a CDN; here no script is loaded or allowed
#: (reports open offline inside NHS networks, and a Content-Security-Policy stops any script that
#: reached the page: figures are data: URIs, styles are inline).
CONTENT_SECURITY_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:"
_HTML_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block jupyter_widgets %}{% endblock jupyter_widgets %}
{% block extra_css %}
<meta http-equiv="Content-Security-Policy" content="@CSP@">
{% endblock extra_css %}
{% block data_png scoped %}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}" \
alt="{{ (output | get_metadata('alt', 'image/png') or '') | escape_html }}">
</div>
{%- endblock data_png %}
{% block notebook_css %}
{{ super() }}
<style>
/* tables hold labels, item wording and quotes as much as numbers: read them left to right */
:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon td,
:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon th { text-align: left; vertical-align: top; }
/* numbers (cells marked "num" by report/format.py's table builder): right-aligned, tabular figures */
:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon td.num,
:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon th.num {
  text-align: right; font-variant-numeric: tabular-nums; }
.jp-RenderedHTMLCommon p.table-note { font-size: 0.9em; color: #444; margin-top: 0.3em; }
.jp-RenderedHTMLCommon table.title-block th { font-weight: 600; padding-right: 1em; }
.jp-RenderedHTMLCommon nav ol { columns: 2; }
/* contents links: targets at least 24 x 24 CSS px (WCAG 2.2, 2.5.8 target size) */
.jp-RenderedHTMLCommon nav li { margin: 0; padding: 0; }
.jp-RenderedHTMLCommon nav a {
  display: inline-block; min-height: 24px; min-width: 24px; padding: 2px 0; line-height: 20px; }
/* a table's caption above it, read as its title; a row's first cell names the row but is not bold */
.jp-RenderedHTMLCommon caption { caption-side: top; text-align: left; padding: 0.3em 0; color: #000; }
:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon tbody th { font-weight: normal; }
.jp-RenderedHTMLCommon table.title-block th { font-weight: 600; }
/* text for screen readers only (e.g. the title block's caption) */
.visually-hidden { position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
/* figures: the image, its numbered caption, then its table equivalent */
.jp-RenderedHTMLCommon figure.report-figure { margin: 1em 0; }
.jp-RenderedHTMLCommon figure.report-figure figcaption { font-style: italic; margin: 0.3em 0; }
.jp-RenderedHTMLCommon .figure-data { font-size: 0.9em; color: #333; }
.jp-RenderedHTMLCommon details.figure-data summary { cursor: pointer; min-height: 24px; line-height: 24px; }
</style>
{% endblock notebook_css %}
{% block html_head_css %}<style>
@PRINT_CSS@</style>{% endblock html_head_css %}
""".replace("@CSP@", CONTENT_SECURITY_POLICY).replace(
    "@PRINT_CSS@", (Path(__file__).with_name("print.css")).read_text(encoding="utf-8")
)


class ReportError(RuntimeError):
    """The report notebook failed to execute or render."""


def clean_for_export(nb: Any) -> Any:
    """A copy of an executed notebook without timing metadata, prompts or empty code cells."""
    out = copy.deepcopy(nb)
    for key in ("papermill", "widgets"):
        out.metadata.pop(key, None)
    cells = []
    for cell in out.cells:
        for key in ("papermill", "execution", "collapsed", "scrolled"):
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.execution_count = None
            for output in cell.get("outputs", []):
                if "execution_count" in output:
                    output["execution_count"] = None
            if not cell.get("outputs"):
                continue
        cells.append(cell)
    out.cells = cells
    return out


@contextlib.contextmanager
def _package_on_kernel_path() -> Iterator[None]:
    """Let the notebook's kernel import this very package (not another install of it) while it runs."""
    src = str(Path(__file__).resolve().parents[2])
    before = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (src, before) if p)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = before


@contextlib.contextmanager
def _kernel_stderr_to_log() -> Iterator[None]:
    """Send what the kernel process writes to its stderr (e.g. ipykernel's shutdown chatter) to this step's log.

    The rule script points `sys.stderr` at the rule's log, but a child process inherits file descriptor 2;
    point descriptor 2 at the same file while the kernel runs, then restore it.
    """
    try:
        target = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        target = 2
    if target == 2:
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    os.dup2(target, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


class KeptKernel:
    """One python3 kernel kept alive across several notebooks executed in the same folder.

    A notebook's kernel start and its imports (pandas, the report builders) cost more than most reports'
    cells; executing a batch of notebooks on one kernel pays them once. Between notebooks the kernel's
    namespace and execution counter are reset (`InteractiveShell.reset(new_session=True)`), so each notebook
    runs as in a fresh kernel but for the modules already imported. The kernel starts in `cwd` (papermill's
    `cwd` is where a kernel starts, so every notebook of one kernel must be written to that folder) with this
    package on its path, its stderr sent to the step's log.
    """

    def __init__(self, cwd: Path) -> None:
        self.cwd = Path(cwd).resolve()
        self.km: Any = None
        self.kc: Any = None
        self.used = False

    def __enter__(self) -> KeptKernel:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self.km = AsyncKernelManager(kernel_name="python3")
        with _package_on_kernel_path(), _kernel_stderr_to_log():
            run_sync(self.km.start_kernel)(cwd=str(self.cwd))
        # this object's own (blocking) client, for the resets; papermill's client is made per notebook
        self.kc = self.km.blocking_client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=120)
        return self

    def warm(self, modules: Sequence[str]) -> None:
        """Let the kernel import `modules` now, while this process goes on (e.g. importing papermill): the
        notebook's own imports then find them loaded. Not waited for; a module that fails to import is left to
        the notebook. The next notebook starts from a reset session, as after any other."""
        code = "\n".join(f"try:\n    __import__({m!r})\nexcept Exception:\n    pass" for m in modules)
        self.kc.execute(code, silent=True, store_history=False)
        self.used = True

    def reset(self) -> None:
        """Before a second or later notebook: a new session (empty namespace, execution count 1)."""
        if self.used:
            reply = self.kc.execute_interactive(
                "get_ipython().reset(new_session=True)", silent=True, store_history=False, timeout=120
            )
            if reply["content"].get("status") != "ok":
                raise ReportError(f"the kept kernel could not be reset: {reply['content'].get('evalue')}")
        self.used = True

    def __exit__(self, *exc: object) -> None:
        from jupyter_core.utils import run_sync

        if self.kc is not None:
            self.kc.stop_channels()
        if self.km is not None:
            run_sync(self.km.shutdown_kernel)(now=False)


def _kept_kernel_engine() -> str:
    """The name of a papermill engine that executes a notebook on a `KeptKernel` (papermill's nbclient engine,
    given the kernel instead of starting one; its per-notebook client is closed afterwards)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.utils import merge_kwargs, remove_args

    class KeptKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man: Any,
            kernel_name: str,
            log_output: bool = False,
            stdout_file: Any = None,
            stderr_file: Any = None,
            start_timeout: int = 60,
            execution_timeout: int | None = None,
            **kwargs: Any,
        ) -> Any:
            kernel = kwargs.pop("kept_kernel")
            kwargs = remove_args(["input_path"], **kwargs)
            safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
            final_kwargs = merge_kwargs(
                safe_kwargs,
                timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logging.getLogger("papermill"),
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            client = PapermillNotebookClient(nb_man, km=kernel.km, **final_kwargs)
            try:
                return client.execute()
            finally:
                if client.kc is not None:
                    client.kc.stop_channels()

    papermill_engines.register(_KEPT_KERNEL_ENGINE, KeptKernelEngine)
    return _KEPT_KERNEL_ENGINE


_KEPT_KERNEL_ENGINE = "workforce_eval_kept_kernel"


def _relative(value: Any, folder: Path, is_path: bool = False) -> Any:
    """A notebook parameter as papermill writes it: a `Path` (or each of a list of them) relative to `folder`."""
    if isinstance(value, (list, tuple)):
        return [_relative(v, folder, is_path) for v in value]
    if isinstance(value, Path) or is_path:
        return Path(os.path.relpath(Path(value).resolve(), Path(folder).resolve())).as_posix()
    return value


def render_notebook(
    notebook: Path,
    parameters: Mapping[str, Any],
    what: str,
    page_title: str,
    out_ipynb: Path,
    out_html: Path,
    kernel: KeptKernel | None = None,
) -> None:
    """Execute a parameterised notebook with papermill and export deterministic, code-free HTML titled `page_title`.

    With `kernel`, papermill executes the notebook on that kept kernel (its folder must be `out_ipynb`'s)
    instead of starting one; the outputs are the same.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    out_ipynb = Path(out_ipynb)
    out_html = Path(out_html)
    out_ipynb.parent.mkdir(parents=True, exist_ok=True)
    out_html.parent.mkdir(parents=True, exist_ok=True)
    # paths (results_dir, and every `Path` or list of them: a rule's declared inputs) relative to the notebook's
    # working folder, so the executed notebook does not depend on where the project lives (two clean runs in
    # different folders give the same notebook but for papermill's timings)
    params = {key: _relative(value, out_ipynb.parent, key == "results_dir") for key, value in parameters.items()}
    engine: dict[str, Any] = {}
    if kernel is not None:
        if kernel.cwd != out_ipynb.parent.resolve():
            raise ValueError(f"kernel started in {kernel.cwd}, notebook written to {out_ipynb.parent}")
        kernel.reset()
        engine = {"engine_name": _kept_kernel_engine(), "kept_kernel": kernel}
    try:
        with _package_on_kernel_path(), _kernel_stderr_to_log():
            papermill.execute_notebook(
                str(notebook),
                str(out_ipynb),
                parameters=params,
                kernel_name="python3",
                progress_bar=False,
                log_output=False,
                cwd=str(out_ipynb.parent.resolve()),
                **engine,
            )
    except PapermillExecutionError as err:
        raise ReportError(
            f"report notebook {notebook} failed for {what} in cell {err.exec_count}: "
            f"{err.ename}: {err.evalue} (executed notebook with the traceback: {out_ipynb})"
        ) from err
    export_html(out_ipynb, page_title, out_html)


def export_html(executed: Path, page_title: str, out_html: Path) -> None:
    """nbconvert's HTML of an executed notebook: code-free, without prompts or timings, titled `page_title`."""
    import jinja2
    import nbformat
    from nbconvert import HTMLExporter

    nb = clean_for_export(nbformat.read(str(executed), as_version=4))
    nb.metadata["title"] = page_title
    exporter = HTMLExporter(
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        extra_loaders=[jinja2.DictLoader({"cohort_report.html.j2": _HTML_TEMPLATE})],
        template_file="cohort_report.html.j2",
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": page_title}})
    atomic.write_bytes(out_html, body.encode("utf-8"))


def report_inputs(results_dir: Path, cohort_id: str, figures: Sequence[str] = ()) -> dict[str, Any]:
    """The cohort report's inputs as notebook parameters (the report rule's declared inputs): the register, the
    quote table, cohort.json and the PNGs of `figures`."""
    here = layout.cohort(results_dir, cohort_id)
    return {
        "statistics": here.statistics,
        "quotes": here.quotes,
        "cohort_json": here.cohort_json,
        "figures": [here.figure(name, "png") for name in figures],
    }


def render_report(
    results_dir: Path,
    cohort_id: str,
    notebook: Path,
    out_ipynb: Path,
    out_html: Path,
    inputs: Mapping[str, Path | Sequence[Path]] | None = None,
) -> None:
    """Execute the report notebook for a cohort with papermill and export deterministic, code-free HTML.

    `inputs` are the report rule's declared inputs (statistics, quotes, cohort_json, figures), passed to the
    notebook as parameters beside `cohort_id` and `results_dir` (default: `report_inputs`, without figures).
    """
    declared = dict(report_inputs(results_dir, cohort_id) if inputs is None else inputs)
    params = {"cohort_id": str(cohort_id), "results_dir": Path(results_dir), **_as_paths(declared)}
    folder = Path(out_ipynb).parent
    folder.mkdir(parents=True, exist_ok=True)
    # the kernel starts first and imports the report's modules while this process imports papermill, nbconvert
    # and the report builders (a kept kernel of one notebook: the outputs are those of a fresh kernel)
    with KeptKernel(folder) as kernel:
        kernel.warm(REPORT_MODULES)
        from workforce_eval.inputs import metadata
        from workforce_eval.report.text import title

        cohort = metadata.load(Path(declared["cohort_json"]))
        render_notebook(notebook, params, f"cohort {cohort_id!r}", title(cohort), out_ipynb, out_html, kernel)


#: What the cohort report notebook imports (notebooks/cohort_report.ipynb), warmed in its kernel.
REPORT_MODULES: tuple[str, ...] = (
    "pandas",
    "IPython.display",
    "workforce_eval.names",
    "workforce_eval.register.notation",
    "workforce_eval.report.findings",
    "workforce_eval.report.results",
    "workforce_eval.report.sections",
    "workforce_eval.report.structure",
    "workforce_eval.report.tables",
    "workforce_eval.report.text",
    "workforce_eval.report.format",
    "workforce_eval.report.likert",
    "workforce_eval.report.models",
    "workforce_eval.report.prepost",
    "workforce_eval.report.qualitative",
    "workforce_eval.report.accessible",
)


def render_programme_report(
    results_dir: Path,
    programme: str,
    notebook: Path,
    out_ipynb: Path,
    out_html: Path,
    inputs: Mapping[str, Path | Sequence[Path]] | None = None,
) -> None:
    """Execute the programme report notebook for `<results_dir>/programmes/<programme>/` and export HTML.

    `inputs` are the programme report rule's declared inputs (statistics, programme_json, figures), passed to
    the notebook as parameters (default: the register and programme.json of `layout.programme`)."""
    here = layout.programme(results_dir, programme)
    default = {"statistics": here.statistics, "programme_json": here.programme_json, "figures": []}
    declared = dict(default if inputs is None else inputs)
    params = {"programme": str(programme), "results_dir": Path(results_dir), **_as_paths(declared)}
    meta = json.loads(Path(declared["programme_json"]).read_text(encoding="utf-8"))  # type: ignore[arg-type]
    from workforce_eval.report.programme import title as programme_title

    page_title = programme_title({"programme": programme, **meta})
    render_notebook(notebook, params, f"programme {programme!r}", page_title, out_ipynb, out_html)


def _as_paths(declared: Mapping[str, Any]) -> dict[str, Path | list[Path]]:
    """A rule's declared inputs as `Path`s (a list stays a list), so `render_notebook` makes them relative."""
    return {
        key: [Path(v) for v in value] if isinstance(value, (list, tuple)) else Path(value)
        for key, value in declared.items()
    }


def render_organisation_report(
    results_dir: Path, cohort_id: str, slug: str, notebook: Path, out_ipynb: Path, out_html: Path
) -> None:
    """Execute the organisation notebook for one unit (by its file name `slug`), or the overview (slug ""), and
    export HTML."""
    render_organisation_reports(results_dir, cohort_id, [slug], notebook, [(Path(out_ipynb), Path(out_html))])


def render_organisation_reports(
    results_dir: Path,
    cohort_id: str,
    slugs: Sequence[str],
    notebook: Path,
    outputs: Sequence[tuple[Path, Path]],
    keep_kernel: bool = True,
) -> None:
    """Execute the organisation notebook for several units (by file name; "" is the overview), writing each to
    its (ipynb, html) pair of `outputs`; the cohort's register is parsed once and, with `keep_kernel`, the
    notebooks of one folder run on one kept kernel. The outputs are those of one call per unit."""
    if len(slugs) != len(outputs):
        raise ValueError(f"{len(slugs)} units but {len(outputs)} output pairs")
    from workforce_eval.report import organisation, results

    res = results.load_organisations(Path(results_dir), str(cohort_id))
    by_slug = {u["slug"]: u["value"] for u in res.units}
    jobs = []
    for slug, (out_ipynb, out_html) in zip(slugs, outputs, strict=True):
        if slug and slug not in by_slug:
            raise ReportError(f"cohort {cohort_id!r} has no reported unit with file name {slug!r}")
        unit = by_slug[slug] if slug else ""
        params = {"cohort_id": str(cohort_id), "results_dir": str(Path(results_dir).resolve()), "unit": unit}
        page_title = organisation.unit_title(res.meta, unit) if unit else organisation.overview_title(res.meta)
        what = f"cohort {cohort_id!r}, " + (f"unit {slug!r}" if unit else "overview")
        jobs.append((params, what, page_title, Path(out_ipynb), Path(out_html)))
    folders = list(dict.fromkeys(job[3].parent.resolve() for job in jobs))
    for folder in folders:
        here = [job for job in jobs if job[3].parent.resolve() == folder]
        if not keep_kernel or len(here) == 1:
            for params, what, page_title, out_ipynb, out_html in here:
                render_notebook(notebook, params, what, page_title, out_ipynb, out_html)
            continue
        folder.mkdir(parents=True, exist_ok=True)
        with KeptKernel(folder) as kernel:
            for params, what, page_title, out_ipynb, out_html in here:
                render_notebook(notebook, params, what, page_title, out_ipynb, out_html, kernel)
