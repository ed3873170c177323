x = "%#o"
y = "{:#b}"
z = "<lambda>x"
f = lambda: 0
