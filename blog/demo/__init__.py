"""Demo content for a fresh Relief site: taxonomy, snippets, generated images and
articles. All text here was written for this project."""

# Apps that keep demo data of their own (search terms, ...) fill it from this
# hook after the demo content is loaded: fn(stdout) -> None.
DEMO_CONTENT_HOOK = "relief_demo_content"
