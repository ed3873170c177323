def name_used_earlier_long(): pass
x = "name_used_earlier_long"
