"""Types and configuration shared by every acme component."""

__version__ = "1.4.0"
