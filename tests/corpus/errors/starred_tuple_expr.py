x = *a, b
