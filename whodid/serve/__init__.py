"""``whodid serve``: the JSON API routes and the HTML pages."""
