"""What leaves the binder, with no Qt: the bundle for the second-opinion doctor (bundle.py,
checked by verify.py), the printable sheets (sheets.py), the records packet (packet.py,
written by pdfstream.py), the FHIR patient summary (fhir.py) and calendars (calendar.py)."""
