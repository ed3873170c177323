# comment
  
return 1
