def Ã©ÿ():
    break
