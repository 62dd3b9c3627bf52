"""Reading cancer facts from report text: each hard case with a short synthetic report, as a
doctor would check the result."""

from __future__ import annotations

import pytest

from app.ingest.clinical import KEYS, Certainty, ReportReading, read_report, text_date
from app.ingest.kinds import DocumentKind

PATHOLOGY = DocumentKind.PATHOLOGY


def values(reading: ReportReading) -> dict[str, str]:
    return {f.key: f.value for f in reading.findings}


def test_a_breast_core_biopsy_gives_diagnosis_grade_and_receptors() -> None:
    text = (
        "FINAL DIAGNOSIS: A. LEFT BREAST, CORE BIOPSY: INVASIVE DUCTAL CARCINOMA, "
        "NOTTINGHAM GRADE 2. ER: Positive (95%, strong). PR: Positive (40%). "
        "HER2 (IHC): Negative (1+). Ki-67: 30%."
    )
    reading = read_report(text, PATHOLOGY)
    assert reading.malignant is True
    assert reading.value("diagnosis.histology") == "Invasive ductal carcinoma"
    assert reading.value("diagnosis.site") == "Breast"
    assert reading.value("diagnosis.laterality") == "Left"
    assert reading.value("diagnosis.grade") == "Nottingham grade 2 of 3"
    assert reading.value("diagnosis.grade_system") == "Nottingham"
    assert reading.value("biomarker.er") == "Positive (95%, strong)"
    assert reading.value("biomarker.pr") == "Positive (40%)"
    assert reading.value("biomarker.her2") == "Negative (IHC 1+)"
    assert reading.value("biomarker.ki67") == "30%"


def test_a_finding_points_at_the_words_it_came_from() -> None:
    text = (
        "SURGICAL PATHOLOGY\nDIAGNOSIS:\nProstate, needle biopsy: Adenocar-\ncinoma, Gleason 3+4=7."
    )
    found = read_report(text, PATHOLOGY).get("diagnosis.histology")
    assert found is not None
    assert found.value == "Adenocarcinoma"
    # The word was broken across the line; the span covers both halves in the text itself.
    assert text[found.start : found.end] == "Adenocar-\ncinoma"
    assert found.certainty is Certainty.STATED


def test_ocr_pTl_is_pT1_and_pNO_is_pN0() -> None:
    reading = read_report("DIAGNOSIS: Renal cell carcinoma, clear cell type. pTl pNO", PATHOLOGY)
    assert reading.value("stage.pathologic_t") == "pT1"
    assert reading.value("stage.pathologic_n") == "pN0"


def test_synoptic_primary_tumor_field() -> None:
    text = (
        "CANCER CASE SUMMARY\nProcedure: Radical prostatectomy\n"
        "Histologic Type: Acinar adenocarcinoma\nGleason Score: 3 + 4 = 7\n"
        "Primary Tumor (pT): pT2c\nRegional Lymph Nodes (pN): pN0\n"
        "Number of Lymph Nodes Examined: 12\nNumber of Lymph Nodes Involved: 0\n"
        "Margins: Uninvolved by invasive carcinoma\nLymphovascular Invasion: Not identified"
    )
    found = values(read_report(text, PATHOLOGY))
    assert found["stage.pathologic_t"] == "pT2c"
    assert found["stage.pathologic_n"] == "pN0"
    assert found["diagnosis.histology"] == "Acinar adenocarcinoma"
    assert found["diagnosis.grade"] == "Gleason score 3+4=7 (Grade Group 2)"
    assert found["diagnosis.lymph_nodes"] == "0 of 12 positive"
    assert found["diagnosis.margins"] == "Negative"
    assert found["diagnosis.lvi"] == "Not identified"
    assert found["treatment.surgery"] == "Radical prostatectomy"
    assert found["diagnosis.site"] == "Prostate"


