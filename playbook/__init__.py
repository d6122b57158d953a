"""playbook: a static-site generator for the M3 migration playbook."""

__version__ = "0.1.0"
