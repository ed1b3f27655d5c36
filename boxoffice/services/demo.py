"""Demo data: both shipped layouts, a week of sessions and demo users. Safe to run any number of times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from importlib import resources
from pathlib import Path

from ..domain.layout import load_layout
from .accounts import Accounts
from .catalog import Catalog
from .inventory import Inventory
from .pricing import Pricing

DEMO_USERS = (("alice", "Alice Martin", "clerk"), ("bob", "Bob Chen", "clerk"), ("sam", "Sam Okafor", "supervisor"))
#: the demo accounts' password (shown on the login screen in demo mode only)
DEMO_PASSWORD = "boxoffice"
#: the demo venues' price list (docs/price-types.md): offsets from each zone's adult price (the layout's)
DEMO_PRICE_LIST = {"types": [
    {"code": "adult", "name": "Adult", "prices": {"*": "+0.00"}},
    {"code": "child", "name": "Child", "notice": "check proof of age", "prices": {"*": "-40%"}},
    {"code": "senior", "name": "Senior", "notice": "check ID (65+)", "prices": {"*": "-25%"}},
    {"code": "student", "name": "Student", "notice": "check student card", "prices": {"*": "-20%"}},
    {"code": "member", "name": "Member", "prices": {"*": "-10%"}},
    {"code": "comp", "name": "Complimentary", "needs_supervisor": True, "notice": "complimentary — not for resale",
     "prices": {"*": "0"}},
]}
OPPONENTS = ("Rovers", "United", "Athletic", "Wanderers", "Albion", "Rangers", "Town")


def layouts_dir() -> Path:
    """``resources/layouts`` next to the package (source checkout) or installed alongside it."""
    here = Path(str(resources.files("boxoffice"))).parent / "resources" / "layouts"
    return here


@dataclass(frozen=True)
class DemoResult:
    venues: int
    sessions_created: int
    sessions_total: int
    users_created: int


def load_demo(catalog: Catalog, inventory: Inventory, accounts: Accounts, today: date | None = None) -> DemoResult:
    tz = datetime.now().astimezone().tzinfo
    today = today or datetime.now(tz).date()
    stadium, _ = catalog.import_venue(load_layout(layouts_dir() / "stadium.json"))
    courts, _ = catalog.import_venue(load_layout(layouts_dir() / "courts.json"))
    pricing = Pricing(catalog.uow, catalog, accounts)
    for venue in (stadium, courts):
        if not pricing.has_types(venue.venue_id):  # a list a supervisor imported since stays
            pricing.import_list(DEMO_PRICE_LIST, None, venue_id=venue.venue_id)
    plan: list[tuple[int, str, datetime]] = []
    for day in range(7):
        d = today + timedelta(days=day)
        plan.append((stadium.venue_id, f"City FC vs {OPPONENTS[d.toordinal() % len(OPPONENTS)]}",
                     datetime.combine(d, time(19, 30), tz)))
        for hour in range(8, 22):
            plan.append((courts.venue_id, f"Badminton {hour:02d}:00", datetime.combine(d, time(hour), tz)))
    created = 0
    for venue_id, name, starts in plan:
        info, new = catalog.create_session(venue_id, name, starts)
        if new:
            inventory.rebuild(info.session_id)
            created += 1
    # the demo accounts (a supervisor among them, with a published password) only where the demo's own are the
    # only supervisors: `boxoffice demo` needs no sign-in, so it must not hand out a supervisor on a real installation
    users = 0
    if not accounts.has_supervisor(excluding=tuple(u for u, _, _ in DEMO_USERS)):
        users = sum(accounts.ensure(u, n, r, DEMO_PASSWORD)[1] for u, n, r in DEMO_USERS)
    return DemoResult(venues=2, sessions_created=created, sessions_total=len(plan), users_created=users)
