"""The desktop window: a thin, friendly face on app.records and app.vault (the only Qt)."""
