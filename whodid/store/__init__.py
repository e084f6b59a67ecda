"""SQLite storage: schema and migrations, the store, event queries and filters, cross-article
dedup. All of whodid's SQL lives in this package."""
