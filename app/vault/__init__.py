"""Where data lives: the encrypted database, the encrypted file store, the keys.

Nothing here imports Qt; docs/design.md describes the on-disk layout. sqlite-utils is only
ever imported through app.vault.sqlcipher, which makes it run on SQLCipher.
"""
