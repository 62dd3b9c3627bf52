"""A file in, facts out: its real type, text, page count, kind, date, title.

Pure: no database, no Qt. `app.records` stores what this finds.
"""
