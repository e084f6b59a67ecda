"""The actors stage: mention spans (what is an actor mention) and resolution (who it is)."""
