"""The search server Relief talks to, and every difference between the engines it
supports: Elasticsearch 8 (through elasticsearch-py) and OpenSearch 2.x/3.x
(through opensearch-py).

The rest of the app builds one mapping and one query body and calls the methods
of `Engine`; nothing outside this module imports either client. The differences
that live here, each covered by a test in tests/search/test_engine.py:

- the client class and its connection options (`basic_auth`/`api_key`/
  `request_timeout` against `http_auth`/`timeout`; OpenSearch has no API keys);
- elasticsearch-py 8 refuses any server without its product header and sends
  `compatible-with=8` media types, which OpenSearch answers with 406, so the
  engine is named in settings or read from the server's root answer first;
- call signatures (keyword bodies against `body=`, a multi-search's `searches=`
  against `body=`), response objects against plain dicts,
  `options(ignore_status=...)` against `ignore=...`, `options(request_timeout=...)`
  against a `request_timeout=` argument;
- the exception families that mean "unreachable, try later";
- vectors: `dense_vector` and the `knn` query's `query_vector`/`num_candidates`/
  `similarity` on Elasticsearch, against `knn_vector` (in an index with
  `index.knn`, on the k-NN plugin's Lucene engine) and `knn`'s `vector` with
  `k` or `min_score` (not both) on OpenSearch; the Painless cosine takes the
  field's name on Elasticsearch and its doc values on OpenSearch, and a vector's
  value is `vectorValue` on one and `value` on the other;
- OpenSearch 3 scores BM25 without the (k1 + 1) factor the others keep, so its
  indexes ask for the legacy BM25.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from functools import cache

from search.conf import get_search_settings

ELASTICSEARCH = "elasticsearch"
OPENSEARCH = "opensearch"
ENGINES = (ELASTICSEARCH, OPENSEARCH)


class SearchNotConfigured(RuntimeError):
    pass


class SearchUnavailable(RuntimeError):
    """The search server cannot answer now (down, slow or not configured)."""


class EngineMismatch(RuntimeError):
    """Settings name one engine and the server at the URL is another."""


class SearchFailed(RuntimeError):
    """One search of a multi-search that the server answered with an error
    (the others may have succeeded): its HTTP status and the server's reason."""

    def __init__(self, *, status: int, reason: str):
        super().__init__(f"search failed with status {status}: {reason}")
        self.status = status


def responses_of(answer: dict) -> list[dict]:
    """Each search's response of a multi-search answer, in request order;
    SearchFailed for the first that failed."""
    responses = answer["responses"]
    for response in responses:
        if "error" in response:
            error = response["error"]
            if isinstance(error, dict):
                error = error.get("reason") or error.get("type") or error
            raise SearchFailed(status=response.get("status", 500), reason=str(error))
    return responses


def configured_engine() -> str:
    """RELIEF_SEARCH['ENGINE'] when set ("" means: ask the server)."""
    engine = (get_search_settings()["ENGINE"] or "").strip().lower()
    if engine and engine not in ENGINES:
        raise SearchNotConfigured(
            f"RELIEF_SEARCH_ENGINE is {engine!r}; use one of {', '.join(ENGINES)} "
            "or leave it empty to detect the engine from the server."
        )
    return engine


def engine_of_root(root: dict) -> tuple[str, str]:
    """(engine, version) from the answer to `GET /`."""
    version = root.get("version", {})
    if version.get("distribution") == OPENSEARCH:
        return OPENSEARCH, version.get("number", "")
    return ELASTICSEARCH, version.get("number", "")


def read_root(config: dict) -> dict:
    """`GET /` with the configured credentials, through no client: neither
    client can be chosen before the engine is known."""
    request = urllib.request.Request(config["URL"].rstrip("/") + "/")
    if config.get("API_KEY"):
        request.add_header("Authorization", f"ApiKey {config['API_KEY']}")
    elif config.get("USERNAME"):
        pair = f"{config['USERNAME']}:{config.get('PASSWORD', '')}".encode()
        request.add_header("Authorization", f"Basic {base64.b64encode(pair).decode()}")
    context = None
    if config["URL"].startswith("https"):
        import ssl

        context = ssl.create_default_context(cafile=config.get("CA_CERTS") or None)
        if not config.get("VERIFY_CERTS", True):
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
    try:
        with urllib.request.urlopen(  # noqa: S310 - the configured server URL
            request, timeout=config.get("TIMEOUT", 2), context=context
        ) as response:
            return json.loads(response.read())
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise SearchUnavailable(
            f"Search server {config['URL']} did not answer GET /: {exc}"
        ) from exc


