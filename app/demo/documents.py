"""The fictional demo people and their records, and how each record is drawn as a PDF."""

from __future__ import annotations

import io
from dataclasses import dataclass, field


@dataclass(frozen=True)
class DemoDocument:
    file_name: str
    kind: str
    title: str
    date: str
    facility: str
    author: str
    heading: str
    sections: tuple[tuple[str, str], ...]
    table: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class DemoPerson:
    name: str
    born: str
    mrn: str
    documents: tuple[DemoDocument, ...] = field(default_factory=tuple)


RIVERSIDE = "Riverside General Hospital"
LAKESIDE = "Lakeside Cancer Center"

ELEANOR_DOCUMENTS = (
    DemoDocument(
        "mammogram_ultrasound_2026-09-05.pdf",
        "imaging",
        "Diagnostic mammogram and breast ultrasound",
        "2026-09-05",
        "Riverside Imaging Center",
        "Dr. Paul Nguyen",
        "DIAGNOSTIC MAMMOGRAPHY AND ULTRASOUND REPORT",
        (
            (
                "Clinical history",
                "Palpable lump in the left breast, noticed by the patient "
                "three weeks ago. No family history of breast cancer.",
            ),
            (
                "Findings",
                "Left breast, 2 o'clock, 6 cm from the nipple: an irregular "
                "hypoechoic mass measuring 2.0 x 1.7 x 1.6 cm with spiculated margins. No "
                "suspicious axillary lymph nodes. Right breast: no suspicious findings.",
            ),
            (
                "Impression",
                "Highly suggestive of malignancy (BI-RADS 5). Ultrasound-guided "
                "core needle biopsy is recommended and has been scheduled.",
            ),
        ),
    ),
    DemoDocument(
        "surgical_pathology_core_biopsy.pdf",
        "pathology",
        "Surgical pathology report: left breast core biopsy",
        "2026-09-18",
        RIVERSIDE,
        "Dr. Helen Okafor",
        "SURGICAL PATHOLOGY REPORT",
        (
            (
                "Specimen",
                "Left breast, 2 o'clock, ultrasound-guided core needle biopsy (four cores).",
            ),
            ("Clinical history", "2.0 cm irregular mass, BI-RADS 5."),
            (
                "Gross description",
                "Received in formalin, four tan-white cores, 1.2 to 1.6 cm "
                "in length, entirely submitted in one cassette.",
            ),
            (
                "Microscopic description",
                "Sections show infiltrating nests and cords of "
                "malignant epithelial cells with moderate nuclear pleomorphism and occasional "
                "mitoses. No lymphovascular invasion is identified in the cores.",
            ),
            (
                "Final diagnosis",
                "Left breast, core biopsy: invasive ductal carcinoma, "
                "Nottingham grade 2 (tubules 3, nuclei 2, mitoses 1). Estrogen receptor "
                "positive (95%, strong). Progesterone receptor positive (80%). HER2 negative "
                "(IHC 1+). Ki-67 about 20%.",
            ),
        ),
    ),
    DemoDocument(
        "breast_mri_report.pdf",
        "imaging",
        "Breast MRI with and without contrast",
        "2026-09-25",
        "Riverside Imaging Center",
        "Dr. Paul Nguyen",
        "MRI BILATERAL BREASTS WITH AND WITHOUT CONTRAST",
        (
            (
                "Indication",
                "Newly diagnosed invasive ductal carcinoma of the left breast; extent of disease.",
            ),
            (
                "Findings",
                "Known biopsy-proven malignancy in the left breast at 2 o'clock "
                "measures 2.1 cm with a biopsy clip in place. No additional suspicious "
                "enhancement in either breast. No enlarged axillary or internal mammary nodes.",
            ),
            (
                "Impression",
                "Unifocal 2.1 cm left breast cancer. No evidence of multicentric disease.",
            ),
        ),
    ),
    DemoDocument(
        "blood_tests_2026-09-30.pdf",
        "lab_result",
        "Blood tests: complete blood count and metabolic panel",
        "2026-09-30",
        RIVERSIDE,
        "Riverside Laboratory Services",
        "LABORATORY RESULTS",
        (("Comment", "All values within reference ranges. No action needed."),),
        (
            ("Test", "Result", "Reference range"),
            ("White blood cells", "6.2 x10^9/L", "4.0 - 11.0"),
            ("Hemoglobin", "13.4 g/dL", "12.0 - 15.5"),
            ("Platelets", "248 x10^9/L", "150 - 400"),
            ("Creatinine", "0.8 mg/dL", "0.6 - 1.1"),
            ("ALT", "22 U/L", "7 - 35"),
            ("Alkaline phosphatase", "74 U/L", "40 - 120"),
        ),
    ),
    DemoDocument(
        "oncology_consult_dr_brandt.pdf",
        "consult_letter",
        "Medical oncology consultation",
        "2026-10-06",
        LAKESIDE,
        "Dr. Samuel Brandt",
        "MEDICAL ONCOLOGY CONSULTATION",
        (
            (
                "Reason for consultation",
                "New diagnosis of left breast invasive ductal "
                "carcinoma, referred by Dr. Maria Lopez (primary care).",
            ),
            (
                "History of present illness",
                "Mrs. Whitfield noticed a left breast lump in "
                "August. Imaging and core biopsy confirmed a 2.1 cm grade 2 hormone "
                "receptor-positive, HER2-negative invasive ductal carcinoma.",
            ),
            (
                "Assessment",
                "Clinical stage cT2 cN0 M0 (anatomic stage IIA, prognostic "
                "stage IB) per the AJCC 8th edition, pending surgical staging.",
            ),
            (
                "Plan",
                "Breast-conserving surgery with sentinel lymph node biopsy, followed "
                "by radiation therapy and at least five years of endocrine therapy. A genomic "
                "recurrence score on the surgical specimen will guide whether chemotherapy "
                "adds benefit. The patient wishes to seek a second opinion before surgery, "
                "which I fully support.",
            ),
        ),
    ),
    DemoDocument(
        "treatment_plan_summary.pdf",
        "treatment_plan",
        "Treatment plan summary",
        "2026-10-14",
        LAKESIDE,
        "Dr. Samuel Brandt",
        "TREATMENT PLAN SUMMARY",
        (
            (
                "Diagnosis",
                "Invasive ductal carcinoma, left breast, grade 2, ER+/PR+/HER2-, "
                "clinical stage IIA (cT2 cN0 M0).",
            ),
            (
                "Planned treatment",
                "1. Lumpectomy with sentinel lymph node biopsy "
                "(Dr. Anita Rao, breast surgery). 2. Oncotype DX recurrence score on the "
                "specimen. 3. Whole-breast radiation, about 3 to 4 weeks. 4. Letrozole "
                "2.5 mg daily for 5 years.",
            ),
            ("Goals", "Cure. Expected benefit of each step was discussed."),
        ),
    ),
    DemoDocument(
        "medication_list_october.pdf",
        "medication_list",
        "Current medication list",
        "2026-10-14",
        LAKESIDE,
        "Nurse navigator Grace Kim",
        "MEDICATION LIST",
        (("Allergies", "Penicillin (rash)."),),
        (
            ("Medication", "Dose", "How often", "Since"),
            ("Lisinopril", "10 mg", "once a day", "2019-03"),
            ("Atorvastatin", "20 mg", "at night", "2021-06"),
            ("Vitamin D3", "1000 IU", "once a day", "2022"),
        ),
    ),
    DemoDocument(
        "insurance_second_opinion_letter.pdf",
        "insurance",
        "Insurance letter: second opinion covered",
        "2026-10-20",
        "Northwind Health Plan",
        "Member services",
        "COVERAGE DETERMINATION",
        (
            (
                "Decision",
                "A second opinion consultation with an in-network oncology "
                "specialist is covered. No referral is needed. Authorization number "
                "NW-2026-448120.",
            ),
        ),
    ),
)

