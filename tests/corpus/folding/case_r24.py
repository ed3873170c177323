x = a.True