def detect_engine(config: dict) -> tuple[str, str]:
    """The engine at the URL; a clear error when settings name another one."""
    found, version = engine_of_root(read_root(config))
    wanted = configured_engine()
    if wanted and wanted != found:
        raise EngineMismatch(
            f"RELIEF_SEARCH_ENGINE is {wanted!r} but the server at {config['URL']} "
            f"is {found} {version}. Set RELIEF_SEARCH_ENGINE={found} (or leave it "
            "empty to detect it), or point ELASTICSEARCH_URL at a "
            f"{wanted} server."
        )
    return found, version


def search_config() -> dict:
    config = get_search_settings()
    if not config.get("URL"):
        raise SearchNotConfigured(
            "ELASTICSEARCH_URL is not set: `make run` starts the embedded server, "
            "production points it at the cluster."
        )
    return config


class Engine:
    """The operations Relief sends to a server, as plain dicts in and out."""

    name = ""

    def __init__(self, *, config: dict, version: str = ""):
        self.url = config["URL"]
        self.version = version
        self.client = self.make_client(config)

    def make_client(self, config: dict):
        raise NotImplementedError

    def describe(self) -> str:
        return f"{self.name} {self.version}".strip()

    # Vectors -------------------------------------------------------------------

    def vector_mapping(self, *, dims: int) -> dict:
        """The mapping of a field holding one unit vector per document."""
        raise NotImplementedError

    def index_settings(self) -> dict:
        """Settings every Relief index needs on this engine: those vector fields
        need, and the scoring the query's constants are weighed against."""
        return {}

    def knn_query(
        self,
        *,
        field: str,
        vector: list[float],
        k: int,
        min_cosine: float | None = None,
    ) -> dict:
        """The k nearest documents to `vector` by cosine, only those at least
        `min_cosine` close when given."""
        raise NotImplementedError

    def vector_value_expression(self, *, field: str) -> str:
        """Painless for the document's vector as a float array, in any script
        context (script fields too, where the cosine functions are not)."""
        raise NotImplementedError

    def cosine_expression(self, *, field: str, vector_param: str) -> str:
        """Painless for the cosine of `field` with params[vector_param], in a
        script_score; callers first check the document has a vector
        (`has_vector_expression`)."""
        raise NotImplementedError

    @staticmethod
    def has_vector_expression(*, field: str) -> str:
        return f"!doc['{field}'].empty"

    def msearch(self, *, index: str, bodies: list[dict]) -> list[dict]:
        """Several searches in one request, which the server runs side by
        side; their responses in order (SearchFailed if one failed)."""
        raise NotImplementedError

    def force_merge(self, *, index: str, timeout: float) -> None:
        """Merge the index into one segment, waiting up to `timeout` seconds
        (the server goes on merging if the client stops waiting)."""
        raise NotImplementedError

    def segments(self, *, index: str) -> list[dict]:
        """The index's segments, one row each (`cat` rows), replicas too."""
        raise NotImplementedError

    def primary_segment_count(self, *, index: str) -> int:
        return sum(1 for row in self.segments(index=index) if row["prirep"] == "p")

    def count(self, *, index: str) -> int:
        return self.client.count(index=index)["count"]

    def index_exists(self, *, name: str) -> bool:
        return bool(self.client.indices.exists(index=name))

    def refresh(self, *, index: str) -> None:
        self.client.indices.refresh(index=index)

    def bulk(self, *, actions: list[dict], refresh: bool, chunk_size: int) -> list:
        """The items the server rejected (a 409 for a stale version among them)."""
        _, errors = self.bulk_helper()(
            self.client,
            actions,
            refresh=refresh,
            raise_on_error=False,
            chunk_size=chunk_size,
        )
        return errors


