y = t"a}b"
