"""Numbered schema migrations, run at open inside one transaction each.

The schema version is `PRAGMA user_version`. A binder from a newer CareBinder is refused
rather than guessed at. Add a migration by appending a function to `MIGRATIONS`; never edit
one that has shipped. tests/vault/test_migrations.py builds a binder at every earlier version
and migrates it.

One room, though long: the schema's whole history, one function per version, in order.
"""

from __future__ import annotations

from collections.abc import Callable

from app.vault.errors import NewerBinder
from app.vault.sqlcipher import Database

SCHEMA_V1 = """
CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    born TEXT,
    notes TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);

-- The care team: each doctor or clinic, as seen by one person.
CREATE TABLE doctors (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    name TEXT NOT NULL,
    specialty TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL DEFAULT '',
    institution TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    fax TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    portal TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX doctors_person ON doctors(person_id);

CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    kind TEXT NOT NULL DEFAULT 'other',
    title TEXT NOT NULL,
    date TEXT,                       -- date of service: YYYY, YYYY-MM or YYYY-MM-DD
    facility TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL DEFAULT '',
    doctor_id INTEGER REFERENCES doctors(id),
    pages INTEGER,
    original_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,            -- of the original bytes
    file_name TEXT NOT NULL,         -- the encrypted original in files/
    notes TEXT NOT NULL DEFAULT '',
    include_in_bundle INTEGER NOT NULL DEFAULT 1,
    kind_set_by_user INTEGER NOT NULL DEFAULT 0,
    date_set_by_user INTEGER NOT NULL DEFAULT 0,
    text_status TEXT NOT NULL DEFAULT 'none',  -- text, none, needs_ocr, unreadable
    trashed_at TEXT,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX documents_person ON documents(person_id, trashed_at);
CREATE INDEX documents_kind ON documents(person_id, kind);
CREATE INDEX documents_date ON documents(person_id, date);
CREATE INDEX documents_doctor ON documents(doctor_id);
CREATE UNIQUE INDEX documents_content ON documents(person_id, sha256);
CREATE INDEX documents_file ON documents(file_name);

-- Extracted text, searchable through document_text_fts (kept in step by triggers).
CREATE TABLE document_text (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    title TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT ''
);

-- First-page thumbnails live here, encrypted with the database, never as files.
CREATE TABLE document_thumbnails (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    media_type TEXT NOT NULL,
    image BLOB NOT NULL
);

CREATE TABLE medications (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    name TEXT NOT NULL,
    strength TEXT NOT NULL DEFAULT '',
    form TEXT NOT NULL DEFAULT '',
    dose TEXT NOT NULL DEFAULT '',
    how_often TEXT NOT NULL DEFAULT '',
    route TEXT NOT NULL DEFAULT '',
    purpose TEXT NOT NULL DEFAULT '',
    prescriber_id INTEGER REFERENCES doctors(id),
    start_date TEXT,
    stop_date TEXT,
    cycles TEXT NOT NULL DEFAULT '',   -- for regimens given in cycles
    side_effects TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    source_document_id INTEGER REFERENCES documents(id),
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX medications_person ON medications(person_id);

CREATE TABLE medication_changes (
    id INTEGER PRIMARY KEY,
    medication_id INTEGER NOT NULL REFERENCES medications(id) ON DELETE CASCADE,
    changed_on TEXT NOT NULL,
    dose TEXT NOT NULL DEFAULT '',
    how_often TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX medication_changes_med ON medication_changes(medication_id);

CREATE TABLE appointments (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    doctor_id INTEGER REFERENCES doctors(id),
    starts_at TEXT NOT NULL,           -- ISO 8601 with UTC offset
    time_zone TEXT NOT NULL DEFAULT '',-- IANA name the user chose
    minutes INTEGER,
    location TEXT NOT NULL DEFAULT '',
    purpose TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT 'follow_up',
    status TEXT NOT NULL DEFAULT 'planned',
    reminder_minutes INTEGER,
    recurrence TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    external_uid TEXT,                 -- the UID of an imported calendar event
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX appointments_person ON appointments(person_id, starts_at);
CREATE INDEX appointments_doctor ON appointments(doctor_id);

-- Questions for an appointment, or for "the next visit" when appointment_id is NULL.
CREATE TABLE questions (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    appointment_id INTEGER REFERENCES appointments(id) ON DELETE SET NULL,
    opinion_id INTEGER,
    text TEXT NOT NULL,
    answered INTEGER NOT NULL DEFAULT 0,
    answer TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL
);
CREATE INDEX questions_appointment ON questions(appointment_id);

CREATE TABLE visit_notes (
    id INTEGER PRIMARY KEY,
    appointment_id INTEGER NOT NULL REFERENCES appointments(id) ON DELETE CASCADE,
    body TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);

-- Recordings, photos of handouts, or library documents attached to an appointment.
CREATE TABLE appointment_attachments (
    id INTEGER PRIMARY KEY,
    appointment_id INTEGER NOT NULL REFERENCES appointments(id) ON DELETE CASCADE,
    document_id INTEGER REFERENCES documents(id),
    purpose TEXT NOT NULL DEFAULT 'attachment',  -- attachment, bring
    label TEXT NOT NULL DEFAULT ''
);

CREATE TABLE opinions (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    doctor_id INTEGER REFERENCES doctors(id),
    given_on TEXT,
    diagnosis TEXT NOT NULL DEFAULT '',
    stage TEXT NOT NULL DEFAULT '',
    recommendation TEXT NOT NULL DEFAULT '',
    other_options TEXT NOT NULL DEFAULT '',
    test_reading TEXT NOT NULL DEFAULT '',
    guidelines TEXT NOT NULL DEFAULT '',
    urgency TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);

CREATE TABLE records_requests (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    facility TEXT NOT NULL,
    department TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    what TEXT NOT NULL DEFAULT '',
    requested_on TEXT,
    method TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'to_request',
    received_on TEXT,
    notes TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);

CREATE TABLE records_request_documents (
    request_id INTEGER NOT NULL REFERENCES records_requests(id) ON DELETE CASCADE,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    PRIMARY KEY (request_id, document_id)
);

CREATE TABLE insurance (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    plan TEXT NOT NULL DEFAULT '',
    member_id TEXT NOT NULL DEFAULT '',
    group_id TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    second_opinion_covered TEXT NOT NULL DEFAULT 'unknown',
    referral_needed TEXT NOT NULL DEFAULT 'unknown',
    authorization_number TEXT NOT NULL DEFAULT '',
    in_network TEXT NOT NULL DEFAULT 'unknown',
    notes TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);

-- Binder-wide preferences (not window geometry, which Qt keeps per computer).
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


def _v1(db: Database) -> None:
    for statement in _split_sql(SCHEMA_V1):
        db.execute(statement)
    db["document_text"].enable_fts(  # type: ignore[union-attr]
        ["title", "body"], fts_version="FTS5", create_triggers=True, tokenize="porter unicode61"
    )


SCHEMA_V2 = """
-- A second-opinion checklist line the person marked "not applicable", and why.
CREATE TABLE checklist_marks (
    person_id INTEGER NOT NULL REFERENCES people(id),
    item TEXT NOT NULL,
    reason TEXT NOT NULL,
    created TEXT NOT NULL,
    PRIMARY KEY (person_id, item)
);

