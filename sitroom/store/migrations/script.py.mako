"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
${imports if imports else ""}
revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}
# The value of meta.schema_version once this revision is applied: the previous revision's plus
# one, and schema.SCHEMA_VERSION must say the same (a test checks).
schema_version = "?"


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}
    meta = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.Text))
    op.execute(meta.update().where(meta.c.key == "schema_version").values(value=schema_version))


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
    meta = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.Text))
    op.execute(meta.update().where(meta.c.key == "schema_version").values(value=str(int(schema_version) - 1)))
