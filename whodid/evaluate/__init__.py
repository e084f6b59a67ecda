"""``whodid evaluate``: scoring against gold events, places and quad classes."""
