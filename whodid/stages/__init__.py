"""The pipeline's stages, in order: read, clean, parse, actors, events, dates, places, quantities.

Each stage is a function over an Article (or a batch of them) whose docstring says which fields
it reads and which it sets; ``whodid.pipeline`` lists them in order.
"""
