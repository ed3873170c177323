x = rb"x" br"y" Rb"z" BR"w" bR"v"
y = U"x"
