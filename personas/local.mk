## personas/
