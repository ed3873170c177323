# Blinky: flash the on-board LED in a pattern, forever.
import utime

from blinky import led, pattern
from vendor import easing


def run(cycles=None):
    board_led = led.Led(led.PIN_LED, active_low=True)
    n = 0
    while cycles is None or n < cycles:
        for on, ms in pattern.morse("SOS"):
            board_led.set(on)
            utime.sleep_ms(int(easing.smooth(ms, led.MAX_MS)))
        n += 1


if __name__ == "__main__":
    run()
