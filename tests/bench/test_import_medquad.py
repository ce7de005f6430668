import json

import pytest
from django.core.management import call_command

from blog.models import ArticlePage, PainTopic

RECORDS = [
    {
        "id": "MPlusHealthTopics_0000001",
        "source": "MPlusHealthTopics",
        "focus": "Low Back Pain",
        "synonyms": ["Lumbago"],
        "sections": [
            {
                "id": "MPlusHealthTopics_0000001_Sec1",
                "heading": "What is (are) Low Back Pain ?",
                "text": "Back pain is common.\n- Stiffness\n- Muscle spasm\n\nMost cases heal.",
            },
            {
                "id": "MPlusHealthTopics_0000001_Sec2",
                "heading": "What is (are) Low Back Pain ?",
                "text": "A second answer under the same question.",
            },
        ],
    },
    {
        "id": "GARD_0000002",
        "source": "GARD",
        "focus": "Noonan syndrome",
        "synonyms": [],
        "sections": [
            {
                "id": "GARD_0000002_Sec1",
                "heading": "What are the symptoms of Noonan syndrome ?",
                "text": "Short stature and heart defects.",
            }
        ],
    },
]


def write_records(path, records):
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    return path


@pytest.fixture
def articles_file(tmp_path):
    return write_records(tmp_path / "articles.jsonl", RECORDS)


@pytest.mark.django_db
def test_each_record_becomes_a_published_article_with_question_sections(
    site_tree, articles_file
):
    call_command("import_medquad", articles=articles_file, stdout=None)

    page = ArticlePage.objects.live().get(slug="mplushealthtopics-0000001")
    assert page.title == "Low Back Pain"
    assert [s["title"] for s in page.table_of_contents] == [
        "What is (are) Low Back Pain ?",
        "What is (are) Low Back Pain ?",
    ]
    anchors = [s["anchor"] for s in page.table_of_contents]
    assert anchors == ["what-is-are-low-back-pain", "what-is-are-low-back-pain-2"]
    blocks = [(child.block_type, child.value) for child in page.body]
    lists = [value for kind, value in blocks if kind == "list"]
    assert [list(v["items"]) for v in lists] == [["Stiffness", "Muscle spasm"]]
    assert page.authors[0].name == "MedlinePlus Health Topics"


@pytest.mark.django_db
def test_pain_topics_come_from_focus_and_synonyms_most_specific_only(
    site_tree, articles_file
):
    call_command("import_medquad", articles=articles_file, stdout=None)

    back = ArticlePage.objects.get(slug="mplushealthtopics-0000001")
    other = ArticlePage.objects.get(slug="gard-0000002")
    assert [t.slug for t in back.topics.all()] == ["back-pain"]
    assert list(other.topics.all()) == []
    assert PainTopic.objects.get(slug="back-pain").parent.slug == "chronic-pain"


@pytest.mark.django_db
def test_running_again_updates_changed_articles_instead_of_duplicating(
    site_tree, tmp_path, articles_file
):
    call_command("import_medquad", articles=articles_file, stdout=None)
    changed = json.loads(json.dumps(RECORDS))
    changed[1]["focus"] = "Noonan syndrome 1"
    call_command(
        "import_medquad",
        articles=write_records(tmp_path / "changed.jsonl", changed),
        stdout=None,
    )

    assert ArticlePage.objects.count() == 2
    page = ArticlePage.objects.get(slug="gard-0000002")
    assert page.title == "Noonan syndrome 1"
    assert page.live and page.revisions.count() == 2
