import pytest
from django.http import QueryDict

from search.params import InvalidSearch, SearchParams
from search.query import search_articles


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"query": "x" * 501}, "500 characters"),
        ({"query": "pain", "page": 0}, "page"),
        ({"query": "pain", "per_page": 500}, "per_page"),
    ],
)
def test_unfixable_input_is_refused_with_a_readable_message(arguments, message):
    with pytest.raises(InvalidSearch, match=message):
        search_articles(params=SearchParams(**arguments))


def test_a_page_past_what_a_server_pages_through_asks_for_no_hits():
    assert SearchParams(page=5000).hit_window == (0, 0)
    assert SearchParams(page=3).hit_window == (20, 10)


def test_a_query_string_reads_into_the_same_params_for_page_and_api():
    data = QueryDict("q=back+pain&topic=back-pain&topic=&therapy=yoga&page=2")
    assert SearchParams.from_query_dict(data) == SearchParams(
        query="back pain", topics=("back-pain",), therapies=("yoga",), page=2
    )


def test_only_the_api_lets_a_client_choose_the_page_size():
    data = QueryDict("q=pain&per_page=25")
    assert SearchParams.from_query_dict(data).per_page == 10
    assert SearchParams.from_query_dict(data, allow_per_page=True).per_page == 25


@pytest.mark.parametrize(
    ("query_string", "message"),
    [("page=two", "page must be a whole number"), ("page=-1", "page must be 1")],
)
def test_a_malformed_number_is_refused_before_any_search(query_string, message):
    with pytest.raises(InvalidSearch, match=message):
        SearchParams.from_query_dict(QueryDict(query_string))


@pytest.mark.django_db
def test_cleaning_tidies_whitespace_and_repeated_filters():
    params = SearchParams(query="  back \t pain\x00 ", therapies=("yoga", "yoga"))
    assert params.cleaned() == SearchParams(query="back pain", therapies=("yoga",))
