"""Admin views for the taxonomy screens (see wagtail_hooks.py).

Deleting an author, topic or therapy type that an article still uses would either
fail on a protected foreign key or, for the many-to-many tags, silently strip the
tag from live and draft articles. The delete view therefore looks up every article
that uses the object, in its live form and in its latest draft, and lists them
instead of deleting.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.db.models import Model, Q
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail_modeladmin.views import DeleteView

from blog.models import ArticlePage, Author, PainTopic, TherapyType


def _author_filter(author: Author) -> Q:
    return Q(article_authors__author=author) | Q(medical_reviewer=author)


def _author_in_draft(page: ArticlePage, author: Author) -> bool:
    return page.medical_reviewer_id == author.pk or any(
        link.author_id == author.pk for link in page.article_authors.all()
    )


def _topic_in_draft(page: ArticlePage, topic: PainTopic) -> bool:
    return any(t.pk == topic.pk for t in page.topics.all())


def _therapy_in_draft(page: ArticlePage, therapy: TherapyType) -> bool:
    return any(t.pk == therapy.pk for t in page.therapy_types.all())


# model -> (filter on stored pages, test on a draft revision's page object)
USAGE_RULES: dict[type[Model], tuple[Callable, Callable]] = {
    Author: (_author_filter, _author_in_draft),
    PainTopic: (lambda topic: Q(topics=topic), _topic_in_draft),
    TherapyType: (lambda therapy: Q(therapy_types=therapy), _therapy_in_draft),
}


def articles_using(*, instance: Model) -> list[ArticlePage]:
    """Articles that use `instance` in their stored (live or first-saved) form or
    in their latest unpublished draft, ordered by title."""
    stored_filter, in_draft = USAGE_RULES[type(instance)]
    found = {
        page.pk: page
        for page in ArticlePage.objects.filter(stored_filter(instance)).distinct()
    }
    drafts = ArticlePage.objects.filter(has_unpublished_changes=True).exclude(
        pk__in=found
    )
    for page in drafts:
        draft = page.get_latest_revision_as_object()
        if in_draft(draft, instance):
            found[page.pk] = page
    return sorted(found.values(), key=lambda page: page.title.lower())


class InUseProtectedDeleteView(DeleteView):
    """Refuses to delete an object that articles (or child topics) still use and
    names them, with links to edit each one."""

    def get_blockers(self) -> tuple[list[ArticlePage], list[Model]]:
        articles = articles_using(instance=self.instance)
        children = (
            list(self.instance.children.all())
            if isinstance(self.instance, PainTopic)
            else []
        )
        return articles, children

    def get_context_data(self, **kwargs):
        articles, children = self.get_blockers()
        kwargs.update(articles_in_use=articles, child_topics=children)
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        articles, children = self.get_blockers()
        if not articles and not children:
            return super().post(request, *args, **kwargs)
        names = ", ".join(
            [f"'{page.title}'" for page in articles] + [f"'{obj}'" for obj in children]
        )
        messages.error(
            request,
            f"{self.verbose_name.capitalize()} '{self.instance}' was not deleted: "
            f"still used by {names}.",
        )
        return self.render_to_response(self.get_context_data())


class UniqueSlugForm(WagtailAdminModelForm):
    """Names the object that already holds a slug instead of Django's generic
    'with this Slug already exists'."""

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        model = self._meta.model
        holder = model.objects.filter(slug=slug).exclude(pk=self.instance.pk).first()
        if holder is not None:
            raise forms.ValidationError(
                f'The slug "{slug}" is already used by {model._meta.verbose_name} '
                f'"{holder}". Choose another one.'
            )
        return slug
