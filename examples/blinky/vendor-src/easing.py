# Source of src/vendor/easing.mpy, a library shipped prebuilt. It was made with the reference
# mpy-cross 1.11 and the esp8266 profile's flags, as a firmware Makefile would:
#   cd examples/blinky && mpy-cross -o src/vendor/easing.mpy -s easing.py -march=xtensa vendor-src/easing.py


def clamp(x, lo, hi):
    return lo if x < lo else hi if x > hi else x


def smooth(ms, limit):
    # Smoothstep, so long pulses ease in: 3t^2 - 2t^3 of the fraction of the limit.
    t = clamp(ms / limit, 0.0, 1.0)
    return limit * (3 * t * t - 2 * t * t * t)
