"""luoshi (落实): turns a leader's directives into accountable tasks and supervises them to closure."""

__version__ = "0.1.0"
