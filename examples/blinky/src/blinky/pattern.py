# Patterns as (on, milliseconds) steps.
from blinky.led import dot_ms

_MORSE = {
    "S": "...",
    "O": "---",
    "E": ".",
    "T": "-",
}


def morse(text):
    dot = dot_ms()
    for ch in text:
        for sym in _MORSE.get(ch.upper(), ""):
            yield True, dot if sym == "." else dot * 3
            yield False, dot
        yield False, dot * 2


def heartbeat(n=2):
    return [(i % 2 == 0, 100 if i < 2 * n else 600) for i in range(2 * n + 1)]
