"""The Redis seat inventory (DESIGN §3), one job per module:

- :mod:`.keys` — the key layout (the Redis key contract);
- :mod:`.records` — the values the store reads and writes;
- :mod:`.scripts` — the Lua scripts, the runner that sends them, and the one mapping of their refusals to errors;
- :mod:`.store` — :class:`SeatStore`, what the services call.
"""

from ...domain.values import Hold
from .keys import SessionKeys
from .records import Inspection, IssuedToken, RepairReply, SeatChange, SeatFix, Snapshot
from .store import KEEP_MS, SeatStore

#: the old name, for ``services/reconcile.py`` until its move (issue 12) lands; delete it then
HoldRecord = Hold

__all__ = [
    "KEEP_MS",
    "Hold",
    "HoldRecord",
    "Inspection",
    "IssuedToken",
    "RepairReply",
    "SeatChange",
    "SeatFix",
    "SeatStore",
    "SessionKeys",
    "Snapshot",
]
