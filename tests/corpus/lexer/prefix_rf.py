x = rf"x"
