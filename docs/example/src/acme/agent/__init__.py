"""The acme agent: runs session kernels and reports to the manager."""