THOMAS_DOCUMENTS = (
    DemoDocument(
        "cardiology_followup_letter.pdf",
        "consult_letter",
        "Cardiology follow-up letter",
        "2026-07-01",
        RIVERSIDE,
        "Dr. Kwame Mensah",
        "CARDIOLOGY CLINIC LETTER",
        (
            (
                "Summary",
                "Mr. Whitfield is doing well after his stent in 2024. Blood pressure "
                "well controlled. Continue current medicines; review in twelve months.",
            ),
        ),
    ),
    DemoDocument(
        "annual_blood_tests.pdf",
        "lab_result",
        "Annual blood tests",
        "2026-08-12",
        RIVERSIDE,
        "Riverside Laboratory Services",
        "LABORATORY RESULTS",
        (("Comment", "LDL cholesterol at goal."),),
        (
            ("Test", "Result", "Reference range"),
            ("LDL cholesterol", "68 mg/dL", "below 70 (goal)"),
            ("HbA1c", "5.6 %", "below 5.7"),
        ),
    ),
    # Thomas's rectal cancer of 2021, treated and followed since (for the treatment summary
    # and the timeline: a biopsy, radiation with chemotherapy, surgery, then chemotherapy).
    DemoDocument(
        "rectal_biopsy_pathology.pdf",
        "pathology",
        "Pathology report: rectal biopsy",
        "2021-02-09",
        RIVERSIDE,
        "Dr. Helen Okafor",
        "SURGICAL PATHOLOGY REPORT",
        (
            ("Specimen", "Rectum, 9 cm from the anal verge, colonoscopic biopsy (three pieces)."),
            (
                "Final diagnosis",
                "Rectum, biopsy: invasive adenocarcinoma, moderately differentiated. Mismatch "
                "repair proteins intact (MLH1, PMS2, MSH2, MSH6 retained): MMR proficient. "
                "KRAS wild-type. NRAS wild-type. BRAF wild-type.",
            ),
            ("Comment", "Clinical stage IIIB (cT3 cN1 M0) per the AJCC 8th edition on MRI."),
        ),
    ),
    DemoDocument(
        "radiation_treatment_summary.pdf",
        "consult_letter",
        "Radiation treatment summary",
        "2021-05-03",
        LAKESIDE,
        "Dr. Ravi Menon",
        "RADIATION ONCOLOGY TREATMENT SUMMARY",
        (
            (
                "Treatment",
                "50.4 Gy in 28 fractions to the pelvis, from March 22, 2021 to April 29, 2021, "
                "with capecitabine on radiation days.",
            ),
            ("Tolerance", "Mild skin irritation and tiredness; no breaks in treatment."),
        ),
    ),
    DemoDocument(
        "operative_report_lar.pdf",
        "operative",
        "Low anterior resection with loop ileostomy",
        "2021-06-28",
        LAKESIDE,
        "Dr. Daniel Ortega",
        "OPERATIVE REPORT",
        (
            ("Procedure", "Robotic low anterior resection with diverting loop ileostomy."),
            (
                "Findings",
                "Treated tumour in the mid rectum; no spread seen in the liver or abdomen.",
            ),
            ("Condition", "Stable to recovery. Estimated blood loss 120 mL."),
        ),
    ),
)

