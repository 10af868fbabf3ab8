"""A synthetic knowledge base for benchmarks (``manage.py generate_synthetic``): deterministic,
published, honestly anchored, and loaded in minutes at a million quotes.

The shape follows issue 11's distribution for 100,000 quotes, scaled by the number of quotes:
200 officials (about half Chinese, with native-script names) whose quote counts follow Zipf's
law (s = 1: the most-quoted has about 17%), 50 issues, 300 rounds over 2018–2026 with their
participants and agenda, 40 outlets, one source per quote (a headline and the passages cited
from it, a few hundred characters), one claim per ten quotes. Texts come from a vocabulary of
trade-negotiation words: "tariffs" stands in about a fifth of the quotes, some words are rare,
some phrases common, and both "U.S." and "US" occur. Names, outlets and events are invented
(outlets' sites are under .example); every slug starts with ``syn-``.

The rules of the knowledge base hold by construction, since bulk writes send no signals:

- every citation's ``exact`` is ``body[start:end]`` of its source, with the real neighbouring
  text as prefix and suffix (``anchoring.make_anchor``), anchored;
- a direct or partial quote's passage prints its words inside quotation marks (verbatim, or
  variant where its statement has another wording cited by another source), except for a few
  printed only in the narration (unverified); a paraphrase's passage holds its words as the
  reporter's (reported); each verdict is computed with the rule of ``services.verdicts``;
- every source is its own origin; a claim's status and independent origins are counted from
  its citations' stances with the rule of ``services.statuses``.

``tests/management/test_generate_synthetic.py`` proves it with ``check_integrity --strict``.

Rows are written without Django's models: executemany on SQLite and COPY on PostgreSQL, all in
the caller's transaction, in chunks of ``CHUNK`` quotes (with their sources, claims and
citations, which cite only sources of their own chunk), so memory stays flat. The written
tables' secondary indexes (whatever the migrations made, the search index's GIN included) are
dropped for the load and built once at its end, from sorted rows; the search triggers stay on.
Columns the database generates (``GeneratedField``) are never written. Django's
``bulk_create`` (``writer="bulk_create"``) is kept for comparison; it is slower, and stamps
``created_at`` with the time of loading instead of a time derived from the record's date.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection
from django.utils.text import slugify

from . import anchoring
from .models import (
    AgendaItem,
    AgendaStatus,
    Citation,
    Claim,
    ClaimMeasure,
    ClaimUnit,
    DatePrecision,
    Official,
    Outlet,
    Participant,
    ParticipantRole,
    Position,
    PublicationState,
    Quote,
    QuoteKind,
    Reliability,
    Round,
    RoundKind,
    Side,
    Source,
    SourceKind,
    Stance,
    Statement,
    StickingPoint,
    Verification,
)
from .services import statuses, verdicts
from .services.backup import knowledge_base_models  # records, links, history; no bookkeeping

DEFAULT_SEED = 20250729
CHUNK = 10_000  # quotes (and sources) generated and written together
OFFICIALS, ISSUES, ROUNDS, OUTLETS = 200, 50, 300, 40
CLAIMS_PER_QUOTE = 0.1
ZIPF_S = 1.0  # officials' quote counts
FIRST_DAY, LAST_DAY = datetime.date(2018, 1, 8), datetime.date(2026, 10, 30)
CREATED = datetime.datetime(2026, 11, 1, 9, 0, tzinfo=datetime.UTC)  # fixed records' creation
PUBLISHED = PublicationState.PUBLISHED

# What the benchmarks search for: a common word, a rare one, a common two-word phrase.
COMMON_WORD = "tariffs"
COMMON_WORD_SHARE = 0.2
RARE_WORDS = [
    "sisyphean",
    "quixotic",
    "byzantine",
    "pyrrhic",
    "labyrinthine",
    "mercurial",
    "obdurate",
    "recalcitrant",
    "inchoate",
    "perfunctory",
    "desultory",
    "sclerotic",
    "kafkaesque",
    "vertiginous",
    "tendentious",
    "quotidian",
]
RARE_WORD_SHARE = 0.004  # of quotes, over all the rare words together
PHRASE = "export controls"

# Vocabulary ----------------------------------------------------------------------------------

# (name, category, topic phrases used in texts). The phrases avoid the word "tariffs", whose
# share is set on its own.
ISSUE_TOPICS = [
    ("Tariff truce", "trade", ["the tariff truce", "the 90-day pause"]),
    ("Rare earths", "trade", ["rare earth exports", "rare earth magnets"]),
    ("AI chips", "technology", ["AI chip sales", "advanced AI chips"]),
    ("Chip design software", "technology", ["chip design software", "EDA software licences"]),
    ("TikTok", "technology", ["the TikTok sale", "TikTok's US operations"]),
    ("Trade deficit", "trade", ["the trade deficit", "the bilateral trade gap"]),
    ("Russia and Iran oil purchases", "security", ["Russian oil purchases", "Iranian oil"]),
    ("Student visas", "people", ["student visas", "visas for Chinese students"]),
    ("Fentanyl precursors", "security", ["fentanyl precursors", "fentanyl controls"]),
    ("Soybean purchases", "trade", ["soybean purchases", "farm purchases"]),
    ("Export controls", "technology", ["export controls", "export control rules"]),
    ("Entity List", "technology", ["the Entity List", "blacklisted companies"]),
    ("Currency practices", "trade", ["the yuan's value", "currency practices"]),
    ("Industrial subsidies", "trade", ["industrial subsidies", "state subsidies"]),
    ("Intellectual property", "legal", ["intellectual property", "patent protection"]),
    ("Forced technology transfer", "technology", ["technology transfer", "joint venture rules"]),
    ("Financial services access", "trade", ["market access for banks", "financial services"]),
    ("Agricultural market access", "trade", ["agricultural market access", "beef and poultry"]),
    ("Steel overcapacity", "trade", ["steel overcapacity", "steel exports"]),
    ("Solar panels", "trade", ["solar panel exports", "solar supply chains"]),
    ("Electric vehicles", "trade", ["electric vehicle exports", "EV subsidies"]),
    ("Lithium batteries", "trade", ["lithium batteries", "battery supply chains"]),
    ("Critical minerals processing", "trade", ["critical minerals", "mineral processing"]),
    ("Semiconductor equipment", "technology", ["chipmaking equipment", "lithography tools"]),
    ("Cloud computing access", "technology", ["cloud computing access", "data centres"]),
    ("Data security rules", "technology", ["data security rules", "cross-border data flows"]),
    ("Outbound investment screening", "trade", ["outbound investment", "investment screening"]),
    ("Port fees on ships", "trade", ["port fees", "shipping fees"]),
    ("Shipbuilding", "trade", ["shipbuilding", "shipyard subsidies"]),
    ("Taiwan arms sales", "security", ["arms sales to Taiwan", "the Taiwan question"]),
    ("South China Sea", "security", ["the South China Sea", "maritime disputes"]),
    ("Human rights sanctions", "legal", ["human rights sanctions", "sanctioned officials"]),
    ("Xinjiang cotton", "legal", ["Xinjiang cotton", "forced labour rules"]),
    ("Journalist visas", "people", ["journalist visas", "press accreditation"]),
    ("Exit bans", "people", ["exit bans", "travel restrictions"]),
    ("Detained citizens", "people", ["detained citizens", "consular access"]),
    ("Trade court rulings", "legal", ["the trade court ruling", "the court challenge"]),
    ("Section 301 investigations", "legal", ["the Section 301 review", "Section 301 duties"]),
    ("WTO reform", "legal", ["WTO reform", "dispute settlement"]),
    ("Aircraft purchases", "trade", ["aircraft orders", "Boeing deliveries"]),
    ("Energy purchases", "trade", ["LNG purchases", "energy purchases"]),
    ("Pharmaceutical ingredients", "trade", ["pharmaceutical ingredients", "drug supply"]),
    ("Medical supplies", "trade", ["medical supplies", "protective equipment"]),
    ("Audit inspections", "legal", ["audit inspections", "audit papers"]),
    ("Delisting threats", "legal", ["delisting threats", "listed companies"]),
    ("Antitrust probes", "legal", ["antitrust probes", "merger reviews"]),
    ("Cybersecurity", "security", ["cyber intrusions", "hacking allegations"]),
    ("Drones", "technology", ["drone exports", "drone makers"]),
    ("Biotech cooperation", "technology", ["biotech cooperation", "genetic data"]),
    ("Financial sanctions", "security", ["financial sanctions", "bank sanctions"]),
]
assert len(ISSUE_TOPICS) == ISSUES

CN_SURNAMES = [
    ("李", "Li"), ("王", "Wang"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"), ("杨", "Yang"),
    ("赵", "Zhao"), ("黄", "Huang"), ("周", "Zhou"), ("吴", "Wu"), ("徐", "Xu"), ("孙", "Sun"),
    ("胡", "Hu"), ("朱", "Zhu"), ("高", "Gao"), ("林", "Lin"), ("何", "He"), ("郭", "Guo"),
    ("马", "Ma"), ("罗", "Luo"), ("梁", "Liang"), ("宋", "Song"), ("郑", "Zheng"), ("谢", "Xie"),
    ("韩", "Han"), ("唐", "Tang"), ("冯", "Feng"), ("董", "Dong"), ("程", "Cheng"), ("曹", "Cao"),
    ("袁", "Yuan"), ("邓", "Deng"), ("傅", "Fu"), ("沈", "Shen"), ("曾", "Zeng"), ("彭", "Peng"),
    ("苏", "Su"), ("卢", "Lu"), ("蒋", "Jiang"), ("蔡", "Cai"), ("贾", "Jia"), ("丁", "Ding"),
    ("魏", "Wei"), ("薛", "Xue"), ("叶", "Ye"), ("阎", "Yan"),
]  # fmt: skip
CN_GIVEN = [
    ("成", "cheng"), ("钢", "gang"), ("立", "li"), ("峰", "feng"), ("明", "ming"), ("华", "hua"),
    ("建", "jian"), ("国", "guo"), ("伟", "wei"), ("强", "qiang"), ("军", "jun"), ("平", "ping"),
    ("宁", "ning"), ("文", "wen"), ("海", "hai"), ("涛", "tao"), ("永", "yong"), ("志", "zhi"),
    ("红", "hong"), ("晓", "xiao"), ("东", "dong"), ("亮", "liang"), ("新", "xin"), ("春", "chun"),
    ("洁", "jie"), ("静", "jing"), ("敏", "min"), ("杰", "jie"), ("鹏", "peng"), ("毅", "yi"),
    ("德", "de"), ("宏", "hong"), ("振", "zhen"), ("斌", "bin"), ("雷", "lei"), ("云", "yun"),
    ("芳", "fang"), ("坤", "kun"), ("松", "song"), ("博", "bo"),
]  # fmt: skip
# Real officials' names are never generated.
REAL_NATIVE_NAMES = {
    "李成钢",
    "何立峰",
    "王毅",
    "王文涛",
    "习近平",
    "李强",
    "毛宁",
    "林剑",
    "郭嘉昆",
}
US_FIRST = [
    "Daniel", "Margaret", "Thomas", "Karen", "Robert", "Elena", "Michael", "Susan", "Andrew",
    "Laura", "Peter", "Rachel", "James", "Diane", "Gregory", "Helen", "Brian", "Nora", "Steven",
    "Alice", "Kevin", "Julia", "Mark", "Claire", "Paul", "Denise", "Richard", "Monica", "Eric",
    "Vanessa",
]  # fmt: skip
US_LAST = [
    "Whitcombe", "Harlow", "Pemberton", "Ashford", "Calloway", "Desmond", "Everly", "Fairbanks",
    "Gillespie", "Hargrove", "Ingram", "Jessup", "Kendrick", "Lockhart", "Merriweather", "Norcross",
    "Oakley", "Prescott", "Quinlan", "Radcliffe", "Sutherland", "Thorne", "Underwood", "Vance",
    "Wexler", "Yardley", "Aldridge", "Blackwood", "Carrington", "Dunmore", "Ellsworth", "Fenwick",
]  # fmt: skip
OTHER_OFFICIALS = [
    ("Ingrid Solvang", "WTO Deputy Director-General", "World Trade Organization"),
    ("Matthias Korber", "EU Trade Envoy", "European Commission"),
    ("Aiko Tanabe", "Senior Trade Adviser", "Ministry of Economy, Trade and Industry of Japan"),
    ("Rafael Monteiro", "Mediator", "Geneva Trade Forum"),
]
CN_POSITIONS = [
    ("Vice Minister of Commerce", "Ministry of Commerce"),
    ("Minister of Commerce", "Ministry of Commerce"),
    ("China International Trade Representative", "Ministry of Commerce"),
    ("Vice Premier", "State Council"),
    ("Foreign Ministry Spokesperson", "Ministry of Foreign Affairs"),
    ("Commerce Ministry Spokesperson", "Ministry of Commerce"),
    ("Director-General for American Affairs", "Ministry of Commerce"),
    ("Deputy Director", "National Development and Reform Commission"),
    ("Ambassador to the United States", "Ministry of Foreign Affairs"),
    ("Vice Minister of Finance", "Ministry of Finance"),
    ("Deputy Governor", "People's Bank of China"),
    ("Vice Minister of Agriculture", "Ministry of Agriculture and Rural Affairs"),
]
US_POSITIONS = [
    ("Treasury Secretary", "US Department of the Treasury"),
    ("Deputy Treasury Secretary", "US Department of the Treasury"),
    ("US Trade Representative", "Office of the US Trade Representative"),
    ("Deputy US Trade Representative", "Office of the US Trade Representative"),
    ("Commerce Secretary", "US Department of Commerce"),
    ("Under Secretary for Industry and Security", "US Department of Commerce"),
    ("Secretary of State", "US Department of State"),
    ("State Department Spokesperson", "US Department of State"),
    ("Director of the National Economic Council", "The White House"),
    ("Ambassador to China", "US Department of State"),
    ("Agriculture Secretary", "US Department of Agriculture"),
    ("Assistant US Trade Representative for China", "Office of the US Trade Representative"),
]
OUTLET_FIRST = ["Harbour", "Pacific", "Capital", "Eastern", "Meridian", "Continental", "Atlantic"]
OUTLET_SECOND = ["Wire", "Ledger", "Dispatch", "Courier", "Review", "Journal", "Herald"]
CITIES = [
    ("Geneva", "Switzerland"), ("Stockholm", "Sweden"), ("London", "United Kingdom"),
    ("Madrid", "Spain"), ("Kuala Lumpur", "Malaysia"), ("Beijing", "China"),
    ("Washington", "United States"), ("Shanghai", "China"), ("Singapore", "Singapore"),
    ("Busan", "South Korea"), ("Osaka", "Japan"), ("Paris", "France"), ("Hangzhou", "China"),
    ("New York", "United States"), ("Buenos Aires", "Argentina"), ("Bali", "Indonesia"),
]  # fmt: skip
COMMON_ADJECTIVES = [
    "constructive", "productive", "candid", "difficult", "premature", "unacceptable",
    "positive", "frank", "useful", "disappointing", "encouraging", "complicated",
]  # fmt: skip
SUBJECTS = [
    "We", "We", "We", "China", "The United States", "The U.S.", "The US", "Washington",
    "Beijing", "Our side", "Both sides", "Both sides", "The Chinese side", "Our negotiators",
]  # fmt: skip
MODALS = ["will", "will not", "cannot", "must", "should", "would", "could", "may", "must not"]
VERBS = [
    "accept", "discuss", "revisit", "extend", "lift", "review", "resolve", "negotiate on",
    "keep pressing on", "make progress on", "set aside", "compromise on", "insist on",
    "push back on", "raise", "settle", "walk away from",
]  # fmt: skip
TAILS = [
    "", "", "", " before the deadline", " at this round", " in the coming weeks", " this year",
    " until the leaders meet", " under any circumstances", " as long as the truce holds",
    " without a broader deal", " in good faith", " step by step", " at the next meeting",
]  # fmt: skip
FOLLOW_UPS = ["That would be {adj}.", "This is {adj}.", "The talks were {adj}."]
PARAPHRASE_SUBJECTS = [
    "Beijing", "Washington", "China", "the United States", "the U.S.", "the US",
    "the two sides", "the government", "the team", "the delegation",
]  # fmt: skip
PARAPHRASE_VERBS = [
    "was ready to discuss", "would not back down on", "had made progress on",
    "wanted more time on", "had raised concerns over", "expected a deal on",
    "would keep pressing on", "saw no quick fix for", "could accept limits on",
    "had agreed to revisit",
]  # fmt: skip
SETTINGS = [
    ("", ""),
    ("", ""),
    ("Press conference in {city}", " at a press conference in {city}"),
    ("Television interview", " in a television interview"),
    ("Remarks to reporters", " in remarks to reporters"),
    ("Statement after the talks", " in a statement after the talks"),
    ("Briefing in Beijing", " at a briefing in Beijing"),
    ("Speech in {city}", " in a speech in {city}"),
    ("Testimony to Congress", " in testimony to Congress"),
    ("Radio interview", " in a radio interview"),
]
ATTRIBUTIONS = [
    "officials said",
    "according to a readout of the talks",
    "people familiar with the talks said",
    "a government statement said",
    "the ministry said",
]
DENIERS = [
    "The commerce ministry",
    "A Treasury spokesperson",
    "Officials on both sides",
    "The foreign ministry",
    "A White House official",
]
HEADLINE_STATES = ["stall", "make progress", "resume", "drag on", "hit a snag", "show promise"]
CLOSINGS = [
    "Neither side gave a date for the next round.",
    "Markets were little changed.",
    "Officials did not respond to requests for comment.",
    "Talks are expected to resume next month.",
]
GOODS = [
    "goods", "steel", "electric vehicles", "soybeans", "semiconductors", "solar panels",
    "aircraft parts", "pork", "medical supplies", "rare earth magnets",
]  # fmt: skip
CLAIM_ACTIONS = [
    "ease restrictions on", "resume talks on", "review", "suspend measures on",
    "set up a working group on", "extend the truce covering",
]  # fmt: skip
CLAIM_TIMEFRAMES = ["", " within 90 days", " by the end of the year", " before the next round"]
LOWERED = {"The", "We", "Our", "Both", "It", "That", "This"}


def lower_first(text):
    """A sentence as it reads inside another: "The talks…" → "the talks…", names kept."""
    first = text.split(" ", 1)[0]
    return text[0].lower() + text[1:] if first in LOWERED else text


def zipf_counts(total, n, s=ZIPF_S):
    """``total`` split over ``n`` ranks in proportion to 1/rank^s (largest remainders)."""
    weights = [1 / rank**s for rank in range(1, n + 1)]
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(n), key=lambda i: (counts[i] - exact[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def cumulative(weights):
    return list(itertools.accumulate(weights))


def pick(rng, items, cum):
    """One of ``items`` by cumulative weights (random.choices without its overhead)."""
    return items[bisect.bisect(cum, rng.random() * cum[-1])]


def day(rng, first=FIRST_DAY, last=LAST_DAY):
    return first + datetime.timedelta(days=rng.randrange((last - first).days + 1))


def at(date, rng):
    """A moment of that day (UTC) for a record's creation."""
    moment = datetime.datetime.combine(date, datetime.time(7), tzinfo=datetime.UTC)
    return moment + datetime.timedelta(seconds=rng.randrange(12 * 3600))


