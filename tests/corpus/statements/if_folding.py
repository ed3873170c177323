if 0:
    a = 1
elif 1:
    b = 2
else:
    c = 3
if 1:
    d = 4
if False: e = 5
if None: f = 6
if "": g = 7
if (): h = 8
if not 0: i = 9
x = 1 if 0 else 2
y = a and b or c
z = 0 and a
w = 1 or a
if a and b or c and not d: pass
while 0 or a: pass