class ElasticsearchEngine(Engine):
    name = ELASTICSEARCH

    def make_client(self, config: dict):
        from elasticsearch import Elasticsearch

        options = {
            "hosts": [config["URL"]],
            "request_timeout": config.get("TIMEOUT", 2),
            "max_retries": 0,
            "retry_on_timeout": False,
        }
        if config.get("API_KEY"):
            options["api_key"] = config["API_KEY"]
        elif config.get("USERNAME"):
            options["basic_auth"] = (config["USERNAME"], config.get("PASSWORD", ""))
        if config["URL"].startswith("https"):
            options["verify_certs"] = config.get("VERIFY_CERTS", True)
            if config.get("CA_CERTS"):
                options["ca_certs"] = config["CA_CERTS"]
        return Elasticsearch(**options)

    def vector_mapping(self, *, dims: int) -> dict:
        return {
            "type": "dense_vector",
            "dims": dims,
            "index": True,
            "similarity": "cosine",
        }

    def knn_query(
        self,
        *,
        field: str,
        vector: list[float],
        k: int,
        min_cosine: float | None = None,
    ) -> dict:
        # On one shard the query returns num_candidates documents; `similarity`
        # is the least cosine itself.
        knn = {"field": field, "query_vector": vector, "num_candidates": k}
        if min_cosine is not None:
            knn["similarity"] = min_cosine
        return {"knn": knn}

    def vector_value_expression(self, *, field: str) -> str:
        return f"doc['{field}'].vectorValue"

    def cosine_expression(self, *, field: str, vector_param: str) -> str:
        return f"cosineSimilarity(params.{vector_param}, '{field}')"

    def info(self) -> dict:
        return self.client.info().body

    def search(self, *, index: str, body: dict) -> dict:
        return self.client.search(index=index, **body).body

    def msearch(self, *, index: str, bodies: list[dict]) -> list[dict]:
        searches = [line for body in bodies for line in ({}, body)]
        return responses_of(self.client.msearch(index=index, searches=searches).body)

    def force_merge(self, *, index: str, timeout: float) -> None:
        self.client.options(request_timeout=timeout).indices.forcemerge(
            index=index, max_num_segments=1
        )

    def segments(self, *, index: str) -> list[dict]:
        return self.client.cat.segments(index=index, format="json").body

    def get_source(
        self, *, index: str, doc_id: str, fields: list[str] | None = None
    ) -> dict | None:
        """The document's source (only `fields` when given); None when missing."""
        response = self.client.options(ignore_status=404).get(
            index=index, id=doc_id, source_includes=fields
        )
        return response.body.get("_source")

    def bulk_helper(self):
        from elasticsearch.helpers import bulk

        return bulk

    def create_index(self, *, name: str, body: dict) -> None:
        self.client.indices.create(index=name, **body)

    def delete_index(self, *, name: str) -> None:
        self.client.options(ignore_status=404).indices.delete(index=name)

    def alias_indexes(self, *, name: str) -> list[str]:
        if not self.client.indices.exists_alias(name=name):
            return []
        return sorted(self.client.indices.get_alias(name=name).body)

    def update_aliases(self, *, actions: list[dict]) -> None:
        self.client.indices.update_aliases(actions=actions)

    @staticmethod
    def is_unavailable(exc: BaseException) -> bool:
        from elasticsearch import ApiError, SerializationError, TransportError

        # A body the client cannot encode is Relief's mistake, not the server's.
        if isinstance(exc, SerializationError):
            return False
        if isinstance(exc, TransportError):
            return True
        return isinstance(exc, ApiError) and exc.meta.status >= 500

    @staticmethod
    def is_not_found(exc: BaseException) -> bool:
        from elasticsearch import NotFoundError

        return isinstance(exc, NotFoundError)


