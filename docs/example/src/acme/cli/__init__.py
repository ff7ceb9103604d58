"""The `acme` command line."""
