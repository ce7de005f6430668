"""The bench's raw column replays the reader search's main engine request, not
whichever request the search happened to send last (the best keyword score
first, then the search with its spelling check in one multi-search)."""

from bench.speed import RequestRecorder


class Engine:
    def __init__(self):
        self.sent = []

    def search(self, **kwargs):
        self.sent.append(("search", kwargs))
        return {}

    def msearch(self, **kwargs):
        self.sent.append(("msearch", kwargs))
        return []


def test_the_replay_is_the_largest_request_of_the_call_and_only_once():
    engine = Engine()
    with RequestRecorder(owner=engine) as recorder:
        engine.search(index="a", body={"size": 1})
        main = {
            "index": "a",
            "bodies": [
                {"query": {"match": {"title": "knee pain"}}},
                {"suggest": {"text": "knee"}},
            ],
        }
        engine.msearch(**main)
        engine.search(index="a", body={"size": 0})
        recorder.replay_ms()
        assert engine.sent[-1] == ("msearch", main)
        assert recorder.last is None
    assert engine.search.__name__ == "search"


def test_a_client_without_multi_search_replays_its_own_search():
    class Client:
        sent = []

        def search(self, **kwargs):
            self.sent.append(kwargs)

    client = Client()
    replayed = []
    with RequestRecorder(owner=Client, replay=lambda **kw: replayed.append(kw)) as rec:
        client.search(body={"query": {"match_all": {}}})
        rec.replay_ms()
    assert replayed == [{"body": {"query": {"match_all": {}}}}]
