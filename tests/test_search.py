"""Full-text search (``negotiations.search``) on the database the suite runs on: words and their
stems, not substrings; US, U.S. and USA as one; phrases; native-script names; the same ranking
on SQLite and PostgreSQL; an index that follows every write path; the search page's honest
counts; hostile queries."""

import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.models.signals import post_migrate, pre_migrate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negotiations import search
from negotiations.models import Claim, Official, Position, Quote, Round, Source
from negotiations.search import backends
from negotiations.search.documents import DOCUMENTS, document_for
from negotiations.search.text import index_text, parse
from tests.factories import (
    cite,
    make_claim,
    make_official,
    make_outlet,
    make_quote,
    make_round,
    make_source,
)

pytestmark = pytest.mark.django_db


def found(model, text):
    return set(model.objects.matching(text).values_list("pk", flat=True))


def indexed(model, text):
    """The records the index alone finds for ``text`` (not joined with their table)."""
    document, query = document_for(model), parse(text)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            fts = document.fts_table
            cursor.execute(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", [query.fts5()])
        else:
            cursor.execute(
                f"SELECT id FROM {document.table} WHERE search_document @@ "
                "websearch_to_tsquery(%s::regconfig, %s)",
                [backends.CONFIG, query.websearch()],
            )
        return {row[0] for row in cursor.fetchall()}


def quote(text, **fields):
    return make_quote(text=text, **fields).pk


class TestWords:
    def test_a_word_matches_as_a_word_never_as_part_of_another(self):
        us = quote("US tariffs rose again")
        quote("thus we discuss it")
        quote("the rules must exist")
        xi = quote("Xi spoke to the press")
        assert found(Quote, "US") == {us}
        assert found(Quote, "Xi") == {xi}

    def test_plurals_and_stems_match(self):
        plural = quote("new tariffs on steel")
        singular = quote("one tariff on steel")
        assert found(Quote, "tariff") == found(Quote, "tariffs") == {plural, singular}
        assert found(Quote, "Tariffs") == {plural, singular}

    def test_every_word_must_match_somewhere_in_the_document(self):
        speaker = make_official(name="Scott Bessent", native_name="")
        both = quote("the talks are deadlocked", speaker=speaker, setting="Fox interview")
        quote("the talks went well", speaker=speaker)
        assert found(Quote, "bessent deadlocked") == {both}
        assert found(Quote, "bessent fox") == {both}
        assert found(Quote, "bessent beijing") == set()

    def test_common_words_are_left_out_unless_they_are_all_there_is(self):
        talks = quote("the talks stalled")
        assert found(Quote, "the talks") == {talks}
        assert found(Quote, "talks of") == {talks}
        assert found(Quote, "the") == {talks}

    def test_or_and_excluded_words(self):
        china = quote("tariffs on China")
        mexico = quote("tariffs on Mexico")
        quote("quotas on Canada")
        assert found(Quote, "china or mexico") == {china, mexico}
        assert found(Quote, "tariffs -china") == {mexico}
        assert found(Quote, "-china") == set()


@pytest.mark.parametrize("written", ["US", "U.S.", "USA", "U.S.A.", "U.S.A", "U.S"])
@pytest.mark.parametrize("typed", ["US", "U.S.", "USA", "us", "u.s.", "Usa", "U.S.A."])
def test_the_united_states_is_one_word_however_it_is_written_or_typed(written, typed):
    country = quote(f"{written} tariffs on steel")
    quote("they told us to wait")
    assert found(Quote, typed) == {country}
    assert found(Quote, f'"{typed} tariffs"'.replace("us ", "US ")) == {country}


def test_us_the_pronoun_is_not_the_country_in_texts():
    pronoun = quote("they told us to wait")
    assert found(Quote, "US") == set()
    assert found(Quote, '"told us"') == {pronoun}


class TestPhrases:
    def test_a_quoted_phrase_needs_its_words_together_and_in_order(self):
        together = quote("exports of rare earths resumed")
        apart = quote("rare talks about the earths")
        assert found(Quote, '"rare earths"') == {together}
        assert found(Quote, "rare earths") == {together, apart}
        assert found(Quote, '"earths rare"') == set()

    def test_words_joined_by_punctuation_are_a_phrase(self):
        joined = quote("rare-earth magnets")
        quote("earth is rare")
        assert found(Quote, "rare-earth") == {joined}
        assert found(Quote, "30.5") == set()
        decimal = quote("a rate of 30.5% now")
        assert found(Quote, "30.5") == {decimal}


class TestNativeScriptNames:
    def test_an_official_is_found_by_their_native_name(self):
        li = make_official(name="Li Chenggang", native_name="李成钢")
        make_official(name="He Lifeng", native_name="何立峰")
        assert found(Official, "李成钢") == {li.pk}
        assert found(Official, "何立峰 李成钢") == set()

    def test_their_quotes_are_found_by_it_too(self):
        li = make_official(name="Li Chenggang", native_name="李成钢")
        theirs = quote("China will honour the terms", speaker=li)
        quote("Talks will continue", speaker=make_official(name="He Lifeng", native_name="何立峰"))
        assert found(Quote, "李成钢") == {theirs}

    def test_a_name_is_found_in_running_chinese_text(self):
        running = quote("李成钢说会谈富有建设性")
        assert found(Quote, "李成钢") == {running}
        assert found(Quote, "何立峰") == set()


class TestRanking:
    """The same orders on SQLite (bm25) and PostgreSQL (ts_rank), with the same weights."""

    def ranked(self, model, text):
        return list(model.objects.ranked(text).values_list("pk", flat=True))

    def fillers(self, n=4):
        for i in range(n):
            make_source(title=f"Unrelated {i}", body="Nothing to see in this text at all.")

    def test_a_title_match_ranks_above_a_body_match(self):
        self.fillers()
        in_body = make_source(title="Talks in Geneva", body="The rare earths were discussed.")
        in_title = make_source(title="Rare earths talks", body="The minerals were discussed.")
        assert self.ranked(Source, "rare") == [in_title.pk, in_body.pk]

    def test_more_occurrences_rank_above_fewer(self):
        for i in range(4):
            quote(f"nothing relevant here at all {i}")
        fewer = quote("tariffs and some other words said here")
        more = quote("tariffs, tariffs and yet more tariffs here")
        assert self.ranked(Quote, "tariffs") == [more, fewer]

    def test_text_above_speaker_above_setting(self):
        for i in range(4):
            quote(f"nothing relevant here at all {i}")
        speaker = make_official(name="Fox Mulder", native_name="")
        other = make_official(name="Dana Scully", native_name="")
        in_setting = quote("we will meet again soon", speaker=other, setting="Fox News")
        in_speaker = quote("we will meet again soon", speaker=speaker, setting="Radio show")
        in_text = quote("Fox said we will meet", speaker=other, setting="Radio show")
        assert self.ranked(Quote, "fox") == [in_text, in_speaker, in_setting]

    def test_ranked_keeps_other_filters_and_ranks_only_the_first_matches(self):
        speaker = make_official()
        mine = {quote(f"tariffs {i}", speaker=speaker) for i in range(3)}
        quote("tariffs elsewhere")
        ranked = Quote.objects.filter(speaker=speaker).ranked("tariffs")
        assert set(ranked.values_list("pk", flat=True)) == mine
        assert Quote.objects.filter(speaker=speaker).ranked("tariffs", among=2).count() == 2
        assert all(q.search_rank > 0 for q in ranked)

    def test_without_words_the_records_keep_their_order(self):
        quote("one")
        quote("two")
        assert list(Quote.objects.ranked("  ")) == list(Quote.objects.all())


class TestQuerySetApi:
    def test_matching_composes_without_distinct_or_a_new_order(self):
        speaker = make_official()
        mine = quote("tariffs rose", speaker=speaker)
        quote("tariffs fell")
        quotes = Quote.objects.filter(speaker=speaker).order_by("-id")
        matched = quotes.matching("tariffs")
        assert set(matched.values_list("pk", flat=True)) == {mine}
        assert "DISTINCT" not in str(matched.query)
        assert matched.query.order_by == quotes.query.order_by
        assert list(Quote.objects.exclude(pk__in=Quote.objects.matching("fell"))) == [
            Quote.objects.get(pk=mine)
        ]

    def test_a_match_through_positions_is_one_result(self):
        official = make_official(name="Li Chenggang", native_name="李成钢")
        for title in ("Vice Minister", "Trade Representative", "Vice Minister of Commerce"):
            Position.objects.create(official=official, title=title)
        assert list(Official.objects.matching("vice")) == [official]

    def test_no_words_is_no_filter_and_punctuation_alone_matches_nothing(self):
        quote("anything")
        assert Quote.objects.matching("   ").count() == 1
        assert Quote.objects.matching(":::").count() == 0


class TestIndexFollowsEveryWritePath:
    def test_save(self):
        record = make_quote(text="first wording")
        record.text = "second wording"
        record.save()
        assert indexed(Quote, "first") == set()
        assert indexed(Quote, "second") == {record.pk}

    def test_queryset_update(self):
        pk = quote("first wording")
        Quote.objects.filter(pk=pk).update(text="second wording", setting="Press call")
        assert indexed(Quote, "first") == set()
        assert indexed(Quote, "second press") == {pk}

    def test_bulk_create(self):
        speaker = make_official()
        made = Quote.objects.bulk_create(
            [Quote(speaker=speaker, text=f"bulk words {i}") for i in range(3)]
        )
        assert indexed(Quote, "bulk") == {q.pk for q in made}

    def test_raw_sql(self):
        pk = quote("first wording")
        with connection.cursor() as cursor:
            cursor.execute("UPDATE negotiations_quote SET text = %s WHERE id = %s", ["raw", pk])
        assert indexed(Quote, "first") == set()
        assert indexed(Quote, "raw") == {pk}

    def test_delete(self):
        kept, gone = quote("tariffs kept"), make_quote(text="tariffs gone")
        gone.delete()
        Claim.objects.bulk_create([Claim(text="tariffs claimed")])
        Claim.objects.all().delete()
        assert indexed(Quote, "tariffs") == {kept}
        assert indexed(Claim, "tariffs") == set()

    def test_a_speakers_rename_reaches_their_quotes(self):
        speaker = make_official(name="Ann Smith", native_name="")
        pk = quote("we will see", speaker=speaker)
        speaker.name = "Ann Jones"
        speaker.save()
        assert indexed(Quote, "smith") == set()
        assert indexed(Quote, "jones") == {pk}
        Official.objects.filter(pk=speaker.pk).update(native_name="王毅")
        assert indexed(Quote, "王毅") == {pk}

    def test_a_quote_given_another_speaker_is_found_by_their_name(self):
        pk = quote("we will see", speaker=make_official(name="Ann Smith"))
        Quote.objects.filter(pk=pk).update(speaker=make_official(name="Bo Young"))
        assert indexed(Quote, "smith") == set()
        assert indexed(Quote, "young") == {pk}

    def test_positions_reach_their_official(self):
        official = make_official(name="Ann Smith")
        position = Position.objects.create(official=official, title="Ambassador")
        assert indexed(Official, "ambassador") == {official.pk}
        Position.objects.filter(pk=position.pk).update(title="Envoy")
        assert indexed(Official, "ambassador") == set()
        assert indexed(Official, "envoy") == {official.pk}
        position.delete()
        assert indexed(Official, "envoy") == set()

    def test_an_outlets_rename_reaches_its_sources(self):
        outlet = make_outlet(name="Harbour Gazette")
        source = make_source(outlet=outlet, author="Kim Lee")
        assert indexed(Source, "harbour lee") == {source.pk}
        outlet.name = "Coastal Times"
        outlet.save()
        assert indexed(Source, "harbour") == set()
        assert indexed(Source, "coastal") == {source.pk}

    @pytest.mark.parametrize("label", sorted(DOCUMENTS))
    def test_every_trigger_is_in_place(self, label):
        assert backends.missing_triggers(connection) == set()


class TestMigrations:
    def test_makemigrations_sees_no_change(self):
        call_command("makemigrations", "--check", "--dry-run", verbosity=0)

    def test_triggers_found_missing_after_migrate_are_put_back_and_the_index_rebuilt(self):
        app = apps.get_app_config("negotiations")
        migration = MigrationLoader(connection).get_migration("negotiations", "0010_change_stamp")
        plan = [(migration, False)]
        if connection.vendor == "sqlite":
            # A migrate that changes this app drops them first (Django copies tables to alter
            # them on SQLite, which refuses while another table's trigger names the table).
            pre_migrate.send(sender=app, app_config=app, using="default", plan=plan)
        else:
            with connection.cursor() as cursor:
                cursor.execute(
                    "DROP TRIGGER negotiations_quote_search_document ON negotiations_quote"
                )
        assert backends.missing_triggers(connection)
        pk = quote("written while the triggers were off")
        assert indexed(Quote, "triggers") == set()
        post_migrate.send(sender=app, app_config=app, using="default", plan=plan)
        assert backends.missing_triggers(connection) == set()
        assert indexed(Quote, "triggers") == {pk}

    def test_rebuild_and_optimize_keep_the_same_index(self):
        pk = quote("tariffs again")
        search.rebuild()
        search.optimize()
        assert indexed(Quote, "tariffs") == {pk}


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(st.sampled_from(list("USAusa.. -,'’()李成钢\u200b\ue000é9x\n")), max_size=30))
def test_both_databases_prepare_texts_alike(text):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {backends.FUNCTION}(%s)", [text])
        assert cursor.fetchone()[0] == index_text(text)


