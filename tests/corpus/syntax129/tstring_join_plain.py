x=1
q = t"a" t"b"
