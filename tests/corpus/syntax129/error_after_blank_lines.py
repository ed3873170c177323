def f(:


    pass
