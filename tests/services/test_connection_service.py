"""Server addresses from the dialog's fields and back, the recent list (never a password)."""

from __future__ import annotations

import pytest

from desktop_app.domain.model import LedgerError
from desktop_app.services.connection_service import ServerAddress, remember, same_database


def test_an_address_from_the_fields_and_back() -> None:
    address = ServerAddress("10.1.2.3", "zwgk_ledger", "zhang san", 5433)
    assert address.url() == "postgresql://zhang%20san@10.1.2.3:5433/zwgk_ledger"
    assert ServerAddress.parse(address.url()) == address
    assert ServerAddress.parse("postgresql://li@db.local/ledger") == ServerAddress("db.local", "ledger", "li")
    assert ServerAddress("fe80::1", "x").url() == "postgresql://[fe80::1]:5432/x"
    assert ServerAddress.parse("/home/a/ledger.sqlite3") is None
    with pytest.raises(LedgerError, match="数据库名"):
        ServerAddress("10.1.2.3", " ").url()


def test_the_recent_list_keeps_addresses_first_once_and_no_password(tmp_path) -> None:
    a, b = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    recent = remember([], a)
    recent = remember(recent, "postgresql://li:secret@10.0.0.5/ledger")
    assert recent == ["postgresql://li@10.0.0.5:5432/ledger", str(a.resolve())]
    recent = remember(recent, tmp_path / "." / "a.sqlite3")  # the same file by another name
    assert recent == [str(a.resolve()), "postgresql://li@10.0.0.5:5432/ledger"]
    assert all("secret" not in r for r in recent)
    assert len(remember(recent, b, limit=2)) == 2
    assert same_database("postgresql://li@DB.local:5432/ledger", "postgresql://li@db.local/ledger")
    assert not same_database(a, b)
