# Writing this int into the .mpy needs a decimal text buffer the reference's heap cannot
# give next to it (MemoryError, allocating 2000013 bytes, in every release).
x = 1 << 6000000
