"""Demo content for a fresh Relief site: taxonomy, snippets, generated images and
articles. All text here was written for this project."""
