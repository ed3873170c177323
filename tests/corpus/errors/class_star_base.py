class C(*bases): pass
