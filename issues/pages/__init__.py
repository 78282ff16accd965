"""The read model: every reader page built as plain data.

The read path, for every page and output:

    view (parse the request) → builder in `issues.pages.<page>` → a dataclass → template

- `reading`: a `Reader` gives a builder the records of a page, from the live tables
  (`LiveReader`) or, for `?as_of=`, from the revision tables (`AsOfReader`); the issue and
  meeting pages have one builder each for both.
- The publication policy (`issues.models.publishing`) decides what each viewer may see; every
  query here goes through `visible_to(viewer)` or `revisions_visible_to(history, viewer)`.
- `issue`, `meeting`, `listings` (home, summits, leaders, sources), `browse`, `compare`,
  `changes` (feeds, "Recently changed", history) build the pages; `changed` tells "What
  changed" since a day on the issue and meeting pages; `citations` numbers what a page
  cites; `drafts` finds editors' pending draft edits.

Every builder does bounded work: lists are paginated or capped with a count, whatever the
archive holds.
"""
