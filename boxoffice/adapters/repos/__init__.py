"""Repositories: every query of the application, one module per aggregate; services orchestrate and hold no SQL.

- ``sessions``: venues, their zones and seats, sessions and their per-session seat rows (``session_seats``)
- ``orders``: orders, order lines, payments, and the sale statement (driver-level, one round trip per sale)
- ``accounts``: users, CLI sign-ins (``cli_sessions``) and the installation's secrets (``app_secrets``)
- ``audit``: writing and reading the audit log
- ``holds``: seats held in the database while Redis is unreachable (``seat_holds``, degraded mode)
- ``outbox``: writing and claiming outbox messages, the consumers' inbox
- ``ledger``: the stock ledger per session and zone
- ``reports``: read-only queries behind the supervisor's reports

Functions take the SQLAlchemy ``Session`` of the caller's unit of work (the sale statement: the psycopg
connection) and never commit. Style: SQLAlchemy ORM / Core over :mod:`boxoffice.adapters.models`; driver-level
psycopg SQL only where speed is measured (the sale). Advisory locks go through :mod:`boxoffice.adapters.locks`.

Services reach them through their unit of work, bound to its session: ``tx.orders.lock_order(order_id)`` (see
:class:`boxoffice.adapters.uow.UnitOfWork`); ``tests/fakes/repos.py`` holds in-memory fakes of the same functions,
which ``tests/contract/test_repos_contract.py`` checks against PostgreSQL.
"""