-- Which checklist line a records request is meant to fill.
ALTER TABLE records_requests ADD COLUMN checklist_item TEXT NOT NULL DEFAULT '';

-- The appointment an opinion was given at, when there was one.
ALTER TABLE opinions ADD COLUMN appointment_id INTEGER REFERENCES appointments(id);

CREATE INDEX questions_opinion ON questions(opinion_id);
CREATE INDEX records_requests_person ON records_requests(person_id);
CREATE INDEX opinions_person ON opinions(person_id);
"""


SCHEMA_V3 = """
-- issue 10: records from patient portals (section kept by that work)
-- Problems and diagnoses, allergies, procedures and test results, as a portal file gave them.
-- codes: a JSON list of {system, code, display} (SNOMED CT, ICD-10, RxNorm, LOINC...).
CREATE TABLE conditions (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    name TEXT NOT NULL,
    codes TEXT NOT NULL DEFAULT '[]',
    onset_date TEXT,
    resolved_date TEXT,
    status TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    source_document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX conditions_person ON conditions(person_id);

CREATE TABLE allergies (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    name TEXT NOT NULL,
    reaction TEXT NOT NULL DEFAULT '',
    severity TEXT NOT NULL DEFAULT '',
    codes TEXT NOT NULL DEFAULT '[]',
    noted_date TEXT,
    status TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    source_document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX allergies_person ON allergies(person_id);

CREATE TABLE procedures (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    name TEXT NOT NULL,
    codes TEXT NOT NULL DEFAULT '[]',
    performed_date TEXT,
    performer TEXT NOT NULL DEFAULT '',
    facility TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    source_document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX procedures_person ON procedures(person_id);

CREATE TABLE results (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    name TEXT NOT NULL,
    value TEXT NOT NULL DEFAULT '',
    unit TEXT NOT NULL DEFAULT '',
    reference_range TEXT NOT NULL DEFAULT '',
    interpretation TEXT NOT NULL DEFAULT '',
    taken_date TEXT,
    codes TEXT NOT NULL DEFAULT '[]',
    notes TEXT NOT NULL DEFAULT '',
    source_document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX results_person ON results(person_id, taken_date);

ALTER TABLE medications ADD COLUMN codes TEXT NOT NULL DEFAULT '[]';
ALTER TABLE doctors ADD COLUMN source_document_id INTEGER REFERENCES documents(id);
ALTER TABLE appointments ADD COLUMN source_document_id INTEGER REFERENCES documents(id);

-- issue 12: treatment summary and timeline (section kept by that work)
CREATE TABLE treatment_summary_fields (
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    field TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('confirmed', 'corrected', 'added', 'hidden')),
    value TEXT NOT NULL DEFAULT '',
    found TEXT NOT NULL DEFAULT '',
    updated TEXT NOT NULL,
    PRIMARY KEY (person_id, field)
);

-- issue 12: recurring appointments, records-request letters, redaction, share log
-- What was given to whom: every bundle written and every sheet printed or saved. The
-- documents (id, title, sha256) and the options are JSON, kept as they were at the time,
-- so deleting a record later does not change what the log says was shared.
CREATE TABLE share_log (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    shared_at TEXT NOT NULL,
    what TEXT NOT NULL,
    for_doctor TEXT NOT NULL DEFAULT '',
    target TEXT NOT NULL DEFAULT '',
    documents TEXT NOT NULL DEFAULT '[]',
    files TEXT NOT NULL DEFAULT '{}',
    options TEXT NOT NULL DEFAULT '{}',
    password_protected INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX share_log_person ON share_log(person_id, shared_at);

-- A repeating appointment (every N days or weeks, K times in all); 0 times: it does not repeat.
ALTER TABLE appointments ADD COLUMN repeat_every INTEGER NOT NULL DEFAULT 0;
ALTER TABLE appointments ADD COLUMN repeat_unit TEXT NOT NULL DEFAULT 'days';
ALTER TABLE appointments ADD COLUMN repeat_times INTEGER NOT NULL DEFAULT 0;

-- What a records-request letter asks for beyond the request itself.
CREATE TABLE request_letters (
    request_id INTEGER PRIMARY KEY REFERENCES records_requests(id) ON DELETE CASCADE,
    records_from TEXT,
    records_to TEXT,
    delivery TEXT NOT NULL DEFAULT '',
    send_to TEXT NOT NULL DEFAULT '',
    patient_contact TEXT NOT NULL DEFAULT '',
    updated TEXT NOT NULL
);

-- issue 11: indexes for a binder of ten years
-- The documents table's order (newest first), read a page at a time, and its filters.
CREATE INDEX documents_listing ON documents(person_id, trashed_at, date, id);
CREATE INDEX documents_kind_date ON documents(person_id, trashed_at, kind, date);
-- The doctors and facilities the documents filter offers, read from the index alone.
CREATE INDEX documents_sources ON documents(person_id, trashed_at, author, facility);
"""


# Schema v4: one migration for this round of work. Each issue keeps its own section, so
# work done side by side merges without touching another's lines.
SCHEMA_V4 = """
-- issue 17: the clinical picture (section kept by that work)
-- Each report read once: what app.ingest.clinical found in a document's text, as JSON,
-- kept until the text (its hash, or the document's updated stamp), its kind or the
-- reader's version changes.
CREATE TABLE report_readings (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    document_updated TEXT NOT NULL,
    text_sha256 TEXT NOT NULL,
    reader_version TEXT NOT NULL,
    reading TEXT NOT NULL
);

-- A plain question of the checklist answered once: "Did you have surgery?" (surgery),
-- "Did you stay in hospital?" (hospital_stay).
CREATE TABLE checklist_answers (
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    question TEXT NOT NULL,
    answer TEXT NOT NULL CHECK (answer IN ('yes', 'no')),
    created TEXT NOT NULL,
    PRIMARY KEY (person_id, question)
);

-- The treatment summary became the clinical picture: the stage is its parts (stage group,
-- clinical and pathological TNM), each biomarker its own field. What the user said about
-- the old combined fields is kept under the new keys.
UPDATE treatment_summary_fields SET field = 'stage.group' WHERE field = 'stage.stage';
UPDATE treatment_summary_fields SET field = 'stage.note'
    WHERE field = 'stage.how' AND state = 'corrected';
DELETE FROM treatment_summary_fields WHERE field = 'stage.how';
UPDATE treatment_summary_fields SET field = 'biomarker.other'
    WHERE field = 'biomarkers.results' AND state = 'corrected';
DELETE FROM treatment_summary_fields WHERE field = 'biomarkers.results';
-- end of issue 17

-- issue 18: trust (section kept by that work)
-- Stored files in flux (docs/design.md, "Crash leftovers"). An import names its file here,
-- committed, before the file is written; the document row that names the file clears it in
-- the same transaction. A purge names the file in the transaction that deletes its last
-- row, and clears it once the file is gone. At open, a stored file no row names is removed
-- only when it is named here; any other goes to the quarantine.
CREATE TABLE unsettled_files (
    name TEXT PRIMARY KEY,
    since TEXT NOT NULL
);
-- Exports being written in a folder the user chose: the temp name they are written under
-- (plaintext by the user's choice), so a crash's leftover is removed at the next open.
CREATE TABLE pending_exports (
    id INTEGER PRIMARY KEY,
    partial TEXT NOT NULL UNIQUE,
    started TEXT NOT NULL
);
-- end of issue 18

-- issue 19: imaging discs, slides and blocks (section kept by that work)
-- An imaging study (a CT, an MRI, a PET-CT...) imported from a disc: what its list shows,
-- the patient as the disc names them, and the imaging report it goes with.
CREATE TABLE imaging_studies (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    study_uid TEXT NOT NULL,
    date TEXT,                                   -- YYYY-MM-DD, from the disc
    modalities TEXT NOT NULL DEFAULT '',         -- DICOM codes, e.g. 'CT' or 'CT,PT'
    body_part TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    institution TEXT NOT NULL DEFAULT '',
    accession_number TEXT NOT NULL DEFAULT '',
    patient_name TEXT NOT NULL DEFAULT '',       -- as written on the disc
    patient_birth_date TEXT NOT NULL DEFAULT '',
    patient_id TEXT NOT NULL DEFAULT '',
    study_time TEXT NOT NULL DEFAULT '',         -- kept for the DICOMDIR a bundle writes
    study_id TEXT NOT NULL DEFAULT '',
    report_document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,
    include_in_bundle INTEGER NOT NULL DEFAULT 1,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE UNIQUE INDEX imaging_studies_uid ON imaging_studies(person_id, study_uid);

-- A series of a study, with one picture drawn from its header's window, for recognising
-- it (never for diagnosis); picture_note says why there is none.
CREATE TABLE imaging_series (
    id INTEGER PRIMARY KEY,
    study_id INTEGER NOT NULL REFERENCES imaging_studies(id) ON DELETE CASCADE,
    series_uid TEXT NOT NULL,
    number INTEGER,
    modality TEXT NOT NULL DEFAULT '',
    body_part TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    picture BLOB,
    picture_note TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX imaging_series_uid ON imaging_series(study_id, series_uid);

-- Each image file of a series, kept encrypted in files/ byte for byte like any original;
-- its SOP Instance UID says whether the binder has it already.
CREATE TABLE imaging_instances (
    id INTEGER PRIMARY KEY,
    series_id INTEGER NOT NULL REFERENCES imaging_series(id) ON DELETE CASCADE,
    sop_instance_uid TEXT NOT NULL,
    sop_class_uid TEXT NOT NULL,
    transfer_syntax_uid TEXT NOT NULL,
    number INTEGER,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    file_name TEXT NOT NULL,
    record TEXT NOT NULL DEFAULT ''              -- its DICOMDIR record (DICOM JSON)
);
CREATE UNIQUE INDEX imaging_instances_uid ON imaging_instances(series_id, sop_instance_uid);
CREATE INDEX imaging_instances_sop ON imaging_instances(sop_instance_uid);
CREATE INDEX imaging_instances_file ON imaging_instances(file_name);

-- Physical items a records request asks for (pathology slides and blocks, a disc): the
-- case number, where they must go, the courier's tracking number, when the lab sent them,
-- and whether they must come back and when they did.
ALTER TABLE records_requests ADD COLUMN items TEXT NOT NULL DEFAULT '';  -- 'slides,blocks,disc'
ALTER TABLE records_requests ADD COLUMN case_number TEXT NOT NULL DEFAULT '';
ALTER TABLE records_requests ADD COLUMN ship_to TEXT NOT NULL DEFAULT '';
ALTER TABLE records_requests ADD COLUMN tracking TEXT NOT NULL DEFAULT '';
ALTER TABLE records_requests ADD COLUMN sent_on TEXT;
ALTER TABLE records_requests ADD COLUMN return_needed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE records_requests ADD COLUMN returned_on TEXT;
-- end of issue 19

-- issue 20: scans (section kept by that work)
-- Where each word read by OCR is on its page, for the records packet's invisible text
-- layer (app.ingest.ocr_words.pack: zlib-compressed JSON). One row per page where OCR found
-- words; width and height are the pixels of the page as it was drawn for reading.
CREATE TABLE document_page_words (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page INTEGER NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    words BLOB NOT NULL,
    PRIMARY KEY (document_id, page)
);
-- end of issue 20

-- issue 21: the first hour (section kept by that work)
-- A step of the second-opinion guide the person ticked (app/records/guide.py): the steps
-- that leave no trace in the records, such as "asked how long it is safe to wait".
CREATE TABLE guide_marks (
    person_id INTEGER NOT NULL REFERENCES people(id),
    step TEXT NOT NULL,
    created TEXT NOT NULL,
    PRIMARY KEY (person_id, step)
);
-- end of issue 21
"""


def _split_sql(script: str) -> list[str]:
    """Statements of a script with no semicolons inside strings or triggers."""
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    return [part.strip() for part in "\n".join(lines).split(";") if part.strip()]


def _script(script: str) -> Callable[[Database], None]:
    """A migration that runs the statements of `script` in order."""

    def step(db: Database) -> None:
        for statement in _split_sql(script):
            db.execute(statement)

    return step


# Index i holds the step from version i to version i + 1.
MIGRATIONS: list[Callable[[Database], None]] = [
    _v1,
    _script(SCHEMA_V2),
    _script(SCHEMA_V3),
    _script(SCHEMA_V4),
]
LATEST = len(MIGRATIONS)


def schema_version(db: Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: Database) -> int:
    """Bring the schema to `LATEST`; returns the version the binder was at."""
    start = schema_version(db)
    if start > LATEST:
        raise NewerBinder(
            "This binder was saved by a newer version of CareBinder. "
            "Install the newer version to open it; nothing was changed."
        )
    for version in range(start, LATEST):
        with db.atomic():
            MIGRATIONS[version](db)
            db.execute(f"PRAGMA user_version = {version + 1}")
    return start
