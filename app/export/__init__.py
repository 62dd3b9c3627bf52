"""What leaves the binder, with no Qt: the bundle for the second-opinion doctor (bundle.py,
checked by verify.py), the printable sheets (sheets.py), the records packet (packet.py, with
packet_contents.py and picture_pages.py), the treatment summary and timeline, records-request
letters, redaction, the FHIR patient summary (fhir.py) and calendars (calendar.py)."""