class OpenSearchEngine(Engine):
    name = OPENSEARCH

    def make_client(self, config: dict):
        from opensearchpy import OpenSearch

        if config.get("API_KEY"):
            raise SearchNotConfigured(
                "OpenSearch has no API keys: set ELASTICSEARCH_USERNAME and "
                "ELASTICSEARCH_PASSWORD (basic auth, as AWS OpenSearch Service's "
                "fine-grained access control uses) instead of ELASTICSEARCH_API_KEY."
            )
        options = {
            "hosts": [config["URL"]],
            "timeout": config.get("TIMEOUT", 2),
            "max_retries": 0,
            "retry_on_timeout": False,
        }
        if config.get("USERNAME"):
            options["http_auth"] = (config["USERNAME"], config.get("PASSWORD", ""))
        if config["URL"].startswith("https"):
            options["use_ssl"] = True
            options["verify_certs"] = config.get("VERIFY_CERTS", True)
            options["ssl_show_warn"] = options["verify_certs"]
            if config.get("CA_CERTS"):
                options["ca_certs"] = config["CA_CERTS"]
        return OpenSearch(**options)

    @property
    def major_version(self) -> int:
        return int((self.version or "2").split(".")[0])

    def vector_mapping(self, *, dims: int) -> dict:
        # The Lucene engine: the plugin's default engine (faiss on 3.x) needs
        # native libraries that not every installation has.
        return {
            "type": "knn_vector",
            "dimension": dims,
            "method": {"name": "hnsw", "engine": "lucene", "space_type": "cosinesimil"},
        }

    def index_settings(self) -> dict:
        settings = {"knn": True}
        if self.major_version >= 3:
            # OpenSearch 3's BM25 drops Lucene's former (k1 + 1) factor, scoring
            # every text match 2.2 times lower than Elasticsearch 8 and
            # OpenSearch 2, beside fixed scores (a typo match, a topic bonus)
            # weighed against the former.
            settings["similarity"] = {"default": {"type": "LegacyBM25"}}
        return settings

    def knn_query(
        self,
        *,
        field: str,
        vector: list[float],
        k: int,
        min_cosine: float | None = None,
    ) -> dict:
        nearest = {"knn": {field: {"vector": vector, "k": k}}}
        if min_cosine is None:
            return nearest
        # A k-NN query takes `k` or a least score, not both: the nearest k,
        # filtered by a radial search. Lucene's cosine score is (1 + cos) / 2.
        radial = {"knn": {field: {"vector": vector, "min_score": (1 + min_cosine) / 2}}}
        return {"bool": {"must": [nearest], "filter": [radial]}}

    def vector_value_expression(self, *, field: str) -> str:
        return f"doc['{field}'].value"

    def cosine_expression(self, *, field: str, vector_param: str) -> str:
        return f"cosineSimilarity(params.{vector_param}, doc['{field}'])"

    def info(self) -> dict:
        return self.client.info()

    def search(self, *, index: str, body: dict) -> dict:
        return self.client.search(index=index, body=body)

    def msearch(self, *, index: str, bodies: list[dict]) -> list[dict]:
        searches = [line for body in bodies for line in ({}, body)]
        return responses_of(self.client.msearch(index=index, body=searches))

    def force_merge(self, *, index: str, timeout: float) -> None:
        self.client.indices.forcemerge(
            index=index, max_num_segments=1, request_timeout=timeout
        )

    def segments(self, *, index: str) -> list[dict]:
        return self.client.cat.segments(index=index, format="json")

    def get_source(
        self, *, index: str, doc_id: str, fields: list[str] | None = None
    ) -> dict | None:
        params = {"_source_includes": ",".join(fields)} if fields else {}
        response = self.client.get(index=index, id=doc_id, ignore=404, params=params)
        return response.get("_source")

    def bulk_helper(self):
        from opensearchpy.helpers import bulk

        return bulk

    def create_index(self, *, name: str, body: dict) -> None:
        self.client.indices.create(index=name, body=body)

    def delete_index(self, *, name: str) -> None:
        self.client.indices.delete(index=name, ignore=404)

    def alias_indexes(self, *, name: str) -> list[str]:
        if not self.client.indices.exists_alias(name=name):
            return []
        return sorted(self.client.indices.get_alias(name=name))

    def update_aliases(self, *, actions: list[dict]) -> None:
        self.client.indices.update_aliases(body={"actions": actions})

    @staticmethod
    def is_unavailable(exc: BaseException) -> bool:
        from opensearchpy import ConnectionError, TransportError

        if isinstance(exc, ConnectionError):
            return True
        return (
            isinstance(exc, TransportError)
            and isinstance(exc.status_code, int)
            and exc.status_code >= 500
        )

    @staticmethod
    def is_not_found(exc: BaseException) -> bool:
        from opensearchpy import NotFoundError

        return isinstance(exc, NotFoundError)


ENGINE_CLASSES = {ELASTICSEARCH: ElasticsearchEngine, OPENSEARCH: OpenSearchEngine}


@cache
def _engine_for(config_key: tuple) -> Engine:
    config = dict(config_key)
    name, version = detect_engine(config)
    return ENGINE_CLASSES[name](config=config, version=version)


def get_engine(*, write: bool = False) -> Engine:
    """The engine for the configured server, detected once per configuration,
    so tests and settings overrides that change the URL get a fresh one. For
    index writes (bulk loads, rebuilds) one whose requests wait WRITE_TIMEOUT
    (default 30 s): a bulk of hundreds of documents may take longer than a
    reader should ever wait (TIMEOUT), and never less than TIMEOUT."""
    config = search_config()
    if write:
        waits = (config.get("WRITE_TIMEOUT", 30), config.get("TIMEOUT", 2))
        config = {**config, "TIMEOUT": max(waits)}
    return _engine_for(tuple(sorted(config.items())))


def is_unavailable(exc: BaseException) -> bool:
    """Errors that mean "try again later" rather than "this request is wrong";
    the read side falls back to the database on them, the write side retries."""
    if isinstance(exc, SearchNotConfigured | SearchUnavailable):
        return True
    if isinstance(exc, SearchFailed):
        return exc.status >= 500
    return any(cls.is_unavailable(exc) for cls in ENGINE_CLASSES.values())


def is_not_found(exc: BaseException) -> bool:
    if isinstance(exc, SearchFailed):
        return exc.status == 404
    return any(cls.is_not_found(exc) for cls in ENGINE_CLASSES.values())
