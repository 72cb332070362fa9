"""Only what a retry can help is retried: file-system errors and a locked store, never bad data."""

from __future__ import annotations

import pytest
import sqlalchemy.exc
from prefect.states import Failed

from flows.pipeline import retry_on_file_system_error


@pytest.mark.parametrize(
    ("error", "retried"),
    [
        (OSError(5, "Input/output error"), True),
        (PermissionError(13, "Permission denied"), True),
        (sqlalchemy.exc.OperationalError("insert", {}, Exception("database is locked")), True),
        (sqlalchemy.exc.IntegrityError("insert", {}, Exception("UNIQUE constraint failed")), False),
        (ValueError("not a number"), False),
    ],
)
def test_file_system_errors_and_a_locked_store_are_retried(error, retried):
    assert retry_on_file_system_error(None, None, Failed(data=error)) is retried
