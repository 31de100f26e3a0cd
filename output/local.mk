## output/
