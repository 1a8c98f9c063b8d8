"""Run the project's migrations to a given state inside a test, and back to the latest after."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(targets):
    """Migrate the test database to `targets` ([(app, migration), ...]); returns the historical apps."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest():
    migrate_to(MigrationExecutor(connection).loader.graph.leaf_nodes())
