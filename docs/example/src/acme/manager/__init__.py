"""The acme manager: keeps track of agents and places sessions on them."""