HOSTILE = [
    '"',
    '""',
    '"""',
    '"unbalanced',
    "NEAR(tariffs talks)",
    "NEAR",
    "tariffs*",
    "*",
    "-",
    "--",
    "-tariffs",
    '-"rare earths"',
    ":",
    "title:tariffs",
    "^tariffs",
    "tariffs AND",
    "OR",
    "or or",
    "NOT tariffs",
    "(tariffs",
    "tariffs)",
    "()",
    "{tariffs}",
    "[a-z]",
    "'; DROP TABLE negotiations_quote; --",
    "\\",
    "%",
    "_",
    "@",
    "&|!",
    "tariffs:*",
    "a <-> b",
    "\ue000tariffs\ue001",
    "\u200b",
    "🇺🇸 tariffs",
    "مرحبا",
    "ＵＳ",
    "U.S.A.S.",
    "𠀀𠀁",
    "x" * 199,
]


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize(
    "path", ["/search/", "/quotes/", "/claims/", "/rounds/", "/sources/", "/officials/"]
)
def test_hostile_queries_never_give_a_server_error(seeded, client, path, text):
    assert client.get(path, {"q": text}).status_code == 200
    assert client.get(path, {"q": text, "format": "json"}).status_code == 200


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(max_size=40).filter(lambda t: "\x00" not in t))
def test_any_text_is_a_query_the_database_accepts(text):
    for model in (Quote, Source, Official):
        list(model.objects.ranked(text).with_snippet(text)[:2])
        model.objects.matching(text).count()