# Writing rows --------------------------------------------------------------------------------


def sqlite_datetime(value):
    """A datetime in UTC (as all of the generator's are) as Django's SQLite backend stores it
    (USE_TZ): naive, in UTC."""
    return None if value is None else value.replace(tzinfo=None).isoformat(" ")


class Table:
    """A model's table: the columns the generator gives, then every other column at its
    default. Values go to the driver as Django would send them: on SQLite, dates and decimals
    through the adapters Django registers, aware datetimes made naive in UTC."""

    def __init__(self, model, columns, db):
        # Generated columns (``GeneratedField``) are the database's to compute: never written.
        fields = {
            f.attname: f for f in model._meta.concrete_fields if not getattr(f, "generated", False)
        }
        self.model, self.given = model, list(columns)
        rest = [f for name, f in fields.items() if name not in self.given]
        self.columns = self.given + [f.attname for f in rest]
        self.defaults = tuple(f.get_db_prep_save(f.get_default(), db) for f in rest)
        self.python_defaults = tuple(f.get_default() for f in rest)
        self.converters = [
            i
            for i, name in enumerate(self.given)
            if fields[name].get_internal_type() == "DateTimeField" and db.vendor == "sqlite"
        ]

    def prepared(self, rows):
        converters, defaults = self.converters, self.defaults
        for row in rows:
            if converters:
                row = list(row)
                for i in converters:
                    row[i] = sqlite_datetime(row[i])
                row = tuple(row)
            yield row + defaults


