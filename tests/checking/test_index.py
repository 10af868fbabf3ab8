"""The checker's index of runs of three words stays right on every path that writes quotes."""

import pytest
from django.db import connection

from negotiations.checking import index
from negotiations.models import PublicationState, Quote
from tests.factories import make_official, make_quote


def rows():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT hash, speaker_id, quote_id FROM {index.TABLE}")
        return set(cursor.fetchall())


def expected(*quotes):
    wanted = set()
    with connection.cursor() as cursor:
        for quote in quotes:
            quote.refresh_from_db()
            words = index.words(quote.text)
            for i in range(len(words) - index.WORDS + 1):
                cursor.execute("SELECT negotiations_shingle(%s)", [" ".join(words[i : i + 3])])
                wanted.add((cursor.fetchone()[0], quote.speaker_id, quote.pk))
    return wanted


@pytest.mark.django_db
def test_every_write_path_keeps_the_index_right():
    bessent, greer = make_official(name="Scott Bessent"), make_official(name="Jamieson Greer")
    quote = make_quote(bessent, text="The talks have stalled for now, sadly", kind="direct")
    assert rows() == expected(quote) and len(rows()) == 5  # "the talks have" … "now sadly"
    quote.text = "The talks are back on track again"
    quote.save()
    assert rows() == expected(quote)
    Quote.objects.filter(pk=quote.pk).update(speaker=greer)  # no signal, no save()
    assert rows() == expected(quote) and {r[1] for r in rows()} == {greer.pk}
    more = Quote.objects.bulk_create(
        [
            Quote(speaker=bessent, text=f"Bulk quote number {n} about soybeans", kind="direct")
            for n in range(3)
        ]
    )
    assert rows() == expected(quote, *more)
    Quote.objects.filter(pk__in=[q.pk for q in more[:2]]).delete()
    assert rows() == expected(quote, more[2])
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Quote._meta.db_table} WHERE id = %s", [more[2].pk])
    assert rows() == expected(quote)


@pytest.mark.django_db
def test_runs_of_one_text_are_hashed_alike_when_indexed_and_when_looked_for():
    speaker = make_official(name="Mao Ning")
    quote = make_quote(
        speaker, text="The U.S. decision is “fully unjustified”, it’s said", kind="direct"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT negotiations_shingle(%s)", ["decision IS Fully"])
        wanted = cursor.fetchone()[0]
    assert (wanted, speaker.pk, quote.pk) in rows()


@pytest.mark.django_db
def test_filling_again_gives_the_same_index():
    speaker = make_official(name="He Lifeng")
    make_quote(speaker, text="We agreed on a framework in London this week", kind="direct")
    make_quote(speaker, text="Tariffs stay at thirty percent", state=PublicationState.PUBLISHED)
    before = rows()
    index.fill(connection)
    assert rows() == before and before