def test_free_text_tnm_in_one_group() -> None:
    text = (
        "FINAL DIAGNOSIS: Right kidney, radical nephrectomy: clear cell renal cell carcinoma, "
        "pT3a pN0 (AJCC 8th edition)."
    )
    found = values(read_report(text, PATHOLOGY))
    assert found["stage.pathologic_t"] == "pT3a"
    assert found["stage.pathologic_n"] == "pN0"
    assert found["stage.ajcc_edition"] == "8th"
    assert found["diagnosis.histology"] == "Clear cell renal cell carcinoma"
    assert found["diagnosis.laterality"] == "Right"


def test_clinical_stage_in_a_consult() -> None:
    text = (
        "ONCOLOGY CONSULTATION\nASSESSMENT: 58-year-old woman with invasive ductal carcinoma "
        "of the right breast, clinical stage IIA (cT2 cN0 M0).\nPLAN: Neoadjuvant chemotherapy."
    )
    found = values(read_report(text, DocumentKind.CONSULT_LETTER))
    assert found["stage.clinical_t"] == "cT2"
    assert found["stage.clinical_n"] == "cN0"
    assert found["stage.group"] == "IIA"
    assert found["diagnosis.site"] == "Breast"
    assert found["diagnosis.laterality"] == "Right"
    assert found["plan"] == "Neoadjuvant chemotherapy."


def test_two_specimens_the_malignant_one_is_the_diagnosis() -> None:
    text = (
        "FINAL DIAGNOSIS:\n"
        "A. Lymph node, left axillary, sentinel biopsy: One lymph node, negative for "
        "carcinoma (0/1).\n"
        "B. Breast, left, lumpectomy: Invasive lobular carcinoma, Nottingham grade 1, 1.8 cm. "
        "Margins negative, closest 3 mm.\n"
        "C. Breast, left superior margin, excision: Benign breast tissue. No malignancy."
    )
    reading = read_report(text, PATHOLOGY)
    found = values(reading)
    assert found["diagnosis.histology"] == "Invasive lobular carcinoma"
    assert found["diagnosis.site"] == "Breast"
    assert found["diagnosis.grade"] == "Nottingham grade 1 of 3"
    assert found["diagnosis.lymph_nodes"] == "0 of 1 positive"
    assert found["treatment.surgery"] == "Left lumpectomy"
    assert found["diagnosis.margins"] == "Negative, closest 3 mm"
    histology = reading.get("diagnosis.histology")
    assert histology is not None and histology.specimen == "B"


def test_two_primaries_the_main_tumour_wins_and_both_are_candidates() -> None:
    text = (
        "FINAL DIAGNOSIS:\n"
        "A. Skin, left forearm, shave biopsy: Basal cell carcinoma, nodular type.\n"
        "B. Colon, sigmoid, resection: Adenocarcinoma, moderately differentiated, invading "
        "through the muscularis propria into pericolic fat (pT3). Twelve lymph nodes, "
        "negative for carcinoma (0/12)."
    )
    reading = read_report(text, PATHOLOGY)
    assert reading.value("diagnosis.histology") == "Adenocarcinoma"
    assert reading.value("diagnosis.site") == "Colon (sigmoid colon)"
    assert reading.value("diagnosis.grade") == "Moderately differentiated (G2)"
    assert reading.value("stage.pathologic_t") == "pT3"
    names = {c.value for c in reading.candidates if c.key == "diagnosis.histology"}
    assert "Nodular basal cell carcinoma" in names


def test_a_benign_report_names_no_cancer() -> None:
    reading = read_report(
        "DIAGNOSIS: Right ovary, cystectomy: benign serous cystadenoma. No malignancy identified.",
        PATHOLOGY,
    )
    assert reading.malignant is False
    assert reading.value("diagnosis.histology") == ""
    assert reading.value("diagnosis.site") == ""


