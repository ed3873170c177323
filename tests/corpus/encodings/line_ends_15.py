x = ""
return