class Writer:
    """Writes rows the fastest way the database offers: executemany on SQLite, COPY on
    PostgreSQL (inside the caller's transaction)."""

    def __init__(self, db=connection):
        self.db = db
        self.tables = {}
        self.rows = {}
        if db.vendor == "sqlite":
            with db.cursor() as cursor:  # a million rows' indexes outgrow the default 2 MB
                cursor.execute("PRAGMA cache_size = -262144")

    def table(self, model, columns):
        self.tables[model] = Table(model, columns, self.db)
        self.rows[model] = 0
        return self.tables[model]

    def secondary_indexes(self):
        """[(name, CREATE INDEX statement)] of the written tables' indexes that no primary key
        or constraint owns (new migrations' indexes included, whatever they are)."""
        tables = [model._meta.db_table for model in self.tables]
        with self.db.cursor() as cursor:
            if self.db.vendor == "postgresql":
                cursor.execute(
                    "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                    "FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid "
                    "WHERE t.relname = ANY(%s) AND t.relnamespace = current_schema()::regnamespace "
                    "AND NOT i.indisprimary AND NOT EXISTS "
                    "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
                    "ORDER BY 1",
                    [tables],
                )
            else:  # sql is NULL for the indexes a PRIMARY KEY or UNIQUE clause makes
                marks = ", ".join(["%s"] * len(tables))
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                    f"AND sql IS NOT NULL AND tbl_name IN ({marks}) ORDER BY name",
                    tables,
                )
            return cursor.fetchall()

    def drop_indexes(self):
        """Drop the written tables' secondary indexes for the load (each is built once at the
        end, from sorted rows, instead of taking a million random inserts); ``build_indexes``
        makes them again. Returns what it dropped."""
        found = self.secondary_indexes()
        with self.db.cursor() as cursor:
            for name, _sql in found:
                cursor.execute(f"DROP INDEX {name}")
        return found

    def analyze(self):
        """Planner statistics of the written tables, inside the load's transaction (which
        autovacuum cannot see yet): what runs after the load (``bulk_load.finish()``'s
        recounts) would otherwise be planned for empty tables."""
        with self.db.cursor() as cursor:
            if self.db.vendor == "sqlite":
                cursor.execute("PRAGMA analysis_limit = 1000")
            for model in self.tables:
                cursor.execute(f"ANALYZE {self.db.ops.quote_name(model._meta.db_table)}")

    def build_indexes(self, indexes):
        with self.db.cursor() as cursor:
            pending = self.db.vendor == "postgresql" and self.db.in_atomic_block
            if pending:  # PostgreSQL indexes no table whose foreign-key checks still wait
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for _name, sql in indexes:
                cursor.execute(sql)
            if pending:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def write(self, model, rows):
        table = self.tables[model]
        self.rows[model] += len(rows)
        name = self.db.ops.quote_name(table.model._meta.db_table)
        columns = ", ".join(self.db.ops.quote_name(c) for c in table.columns)
        if self.db.vendor == "postgresql":
            sql = f"COPY {name} ({columns}) FROM STDIN"
            with self.db.cursor() as cursor, cursor.cursor.copy(sql) as copy:
                for row in table.prepared(rows):
                    copy.write_row(row)
        else:
            self.db.ensure_connection()
            marks = ", ".join("?" * len(table.columns))
            self.db.connection.executemany(
                f"INSERT INTO {name} ({columns}) VALUES ({marks})", table.prepared(rows)
            )


