"""What readers search for, kept privately: each search as a normalised query
with daily counts, the reports editors read them in, and Wagtail's promoted
results matched to the normalised query."""
