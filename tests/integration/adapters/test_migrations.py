"""The Alembic migrations create exactly the schema the models describe (nothing is made by create_all)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from boxoffice.adapters.db import schema_revisions
from boxoffice.adapters.models import Base


def test_migrations_match_the_models(app):
    with app.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []
    current, head = schema_revisions(app.engine)
    assert current == head is not None
