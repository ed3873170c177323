import math
x = math.pi
y = math.e * 2
