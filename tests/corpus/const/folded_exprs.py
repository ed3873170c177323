from micropython import const
A = const(1 << 30)
B = const(-2 ** 62)
C = const(~A)
D = const((A | 0xff) & ~0x0f ^ 3)
E = const(100 // 7 + 100 % 7)
F = const(-7 // 2)
G = const(-7 % 3)
H = const(2 ** 100)
I = const(A if 1 else 2)
x = A, B, C, D, E, F, G, H