DEMO_PEOPLE = (
    DemoPerson("Eleanor Whitfield", "1961-04-12", "RGH-0048213", ELEANOR_DOCUMENTS),
    DemoPerson("Thomas Whitfield", "1958-11-02", "RGH-0031877", THOMAS_DOCUMENTS),
)


def render_pdf(doc: DemoDocument, person: DemoPerson) -> bytes:
    """Draw one demo record as a clinic would print it, in memory."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import inch
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    out = io.BytesIO()
    pdf = SimpleDocTemplate(
        out,
        pagesize=LETTER,
        title=doc.title,
        author=doc.facility,
        leftMargin=0.9 * inch,
        rightMargin=0.9 * inch,
    )
    story: list[object] = [
        Paragraph(doc.facility, styles["Title"]),
        Paragraph(doc.heading, styles["Heading2"]),
    ]
    header = Table(
        [
            ["Patient", person.name, "Date of service", doc.date],
            ["Date of birth", person.born, "Medical record no.", person.mrn],
            ["Provider", doc.author, "", ""],
        ],
        colWidths=[1.1 * inch, 2.2 * inch, 1.4 * inch, 1.5 * inch],
    )
    header.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (0, -1), "Helvetica-Bold"),
                ("FONTNAME", (2, 0), (2, -1), "Helvetica-Bold"),
                ("BOX", (0, 0), (-1, -1), 0.5, colors.grey),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
            ]
        )
    )
    story += [header, Spacer(1, 12)]
    for heading, text in doc.sections:
        story.append(Paragraph(heading.upper(), styles["Heading4"]))
        story.append(Paragraph(text, styles["BodyText"]))
    if doc.table:
        table = Table([list(row) for row in doc.table], hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.75, colors.black),
                    ("GRID", (0, 1), (-1, -1), 0.25, colors.lightgrey),
                    ("FONTSIZE", (0, 0), (-1, -1), 9),
                ]
            )
        )
        story += [Spacer(1, 8), table]
    story += [Spacer(1, 18), Paragraph(f"Electronically signed by {doc.author}", styles["Italic"])]
    pdf.build(story)  # type: ignore[arg-type]
    return out.getvalue()
