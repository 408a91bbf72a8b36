"""GET /allocation_candidates: find the providers of each request group
in bulk SQL (search), build each group's allocation requests (groups),
combine the groups lazily within trees (combine) and summarise the
providers involved (summaries). ``find`` ties them together."""
