"""The search outbox: index operations recorded in the same transaction as the
content change that needs them, applied to Elasticsearch after commit.

An entry is pending until a drain applies it (done_at set) or postpones it after
a failed write (attempts + 1, next_attempt_at pushed back); applied entries are
pruned after APPLIED_RETENTION. A page the engine rejected on its
RELIEF_SEARCH["MAX_INDEX_ATTEMPTS"]th attempt is given up (failed_at set, its
error kept) until a new edit of the page, a sync or a rebuild clears it. An
unreachable server never gives an entry up: it waits for the server. The drain
itself lives in search.indexing.

Drains from requests, cron and the worker run at once: each claims the entries
it applies (claim_batch), document versions come from the database
(IndexVersion), not from any host's clock, and creating the index and its alias
happens under a database lock (index_lock)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connection, models, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from wagtail.admin.panels import FieldPanel

from search.conf import get_search_settings

# Retry delays after a failed write: 10 s, 20 s, 40 s, ... capped at an hour.
RETRY_BASE_S = 10
RETRY_MAX_S = 3600
# Applied outbox entries are kept this long so a rebuild can replay the pages
# edited while it was loading; a rebuild must finish well inside it.
APPLIED_RETENTION = timedelta(days=1)
# A claimed entry is another drain's until then: long enough for one batch's
# write, short enough that the entries of a drain that died are taken up again.
CLAIM_LEASE = timedelta(minutes=5)
# Key of the PostgreSQL advisory lock around creating the index and its alias.
INDEX_LOCK_KEY = 0x52454C49


def max_index_attempts() -> int:
    attempts = get_search_settings()["MAX_INDEX_ATTEMPTS"]
    if not isinstance(attempts, int) or attempts < 1:
        raise ImproperlyConfigured(
            f'RELIEF_SEARCH["MAX_INDEX_ATTEMPTS"] must be a whole number of at '
            f"least 1, not {attempts!r}."
        )
    return attempts


class IndexOperationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(done_at__isnull=True, failed_at__isnull=True)

    def failed(self):
        """Entries given up after MAX_INDEX_ATTEMPTS rejections, newest first."""
        return self.filter(done_at__isnull=True, failed_at__isnull=False).order_by(
            "-failed_at", "-pk"
        )

    def clear_failures(self, *, page_ids=None, before: datetime | None = None):
        """Forget given-up entries: of `page_ids` (a new edit queues them again),
        or recorded before `before` (a sync or rebuild since wrote every page)."""
        failed = self.failed()
        if before is not None:
            failed = failed.filter(failed_at__lt=before)
        if page_ids is not None:
            # Few pages fail, and an edit may touch thousands: match in Python.
            pages = set(failed.values_list("page_id", flat=True)) & set(page_ids)
            failed = failed.filter(page_id__in=pages)
        failed.delete()

    def claim_batch(self, *, cursor: int, due_only: bool, size: int) -> list:
        """Up to `size` pending entries after `cursor`, oldest first, that no
        other drain holds, now held by this one for CLAIM_LEASE; with due_only,
        only those whose retry back-off has run out."""
        now = timezone.now()
        free = self.pending().filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now), pk__gt=cursor
        )
        if due_only:
            free = free.filter(next_attempt_at__lte=now)
        claim = uuid.uuid4().hex
        with transaction.atomic():
            candidates = free.order_by("pk")
            if connection.features.has_select_for_update_skip_locked:
                # PostgreSQL: rows another drain is claiming are skipped, not waited on.
                candidates = candidates.select_for_update(skip_locked=True)
            ids = list(candidates.values_list("pk", flat=True)[:size])
            # The conditional update is the claim itself on every database: a
            # drain that read the same ids (SQLite has no row locks) finds them
            # taken and updates none.
            free.filter(pk__in=ids).update(claim=claim, claimed_until=now + CLAIM_LEASE)
        return list(self.filter(claim=claim).order_by("pk"))

    def settle(self, *, operations: list, failed: dict) -> list:
        """Mark the entries applied, except those whose page failed to write:
        those back off, or are given up at the last attempt (returned)."""
        done = [op.pk for op in operations if op.page_id not in failed]
        self.filter(pk__in=done).update(done_at=timezone.now())
        rejected = [op for op in operations if op.page_id in failed]
        self.postpone(operations=rejected, errors=failed, default="", give_up=True)
        return [op for op in rejected if op.failed_at]

    def postpone(
        self, *, operations: list, errors: dict, default: str, give_up: bool = False
    ) -> None:
        """Count one more attempt and back off: `errors` by page id, else
        `default`; with `give_up`, an entry out of attempts is failed instead."""
        now = timezone.now()
        limit = max_index_attempts() if give_up else None
        for op in operations:
            op.attempts += 1
            delay = min(RETRY_BASE_S * 2 ** (op.attempts - 1), RETRY_MAX_S)
            op.next_attempt_at = now + timedelta(seconds=delay)
            op.last_error = errors.get(op.page_id, default)
            op.claimed_until = None
            if limit is not None and op.attempts >= limit:
                op.failed_at = now
        self.bulk_update(
            operations,
            ["attempts", "next_attempt_at", "last_error", "claimed_until", "failed_at"],
        )

    def prune_applied(self) -> None:
        self.filter(done_at__lt=timezone.now() - APPLIED_RETENTION).delete()
        IndexVersion.objects.filter(pk__lt=IndexVersion.objects.draw()).delete()

    def page_ids_since(self, moment: datetime) -> set[int]:
        """Pages with an entry written from `moment` on, applied or not."""
        return set(
            self.filter(created_at__gte=moment).values_list("page_id", flat=True)
        )


class IndexOperation(models.Model):
    """One page whose index document must be brought up to date.

    The action records why the entry was written; applying it always re-reads the
    page, so an entry means "make the index match this page as it is now". Applied
    entries are kept for a while (done_at) so a rebuild can replay the pages edited
    while it was loading.
    """

    class Action(models.TextChoices):
        INDEX = "index", "Index"
        DELETE = "delete", "Delete"

    page_id = models.PositiveIntegerField(db_index=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    done_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Given up after MAX_INDEX_ATTEMPTS rejections; last_error says why.
    failed_at = models.DateTimeField(null=True, blank=True)
    # The drain applying the entry, until claimed_until.
    claim = models.CharField(max_length=32, blank=True, db_index=True)
    claimed_until = models.DateTimeField(null=True, blank=True)

    objects = IndexOperationQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = "search index operation"
        # The admin's index health page and its Repair button.
        permissions = [
            ("manage_search_index", "Can see the search index's health and repair it")
        ]

    def __str__(self):
        return f"{self.action} page {self.page_id}"


class IndexVersionQuerySet(models.QuerySet):
    def draw(self) -> int:
        return self.create().pk


class IndexVersion(models.Model):
    """Each row's id is one external document version. The database hands ids
    out in increasing order to every host (a sequence on PostgreSQL,
    AUTOINCREMENT on SQLite), whatever their clocks say, so a version drawn
    after claiming an entry and before reading its page outranks every write
    that read the page before the entry's change. Old rows are pruned."""

    objects = IndexVersionQuerySet.as_manager()

    def __str__(self):
        return f"document version {self.pk}"


