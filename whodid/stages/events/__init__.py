"""The events stage: verb patterns, reality (negation, modality, intent), arguments (dyads
from the parse), the actor index, and the stage function."""
