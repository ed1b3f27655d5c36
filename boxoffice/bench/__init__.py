"""The benchmarks behind ``boxoffice bench``, one module each: :mod:`.rush` (a ticket rush, real path vs a DB-only
path), :mod:`.pgalone` (the sale statement alone in PostgreSQL vs the real path) and :mod:`.outbox` (outbox drain
throughput and commit → applied latency); :mod:`.common` holds what they share. The synthetic venue they sell is
:func:`boxoffice.domain.synthetic.bench_layout_doc`.
"""

from .outbox import outbox
from .pgalone import pg_alone, pgbench_sale_script
from .rush import rush

__all__ = ["outbox", "pg_alone", "pgbench_sale_script", "rush"]
