# Optional PDFs of every report (config `report_pdf: true`, default false): headless Chromium, the system's
# package, prints each report's HTML (workforce_eval.report.pdf). The targets join all_targets() and
# programme_targets() (rules/common.smk), so the provenance rules hash them like any other output.
from workforce_eval.report import pdf as pdf_module

# refused before any job runs: PDFs asked for, but no Chromium to print them
if REPORT_PDF and pdf_module.find_chromium() is None:
    raise WorkflowError(pdf_module.missing_chromium_message())


def pdf_targets(cohort):
    """The PDFs of one cohort: its report, and the folder of its organisation reports' PDFs."""
    targets = [str(RESULTS / cohort / "report.pdf")]
    if cohort in ORGANISATION_COHORTS:
        targets.append(str(RESULTS / cohort / names.ORGANISATIONS_DIR / "pdf"))
    return targets


def organisation_htmls(wildcards):
    """The overview and every reported unit's HTML report of a cohort."""
    return [org_out("report.html").format(cohort=wildcards.cohort)] + unit_reports(
        wildcards
    )


rule report_pdf:
    """The cohort report printed to PDF (A4, running header, page numbers)."""
    input:
        html=out("report.html"),
    output:
        pdf=out("report.pdf"),
    log:
        log_of("report_pdf"),
    conda:
        "../envs/pipeline.yaml"
    script:
        "../scripts/report_pdf.py"


rule programme_report_pdf:
    """The programme report printed to PDF."""
    input:
        html=programme_out("report.html"),
    output:
        pdf=programme_out("report.pdf"),
    log:
        programme_log("report_pdf"),
    conda:
        "../envs/pipeline.yaml"
    script:
        "../scripts/report_pdf.py"


rule organisation_report_pdfs:
    """The organisation overview and unit reports printed to PDF, into organisations/pdf/ (one browser)."""
    input:
        html=organisation_htmls,
    output:
        folder=directory(org_out("pdf")),
    log:
        log_of("organisation_report_pdfs"),
    conda:
        "../envs/pipeline.yaml"
    params:
        root=lambda wildcards: org_out("").format(cohort=wildcards.cohort),
    script:
        "../scripts/report_pdf.py"
