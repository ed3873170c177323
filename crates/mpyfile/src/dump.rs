//! Human-readable and JSON views of a `.mpy` file (what `mpyc dump` prints).