def test_negative_for_carcinoma_is_negated_not_a_diagnosis() -> None:
    reading = read_report(
        "FINAL DIAGNOSIS: Prostate, needle biopsies (12 cores): Benign prostatic tissue, "
        "negative for carcinoma.",
        PATHOLOGY,
    )
    assert reading.malignant is False
    assert reading.value("diagnosis.histology") == ""
    negated = [c for c in reading.candidates if c.key == "diagnosis.histology"]
    assert negated and all(c.certainty is Certainty.NEGATED for c in negated)


def test_negative_for_er_is_a_result_not_a_negation() -> None:
    reading = read_report(
        "DIAGNOSIS: Left breast, core biopsy: invasive ductal carcinoma. The tumor cells are "
        "negative for ER and PR. HER2: positive (3+).",
        PATHOLOGY,
    )
    assert reading.malignant is True
    assert reading.value("biomarker.er") == "Negative"
    assert reading.value("biomarker.pr") == "Negative"
    assert reading.value("biomarker.her2") == "Positive (IHC 3+)"
    assert reading.value("diagnosis.histology") == "Invasive ductal carcinoma"


def test_suspicious_for_carcinoma_is_uncertain_and_not_chosen() -> None:
    reading = read_report(
        "DIAGNOSIS: Pancreas, fine needle aspiration: atypical cells, suspicious for "
        "adenocarcinoma. Malignancy cannot be excluded.",
        PATHOLOGY,
    )
    assert reading.value("diagnosis.histology") == ""
    assert reading.malignant is not True
    found = [c for c in reading.candidates if c.key == "diagnosis.histology"]
    assert [c.certainty for c in found] == [Certainty.UNCERTAIN]


def test_a_stage_in_a_sentence_about_staging_in_general_is_not_the_patients() -> None:
    text = (
        "FINAL DIAGNOSIS: Lung, right upper lobe, lobectomy: adenocarcinoma, acinar "
        "predominant, 2.1 cm.\nNOTE: Staging is based on the AJCC 8th edition. Patients with "
        "stage IV lung cancer are treated with systemic therapy; stage IIIA carcinoma may be "
        "resected."
    )
    reading = read_report(text, PATHOLOGY)
    assert reading.value("stage.group") == ""
    assert reading.value("diagnosis.size") == "2.1 cm"


def test_an_addendum_revises_the_diagnosis() -> None:
    text = (
        "FINAL DIAGNOSIS: Liver, segment 6, biopsy: poorly differentiated carcinoma.\n"
        "ADDENDUM: Immunohistochemical stains (HepPar-1 and arginase positive) support the "
        "revised diagnosis: hepatocellular carcinoma, poorly differentiated."
    )
    reading = read_report(text, PATHOLOGY)
    assert reading.value("diagnosis.histology") == "Hepatocellular carcinoma"
    assert reading.value("diagnosis.site") == "Liver"


def test_a_lymph_node_only_specimen_is_not_the_site() -> None:
    text = (
        "FINAL DIAGNOSIS: Lymph node, right neck level II, excisional biopsy: metastatic "
        "squamous cell carcinoma, p16 positive, involving 1 of 1 lymph node. Clinical "
        "history: known squamous cell carcinoma of the right tonsil."
    )
    reading = read_report(text, PATHOLOGY)
    assert reading.value("diagnosis.site") != "Lymph node"
    assert reading.value("diagnosis.lymph_nodes") == "1 of 1 positive"
    assert reading.value("biomarker.p16") == "Positive"


@pytest.mark.parametrize(
    ("written", "grade"),
    [
        ("Gleason score 3+4=7", "Gleason score 3+4=7 (Grade Group 2)"),
        ("Gleason 4 + 3 = 7", "Gleason score 4+3=7 (Grade Group 3)"),
        ("Gleason score: 4+5=9 (Grade Group 5)", "Gleason score 4+5=9 (Grade Group 5)"),
        (
            "primary pattern 4, secondary pattern 3, total Gleason score 7",
            "Gleason score 4+3=7 (Grade Group 3)",
        ),
        ("ISUP Grade Group 2", "Grade Group 2"),
    ],
)
def test_gleason_forms(written: str, grade: str) -> None:
    text = f"DIAGNOSIS: Prostate, left base, needle biopsy: prostatic adenocarcinoma, {written}."
    reading = read_report(text, PATHOLOGY)
    assert reading.value("diagnosis.grade") == grade
    assert reading.value("diagnosis.grade_system") == "Gleason"
    assert reading.value("diagnosis.site") == "Prostate"


