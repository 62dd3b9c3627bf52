"""Shared plumbing for the small coded lists (conditions, allergies, procedures, results):
one row type and one table each, added, read, listed and deleted the same way."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import Field, dataclass, fields
from typing import Any, ClassVar, Generic, TypeVar

from app.records.coded import Code, codes_from_text, codes_to_text
from app.records.dates import now_iso, optional_date
from app.records.errors import InvalidValue, NotFound
from app.vault.binder import Binder


class CodedRow:
    """Base of the row dataclasses: their fields are the table's columns, in order, and
    one of them is `codes` (kept as JSON text in the table)."""

    # Declared so that type checkers take every subclass for a dataclass.
    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]

    def to_json(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["codes"] = [c.to_json() for c in data["codes"]]
        return data


RowT = TypeVar("RowT", bound=CodedRow)

# Columns an update never touches: who the row is about, where it came from, its codes.
_FIXED = frozenset({"id", "person_id", "name", "codes", "source_document_id"})


def clean_date(value: str | None, what: str) -> str | None:
    try:
        return optional_date(value)
    except ValueError as exc:
        raise InvalidValue(f"{what}: {exc}") from None


@dataclass(frozen=True)
class Table(Generic[RowT]):
    """One coded list: its SQL table, its row type, the word for one row in messages
    ("condition") and the ORDER BY of a person's list."""

    table: str
    row_type: type[RowT]
    noun: str
    order: str

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(f.name for f in fields(self.row_type))

    def _row(self, row: tuple[Any, ...]) -> RowT:
        values = dict(zip(self.columns, row, strict=True))
        values["codes"] = codes_from_text(values["codes"])
        return self.row_type(**values)

    def _select(self, where: str, order: str) -> str:
        return f"SELECT {', '.join(self.columns)} FROM {self.table} WHERE {where} ORDER BY {order}"

    def add(
        self,
        binder: Binder,
        person_id: int,
        name: str,
        codes: Iterable[Code],
        source_document_id: int | None,
        values: dict[str, Any],
    ) -> RowT:
        """A new row; `values` are the list's own columns (text is stripped)."""
        clean_name = " ".join(name.split())
        if not clean_name:
            raise InvalidValue("A name is needed.")
        now = now_iso()
        row = {
            "person_id": person_id,
            "name": clean_name,
            "codes": codes_to_text(codes),
            "source_document_id": source_document_id,
            **{k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()},
            "created": now,
            "updated": now,
        }
        with binder.transaction() as db:
            cursor = db.execute(
                f"INSERT INTO {self.table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                list(row.values()),
            )
            row_id = int(cursor.lastrowid or 0)
        return self.get(binder, row_id)

    def get(self, binder: Binder, row_id: int) -> RowT:
        sql = self._select("id = ?", "id")
        row = binder.db.execute(sql, [row_id]).fetchone()
        if row is None:
            raise NotFound(f"There is no {self.noun} with id {row_id}.")
        return self._row(tuple(row))

    def of_person(self, binder: Binder, person_id: int) -> list[RowT]:
        sql = self._select("person_id = ?", self.order)
        return [self._row(tuple(r)) for r in binder.db.execute(sql, [person_id]).fetchall()]

    def update(self, binder: Binder, row_id: int, name: str, values: dict[str, Any]) -> RowT:
        """Change a row's name and the list's own columns (text is stripped). Its codes and
        the document it came from stay: a portal item corrected by hand keeps its codes."""
        self.get(binder, row_id)
        clean_name = " ".join(name.split())
        if not clean_name:
            raise InvalidValue("A name is needed.")
        unknown = (set(values) - set(self.columns)) | (set(values) & _FIXED)
        if unknown:
            raise InvalidValue(f"These cannot be changed: {', '.join(sorted(unknown))}.")
        row = {
            "name": clean_name,
            **{k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()},
            "updated": now_iso(),
        }
        assignments = ", ".join(f"{column} = ?" for column in row)
        with binder.transaction() as db:
            db.execute(
                f"UPDATE {self.table} SET {assignments} WHERE id = ?", [*row.values(), row_id]
            )
        return self.get(binder, row_id)

    def delete(self, binder: Binder, row_id: int) -> None:
        self.get(binder, row_id)
        with binder.transaction() as db:
            db.execute(f"DELETE FROM {self.table} WHERE id = ?", [row_id])
