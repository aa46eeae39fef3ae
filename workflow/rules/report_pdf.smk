# Optional PDFs of every report (config `report_pdf: true`, default false): headless Chromium, the system's
# package, prints each report's HTML (workforce_eval.report.pdf). The targets join all_targets() and
# programme_targets() (rules/common.smk), so the provenance rules hash them like any other output.
from workforce_eval.report import pdf as pdf_module

# refused before any job runs: PDFs asked for, but no Chromium to print them
if REPORT_PDF and pdf_module.find_chromium() is None:
    raise WorkflowError(pdf_module.missing_chromium_message())


rule report_pdf:
    """The cohort report printed to PDF (A4, running header, page numbers)."""
    input:
        html=str(COHORT.report.html),
    output:
        pdf=str(COHORT.report.pdf),
    log:
        log_of("report_pdf"),
    conda:
        "../envs/pipeline.yaml"
    script:
        "../scripts/report_pdf.py"


rule programme_report_pdf:
    """The programme report printed to PDF."""
    input:
        html=str(PROGRAMME.report.html),
    output:
        pdf=str(PROGRAMME.report.pdf),
    log:
        programme_log("report_pdf"),
    conda:
        "../envs/pipeline.yaml"
    script:
        "../scripts/programme_report_pdf.py"


rule organisation_report_pdf:
    """Every unit's organisation report printed to PDF in one job (one browser), in a folder beside the
    reports' folder (the `organisation_report` job owns that one)."""
    input:
        reports=str(ORGANISATIONS.unit_reports_dir),
    output:
        pdfs=directory(str(ORGANISATIONS.unit_reports_pdf_dir)),
    log:
        log_of("organisation_report_pdf"),
    conda:
        "../envs/pipeline.yaml"
    script:
        "../scripts/organisation_report_pdf.py"


rule organisations_overview_pdf:
    """The organisation overview printed to PDF, once every unit's PDF is made."""
    input:
        html=str(ORGANISATIONS.overview.html),
        units=str(ORGANISATIONS.unit_reports_pdf_dir),
    output:
        pdf=str(ORGANISATIONS.overview.pdf),
    log:
        log_of("organisations_overview_pdf"),
    conda:
        "../envs/pipeline.yaml"
    script:
        "../scripts/organisations_overview_pdf.py"
