a, * = b
