try:
    pass
  except:
    pass
