# Host-side check of the patterns (excluded from the board build by mpyc.toml).
from blinky import pattern

assert list(pattern.morse("E")) == [(True, 150), (False, 150), (False, 300)]
