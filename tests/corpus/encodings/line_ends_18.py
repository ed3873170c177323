x = '''


'''
return
