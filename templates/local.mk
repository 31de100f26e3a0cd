## templates/