def test_kidney_isup_grade() -> None:
    text = (
        "FINAL DIAGNOSIS: Kidney, left, partial nephrectomy: Renal cell carcinoma, clear cell "
        "type, WHO/ISUP grade 3, 4.2 cm, confined to the kidney. Margins negative. pT1b."
    )
    found = values(read_report(text, PATHOLOGY))
    assert found["diagnosis.grade"] == "WHO/ISUP grade 3"
    assert found["diagnosis.grade_system"] == "ISUP"
    assert found["diagnosis.histology"] == "Clear cell renal cell carcinoma"
    assert found["diagnosis.size"] == "4.2 cm"
    assert found["stage.pathologic_t"] == "pT1b"
    assert found["treatment.surgery"] == "Left partial nephrectomy"


def test_brain_who_grade_and_markers() -> None:
    text = (
        "DIAGNOSIS: Brain, right frontal lobe, resection: Glioblastoma, IDH-wildtype "
        "(WHO grade IV). MGMT promoter: methylated."
    )
    found = values(read_report(text, PATHOLOGY))
    assert found["diagnosis.histology"] == "Glioblastoma"
    assert found["diagnosis.grade"] == "WHO grade IV"
    assert found["diagnosis.grade_system"] == "WHO CNS"
    assert found["diagnosis.site"] == "Brain (frontal lobe)"
    assert found["diagnosis.laterality"] == "Right"
    assert found["biomarker.mgmt"] == "Methylated"


def test_a_family_history_of_cancer_is_not_the_patients() -> None:
    text = (
        "CHIEF COMPLAINT: Knee pain.\nFAMILY HISTORY: Mother had breast cancer at 52; father "
        "had prostate cancer.\nASSESSMENT: Osteoarthritis of the right knee.\n"
        "PLAN: Physical therapy."
    )
    reading = read_report(text, DocumentKind.CONSULT_LETTER)
    assert reading.malignant is None
    assert reading.value("diagnosis.site") == ""


def test_a_note_with_commas_for_line_breaks() -> None:
    text = (
        "HISTORY OF PRESENT ILLNESS:,  A 61-year-old man with squamous cell carcinoma of the "
        "base of tongue, p16 positive, cT2 cN1 M0.,PLAN:, Concurrent chemoradiation, 70 Gy in "
        "35 fractions to the oropharynx with weekly cisplatin."
    )
    found = values(read_report(text, DocumentKind.CONSULT_LETTER))
    assert found["diagnosis.histology"] == "Squamous cell carcinoma"
    assert found["diagnosis.site"] == "Tongue (base of tongue)"
    assert found["biomarker.p16"] == "Positive"
    assert found["stage.clinical_n"] == "cN1"
    assert found["treatment.radiation"] == "70 Gy in 35 fractions to the oropharynx"


def test_a_hepatitis_grade_and_stage_are_not_the_tumours() -> None:
    text = (
        "DIAGNOSIS: Liver, resection: Hepatocellular carcinoma, 3.0 cm, margins free. "
        "Background liver: chronic hepatitis (grade 2, stage 3)."
    )
    reading = read_report(text, PATHOLOGY)
    assert reading.value("stage.group") == ""
    assert reading.value("diagnosis.grade") == ""


