try:
 try:
  try:
   try:
    try:
     try:
      try:
       try:
        try:
         try:
          try:
           try:
            try:
             try:
              try:
               try:
                try:
                 try:
                  try:
                   try:
                    try:
                     try:
                      try:
                       try:
                        try:
                         try:
                          try:
                           try:
                            try:
                             try:
                              try:
                               try:
                                try:
                                 try:
                                  try:
                                   try:
                                    try:
                                     try:
                                      try:
                                       try:
                                        pass
                                       except E39 as e:
                                        pass
                                      except E38 as e:
                                       pass
                                     except E37 as e:
                                      pass
                                    except E36 as e:
                                     pass
                                   except E35 as e:
                                    pass
                                  except E34 as e:
                                   pass
                                 except E33 as e:
                                  pass
                                except E32 as e:
                                 pass
                               except E31 as e:
                                pass
                              except E30 as e:
                               pass
                             except E29 as e:
                              pass
                            except E28 as e:
                             pass
                           except E27 as e:
                            pass
                          except E26 as e:
                           pass
                         except E25 as e:
                          pass
                        except E24 as e:
                         pass
                       except E23 as e:
                        pass
                      except E22 as e:
                       pass
                     except E21 as e:
                      pass
                    except E20 as e:
                     pass
                   except E19 as e:
                    pass
                  except E18 as e:
                   pass
                 except E17 as e:
                  pass
                except E16 as e:
                 pass
               except E15 as e:
                pass
              except E14 as e:
               pass
             except E13 as e:
              pass
            except E12 as e:
             pass
           except E11 as e:
            pass
          except E10 as e:
           pass
         except E9 as e:
          pass
        except E8 as e:
         pass
       except E7 as e:
        pass
      except E6 as e:
       pass
     except E5 as e:
      pass
    except E4 as e:
     pass
   except E3 as e:
    pass
  except E2 as e:
   pass
 except E1 as e:
  pass
except E0 as e:
 pass
