"""Client library for the acme manager API."""
