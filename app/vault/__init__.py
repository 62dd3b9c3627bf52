"""Where data lives: the encrypted database, the encrypted file store, the keys.

Nothing here imports Qt; docs/design.md describes the on-disk layout. Importing this
package first makes sqlite-utils run on SQLCipher (see sqlcipher.py), whatever module
imports sqlite_utils afterwards.
"""

from app.vault import sqlcipher as _sqlcipher  # noqa: F401  (installs the alias first)
