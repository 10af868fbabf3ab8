"""What each searchable record's document holds: its weighted parts, where each part comes from,
and what changes in other tables reach it.

One definition for both databases: ``backends`` builds from it the triggers that keep every
document right (SQLite: an FTS5 table per model; PostgreSQL: a stored, weighted ``tsvector``
column with a GIN index) and the ranking weights. A part is an SQL expression over the
record's row, written ``{row}.column``; weights run from A (highest) to C.
"""

from dataclasses import dataclass

# Ranking weights of the parts, the same on both databases (PostgreSQL's defaults).
WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}


@dataclass(frozen=True)
class Part:
    name: str  # the FTS5 column
    weight: str
    sql: str  # over {row}; NULL counts as empty


@dataclass(frozen=True)
class Dependency:
    """Rows of another table whose change reaches some documents: ``where`` picks the
    documents' rows (``r``) from the changed row (``{changed}``)."""

    table: str
    columns: tuple[str, ...]  # an update of these reaches the documents; () = any write
    where: str


@dataclass(frozen=True)
class Document:
    label: str  # the model's label_lower
    table: str
    parts: tuple[Part, ...]
    snippet: str | None  # the part (a column of the table itself) snippets are cut from
    columns: tuple[str, ...]  # the record's own columns the parts read
    dependencies: tuple[Dependency, ...] = ()

    @property
    def fts_table(self):
        return f"{self.table}_fts"

    def part_index(self, name):
        return [part.name for part in self.parts].index(name)


def _names(official):
    return f"coalesce({official}.name, '') || ' ' || coalesce({official}.native_name, '')"


DOCUMENTS = {
    document.label: document
    for document in (
        Document(
            label="negotiations.quote",
            table="negotiations_quote",
            parts=(
                Part("text", "A", "{row}.text"),
                Part(
                    "speaker",
                    "B",
                    f"(SELECT {_names('o')} FROM negotiations_official o "
                    "WHERE o.id = {row}.speaker_id)",
                ),
                Part("setting", "C", "{row}.setting"),
            ),
            snippet="text",
            columns=("text", "setting", "speaker_id"),
            dependencies=(
                Dependency(
                    "negotiations_official",
                    ("name", "native_name"),
                    "r.speaker_id = {changed}.id",
                ),
            ),
        ),
        Document(
            label="negotiations.claim",
            table="negotiations_claim",
            parts=(Part("text", "A", "{row}.text"),),
            snippet="text",
            columns=("text",),
        ),
        Document(
            label="negotiations.source",
            table="negotiations_source",
            parts=(
                Part("title", "A", "{row}.title"),
                Part(
                    "people",
                    "B",
                    "coalesce({row}.author, '') || ' ' || coalesce((SELECT t.name FROM "
                    "negotiations_outlet t WHERE t.id = {row}.outlet_id), '')",
                ),
                Part("body", "C", "{row}.body"),
            ),
            snippet="body",
            columns=("title", "author", "outlet_id", "body"),
            dependencies=(
                Dependency("negotiations_outlet", ("name",), "r.outlet_id = {changed}.id"),
            ),
        ),
        Document(
            label="negotiations.round",
            table="negotiations_round",
            parts=(
                Part("title", "A", "{row}.title"),
                Part(
                    "place", "B", "coalesce({row}.city, '') || ' ' || coalesce({row}.country, '')"
                ),
                Part("summary", "B", "{row}.summary"),
                Part("outcome", "C", "{row}.outcome"),
            ),
            snippet="summary",
            columns=("title", "city", "country", "summary", "outcome"),
        ),
        Document(
            label="negotiations.stickingpoint",
            table="negotiations_stickingpoint",
            parts=(Part("name", "A", "{row}.name"), Part("summary", "B", "{row}.summary")),
            snippet="summary",
            columns=("name", "summary"),
        ),
        Document(
            label="negotiations.official",
            table="negotiations_official",
            parts=(
                Part("name", "A", _names("{row}")),
                # Positions in no particular order: a document is a bag of weighted words.
                Part(
                    "positions",
                    "B",
                    "(SELECT {concat}(coalesce(p.title, '') || ' ' || coalesce(p.organisation, '')"
                    ", ' ') FROM negotiations_position p WHERE p.official_id = {row}.id)",
                ),
            ),
            snippet=None,
            columns=("name", "native_name"),
            dependencies=(Dependency("negotiations_position", (), "r.id = {changed}.official_id"),),
        ),
    )
}


def document_for(model):
    return DOCUMENTS[model._meta.label_lower]
