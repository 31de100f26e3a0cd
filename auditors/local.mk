## auditors/