@contextmanager
def index_lock() -> Iterator[None]:
    """One holder at a time across processes and hosts, until the block ends:
    a PostgreSQL advisory lock; on SQLite, whose writers take turns, the first
    write of the transaction (drawing a version) holds the database until it
    commits."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [INDEX_LOCK_KEY])
        else:
            IndexVersion.objects.draw()
        yield


# An abbreviation as the list keeps it: 2 to 6 capitals or digits.
ABBREVIATION = re.compile(r"[A-Z][A-Z0-9]{1,5}")


def validate_abbreviation(value: str) -> None:
    if not ABBREVIATION.fullmatch(value):
        raise ValidationError(
            "Write the abbreviation as readers type it: 2 to 6 capital letters or "
            "digits, starting with a letter (ALS, CRPS, NSAID)."
        )


class Abbreviation(models.Model):
    """One abbreviation and one thing it stands for. A search for either finds
    the other; an abbreviation with several expansions expands only to those
    the rest of the query points to (see search.synonyms)."""

    class Source(models.TextChoices):
        DISEASE_ONTOLOGY = "disease-ontology", "Disease Ontology (seed list)"
        RELIEF = "relief", "Relief (seed list)"
        EDITOR = "editor", "Editor"

    # Longer than an abbreviation may be, so a too-long one is refused with the
    # message saying what an abbreviation looks like.
    abbreviation = models.CharField(
        max_length=20,
        validators=[validate_abbreviation],
        help_text="As readers type it, in capitals: ALS, CRPS, NSAID.",
    )
    expansion = models.CharField(
        max_length=200,
        help_text="What it stands for, spelled out: amyotrophic lateral sclerosis.",
    )
    source = models.CharField(
        max_length=20, choices=Source.choices, default=Source.EDITOR, editable=False
    )
    active = models.BooleanField(
        "used in search",
        default=True,
        help_text="Untick to stop searches using this pair without deleting it.",
    )
    any_case = models.BooleanField(
        "also typed in lowercase",
        default=False,
        help_text="Tick when readers type it in lowercase too and it is no "
        "everyday word: “crps”, “nsaids”. Leave unticked for MS, PT or TENS, "
        "which lowercase are other words.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("abbreviation"),
        FieldPanel("expansion"),
        FieldPanel("any_case"),
        FieldPanel("active"),
    ]

    class Meta:
        ordering = ["abbreviation", "expansion"]
        constraints = [
            models.UniqueConstraint(
                "abbreviation", Lower("expansion"), name="unique_abbreviation_pair"
            )
        ]

    def __str__(self):
        return f"{self.abbreviation}: {self.expansion}"

    @property
    def is_seeded(self) -> bool:
        return self.source != self.Source.EDITOR

    def clean(self):
        self.expansion = " ".join(self.expansion.split())
        if self.expansion and ABBREVIATION.fullmatch(self.expansion):
            raise ValidationError({"expansion": "Spell the abbreviation out in words."})
        twins = Abbreviation.objects.filter(
            abbreviation=self.abbreviation, expansion__iexact=self.expansion
        ).exclude(pk=self.pk)
        if twins.exists():
            raise ValidationError(
                {
                    "expansion": f"{self.abbreviation} already stands for "
                    f'"{self.expansion}" in the list.'
                }
            )


def phrase_lines(text: str) -> list[str]:
    """The phrases of a one-per-line field, spaces tidied, blank lines and
    repeats (in any case) dropped."""
    kept: dict[str, str] = {}
    for line in text.splitlines():
        phrase = " ".join(line.split())
        if phrase:
            kept.setdefault(phrase.lower(), phrase)
    return list(kept.values())


class SynonymSet(models.Model):
    """Phrases a search treats as meaning the same: two-way, every phrase finds
    the others ("physio", "physical therapy"); one-way, the phrases readers
    type also find the terms articles use, never the reverse ("tummy ache" ->
    "abdominal pain": a search for abdominal pain is not widened to every
    article saying tummy). Read at query time, like the abbreviation list, so
    a change applies to the next search without re-indexing."""

    class Kind(models.TextChoices):
        TWO_WAY = "two-way", "Two-way: each phrase finds all the others"
        ONE_WAY = "one-way", "One-way: the phrases also find the terms"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TWO_WAY)
    phrases = models.TextField(
        help_text="One per line. One-way: what readers type (tummy ache). "
        "Two-way: every phrase that means the same."
    )
    terms = models.TextField(
        "also finds",
        blank=True,
        help_text="One-way only, one per line: the terms the phrases also find "
        "(abdominal pain). Leave empty for a two-way set.",
    )
    active = models.BooleanField(
        "used in search",
        default=True,
        help_text="Untick to stop searches using this set without deleting it.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("kind"),
        FieldPanel("phrases"),
        FieldPanel("terms"),
        FieldPanel("active"),
    ]

    class Meta:
        ordering = ["phrases"]
        verbose_name = "synonym set"

    def __str__(self):
        phrases = ", ".join(phrase_lines(self.phrases))
        if self.kind == self.Kind.ONE_WAY:
            return f"{phrases} \u2192 {', '.join(phrase_lines(self.terms))}"
        return phrases

    @property
    def phrase_list(self) -> list[str]:
        return phrase_lines(self.phrases)

    @property
    def term_list(self) -> list[str]:
        return phrase_lines(self.terms)

    def clean(self):
        self.phrases = "\n".join(self.phrase_list)
        self.terms = "\n".join(self.term_list)
        if self.kind == self.Kind.TWO_WAY:
            if self.terms:
                raise ValidationError(
                    {"terms": "A two-way set has only phrases: move these up."}
                )
            if len(self.phrase_list) < 2:
                raise ValidationError(
                    {"phrases": "A two-way set needs two phrases or more."}
                )
            return
        if not self.terms:
            raise ValidationError(
                {"terms": "Name the terms a one-way set's phrases also find."}
            )
        both = {p.lower() for p in self.phrase_list} & {
            t.lower() for t in self.term_list
        }
        if both:
            raise ValidationError(
                {"terms": f"Already among the phrases: {', '.join(sorted(both))}."}
            )


class TextEmbedding(models.Model):
    """The sentence embedding of one text by one model: the cache the vector
    fill reads before it computes anything, so unchanged text is never
    embedded twice (a rebuild, a re-publish, a benchmark's rerun). Keyed by a
    digest of the model file and the text, so a new model misses every entry.
    The vectors searched are in the index, not here."""

    # sha256 of the model's digest and the text (search.vectors.text_key).
    key = models.CharField(max_length=64, primary_key=True)
    # Little-endian float32, one unit vector.
    vector = models.BinaryField()

    def __str__(self) -> str:
        return f"Embedding {self.key[:12]}"