class BulkCreateWriter(Writer):
    """Django's bulk_create, for comparison (``created_at`` becomes the time of loading)."""

    def write(self, model, rows):
        table = self.tables[model]
        self.rows[model] += len(rows)
        model._base_manager.bulk_create(
            [
                model(**dict(zip(table.columns, row + table.python_defaults, strict=True)))
                for row in rows
            ],
            batch_size=2000,
        )


# The knowledge base --------------------------------------------------------------------------


@dataclass
class QuotePlan:
    """A quote and how its passages print it, before the sources' texts are assembled."""

    id: int
    speaker: int
    kind: str
    text: str
    quoted: bool  # its passages print the words inside quotation marks
    round: int | None
    said_on: datetime.date | None
    precision: str
    setting: str
    setting_clause: str
    issues: list
    core: str = ""  # a direct quote's words before its ending, for a second wording
    tail: str = ""
    statement: int | None = None
    sources: list = field(default_factory=list)


@dataclass
class World:
    """The fixed records quotes and claims point at."""

    officials: list = field(default_factory=list)  # dicts
    issues: list = field(default_factory=list)
    rounds: list = field(default_factory=list)
    outlets: list = field(default_factory=list)


class Generator:
    def __init__(self, *, quotes, seed=DEFAULT_SEED, writer=None, log=print):
        self.n_quotes, self.seed = quotes, seed
        self.writer = writer or Writer()
        self.log = log
        self.rng = random.Random(seed)
        self.world = World()
        self.started = time.monotonic()
        self.statement_id = itertools.count(1)
        self.citation_id = itertools.count(1)
        self.link_ids = {}

    def say(self, message):
        self.log(f"[{time.monotonic() - self.started:7.1f} s] {message}")

    def link_id(self, table):
        if table not in self.link_ids:
            self.link_ids[table] = itertools.count(1)
        return next(self.link_ids[table])

    def run(self):
        self.make_tables()
        self.make_outlets()
        self.make_issues()
        self.make_officials()
        self.make_rounds()
        self.say(
            f"{len(self.world.officials)} officials, {len(self.world.issues)} issues, "
            f"{len(self.world.rounds)} rounds, {len(self.world.outlets)} outlets"
        )
        self.plan_distributions()
        indexes = self.writer.drop_indexes()
        self.say(f"{len(indexes)} indexes dropped for the load")
        done = 0
        for number, start in enumerate(range(0, self.n_quotes, CHUNK)):
            end = min(start + CHUNK, self.n_quotes)
            self.make_chunk(number, start, end)
            done = end
            if number % 10 == 9 or end == self.n_quotes:
                self.say(f"{done:,} of {self.n_quotes:,} quotes, with their sources and claims")
        self.writer.build_indexes(indexes)
        self.say(f"{len(indexes)} indexes built again (foreign keys checked)")
        self.writer.analyze()
        self.say("Statistics gathered")
        self.reset_sequences()
        return dict(sorted((m._meta.model_name, n) for m, n in self.writer.rows.items()))

    def make_tables(self):
        w = self.writer
        w.table(Outlet, ["id", "name", "slug", "website"])
        w.table(StickingPoint, ["id", "slug", "name", "category", "summary", "state"] + TIMES)
        w.table(
            Official, ["id", "slug", "name", "native_name", "country", "summary", "state"] + TIMES
        )
        w.table(Position, POSITION_COLUMNS)
        w.table(Round, ROUND_COLUMNS)
        w.table(Participant, ["id", "round_id", "official_id", "side", "role"])
        w.table(AgendaItem, ["id", "round_id", "sticking_point_id", "status", "note"])
        w.table(Source, SOURCE_COLUMNS)
        w.table(Statement, ["id", "slug", "speaker_id", "summary", "state"] + TIMES)
        w.table(Quote, QUOTE_COLUMNS)
        w.table(Claim, CLAIM_COLUMNS)
        w.table(Citation, CITATION_COLUMNS)
        for through, columns in self.links().items():
            w.table(through, ["id", *columns])

    @staticmethod
    def links():
        return {
            Quote.sticking_points.through: ["quote_id", "stickingpoint_id"],
            Claim.sticking_points.through: ["claim_id", "stickingpoint_id"],
            Claim.officials.through: ["claim_id", "official_id"],
        }

    # Fixed records ----------------------------------------------------------------------------

    def make_outlets(self):
        names = [f"{a} {b}" for a in OUTLET_FIRST for b in OUTLET_SECOND]
        names = self.rng.sample(names, OUTLETS)
        rows = []
        for pk, name in enumerate(names, 1):
            slug = slugify(name)
            self.world.outlets.append({"id": pk, "name": name, "domain": f"{slug}.example"})
            rows.append((pk, name, f"syn-{slug}", f"https://{slug}.example"))
        self.writer.write(Outlet, rows)

    def make_issues(self):
        rows = []
        for pk, (name, category, topics) in enumerate(ISSUE_TOPICS, 1):
            summary = f"Where the two sides stand on {topics[0]} and {topics[1]}, round by round."
            self.world.issues.append({"id": pk, "name": name, "topics": topics})
            rows.append(
                (pk, f"syn-{slugify(name)}", name, category, summary, PUBLISHED, CREATED, CREATED)
            )
        self.writer.write(StickingPoint, rows)

    def official_names(self):
        rng, names, taken = self.rng, [], set()
        while len(names) < OFFICIALS // 2:
            surname, pinyin = rng.choice(CN_SURNAMES)
            given = rng.sample(CN_GIVEN, rng.choice((1, 2, 2, 2)))
            native = surname + "".join(c for c, _p in given)
            if native in taken or native in REAL_NATIVE_NAMES:
                continue
            taken.add(native)
            english = f"{pinyin} {''.join(p for _c, p in given).capitalize()}"
            names.append((english, native, Side.CN))
        us = [f"{first} {last}" for first in US_FIRST for last in US_LAST]
        count = OFFICIALS - len(names) - len(OTHER_OFFICIALS)
        names += [(name, "", Side.US) for name in rng.sample(us, count)]
        names += [(name, "", Side.OTHER) for name, _t, _o in OTHER_OFFICIALS]
        rng.shuffle(names)
        return names

    def make_officials(self):
        rng, rows, positions, slugs = self.rng, [], [], set()
        position_id = itertools.count(1)
        for pk, (name, native, country) in enumerate(self.official_names(), 1):
            slug = f"syn-{slugify(name)}"
            while slug in slugs:
                slug += "-2"
            slugs.add(slug)
            if country == Side.OTHER:
                posts = [next((t, o) for n, t, o in OTHER_OFFICIALS if n == name)]
            else:
                pool = CN_POSITIONS if country == Side.CN else US_POSITIONS
                posts = rng.sample(pool, rng.choice((1, 1, 2)))
            summary = f"{posts[0][0]}, {posts[0][1]}."
            self.world.officials.append({"id": pk, "name": name, "country": country, "post": posts})
            rows.append((pk, slug, name, native, country, summary, PUBLISHED, CREATED, CREATED))
            start = day(rng, datetime.date(2014, 1, 1), datetime.date(2022, 12, 31))
            for index, (title, organisation) in enumerate(posts):
                end = None  # held still, unless a later post followed
                if index + 1 < len(posts) or rng.random() < 0.3:
                    end = start + datetime.timedelta(days=rng.randrange(200, 1500))
                    end = min(end, LAST_DAY)
                positions.append(
                    (
                        next(position_id),
                        pk,
                        title,
                        organisation,
                        start,
                        DatePrecision.DAY,
                        end,
                        DatePrecision.DAY if end else DatePrecision.UNKNOWN,
                    )
                )
                if end:
                    start = end + datetime.timedelta(days=1)
        self.writer.write(Official, rows)
        self.writer.write(Position, positions)

    def make_rounds(self):
        rng, world = self.rng, self.world
        kinds = [RoundKind.TALKS] * 5 + [RoundKind.CALL] * 2 + [RoundKind.MEETING] * 2
        kinds.append(RoundKind.SUMMIT)
        starts = sorted(
            day(rng, FIRST_DAY, LAST_DAY - datetime.timedelta(days=10)) for _ in range(ROUNDS)
        )
        by_side = {side: [o for o in world.officials if o["country"] == side] for side in Side}
        rows, participants, agenda, slugs = [], [], [], set()
        participant_id, agenda_id = itertools.count(1), itertools.count(1)
        for pk, start in enumerate(starts, 1):
            kind = rng.choice(kinds)
            city, country = rng.choice(CITIES)
            month = f"{start:%B %Y}"
            if kind == RoundKind.CALL:
                title, city, country, end = f"Leaders’ phone call ({month})", "", "", start
            elif kind == RoundKind.SUMMIT:
                title, end = f"{city} summit ({month})", start + datetime.timedelta(days=1)
            elif kind == RoundKind.MEETING:
                title, end = f"{city} meeting of trade negotiators ({month})", start
            else:
                title = f"{city} trade talks ({month})"
                end = start + datetime.timedelta(days=rng.randrange(1, 4))
            slug = f"syn-{slugify(city or 'call')}-{kind}-{start:%Y-%m}"
            while slug in slugs:
                slug += "-2"
            slugs.add(slug)
            issues = rng.sample(world.issues, rng.randrange(2, 7))
            topics = [i["topics"][0] for i in issues]
            summary = f"Negotiators discussed {', '.join(topics[:-1])} and {topics[-1]}."
            outcome = rng.choice(
                [
                    "No agreement was reached; both sides agreed to keep talking.",
                    f"A framework on {topics[0]} was agreed, pending the leaders' approval.",
                    f"The two sides extended the tariff truce and set up talks on {topics[1]}.",
                    "The talks ended early without a joint statement.",
                ]
            )
            rows.append(
                (pk, slug, title, kind, city, country, start, DatePrecision.DAY, end)
                + (DatePrecision.DAY, summary, outcome, PUBLISHED, CREATED, CREATED)
            )
            world.rounds.append(
                {"id": pk, "title": title, "start": start, "end": end, "city": city}
            )
            # Delegations: a lead for each side, then others (a leader on calls and summits).
            people = rng.sample(by_side[Side.US], rng.randrange(1, 4))
            people += rng.sample(by_side[Side.CN], rng.randrange(1, 4))
            if rng.random() < 0.1:
                people.append(rng.choice(by_side[Side.OTHER]))
            leads = set()
            for official in people:
                first_of_side = official["country"] not in leads
                leads.add(official["country"])
                if kind in (RoundKind.CALL, RoundKind.SUMMIT) and first_of_side:
                    role = ParticipantRole.LEADER
                elif first_of_side:
                    role = ParticipantRole.LEAD_NEGOTIATOR
                else:
                    role = rng.choice(
                        [ParticipantRole.NEGOTIATOR, ParticipantRole.DELEGATE]
                        + [ParticipantRole.SPOKESPERSON]
                    )
                participants.append(
                    (next(participant_id), pk, official["id"], official["country"], role)
                )
            for issue in issues:
                status = rng.choice(list(AgendaStatus))
                note = rng.choice(["", "", f"Both delegations spoke to it: {status.value}."])
                agenda.append((next(agenda_id), pk, issue["id"], status, note))
        self.writer.write(Round, rows)
        self.writer.write(Participant, participants)
        self.writer.write(AgendaItem, agenda)

    def plan_distributions(self):
        """Who speaks (Zipf, exact counts), which rounds and issues draw most (Zipf-like)."""
        rng, world = self.rng, self.world
        ranked = rng.sample([o["id"] for o in world.officials], len(world.officials))
        speakers = []
        for official, count in zip(ranked, zipf_counts(self.n_quotes, len(ranked)), strict=True):
            speakers += [official] * count
        rng.shuffle(speakers)
        self.speakers = speakers
        self.officials_by_id = {o["id"]: o for o in world.officials}
        self.round_order = rng.sample(world.rounds, len(world.rounds))
        self.round_cum = cumulative(1 / r**0.8 for r in range(1, len(world.rounds) + 1))
        self.issue_order = rng.sample(world.issues, len(world.issues))
        self.issue_cum = cumulative(1 / r**0.7 for r in range(1, len(world.issues) + 1))
        self.official_order = [self.officials_by_id[pk] for pk in ranked]
        self.official_cum = cumulative(1 / r for r in range(1, len(ranked) + 1))

    # Quotes, sources, claims, citations --------------------------------------------------------

    def issues_for(self, rng):
        chosen = []
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            issue = pick(rng, self.issue_order, self.issue_cum)
            if issue not in chosen:
                chosen.append(issue)
        return chosen

    def quote_words(self, rng, kind, topic, tariffs):
        """The words of a quote of ``kind`` about ``topic``."""
        rare = rng.random() < RARE_WORD_SHARE
        adjective = rng.choice(RARE_WORDS) if rare else rng.choice(COMMON_ADJECTIVES)
        if kind == QuoteKind.PARTIAL:
            if tariffs:
                return f"{adjective} talks on {COMMON_WORD}"
            return rng.choice(
                [f"{adjective} talks on {topic}", f"a {adjective} step on {topic}"]
                + [
                    f"{adjective} progress on {topic}",
                    f"{adjective} and {rng.choice(COMMON_ADJECTIVES)}",
                ]
            )
        if kind == QuoteKind.PARAPHRASE:
            words = f"{rng.choice(PARAPHRASE_SUBJECTS)} {rng.choice(PARAPHRASE_VERBS)} {topic}"
            if tariffs:
                words += f" and {COMMON_WORD}"
            if rare:
                words += f" in a {adjective} way"
            return words
        obj = f"{COMMON_WORD} on {topic}" if tariffs else topic
        core = f"{rng.choice(SUBJECTS)} {rng.choice(MODALS)} {rng.choice(VERBS)} {obj}"
        tail = rng.choice(TAILS)
        text = f"{core}{tail}."
        if rare or rng.random() < 0.35:
            text += " " + rng.choice(FOLLOW_UPS).format(adj=adjective)
        return text, core, tail

    def plan_quote(self, rng, pk):
        speaker = self.speakers[pk - 1]
        draw = rng.random()
        kind = (
            QuoteKind.DIRECT
            if draw < 0.65
            else QuoteKind.PARTIAL
            if draw < 0.77
            else QuoteKind.PARAPHRASE
        )
        issues = self.issues_for(rng)
        topic = rng.choice(issues[0]["topics"])
        words = self.quote_words(rng, kind, topic, rng.random() < COMMON_WORD_SHARE)
        text, core, tail = words if isinstance(words, tuple) else (words, "", "")
        round_ = pick(rng, self.round_order, self.round_cum) if rng.random() < 0.85 else None
        if round_:
            span = (round_["end"] - round_["start"]).days
            said = round_["start"] + datetime.timedelta(days=rng.randrange(span + 2))
            said = min(said, LAST_DAY)
        else:
            said = day(rng)
        precision = rng.random()
        if precision < 0.85:
            precision = DatePrecision.DAY
        elif precision < 0.95:
            precision, said = DatePrecision.MONTH, said.replace(day=1)
        else:
            precision, said = DatePrecision.UNKNOWN, None
        setting, clause = rng.choice(SETTINGS)
        city = (round_ or {}).get("city") or rng.choice(CITIES)[0]
        # Words printed as a direct quotation only in the narration: unverified.
        quoted = kind != QuoteKind.PARAPHRASE and not (
            kind == QuoteKind.DIRECT and rng.random() < 0.04
        )
        return QuotePlan(
            id=pk,
            speaker=speaker,
            kind=kind,
            text=text,
            quoted=quoted,
            round=round_["id"] if round_ else None,
            said_on=said,
            precision=precision,
            setting=setting.format(city=city),
            setting_clause=clause.format(city=city),
            issues=issues,
            core=core,
            tail=tail,
        )

    def passage(self, rng, quote):
        """A sentence of a source printing ``quote`` as its kind and ``quoted`` say."""
        official = self.officials_by_id[quote.speaker]
        name, text, clause = official["name"], quote.text, quote.setting_clause
        if quote.kind == QuoteKind.PARAPHRASE:
            return f"{name} said {lower_first(text)}{clause}, {rng.choice(ATTRIBUTIONS)}."
        if not quote.quoted:
            return f"{name} said {lower_first(text.rstrip('.'))}{clause}."
        if quote.kind == QuoteKind.PARTIAL:
            return f"{name} described the discussions as “{text}”{clause}."
        form = rng.randrange(3)
        if form == 0:
            return f"“{text[:-1]},” {name} said{clause}."
        if form == 1:
            return f"{name} told reporters{clause}: “{text}”"
        return f"“{text}” said {name}, {official['post'][0][0]}."

    def headline(self, rng, quote):
        official = self.officials_by_id[quote.speaker]
        surname = official["name"].split()[0 if official["country"] == Side.CN else -1]
        topic = quote.issues[0]["topics"][0]
        state = rng.choice(HEADLINE_STATES)
        other = rng.choice(["U.S.", "US", "Washington"])
        return rng.choice(
            [
                f"{surname} says talks on {topic} {state}",
                f"{other} and China spar over {topic}",
                f"Talks on {topic} {state}, {surname} says",
                f"{surname}: no quick deal on {topic}",
            ]
        )

    def make_chunk(self, number, start, end):
        rng = random.Random(f"{self.seed}:{number}")
        plans = [self.plan_quote(rng, pk) for pk in range(start + 1, end + 1)]
        self.pair_wordings(rng, plans)
        source_ids = list(range(start + 1, end + 1))  # one source per quote, same numbers
        paragraphs = {pk: [] for pk in source_ids}  # source -> [(passage, what cites it)]
        for quote in plans:
            quote.sources = [quote.id]
            if rng.random() < 0.5 and len(source_ids) > 1:
                other = rng.choice(source_ids)
                if other != quote.id:
                    quote.sources.append(other)
            for source in quote.sources:
                paragraphs[source].append((self.passage(rng, quote), ("quote", quote)))
        claims = self.plan_claims(rng, start, end, source_ids, paragraphs)
        citations, sources = self.assemble_sources(rng, source_ids, paragraphs, plans)
        self.write_chunk(rng, plans, claims, sources, citations)

    def pair_wordings(self, rng, plans):
        """Some direct quotes get a second wording of the same statement, by the same speaker,
        printed by another source: both wordings are then variants."""
        for first, second in itertools.pairwise(plans):
            if (
                first.kind == QuoteKind.DIRECT
                and first.quoted
                and first.statement is None
                and rng.random() < 0.06
            ):
                pk = next(self.statement_id)
                tail = rng.choice([t for t in TAILS if t != first.tail])
                second.speaker, second.kind, second.quoted = first.speaker, QuoteKind.DIRECT, True
                second.core, second.tail = first.core, tail
                second.text = f"{first.core}{tail}."
                second.issues, second.round = first.issues, first.round
                second.said_on, second.precision = first.said_on, first.precision
                first.statement = second.statement = pk

    def plan_claims(self, rng, start, end, source_ids, paragraphs):
        first = int(start * CLAIMS_PER_QUOTE) + 1
        last = int(end * CLAIMS_PER_QUOTE)
        claims = []
        for pk in range(first, last + 1):
            claim = self.claim(rng, pk)
            cited = rng.sample(source_ids, min(len(source_ids), rng.choice((1, 1, 2, 2, 3))))
            for index, source in enumerate(cited):
                draw = rng.random()
                if index == 0:
                    stance = (
                        Stance.SUPPORTS
                        if draw < 0.85
                        else Stance.MENTIONS
                        if draw < 0.95
                        else Stance.DISPUTES
                    )
                else:
                    stance = (
                        Stance.SUPPORTS
                        if draw < 0.75
                        else Stance.DISPUTES
                        if draw < 0.87
                        else Stance.MENTIONS
                    )
                text = claim["text"]
                if stance == Stance.SUPPORTS:
                    sentence = f"{text}, {rng.choice(ATTRIBUTIONS)}."
                elif stance == Stance.DISPUTES:
                    sentence = f"{rng.choice(DENIERS)} denied that {lower_first(text)}."
                else:
                    sentence = f"It was unclear whether {lower_first(text)}."
                claim["stances"].append((source, stance))
                paragraphs[source].append((sentence, ("claim", claim, stance)))
            # Every source is its own origin: the supporting origins are the sources.
            supporting = {s for s, stance in claim["stances"] if stance == Stance.SUPPORTS}
            disputing = [s for s, stance in claim["stances"] if stance == Stance.DISPUTES]
            claim["status"] = statuses.derive_status(
                supporting_origins=len(supporting), disputing_citations=len(disputing)
            )
            claim["origins"] = len(supporting)
            claims.append(claim)
        return claims

    def claim(self, rng, pk):
        round_ = pick(rng, self.round_order, self.round_cum)
        issues = self.issues_for(rng)
        topic = rng.choice(issues[0]["topics"])
        officials = []
        for _ in range(rng.choice((1, 2, 2, 3))):
            official = pick(rng, self.official_order, self.official_cum)
            if official not in officials:
                officials.append(official)
        us = rng.choice(["U.S.", "US"])
        value, unit, qualifier, measure = None, "", "", ""
        form = rng.randrange(7)
        if form == 0:
            n = rng.choice([10, 20, 25, 30, 34, 54, 84, 104, 125, 145])
            verb = rng.choice(["rose", "fell"])
            text = f"{us} {COMMON_WORD} on Chinese {rng.choice(GOODS)} {verb} to {n}%"
            value, unit = Decimal(n), ClaimUnit.PERCENT
            # What the tariff-rate chart draws (no draw of the generator's: the data stays).
            measure = ClaimMeasure.US_TARIFFS_ON_CHINA
        elif form == 1:
            n = rng.randrange(5, 120)
            text = f"China agreed to buy ${n} billion of {us} {rng.choice(GOODS)}"
            value, unit = Decimal(n * 10**9), ClaimUnit.USD
        elif form == 2:
            n = rng.randrange(100, 300) * 1000
            text = f"{n:,} Chinese students held {us} visas"
            value, unit = Decimal(n), ClaimUnit.PEOPLE
        elif form == 3:
            n = rng.randrange(2, 9)
            text = f"The two sides held {n} rounds of talks on {topic}"
            value, unit = Decimal(n), ClaimUnit.COUNT
        elif form == 4 and len(officials) >= 2:
            a, b = officials[0]["name"], officials[1]["name"]
            text = f"{a} and {b} discussed {topic} at the {round_['title']}"
        else:
            side = rng.choice(["China", "The United States", f"The {us}", "Washington", "Beijing"])
            action, when = rng.choice(CLAIM_ACTIONS), rng.choice(CLAIM_TIMEFRAMES)
            text = f"{side} agreed to {action} {topic}{when}"
        if value is not None:
            qualifier = rng.choice(["exact", "exact", "about", "at_least"])
            value = value.quantize(Decimal("0.0001"))
        return {
            "id": pk,
            "text": text,
            "round": round_,
            "issues": issues,
            "officials": officials,
            "value": value,
            "unit": unit,
            "qualifier": qualifier,
            "measure": measure,
            "stances": [],
        }

    def assemble_sources(self, rng, source_ids, paragraphs, plans):
        """Each source's text (its headline, then its passages), and a citation anchored at
        each passage."""
        by_id = {q.id: q for q in plans}
        sources, citations = [], []
        for pk in source_ids:
            primary = by_id[pk]
            headline = self.headline(rng, primary)
            parts, offsets = [headline], []
            position = len(headline)
            for text, owner in paragraphs[pk]:
                position += 2
                offsets.append((position, position + len(text), owner))
                parts.append(text)
                position += len(text)
            if rng.random() < 0.4:
                parts.append(rng.choice(CLOSINGS))
            body = "\n\n".join(parts)
            dates = [o[1]["round"]["start"] for *_x, o in offsets if o[0] == "claim"]
            dates += [
                o[1].said_on for *_x, o in offsets if o[0] == "quote" and o[1].said_on is not None
            ]
            published = (
                max(dates) + datetime.timedelta(days=rng.randrange(2)) if dates else day(rng)
            )
            published = min(published, LAST_DAY)
            sources.append((pk, headline, body, published))
            for begin, finish, owner in offsets:
                anchor = anchoring.make_anchor(body, begin, finish)
                citations.append((next(self.citation_id), pk, anchor, owner))
        return citations, sources

    def write_chunk(self, rng, plans, claims, sources, citations):
        outlets = self.world.outlets
        outlet_cum = cumulative(1 / r**0.8 for r in range(1, len(outlets) + 1))
        source_rows = []
        for pk, headline, body, published in sources:
            outlet = pick(rng, outlets, outlet_cum)
            precision = DatePrecision.DAY if rng.random() < 0.93 else DatePrecision.MONTH
            on = published if precision == DatePrecision.DAY else published.replace(day=1)
            if rng.random() < 0.03:
                precision, on = DatePrecision.UNKNOWN, None
            slug = f"syn-{slugify(headline)[:60].strip('-')}-{pk}"
            source_rows.append(
                (
                    pk,
                    slug,
                    headline,
                    rng.choice(SOURCE_KINDS),
                    outlet["id"],
                    f"https://{outlet['domain']}/{published:%Y/%m}/{slug[4:]}",
                    on,
                    precision,
                    body,
                    rng.choice(RELIABILITIES),
                    pk,  # its own origin
                    PUBLISHED,
                    at(published, rng),
                )
            )
        self.writer.write(Source, [row + (row[-1],) for row in source_rows])

        statements, quote_rows, quote_links = {}, [], []
        for quote in plans:
            if quote.statement and quote.statement not in statements:
                speaker = self.officials_by_id[quote.speaker]["name"]
                topic = quote.issues[0]["topics"][0]
                statements[quote.statement] = (
                    quote.statement,
                    f"syn-statement-{quote.statement}",
                    quote.speaker,
                    f"{speaker} on {topic}",
                    PUBLISHED,
                    CREATED,
                    CREATED,
                )
        found = self.verdicts_of(plans)
        for quote in plans:
            created = at(quote.said_on or LAST_DAY, rng)
            quote_rows.append(
                (
                    quote.id,
                    quote.text,
                    quote.speaker,
                    quote.statement,
                    quote.kind,
                    quote.said_on,
                    quote.precision,
                    quote.setting,
                    quote.round,
                    found[quote.id],
                    PUBLISHED,
                    created,
                    created,
                )
            )
            for issue in quote.issues:
                quote_links.append((self.link_id("quote-issue"), quote.id, issue["id"]))
        self.writer.write(Statement, list(statements.values()))
        self.writer.write(Quote, quote_rows)
        self.writer.write(Quote.sticking_points.through, quote_links)

        claim_rows, claim_issues, claim_officials = [], [], []
        for claim in claims:
            created = at(claim["round"]["start"], rng)
            numeric = claim["value"] is not None
            claim_rows.append(
                (
                    claim["id"],
                    claim["text"],
                    claim["round"]["id"],
                    claim["value"],
                    claim["unit"],
                    claim["qualifier"],
                    claim["measure"],
                    claim["round"]["start"] if numeric else None,
                    DatePrecision.DAY if numeric else DatePrecision.UNKNOWN,
                    claim["status"],
                    claim["origins"],
                    PUBLISHED,
                    created,
                    created,
                )
            )
            for issue in claim["issues"]:
                claim_issues.append((self.link_id("claim-issue"), claim["id"], issue["id"]))
            for official in claim["officials"]:
                claim_officials.append(
                    (self.link_id("claim-official"), claim["id"], official["id"])
                )
        self.writer.write(Claim, claim_rows)
        self.writer.write(Claim.sticking_points.through, claim_issues)
        self.writer.write(Claim.officials.through, claim_officials)

        citation_rows = []
        for pk, source, anchor, owner in citations:
            quote_id = owner[1].id if owner[0] == "quote" else None
            claim_id = owner[1]["id"] if owner[0] == "claim" else None
            stance = owner[2] if owner[0] == "claim" else Stance.SUPPORTS
            citation_rows.append(
                (pk, source, quote_id, claim_id, stance, anchor.exact, anchor.prefix)
                + (anchor.suffix, anchor.start, anchor.end, "anchored", CREATED, CREATED)
            )
        self.writer.write(Citation, citation_rows)

    @staticmethod
    def verdicts_of(plans):
        """Each quote's verdict by the rule of ``services.verdicts``: every citation counts
        (anchored, supporting, into a published source)."""
        wordings = {}
        for quote in plans:
            if quote.statement and quote.kind in verdicts.QUOTED_KINDS:
                wordings.setdefault(quote.statement, []).append(quote)
        found = {}
        for quote in plans:
            if quote.kind == QuoteKind.PARAPHRASE:
                found[quote.id] = Verification.REPORTED  # its words are in its passages
            elif not quote.quoted:
                found[quote.id] = Verification.UNVERIFIED
            elif quote.statement is None:
                found[quote.id] = Verification.VERBATIM
            else:
                # Wordings compared as the rule compares them (folded, trimmed, any case).
                words = verdicts._words(quote.text)
                others = any(
                    other.id != quote.id
                    and verdicts._words(other.text) != words
                    and set(other.sources) - set(quote.sources)
                    for other in wordings.get(quote.statement, [])
                )
                found[quote.id] = Verification.VARIANT if others else Verification.VERBATIM
        return found

    def reset_sequences(self):
        """Move the id counters past the rows written with their ids."""
        models = knowledge_base_models()
        statements = self.writer.db.ops.sequence_reset_sql(no_style(), models)
        with self.writer.db.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


