"""Admin page forms of the blog."""

from __future__ import annotations

from wagtail.admin.forms import WagtailAdminPageForm


class ArticlePageForm(WagtailAdminPageForm):
    """Puts a repeated author's error on the row that repeats them. The
    database constraint alone surfaces as Django's "duplicate data for page and
    author", which names neither the author nor the row to remove.

    A new review date moves the next one unless the editor set that too: the
    page then fills it from the review interval."""

    def clean(self):
        cleaned_data = super().clean()
        formset = self.formsets.get("article_authors")
        if formset is not None:
            flag_repeated_authors(formset=formset)
        changed = self.changed_data
        if "last_reviewed" in changed and "next_review_due" not in changed:
            cleaned_data["next_review_due"] = None
        return cleaned_data


def flag_repeated_authors(*, formset) -> None:
    formset.full_clean()
    seen = set()
    for row in formset.forms:
        if formset.can_delete and formset._should_delete_form(row):
            continue
        # Read the posted choice: the formset's own unique check has already
        # dropped "author" from the repeated row's cleaned_data.
        chosen = row["author"].value()
        if chosen in (None, "") or row.has_error("author"):
            continue
        if str(chosen) in seen:
            author = row.fields["author"].to_python(chosen)
            row.add_error("author", f"{author} is already an author of this article.")
        seen.add(str(chosen))
