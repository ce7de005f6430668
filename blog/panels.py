"""Read-only panels of the article editor."""

from __future__ import annotations

from wagtail.admin.panels import Panel

from blog.conf import reading_grade_target
from blog.readability import article_reading_grades


class ReadingGradePanel(Panel):
    """The article's Flesch-Kincaid grade and each section's, beside the
    target range, as of the version the editor last saved or submitted."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "relief_blog/panels/reading_grade.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            whole, sections = article_reading_grades(page=self.instance)
            low, high = reading_grade_target()
            context.update(whole=whole, sections=sections, low=low, high=high)
            return context
