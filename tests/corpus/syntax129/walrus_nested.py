if (a := (b := 2)):
    pass
