if 1:
    x = 1
	# comment
    y = 2
