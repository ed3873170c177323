x = *y
