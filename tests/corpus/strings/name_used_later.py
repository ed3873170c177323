x = ["name_used_later_long"]
def name_used_later_long(): pass
