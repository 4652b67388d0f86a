"""Events: who did what to whom, where, when, how many, how sure, and on whose word."""

from sitroom.events.extract import extract_events
from sitroom.events.quotes import extract_quotes

__all__ = ["extract_events"]
__all__ += ["extract_quotes"]
