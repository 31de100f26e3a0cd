## generators/
