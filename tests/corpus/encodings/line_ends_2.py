x = "ab"
