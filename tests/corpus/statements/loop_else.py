for x in y:
    if x: break
else:
    z = 1
while a:
    if b: continue
    if c: break
else:
    d = 2
for x in y:
    for z in w:
        break
    else:
        continue
    break
else:
    pass
while 0:
    pass
else:
    e = 1
while 1:
    pass
while True:
    break
while not 1:
    x = 1
for i in range(10): pass
for i in range(1, 10, 2): pass
for i in range(10, 0, -1): pass
for i in range(a, b, c): pass
