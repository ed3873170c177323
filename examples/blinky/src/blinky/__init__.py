"""Blink an LED in patterns."""
__version__ = "0.1.0"
__all__ = ["led", "pattern"]
