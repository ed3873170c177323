# The LED itself: pin numbers are compile-time constants (const() is folded by the compiler).
from micropython import const
import machine

PIN_LED = const(2)  # GPIO2 drives the blue LED on ESP-12 modules
_DOT_MS = const(150)
MAX_MS = const(_DOT_MS * 7)


class Led:
    def __init__(self, pin, active_low=False):
        self._pin = machine.Pin(pin, machine.Pin.OUT)
        self._active_low = active_low
        self.set(False)

    def set(self, on):
        self._pin.value(int(on) ^ int(self._active_low))

    def toggle(self):
        self._pin.value(1 - self._pin.value())


def dot_ms():
    return _DOT_MS
