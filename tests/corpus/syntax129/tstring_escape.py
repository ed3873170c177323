x=1
y = t"a\tb{x}"
