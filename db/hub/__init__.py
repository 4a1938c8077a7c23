"""The district hub on PostgreSQL (issue 15, DESIGN §12): the stations’ models and merge."""