def test_mismatch_repair_and_pdl1() -> None:
    text = (
        "DIAGNOSIS: Colon, right hemicolectomy: adenocarcinoma. Mismatch repair "
        "immunohistochemistry: MLH1 lost, PMS2 lost, MSH2 intact, MSH6 intact. "
        "PD-L1 (22C3): TPS 60%. KRAS G12D mutation detected."
    )
    found = values(read_report(text, PATHOLOGY))
    assert found["biomarker.mmr"] == "Deficient (MLH1 and PMS2 lost)"
    assert found["biomarker.pdl1"] == "TPS 60%"
    assert found["biomarker.kras"] == "Detected (G12D)"
    assert found["treatment.surgery"] == "Right hemicolectomy"


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("March 7, 2022", "2022-03-07"),
        ("7 Mar 2022", "2022-03-07"),
        ("03/07/2022", "2022-03-07"),
        ("2022-03-07", "2022-03-07"),
        ("31/02/2022", None),
    ],
)
def test_text_dates(written: str, iso: str | None) -> None:
    assert text_date(written) == iso


def test_a_stated_procedure_date_is_the_diagnosis_date() -> None:
    text = (
        "Date of procedure: 03/14/2024\nFINAL DIAGNOSIS: Cervix, biopsy: squamous cell carcinoma."
    )
    assert read_report(text, PATHOLOGY).value("diagnosis.date") == "2024-03-14"


@pytest.mark.parametrize(
    ("written", "value"),
    [
        (
            "Mismatch repair proteins intact (MLH1, PMS2, MSH2, MSH6 retained): MMR proficient.",
            "Proficient (MLH1, MSH2, MSH6, PMS2 intact)",
        ),
        (
            "There is loss of MLH1 and PMS2 nuclear expression; MSH2 and MSH6 are intact.",
            "Deficient (MLH1 and PMS2 lost)",
        ),
    ],
)
def test_mismatch_repair_said_as_a_list(written: str, value: str) -> None:
    text = f"DIAGNOSIS: Rectum, biopsy: invasive adenocarcinoma. {written}"
    assert read_report(text, PATHOLOGY).value("biomarker.mmr") == value


def test_an_empty_or_endless_text_reads_without_fuss() -> None:
    assert read_report("").findings == ()
    assert read_report("   \n\n ").malignant is None
    one = "FINAL DIAGNOSIS: Prostate, radical prostatectomy: adenocarcinoma, Gleason 3+4=7. "
    later = "ADDENDUM: revised diagnosis: small cell carcinoma. "
    # Two million characters: the opening pages are read, the rest is not.
    endless = read_report(one + "Lorem ipsum dolor sit amet. " * 70_000 + later)
    assert endless.value("diagnosis.grade") == "Gleason score 3+4=7 (Grade Group 2)"
    assert endless.value("diagnosis.histology") == "Adenocarcinoma"


def test_every_key_read_is_a_key_of_the_contract() -> None:
    text = (
        "FINAL DIAGNOSIS: A. Right breast, modified radical mastectomy: invasive ductal "
        "carcinoma, Nottingham grade 3, 3.2 cm. Margins negative, closest 4 mm. "
        "Lymphovascular invasion: present. 2 of 14 lymph nodes positive. pT2 pN1a. "
        "ER negative, PR negative, HER2 positive (3+), Ki-67 60%, PD-L1 CPS 10, BRCA1 "
        "mutation detected, p53 positive. Date of procedure: 05/06/2024.\n"
        "PLAN: Adjuvant chemotherapy, then 50 Gy in 25 fractions to the chest wall "
        "from June 3, 2024 to July 8, 2024."
    )
    reading = read_report(text, PATHOLOGY)
    assert {f.key for f in reading.findings} <= set(KEYS)
    assert {c.key for c in reading.candidates} <= set(KEYS)
    assert reading.value("treatment.radiation") == "50 Gy in 25 fractions to the chest wall"
    assert reading.value("treatment.radiation_start") == "2024-06-03"
    assert reading.value("diagnosis.date") == "2024-05-06"
    assert reading.value("treatment.surgery") == "Right modified radical mastectomy"
