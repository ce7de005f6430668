"""The bench's raw column replays the reader search's main engine request, not
whichever request the search happened to send last (a spelling check or the
best keyword score)."""

from bench.speed import RequestRecorder


class Engine:
    def __init__(self):
        self.sent = []

    def search(self, **kwargs):
        self.sent.append(kwargs)
        return {}


def test_the_replay_is_the_largest_request_of_the_call_and_only_once():
    engine = Engine()
    with RequestRecorder(owner=engine) as recorder:
        engine.search(index="a", body={"size": 1})
        main = {"index": "a", "body": {"query": {"match": {"title": "knee pain"}}}}
        engine.search(**main)
        engine.search(index="a", body={"suggest": {"text": "knee"}})
        recorder.replay_ms()
        assert engine.sent[-1] == main
        assert recorder.last is None