SOURCE_KINDS = [SourceKind.ARTICLE] * 8 + [SourceKind.STATEMENT, SourceKind.TRANSCRIPT]
RELIABILITIES = [Reliability.HIGH, Reliability.MEDIUM, Reliability.MEDIUM, Reliability.LOW]
RELIABILITIES.append(Reliability.UNRATED)
TIMES = ["created_at", "updated_at"]
POSITION_COLUMNS = ["id", "official_id", "title", "organisation", "start_on", "start_precision"]
POSITION_COLUMNS += ["end_on", "end_precision"]
ROUND_COLUMNS = ["id", "slug", "title", "kind", "city", "country", "start_on", "start_precision"]
ROUND_COLUMNS += ["end_on", "end_precision", "summary", "outcome", "state"] + TIMES
SOURCE_COLUMNS = ["id", "slug", "title", "kind", "outlet_id", "url", "published_on"]
SOURCE_COLUMNS += ["published_precision", "body", "reliability", "origin_id", "state"] + TIMES
QUOTE_COLUMNS = ["id", "text", "speaker_id", "statement_id", "kind", "said_on", "said_precision"]
QUOTE_COLUMNS += ["setting", "round_id", "verification", "state"] + TIMES
CLAIM_COLUMNS = ["id", "text", "round_id", "value", "unit", "value_qualifier", "measure", "as_of"]
CLAIM_COLUMNS += ["as_of_precision", "status", "independent_sources", "state"] + TIMES
CITATION_COLUMNS = ["id", "source_id", "quote_id", "claim_id", "stance", "exact", "prefix"]
CITATION_COLUMNS += ["suffix", "start", "end", "anchor_status"] + TIMES


# The database --------------------------------------------------------------------------------


def records_held():
    """{verbose name: count} of the knowledge-base tables that hold rows."""
    return {
        str(model._meta.verbose_name_plural): model._base_manager.count()
        for model in knowledge_base_models()
        if model._base_manager.exists()
    }


def delete_everything(db=connection):
    """Every knowledge-base row (records, links, history), inside the caller's transaction."""
    tables = [db.ops.quote_name(m._meta.db_table) for m in knowledge_base_models()]
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            # Foreign-key checks still pending in this transaction would refuse the TRUNCATE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY")
        else:
            # Foreign keys are checked at commit, so the order does not matter.
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")
            names = [m._meta.db_table for m in knowledge_base_models()]
            marks = ", ".join(["%s"] * len(names))
            cursor.execute(f"DELETE FROM sqlite_sequence WHERE name IN ({marks})", names)
