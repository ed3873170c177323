# The first shift result no release of mpy-cross can allocate (64,958 GC blocks): a
# MemoryError before 1.26, left unfolded from 1.26.
x = 0x40000000 << 16628961
