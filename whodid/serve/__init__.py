"""``whodid serve``: ``routes`` (the app, its JSON API and page handlers), ``pages`` (rendering
through the Jinja2 templates in ``templates/``)."""
