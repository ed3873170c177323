x = "<listcomp>"
y = "<dictcomp>"
z = b"<module>"
w = "<genexpr>x"
v = (a for a in b)
