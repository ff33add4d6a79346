"""lstm-tui: watch an LSTM cell think, one token at a time."""

__version__ = "0.1.0"