class TestSearchPage:
    def page(self, client, q, **params):
        return client.get("/search/", {"q": q, **params})

    def test_counts_per_type_are_true_and_link_to_each_list(self, client):
        claims = [make_claim(text=f"US tariffs rose, report {i}") for i in range(25)]
        for claim in claims:
            cite(claim)
        for i in range(3):
            cite(make_claim(text=f"thus spoke the report {i}"))
        data = self.page(client, "US", format="json").json()
        groups = {g["type"]: g for g in data["groups"]}
        assert groups["claims"]["count"] == 25
        assert groups["claims"]["count_is_lower_bound"] is False
        assert groups["claims"]["list_url"] == "/claims/?q=US"
        assert client.get("/claims/", {"q": "US", "format": "json"}).json()["count"] == 25
        page = self.page(client, "US").text
        assert 'data-type="claims" data-count="25"' in page
        assert 'href="/claims/?q=US"' in page
        assert groups["issues"]["list_url"] == "/issues/"
        assert data["total"] == sum(g["count"] for g in data["groups"])

    def test_beyond_the_limit_a_count_says_at_least(self, client, settings):
        settings.SEARCH_COUNT_LIMIT = 10
        settings.SEARCH_RANKED_AMONG = 5
        for i in range(12):
            cite(make_claim(text=f"US tariffs rose, report {i}"))
        data = self.page(client, "tariffs", format="json").json()
        claims = {g["type"]: g for g in data["groups"]}["claims"]
        assert (claims["count"], claims["count_is_lower_bound"]) == (10, True)
        assert claims["ranked_among"] == 5
        assert data["total_is_lower_bound"] is True
        page = self.page(client, "tariffs").text
        assert "(10+)" in page
        assert "More than 5 claims match: these are the best of the first 5 found" in page
        assert re.search(r'data-count="\d+" data-more="true"', page)

    def test_snippets_highlight_the_stored_words_and_escape_the_rest(self, client):
        li = make_official(name="Li Chenggang", native_name="李成钢")
        record = make_quote(speaker=li, text="<script>alert(1)</script> the U.S. tariffs stay")
        cite(record)
        page = self.page(client, "US tariffs").text
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt; the <mark>U.S.</mark> <mark>tariffs" in page
        chinese = make_quote(speaker=li, text="李成钢说会谈富有建设性")
        cite(chinese)
        assert "<mark>李成钢</mark>说会谈富有建设性" in self.page(client, "李成钢").text

    def test_results_are_grouped_by_type_best_first(self, seeded, client):
        page = self.page(client, "tariffs")
        names = [group.name for group in page.context["groups"]]
        assert names == ["rounds", "issues", "officials", "quotes", "claims", "sources"]
        issues = [result.record for result in page.context["groups"][1].results]
        assert "tariffs" in [issue.slug for issue in issues[:3]]
        ranks = [issue.search_rank for issue in issues]
        assert ranks == sorted(ranks, reverse=True)

    def test_csv_and_json_keep_working(self, seeded, client):
        data = self.page(client, "tariffs", format="json").json()
        assert data["count"] == len(data["results"]) > 0
        assert {"type", "url", "title", "snippet"} <= set(data["results"][0])
        assert "<mark>" not in str(data["results"])
        csv = self.page(client, "tariffs", format="csv").getvalue().decode("utf-8-sig")
        assert csv.splitlines()[0] == "type,url,title,snippet"

    def test_a_fixed_number_of_queries(self, client, django_assert_max_num_queries):
        round_ = make_round(title="US talks")
        for i in range(30):
            cite(make_claim(text=f"US claim {i}", round=round_))
        with django_assert_max_num_queries(12):
            assert self.page(client, "US").status_code == 200

    def test_punctuation_alone_says_there_is_nothing_to_look_for(self, client):
        page = self.page(client, ":::")
        assert "has no words to look for" in page.text
        assert Round.objects.count() == 0 or page.context["total"].count == 0
