(a, (*b, c)) = d
