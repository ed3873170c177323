//! The `.mpy` version 4 format of MicroPython 1.11: writer, reader and dump.
