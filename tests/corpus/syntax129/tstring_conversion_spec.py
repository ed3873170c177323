x=1
y = t"a{x!r:>4}b"
