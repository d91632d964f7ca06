"""web.db: the web server's access log for the last 180 days, IPv4 and IPv6.

Three requests in ten come from logged-in customers and carry their customer number; most of a
customer's requests come from one home address. Addresses are drawn from blocks no subscriber
holds: IPv4 from the shared address space 100.64.0.0/10 (RFC 6598) and IPv6 from the
documentation prefix 2001:db8::/32 (RFC 3849)."""

from __future__ import annotations

import random
from collections.abc import Iterator

from varna.demo.clock import TODAY, iso_time
from varna.demo.people import derive_seed, mix
from varna.demo.tables import Batch, Row, SystemSpec, TableSpec, batched
from varna.demo.world import Sizes, World

ACCESS_LOG = TableSpec(
    "access_log",
    (
        ("id", "INTEGER PRIMARY KEY"),
        ("ts", "TEXT NOT NULL"),
        ("ip_address", "TEXT NOT NULL"),
        ("method", "TEXT NOT NULL"),
        ("path", "TEXT NOT NULL"),
        ("status", "INTEGER NOT NULL"),
        ("user_agent", "TEXT"),
        ("customer_no", "TEXT"),
    ),
    indexes=("ts", "ip_address", "customer_no"),
)
DAYS = 180
PUBLIC = (
    "/",
    "/",
    "/tjanster/trygghetslarm",
    "/tjanster/digital-tillsyn",
    "/tjanster/medicinpaminnare",
    "/priser",
    "/om-oss",
    "/kontakt",
    "/jobb",
    "/nyhetsbrev",
    "/integritet",
    "/logga-in",
    "/kommuner",
    "/support/vanliga-fragor",
)
MEMBER = (
    "/mina-sidor",
    "/mina-sidor/fakturor",
    "/mina-sidor/larm",
    "/mina-sidor/brukare",
    "/mina-sidor/installningar",
    "/api/larm/status",
    "/api/paminnelser",
)
USER_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 Version/18.0 Safari",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Mobile",
    "Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 Mobile",
    "Mozilla/5.0 (Linux; Android 14; SM-A546B) AppleWebKit/537.36 Chrome/130.0 Mobile",
    "NorrskenOmsorg/4.2 (Android 13; surfplatta)",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
)
STATUSES = (200,) * 30 + (304, 304, 302, 404)


def _ipv4(x: int) -> str:
    x %= 1 << 22
    return f"100.{64 + (x >> 16)}.{(x >> 8) & 255}.{x & 255}"


def _ipv6(x: int) -> str:
    return f"2001:db8:{x & 0xFFFF:x}:{(x >> 16) & 0xFFFF:x}::{(x >> 32) & 0xFFFF:x}"


def _log(world: World, rng: random.Random) -> Iterator[Row]:
    count, home = world.sizes.subjects * 3 // 2, derive_seed(world.seed, "web", "home")
    rand = rng.random
    first, seconds = TODAY - DAYS + 1, DAYS * 86_400
    step = max(seconds // count, 1)
    for n in range(count):
        day, second = divmod(first * 86_400 + n * seconds // count + int(rand() * step), 86_400)
        customer_no = None
        if n == 0 or rand() < 0.3:
            c = 0 if n == 0 else int(rand() * world.customers_by(day))
            customer_no = world.customer_no(c)
            path = MEMBER[int(rand() * len(MEMBER))]
            ip = _ipv4(mix(c, home)) if rand() < 0.8 else _ipv4(rng.getrandbits(22))
        else:
            path = PUBLIC[int(rand() * len(PUBLIC))]
            ip = _ipv6(rng.getrandbits(48)) if rand() < 0.2 else _ipv4(rng.getrandbits(22))
        method = "POST" if path == "/logga-in" and rand() < 0.5 else "GET"
        status = 302 if method == "POST" else STATUSES[int(rand() * len(STATUSES))]
        agents = len(USER_AGENTS) - (customer_no is not None)  # the crawler never logs in
        agent = USER_AGENTS[int(rand() * agents)]
        yield (n + 1, iso_time(day, second), ip, method, path, status, agent, customer_no)


def generate(world: World, rng: random.Random) -> Iterator[Batch]:
    yield from batched("access_log", _log(world, rng))


def planned(sizes: Sizes) -> dict[str, int]:
    return {"access_log": sizes.subjects * 3 // 2}


SYSTEM = SystemSpec("web", (ACCESS_LOG,), generate, planned)
