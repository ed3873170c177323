x = 16384 if 2.5j else y
z = 'a' 'b' or y
w = b'' and y
v = not 'a'
if 1.5:
    u = 1
while (1,):
    break
if None:
    t = 2
