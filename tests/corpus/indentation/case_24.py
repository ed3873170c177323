	# only
