x = F"x"
